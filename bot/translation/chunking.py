"""Cutting a long text into pieces a provider accepts, without losing a character.

Joining the pieces gives back the text exactly, so whitespace and line breaks survive translation piece by piece.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

Measure = Callable[[str], int]

# A sentence ends at 。！？!? or at a full stop that is not a decimal point, with any closing quotes after it.
SENTENCE_END = re.compile(r"(?:[。！？…]+|[!?]+|\.(?=\s|$))[”’\"'」』）)\]]*[ \t]*|\n+")
# Commas and the like, but not the thousands separator in 15,000 or the colon in 10:30.
CLAUSE_END = re.compile(r"(?:[，、；：]|[,;:](?!\d))[ \t]*")


def split_text(text: str, limit: int, measure: Measure = len, keep_whole: re.Pattern[str] | None = None) -> list[str]:
    """Pieces of `text` each within `limit` by `measure`: on sentence ends, then commas, then a hard cut.

    `keep_whole` matches spans (glossary placeholders) that a hard cut must not go through.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    if measure(text) <= limit:
        return [text] if text else []
    pieces: list[str] = []
    for sentence_group in _pack(_units(text, SENTENCE_END), limit, measure):
        if measure(sentence_group) <= limit:
            pieces.append(sentence_group)
            continue
        for clause_group in _pack(_units(sentence_group, CLAUSE_END), limit, measure):
            if measure(clause_group) <= limit:
                pieces.append(clause_group)
            else:
                pieces.extend(_hard_cut(clause_group, limit, measure, keep_whole))
    return pieces


def _units(text: str, boundary: re.Pattern[str]) -> Iterator[str]:
    start = 0
    for match in boundary.finditer(text):
        if match.end() > start:
            yield text[start : match.end()]
            start = match.end()
    if start < len(text):
        yield text[start:]


def _pack(units: Iterator[str], limit: int, measure: Measure) -> Iterator[str]:
    """Join consecutive units while they fit; a unit too long on its own is passed on alone."""
    current = ""
    for unit in units:
        if current and measure(current + unit) > limit:
            yield current
            current = ""
        current += unit
    if current:
        yield current


def _hard_cut(text: str, limit: int, measure: Measure, keep_whole: re.Pattern[str] | None) -> Iterator[str]:
    protected = [match.span() for match in keep_whole.finditer(text)] if keep_whole else []
    start = 0
    while start < len(text):
        end = _cut_position(text, start, limit, measure, protected)
        yield text[start:end]
        start = end


def _cut_position(text: str, start: int, limit: int, measure: Measure, protected: list[tuple[int, int]]) -> int:
    end, size = start, 0
    while end < len(text) and size + measure(text[end]) <= limit:
        size += measure(text[end])  # measures are additive: characters or UTF-8 bytes
        end += 1
    if end >= len(text):
        return len(text)
    end = max(end, start + 1)  # a single character over the limit still has to go somewhere
    space = text.rfind(" ", start, end)
    if space > start + (end - start) // 2:  # words are better than half-words, if it does not waste much
        end = space + 1
    for span_start, span_end in protected:
        if span_start < end < span_end:
            end = span_start if span_start > start else span_end
    return end
