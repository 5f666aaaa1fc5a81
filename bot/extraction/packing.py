"""The export carton (pieces, size, gross weight) and one piece's weight: what a forwarder needs for a quote.

Sizes are read as length × width × height in the order written ("60*40*35cm", "52x38x30 cm", "600×400×350mm"); a
size with no unit is taken in centimetres. A weight is the carton's when its clause speaks of the carton (外箱,
毛重, G.W., 每箱重) and a piece's when it speaks of one piece (单个, 单重, 每个, /pc, N.W. per unit); a product size
(产品尺寸) is not the carton's.
"""

from __future__ import annotations

import re
from decimal import Decimal

from bot.extraction.quantities import pieces_per_container
from bot.extraction.result import Carton
from bot.extraction.text import FRESH_NUM, NUM, Prepared

_TIMES = r"\s*[*×xX✕]\s*"
_SIZE = re.compile(
    rf"(?P<l>{FRESH_NUM}){_TIMES}(?P<w>{NUM}){_TIMES}(?P<h>{NUM})(?![\d.])\s*(?P<unit>cm|厘米|公分|mm|毫米|m(?![a-z])|米)?"
)
_CARTON_WORD = re.compile(r"外箱|纸箱|箱规|箱子|装箱|整箱|一箱|每箱|箱|carton|ctn|outer|master|包装尺寸|packing\s+size")
_PRODUCT_WORD = re.compile(r"产品尺寸|产品规格|单个尺寸|尺寸为|product\s+size|item\s+size|内盒|彩盒|inner|gift\s+box")
_WEIGHT = re.compile(rf"(?P<num>{FRESH_NUM})\s*(?P<unit>kgs?|千克|公斤|克|g(?![a-z])|斤|lbs?)")
_GROSS = re.compile(r"毛重|g\.?\s*w\.?|gross|整箱重|每箱重|一箱重|箱重|外箱重")
_NET = re.compile(r"净重|n\.?\s*w\.?|net")
_PIECE_WORD = re.compile(
    r"单[个只件品瓶支条双套盒把]|单重|每个|每只|每件|一个|一只|产品重量?|个(?:的)?(?:大概|大约|约)?重|/\s*(?:pc|pcs|piece|个|只|件)"
    r"|per\s+(?:piece|pc|unit|item)|each|unit\s+weight|item\s+weight",
)
_PIECE_AFTER = re.compile(rf"\s*(?:{_PIECE_WORD.pattern})")
# "carton 45*32*28cm, 30pcs inside", "Carton: 8 pcs": a count of pieces in a sentence about the carton
_COUNT_IN_CARTON = re.compile(
    rf"(?P<n>{FRESH_NUM})\s*(?:pcs|pieces|units|sets|pairs|个|只|件|套|双|支|瓶|条)(?![a-z])(?!\s*(?:/|per|一|每)\s*(?:盒|包|box|bag))"
)
_TO_KG = {"kg": Decimal(1), "kgs": Decimal(1), "千克": Decimal(1), "公斤": Decimal(1), "克": Decimal("0.001"),
          "g": Decimal("0.001"), "斤": Decimal("0.5"), "lb": Decimal("0.45359237"), "lbs": Decimal("0.45359237")}  # fmt: skip
_TO_CM = {"mm": Decimal("0.1"), "毫米": Decimal("0.1"), "m": Decimal(100), "米": Decimal(100)}
_KG_PLACES = Decimal("0.001")


def find_carton(prepared: Prepared) -> Carton | None:
    units = _units_per_carton(prepared)
    size = None
    gross = None
    for text in prepared.sentences:
        about_carton = bool(_CARTON_WORD.search(text))
        match = _SIZE.search(text)
        if size is None and match and about_carton and not _PRODUCT_WORD.search(_lead(text, match.start())):
            scale = _TO_CM.get(match["unit"] or "", Decimal(1))
            size = tuple(Decimal(match[part]) * scale for part in "lwh")
        if gross is None:
            gross = _gross_weight(text, about_carton)
    if units is None and size is None and gross is None:
        return None
    length, width, height = size or (None, None, None)
    return Carton(units, length, width, height, gross)


def _units_per_carton(prepared: Prepared) -> int | None:
    held = pieces_per_container("箱", prepared.text)
    count = held[0] if held else None
    if count is None:
        for sentence in prepared.sentences:
            carton = _CARTON_WORD.search(sentence)
            found = _COUNT_IN_CARTON.search(sentence, carton.end()) if carton else None
            if found:
                count = Decimal(found["n"])
                break
    return int(count) if count is not None and count == count.to_integral_value() else None


def _gross_weight(text: str, about_carton: bool) -> Decimal | None:
    for match in _WEIGHT.finditer(text):
        lead = _lead(text, match.start())
        if _NET.search(lead) or _PIECE_WORD.search(lead) or _PIECE_AFTER.match(text, match.end()):
            continue
        if _GROSS.search(lead) or about_carton:
            return _kilograms(match)
    return None


def _lead(text: str, start: int) -> str:
    """The words before a number back to the previous number: what the number is about."""
    before = text[max(0, start - 24) : start]
    return re.split(r"\d", before)[-1]


def find_unit_weight(prepared: Prepared) -> Decimal | None:
    for clause in prepared.clauses:
        text = clause.text
        for match in _WEIGHT.finditer(text):
            lead = _lead(text, match.start())
            if _GROSS.search(lead) or _NET.search(lead) and _CARTON_WORD.search(text):
                continue
            if _PIECE_WORD.search(lead) or _PIECE_AFTER.match(text, match.end()):
                return _kilograms(match)
    return None


def _kilograms(match: re.Match[str]) -> Decimal:
    value = Decimal(match["num"]) * _TO_KG[match["unit"]]
    return value.quantize(_KG_PLACES).normalize() if value != value.to_integral_value() else value.normalize()
