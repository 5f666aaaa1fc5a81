"""Telegram's HTML parse mode: turns message HTML into plain text plus message entities.

Follows the rules of the Bot API's HTML style (same tags, same error texts), so a
message the sandbox accepts is one Telegram accepts. One deliberate difference: an
``&`` that does not start a valid entity is an error here, because it almost always
means user-supplied text was not escaped.
"""

import re
from dataclasses import dataclass, field
from typing import Any

_ENTITY_TYPE_BY_TAG = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_PATTERN = re.compile(r"&(?:(lt|gt|amp|quot)|#(\d{1,8})|#[xX]([0-9a-fA-F]{1,7}));")
_ATTRIBUTE_NAME_PATTERN = re.compile(r"[^\s=>]+")
_MAX_CODE_POINT = 0x10FFFF


class HtmlParseError(ValueError):
    """The text is not valid Telegram HTML; the message mirrors Telegram's wording."""


@dataclass(frozen=True)
class FormattedText:
    """Plain text with Telegram message entities (offsets and lengths in UTF-16 code units)."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _OpenTag:
    name: str
    start: int
    attributes: dict[str, str]


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(source: str) -> FormattedText:
    """Parses Telegram HTML; raises HtmlParseError exactly where Telegram would refuse."""
    parser = _HtmlParser(source)
    parser.run()
    return strip_formatted(FormattedText(parser.text(), parser.entities))


def strip_formatted(formatted: FormattedText) -> FormattedText:
    """Trims leading and trailing whitespace the way Telegram does, keeping entities aligned."""
    stripped = formatted.text.strip()
    if not stripped:
        return FormattedText("", [])
    shift = utf16_len(formatted.text[: len(formatted.text) - len(formatted.text.lstrip())])
    end = shift + utf16_len(stripped)
    entities = []
    for entity in formatted.entities:
        start = max(entity["offset"] - shift, 0)
        stop = min(entity["offset"] + entity["length"], end) - shift
        if stop > start:
            entities.append({**entity, "offset": start, "length": stop - start})
    return FormattedText(stripped, entities)


class _HtmlParser:
    def __init__(self, source: str) -> None:
        self._source = source
        self._pos = 0
        self._chunks: list[str] = []
        self._utf16_pos = 0
        self._open_tags: list[_OpenTag] = []
        self.entities: list[dict[str, Any]] = []

    def text(self) -> str:
        return "".join(self._chunks)

    def run(self) -> None:
        while self._pos < len(self._source):
            char = self._source[self._pos]
            if char == "&":
                self._read_entity()
            elif char == "<" and self._source.startswith("</", self._pos):
                self._read_end_tag()
            elif char == "<":
                self._read_start_tag()
            else:
                self._emit(char)
                self._pos += 1
        if self._open_tags:
            name = self._open_tags[-1].name
            raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{name}"')
        self.entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))

    def _byte_offset(self, position: int) -> int:
        return len(self._source[:position].encode("utf-8"))

    def _emit(self, text: str) -> None:
        self._chunks.append(text)
        self._utf16_pos += utf16_len(text)

    def _read_entity(self) -> None:
        match = _ENTITY_PATTERN.match(self._source, self._pos)
        char = _decode_entity(match) if match else None
        if match is None or char is None:
            raise HtmlParseError(
                f"Character '&' at byte offset {self._byte_offset(self._pos)} "
                "must be escaped as &amp;"
            )
        self._emit(char)
        self._pos = match.end()

    def _read_start_tag(self) -> None:
        begin = self._pos
        end_of_name = self._pos + 1
        while end_of_name < len(self._source) and not _ends_tag_name(self._source[end_of_name]):
            end_of_name += 1
        if end_of_name >= len(self._source):
            raise HtmlParseError(f"Unclosed start tag at byte offset {self._byte_offset(begin)}")
        name = self._source[begin + 1 : end_of_name].lower()
        if name not in _ENTITY_TYPE_BY_TAG:
            raise HtmlParseError(
                f'Unsupported start tag "{name}" at byte offset {self._byte_offset(begin)}'
            )
        self._pos = end_of_name
        attributes = self._read_attributes(begin)
        if name == "span" and attributes.get("class") != "tg-spoiler":
            raise HtmlParseError('Tag "span" must have class "tg-spoiler"')
        if name == "tg-emoji" and not attributes.get("emoji-id", "").isdigit():
            raise HtmlParseError('Tag "tg-emoji" must have attribute "emoji-id" with a number')
        self._open_tags.append(_OpenTag(name, self._utf16_pos, attributes))

    def _read_attributes(self, tag_begin: int) -> dict[str, str]:
        attributes: dict[str, str] = {}
        while True:
            while self._pos < len(self._source) and self._source[self._pos].isspace():
                self._pos += 1
            if self._pos >= len(self._source):
                raise HtmlParseError(
                    f"Unclosed start tag at byte offset {self._byte_offset(tag_begin)}"
                )
            if self._source[self._pos] == ">":
                self._pos += 1
                return attributes
            name_match = _ATTRIBUTE_NAME_PATTERN.match(self._source, self._pos)
            if name_match is None:
                raise HtmlParseError(
                    f"Expected equal sign in declaration of an attribute of the tag at byte "
                    f"offset {self._byte_offset(tag_begin)}"
                )
            self._pos = name_match.end()
            value = ""
            if self._source.startswith("=", self._pos):
                self._pos += 1
                value = self._read_attribute_value(tag_begin)
            attributes[name_match.group().lower()] = value

    def _read_attribute_value(self, tag_begin: int) -> str:
        quote = self._source[self._pos : self._pos + 1]
        if quote in ("'", '"'):
            closing = self._source.find(quote, self._pos + 1)
            if closing < 0:
                raise HtmlParseError(
                    f"Unclosed start tag at byte offset {self._byte_offset(tag_begin)}"
                )
            raw = self._source[self._pos + 1 : closing]
            self._pos = closing + 1
        else:
            end = self._pos
            while end < len(self._source) and not _ends_tag_name(self._source[end]):
                end += 1
            raw = self._source[self._pos : end]
            self._pos = end
        return _decode_attribute_value(raw)

    def _read_end_tag(self) -> None:
        begin = self._pos
        end_of_name = self._pos + 2
        while end_of_name < len(self._source) and not _ends_tag_name(self._source[end_of_name]):
            end_of_name += 1
        name = self._source[begin + 2 : end_of_name].lower()
        closing = end_of_name
        while closing < len(self._source) and self._source[closing].isspace():
            closing += 1
        if closing >= len(self._source) or self._source[closing] != ">":
            raise HtmlParseError(f"Unclosed end tag at byte offset {self._byte_offset(begin)}")
        if not self._open_tags:
            raise HtmlParseError(f"Unexpected end tag at byte offset {self._byte_offset(begin)}")
        open_tag = self._open_tags[-1]
        # Telegram lets "</>" close whatever tag is open.
        if name and name != open_tag.name:
            raise HtmlParseError(
                f"Unmatched end tag at byte offset {self._byte_offset(begin)}, "
                f'expected "</{open_tag.name}>", found "</{name}>"'
            )
        self._open_tags.pop()
        self._pos = closing + 1
        self._add_entity(open_tag)

    def _add_entity(self, tag: _OpenTag) -> None:
        length = self._utf16_pos - tag.start
        if length == 0:
            return
        entity: dict[str, Any] = {
            "type": _ENTITY_TYPE_BY_TAG[tag.name],
            "offset": tag.start,
            "length": length,
        }
        if tag.name == "a":
            url = tag.attributes.get("href", "")
            if not url:
                return
            entity["url"] = url
        elif tag.name == "tg-emoji":
            entity["custom_emoji_id"] = tag.attributes["emoji-id"]
        elif tag.name == "blockquote" and "expandable" in tag.attributes:
            entity["type"] = "expandable_blockquote"
        elif tag.name == "pre" and "language" in tag.attributes:
            entity["language"] = tag.attributes["language"]
        elif tag.name == "code" and self._inside_pre():
            self._give_language_to_enclosing_pre(tag)
            return
        self.entities.append(entity)

    def _inside_pre(self) -> bool:
        return bool(self._open_tags) and self._open_tags[-1].name == "pre"

    def _give_language_to_enclosing_pre(self, code: _OpenTag) -> None:
        css_class = code.attributes.get("class", "")
        if css_class.startswith("language-") and len(css_class) > len("language-"):
            self._open_tags[-1].attributes["language"] = css_class.removeprefix("language-")


def _ends_tag_name(char: str) -> bool:
    return char.isspace() or char == ">"


def _decode_entity(match: re.Match[str]) -> str | None:
    named, decimal, hexadecimal = match.groups()
    if named:
        return _NAMED_ENTITIES[named]
    code_point = int(decimal) if decimal else int(hexadecimal, 16)
    if code_point == 0 or code_point > _MAX_CODE_POINT or 0xD800 <= code_point <= 0xDFFF:
        return None
    return chr(code_point)


def _decode_attribute_value(raw: str) -> str:
    def replace(match: re.Match[str]) -> str:
        return _decode_entity(match) or match.group()

    return _ENTITY_PATTERN.sub(replace, raw)
