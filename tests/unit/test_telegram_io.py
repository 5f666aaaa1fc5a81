"""The send helper's splitting and keyboards: everything it produces is something Telegram accepts."""


import pytest

from bot.sandbox.telegram_html import parse_html
from bot.telegram_io import Button, keyboard, split_html, utf16_len


def visible(html: str) -> str:
    return parse_html(html).text


def test_short_text_is_one_part():
    assert split_html("<b>Hello</b>") == ["<b>Hello</b>"]


def test_long_text_splits_on_lines_within_the_limit_and_loses_nothing():
    lines = [f"{n}. {'报价' * 30} &amp; more" for n in range(300)]
    parts = split_html("\n".join(lines))
    assert len(parts) > 1
    assert all(utf16_len(part) <= 4096 for part in parts)
    assert "\n".join(visible(part) for part in parts).split("\n") == [visible(line) for line in lines]


def test_a_tag_open_across_a_cut_is_closed_and_reopened():
    body = "\n".join(f"line {n} " + "x" * 80 for n in range(120))
    parts = split_html(f"<b>Title</b>\n<blockquote expandable>{body}</blockquote>")
    assert len(parts) > 1
    for part in parts:
        parse_html(part)  # raises on invalid entities, like Telegram
    assert parts[1].startswith("<blockquote expandable>")


def test_a_single_giant_line_is_cut_without_breaking_entities_or_emoji():
    giant = ("😀&amp;" * 3000) + "<b>end</b>"
    parts = split_html(giant)
    assert all(utf16_len(part) <= 4096 for part in parts)
    for part in parts:
        parse_html(part)
    assert "".join(visible(part) for part in parts) == visible(giant)


def test_callback_data_must_fit_telegrams_64_bytes():
    assert keyboard([[Button("ok", "inq:view:12")]]) is not None
    with pytest.raises(ValueError):
        keyboard([[Button("too long", "x" * 65)]])
    with pytest.raises(ValueError):
        keyboard([[Button("empty", "")]])
    with pytest.raises(ValueError):
        keyboard([[Button("bytes", "确" * 22)]])  # 66 bytes in UTF-8


def test_url_buttons_need_no_callback_data():
    markup = keyboard([[Button("1688", url="https://s.1688.com/")]])
    assert markup is not None and markup.inline_keyboard[0][0].url == "https://s.1688.com/"
