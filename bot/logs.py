"""Logging set-up. python-telegram-bot's HTTP client logs request URLs, which contain the bot token: every
line is redacted before it is written, tracebacks included."""

from __future__ import annotations

import logging
import re
from typing import TextIO

_TOKEN_PATTERN = re.compile(r"\d{3,20}:[A-Za-z0-9_-]{20,}")


class RedactingFormatter(logging.Formatter):
    def __init__(self, fmt: str, secrets: tuple[str, ...] = ()) -> None:
        super().__init__(fmt)
        self.secrets = tuple(secret for secret in secrets if secret)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.secrets)


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    for secret in secrets:
        text = text.replace(secret, "<redacted>")
    return _TOKEN_PATTERN.sub("<redacted>", text)


def setup_logging(level: str, stream: TextIO | None = None, secrets: tuple[str | None, ...] = ()) -> logging.Handler:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        RedactingFormatter(
            "%(asctime)s %(levelname)s %(name)s: %(message)s", tuple(secret for secret in secrets if secret)
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request at INFO; keep it for DEBUG runs only.
    logging.getLogger("httpx").setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING if level != "DEBUG" else logging.DEBUG)
    return handler
