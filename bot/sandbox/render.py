"""Turning the bot's messages into plain transcript lines a person can read in a terminal."""

from collections import defaultdict
from typing import Any

QUOTE_MARK = "│ "
_QUOTE_TYPES = ("blockquote", "expandable_blockquote")


def readable_text(text: str, entities: list[dict[str, Any]]) -> str:
    """Formatting dropped, links written as "text (url)", quoted lines marked with "│ "."""
    index_of = _python_index_by_utf16_offset(text)
    link_endings: defaultdict[int, list[str]] = defaultdict(list)
    line_marks: defaultdict[int, list[str]] = defaultdict(list)
    for entity in entities:
        start = index_of.get(int(entity["offset"]))
        end = index_of.get(int(entity["offset"]) + int(entity["length"]))
        if start is None or end is None:
            continue
        if entity["type"] == "text_link" and entity.get("url") != text[start:end]:
            link_endings[end].append(f" ({entity['url']})")
        elif entity["type"] in _QUOTE_TYPES:
            # A quote is a block of its own, as Telegram's apps show it.
            opens_line = start == 0 or text[start - 1] == "\n"
            line_marks[start].append(QUOTE_MARK if opens_line else "\n" + QUOTE_MARK)
            for position in range(start, end - 1):
                if text[position] == "\n":
                    line_marks[position + 1].append(QUOTE_MARK)
            if end < len(text) and text[end] != "\n":
                link_endings[end].append("\n")
    pieces: list[str] = []
    for position, char in enumerate(text):
        pieces.extend(link_endings[position])
        pieces.extend(line_marks[position])
        pieces.append(char)
    pieces.extend(link_endings[len(text)])
    return "".join(pieces)


def _python_index_by_utf16_offset(text: str) -> dict[int, int]:
    index_of = {}
    offset = 0
    for position, char in enumerate(text):
        index_of[offset] = position
        offset += 2 if ord(char) > 0xFFFF else 1
    index_of[offset] = len(text)
    return index_of


def keyboard_lines(inline_keyboard: list[list[dict[str, Any]]]) -> list[str]:
    """One line per keyboard row, buttons numbered across the whole keyboard."""
    lines = []
    number = 0
    for row in inline_keyboard:
        labels = []
        for button in row:
            number += 1
            label = f"[{number}] {button.get('text', '')}"
            if "url" in button:
                label += f" ({button['url']})"
            labels.append(label)
        if labels:
            lines.append("  ".join(labels))
    return lines


def labelled(label: str, body: str) -> list[str]:
    """`label: body`, with the body's further lines indented under its first one."""
    if not body:
        return [label]
    first, *rest = body.split("\n")
    indent = " " * (len(label) + 2)
    return [f"{label}: {first}"] + [f"{indent}{line}" if line else "" for line in rest]


def format_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"
