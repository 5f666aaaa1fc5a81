"""Rendering: typed service results in, Telegram HTML and buttons out, in the reader's language. No I/O."""
