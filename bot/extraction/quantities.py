"""The minimum order: a quantity (起订量 500个, MOQ 1000pcs, 2箱起) or a value (满300元起批).

Which statement wins when a reply makes several: a total for a mixed batch (混批总量, 总数100件起) over everything;
then an explicit minimum (起订量, MOQ, 100个起批, 最少10个); then one per style (每款10件); then a bare "N起" (the first
one: in "50个起 ¥7 / 200个起 ¥6.5" the later ones are price tiers); then "1个也可以"; then "no MOQ" (1, no unit).
A minimum in cartons or packs is converted to pieces when the reply says how many a carton holds.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal

from bot.extraction.result import Money, Moq
from bot.extraction.text import (
    CONTAINER,
    CURRENCY_AFTER,
    CURRENCY_BEFORE,
    FRESH_NUM,
    FRESH_QUANTITY,
    NUM,
    STYLE_UNIT,
    TIME_UNIT,
    UNIT,
    Clause,
    Prepared,
    currency_code,
    unit_name,
)

_WEAK_MOQ_WORD = r"(?:最少|最低|至少|起码|不低于|不少于|at\s+least)"
_MOQ_WORD = (
    r"(?:(?:最小|最低|最少)?起(?:订|批|购)(?:量|数量?)?|(?:最小|最低|最少)?(?:订购|订货)量|起拍|起售|起做|moq|m\.o\.q\.?"
    r"|min(?:imum)?\.?\s*order(?:\s*(?:qty|quantity))?|minimum\s*(?:qty|quantity)|minimum(?=\s+(?:of\s+)?\d)|"
    + _WEAK_MOQ_WORD
    + ")"
)
_LINK = r"(?:\s*(?:是|为|要|得|需要|也要|订|拿|买|做|要求|的话|is|of|:|：|\(|（|\[|【)\s*)*"
_QUANTITY = rf"(?P<num>{NUM})(?:\s*[-~]\s*{NUM})?\s*(?P<unit>{UNIT}|{STYLE_UNIT})?"
# Between the word and the number a few words may stand: "the MOQ for custom logo is 300", "起订量的话我们是500个".
_GAP = r"(?:[^\d,，。;；!?！？$¥￥\n]{0,20}?)"
_MOQ_BEFORE = re.compile(
    rf"(?P<word>{_MOQ_WORD})\s*{_LINK}{_GAP}{_LINK}\s*(?P<cur>{CURRENCY_BEFORE})?\s*{_QUANTITY}"
    rf"(?P<after>\s*(?:{CURRENCY_AFTER}|{TIME_UNIT}|%|倍))?",
)
_MOQ_AFTER = re.compile(
    rf"(?P<num>{FRESH_QUANTITY})\s*(?P<unit>{UNIT}|{STYLE_UNIT})?\s*"
    r"(?P<word>起订|起批|起拍|起售|起做|起购|起发|起混|起卖|起拿|起步|代发|起(?!价)|minimum(?!\s*order\s*(?:value|amount))"
    r"|moq)",
)
_ALSO_FINE = re.compile(
    rf"(?P<num>{FRESH_NUM})\s*(?P<unit>{UNIT})\s*(?:也可以|也行|也能|也卖|也发|也ok|also\s+ok|is\s+ok|is\s+fine)",
)
# "500pcs/design", "500双/款": a minimum for each style
_PER_STYLE_AFTER = re.compile(rf"(?P<num>{FRESH_NUM})\s*(?P<unit>{UNIT})\s*/\s*(?:{STYLE_UNIT})")
_NO_MOQ = re.compile(
    r"(?:没有|无|不限|不设)(?:起订|起批|最低起订|最低数量|最小数量|最低量|数量限制)|(?:起订量?|起批量?)\s*(?:不限|没有要求|无要求)|不限量"
    r"|no\s+moq|no\s+minimum(?:\s+order)?(?!\s*(?:value|amount))|without\s+moq",
)
_PRICE_JUST_BEFORE = re.compile(rf"(?:价格|单价|价|price|{CURRENCY_BEFORE})\s*[:：]?\s*$")
_TOTAL = re.compile(r"混批|总数|总量|合计|总共|一共|total|mixed|in\s+all")
_PER_STYLE = re.compile(
    r"每款|每色|单款|单色|每个款|每个颜色|每种|per\s+(?:style|colou?r|design|model)|each\s+(?:style|colou?r)",
)
_FOR_CUSTOMISING = re.compile(r"logo|印|刻|贴牌|定制的话|定制款?\S{0,2}起|oem|odm|custom")
_TABLE_FIRST_ROW = re.compile(
    rf"^\s*(?:[【\[(（]\s*)?(?:≥|>=|大于等于)?\s*(?P<num>{NUM})\s*(?:-\s*{NUM}\s*)?(?P<unit>{UNIT})?"
    r"\s*(?:以上|及以上|起|\+|[】\])）:：]|\s)",
)

_FIRST_QUANTITY = re.compile(rf"(?P<num>{FRESH_NUM})\s*(?P<unit>{UNIT})(?!\s*(?:{CURRENCY_AFTER}|{TIME_UNIT}|%))")
_MONEY = rf"(?P<cur1>{CURRENCY_BEFORE})?\s*(?<![\d.])(?P<num>{NUM})\s*(?P<cur2>{CURRENCY_AFTER})?"
_DIGIT = re.compile(r"\d")
_WEAK_WORD = re.compile(_WEAK_MOQ_WORD)
_ANY_MOQ_WORD = re.compile(_MOQ_WORD)
_STYLE = re.compile(STYLE_UNIT)
_CONTAINER = re.compile(CONTAINER)
_ANSWER_QUANTITY = re.compile(rf"(?P<num>{FRESH_NUM})(?![\d.])\s*(?P<unit>{UNIT})?(?!\s*(?:{CURRENCY_AFTER}|{TIME_UNIT}|%))")
_QUANTITY_JUST_BEFORE = re.compile(rf"{NUM}\s*(?:{UNIT})?\s*$")
# (pattern, whether the amount must carry a currency to be money rather than pieces)
_MOV_SOURCES = (
    (
        re.compile(rf"满\s*{_MONEY}\s*(?:才|可以|即可|就)?\s*(?:起批|起订|起发|起混|混批|发货|拿货|批发)"),
        False,
    ),
    (re.compile(rf"{_MONEY}\s*(?:起批|起订|起混|混批|起拿|起购|起采)"), True),
    (re.compile(rf"满\s*{_MONEY}\s*起(?![订批发混])"), True),  # 混批满500元起
    (re.compile(rf"(?:起批|起订|起拿|起购|moq)(?:量|额)?{_LINK}\s*{_MONEY}"), True),
    (
        re.compile(
            r"(?:起批金额|起订金额|最低订单金额|最低起批金额|最低消费|起批额|最低金额|订单金额不低于"
            rf"|minimum\s+order\s+(?:value|amount)|min\.?\s*order\s+(?:value|amount)|mov){_LINK}\s*{_MONEY}",
        ),
        False,
    ),
)


@dataclass(frozen=True)
class _Candidate:
    rank: int
    position: int
    quantity: Decimal
    unit: str | None


def find_moq(prepared: Prepared) -> Moq | None:
    candidates: list[_Candidate] = []
    offset = 0
    for index, clause in enumerate(prepared.clauses):
        candidates.extend(_clause_candidates(clause, offset, prepared.clauses[index + 1 :]))
        offset += len(clause.text) + 1
    if not candidates:
        return Moq(Decimal(1), None) if _NO_MOQ.search(prepared.text) else None
    best = min(candidates, key=lambda candidate: (candidate.rank, candidate.position))
    return _in_pieces(best.quantity, best.unit, prepared.text)


def _clause_candidates(clause: Clause, offset: int, following: tuple[Clause, ...]) -> list[_Candidate]:
    text = clause.text
    if not _DIGIT.search(text):
        return _heading_candidates(clause, offset, following)
    found: list[_Candidate] = []
    total = bool(_TOTAL.search(text))
    per_style = bool(_PER_STYLE.search(text))
    # "logo 300个起", "贴牌2000个起": the minimum for custom work is the OEM minimum, unless called the MOQ
    customising = _FOR_CUSTOMISING.search(text) is not None
    for match in _MOQ_BEFORE.finditer(text):
        if match["after"] or match["cur"] or _is_style(match["unit"]):
            continue
        if not match["unit"] and "." in match["num"]:
            continue  # "最低16.8": a price
        weak = _WEAK_WORD.fullmatch(match["word"]) is not None
        if weak and customising:
            continue
        found.append(_candidate(match, offset, _rank(total, per_style, 1 if not weak else 2)))
    for match in _MOQ_AFTER.finditer(text):
        if customising or _is_style(match["unit"]) or (
            not match["unit"] and _PRICE_JUST_BEFORE.search(text, max(0, match.start() - 12), match.start())
        ):
            continue
        word = match["word"]
        if word == "代发" and Decimal(match["num"]) != 1:
            continue
        found.append(_candidate(match, offset, _rank(total, per_style, 3 if word == "起" else 1)))
    for match in _PER_STYLE_AFTER.finditer(text):
        found.append(_candidate(match, offset, 4))
    for match in _ALSO_FINE.finditer(text):
        found.append(_candidate(match, offset, 5))
    if not found and _ANY_MOQ_WORD.search(clause.context):
        found.extend(_answer_candidates(text, offset))
    return found


def _heading_candidates(clause: Clause, offset: int, following: tuple[Clause, ...]) -> list[_Candidate]:
    # A table heading such as "起批量 价格", or "起订量：" on its own line: the next line's first quantity.
    if not _ANY_MOQ_WORD.search(clause.text) or _NO_MOQ.search(clause.text):
        return []
    next_line = next((other for other in following if other.sentence != clause.sentence), None)
    return _first_row_candidate(next_line, offset + len(clause.text) + 1) if next_line else []


def _rank(total: bool, per_style: bool, base: int) -> int:
    if total:
        return 0
    return 4 if per_style else base


def _is_style(unit: str | None) -> bool:
    return unit is not None and _STYLE.fullmatch(unit) is not None


def _candidate(match: re.Match[str], offset: int, rank: int) -> _Candidate:
    return _Candidate(rank, offset + match.start(), Decimal(match["num"]), match["unit"])


def _answer_candidates(text: str, offset: int) -> list[_Candidate]:
    # "Q: MOQ?" then "A: 300pcs"
    match = _ANSWER_QUANTITY.search(text)
    return [_candidate(match, offset, 1)] if match else []


def _first_row_candidate(clause: Clause, offset: int) -> list[_Candidate]:
    match = _TABLE_FIRST_ROW.match(clause.text) or _FIRST_QUANTITY.search(clause.text)
    return [_candidate(match, offset, 1)] if match else []


def _in_pieces(quantity: Decimal, unit: str | None, text: str) -> Moq:
    if unit and _CONTAINER.fullmatch(unit):
        per_container = pieces_per_container(unit, text)
        if per_container:
            pieces, piece_unit = per_container
            return Moq(quantity * pieces, unit_name(piece_unit))
    return Moq(quantity, unit_name(unit))


@functools.lru_cache(maxsize=64)  # asked for the same reply by the minimum, each pack price and the carton
def pieces_per_container(container: str, text: str) -> tuple[Decimal, str] | None:
    """How many pieces one container of the reply holds ("一箱50个" -> 50 个), None when the reply does not say."""
    same, patterns = _per_container_patterns(_container_kind(container))
    for pattern in patterns:
        for match in pattern.finditer(text):
            piece_unit = match["u"]
            if same.fullmatch(piece_unit) or unit_name(piece_unit) in ("m", "kg"):
                continue
            return Decimal(match["n"]), piece_unit
    return None


def _container_kind(container: str) -> str:
    name = unit_name(container)
    if name == "carton" or container == "箱":
        return r"(?:箱|ctns?|cartons?)(?![A-Za-z])"
    if name == "box" or container == "盒":
        return r"(?:盒|boxe?s?)(?![A-Za-z])"
    return re.escape(container)


@functools.cache
def _per_container_patterns(same: str) -> tuple[re.Pattern[str], tuple[re.Pattern[str], ...]]:
    """How a reply says what one container holds: "一箱50个", "24 pcs/ctn", "一箱（48个）", "箱规100个"."""
    sources = (
        rf"(?:每|一|1|per|each|a)\s*{same}\s*(?:是|有|装|为|=|:|：|里面|内装|共|大概|大约|约)*\s*(?P<n>{NUM})\s*(?P<u>{UNIT})",
        rf"(?P<n>{FRESH_NUM})\s*(?P<u>{UNIT})\s*装?\s*(?:/|一|1|每|per|a)\s*{same}",
        rf"{same}\s*[（(]\s*(?P<n>{NUM})\s*(?P<u>{UNIT})\s*[)）]",
        rf"(?:箱规|装箱数|装箱量|外箱|{same}\s*(?:qty|quantity|装))\s*[:：]?\s*(?P<n>{NUM})\s*(?P<u>{UNIT})",
        rf"^\s*{same}\s*[:：]\s*(?P<n>{NUM})\s*(?P<u>{UNIT})",
        rf"整{same}\s*(?:是|有|装)?\s*(?P<n>{NUM})\s*(?P<u>{UNIT})",
    )
    return re.compile(same), tuple(re.compile(source) for source in sources)


def find_min_order_value(prepared: Prepared) -> Money | None:
    for clause in prepared.clauses:
        if not _DIGIT.search(clause.text):
            continue
        for pattern, needs_currency in _MOV_SOURCES:
            for match in pattern.finditer(clause.text):
                marker = match["cur1"] or match["cur2"]
                if needs_currency and _QUANTITY_JUST_BEFORE.search(
                    clause.text, max(0, match.start() - 16), match.start()
                ):
                    continue  # "2件起批 ¥45/件": a price tier, not an order value
                if marker or not needs_currency:
                    return Money(Decimal(match["num"]), currency_code(marker) if marker else "CNY")
    return None
