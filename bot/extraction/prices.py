"""Unit prices and the quantities they apply to.

A tier's lower bound is what the reply states: "N以上", "≥N", "N+", "N起", "a-b", "N个" next to a price. A tier
with an open lower bound ("100以下", "under 100") and a price with no quantity start at the minimum order quantity
when the reply gives one, else at 1; "> N" starts at N+1. The upper bound is the stated one ("a-b",
"N以下" -> N, "under N" -> N-1), else the next tier's start minus one ("100个以上 12元，500个以上 11元" is 100-499 at
¥12). Tiers are sorted by lower bound, then price. A price per pack (每箱380元, 每打60元) is turned into a price per
piece when the reply says what the pack holds; a currency named anywhere in the clause (价格美金1.2一个) is the
price's; an offer the supplier refuses (500个22元做不了) is no tier. Tier blocks copied off a 1688 offer page, in its
desktop (a row of ranges over a row of prices) and phone (a price, then its range, line by line) layouts, pair
by position.

Shipping, sample, tooling, deposit, tax and total amounts are not unit prices; neither are original or retail prices
(原价, 零售价) or a minimum order value (300元起批). A range priced 面议 (negotiable) is no tier. When a reply gives a
price with and without tax (含税/不含税), the price without tax is the unit price.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from decimal import Decimal

from bot.extraction.quantities import pieces_per_container
from bot.extraction.result import Moq, PriceTier
from bot.extraction.text import (
    CN_UNIT,
    CONTAINER,
    CURRENCY_AFTER,
    CURRENCY_BEFORE,
    FRESH_NUM,
    FRESH_QUANTITY,
    NUM,
    TIME_UNIT,
    UNIT,
    Clause,
    Prepared,
    currency_code,
    unit_name,
)

_PRICE_WORD = (
    r"(?:单价|价格|价钱|报价|批发价|出厂价|拿货价|大货价|售价|现价|特价|优惠价|活动价|折后价?|到手价|一口价|裸价"
    r"|不?含税价?格?|不开票价?|未税价?|unit\s*price|price|cost)"
)
_PACK_WORD = r"(?P<pack>箱|包|盒|袋|打|提|扎|套|组|板|卡|卷|手|ctns?|cartons?|boxe?s?|packs?|bags?|dozens?|sets?|rolls?)"
_NOT_A_PRICE_AFTER = rf"(?!\s*(?:{UNIT}|{TIME_UNIT}|%|倍|折|[-~]\s*\d))"
_PRICES = (
    re.compile(rf"(?P<cur>{CURRENCY_BEFORE})\s*(?P<num>{NUM})(?:\s*(?:{CURRENCY_AFTER}))?"),
    re.compile(rf"(?P<num>{FRESH_NUM})\s*(?P<cur>{CURRENCY_AFTER})"),
    re.compile(
        rf"{_PRICE_WORD}\s*(?:(?:还|也|都)?是|为|:|：|is|of|大概|约|at)?\s*(?<![\d.])(?P<num>{NUM})(?![\d.]){_NOT_A_PRICE_AFTER}",
    ),
    re.compile(
        rf"(?P<num>{FRESH_NUM})\s*(?:/\s*(?!箱|ctn|carton){UNIT}|一(?!箱){CN_UNIT}|每(?!箱){CN_UNIT}|each"
        r"|per\s+(?:piece|pc|unit|set|pair|item))",
    ),
    re.compile(rf"(?P<num>{FRESH_NUM})\s*(?:for|@)\s*\d"),
    re.compile(
        rf"(?:每|一)(?!箱){CN_UNIT}\s*(?:是|为|:|：)?\s*(?<![\d.])(?P<num>{NUM})(?![\d.]){_NOT_A_PRICE_AFTER}",
    ),
    re.compile(rf"@\s*(?P<num>{NUM})"),
    re.compile(
        rf"(?:做到|算你|给你|给到|只要|只需|最低(?:也)?(?:要|是|价|只能)?|最多(?:能)?给到?)\s*(?P<num>{FRESH_NUM})(?![\d.])"
        rf"{_NOT_A_PRICE_AFTER}"
    ),
    # "380一箱", "9块一包": a price per pack, made a price per piece below
    re.compile(rf"(?P<num>{FRESH_NUM})\s*(?:元|块)?\s*(?:/|一|每)\s*{_PACK_WORD}(?![a-z])"),
    re.compile(rf"(?:每|一|1)\s*{_PACK_WORD}\s*(?:的)?\s*(?:价格|价钱|单价|拿货价|卖)?\s*(?:是|为|:|：)?\s*(?P<num>{FRESH_NUM})(?![\d.])"
               rf"{_NOT_A_PRICE_AFTER}"),
)
_EXCLUDED_BEFORE = re.compile(
    r"(?<![含包])运费|邮费|快递|物流|首重|续重|(?<![这一怎同那])样(?![式子])|模具|开模|模费|版费|定金|订金|预付|押金|保证金"
    r"|开票|发票|税费|税点|总价|总共|一共|合计|总计|总额|金额|货款|满|包装费|印刷|logo费|加(?!急)|补|差价|原价|市场价"
    r"|零售价|吊牌价|标价|建议零售|消费|(?<!不)减|便宜|降价|优惠(?!价)|返现|discount|\boff\b|shipping|freight|postage"
    r"|courier|express|sample|mou?ld|tooling|deposit|tax|vat|invoice|total|retail|rrp|original|minimum\s+order"
    r"|order\s+value|order\s+amount|min\.?\s+order|mov\b|value|\bfees?\b|set-?up|one[\s-]time"
    r"|\btel\b|phone|电话|手机|whatsapp|\bmob(?:ile)?\b|\bfax\b",
)
_EXCLUDED_AFTER = re.compile(
    r"\s*(?:的)?\s*(?:运费|邮费|快递费|起批|起订|起混|混批|起发|起拿|起购|定金|订金|押金|模具费|开模费|样品费|打样费"
    r"|shipping|freight|deposit|minimum)",
)
_SHIPPING_ASIDE = re.compile(r".{0,4}(?:运费|邮费|快递费)\S{0,3}(?:另算|另付|另计|到付|自理|自付|承担)\S{0,3}")
_MINIMUM_WORD = re.compile(r"起批|起订|起拿|起购|moq|minimum|min\.?\s*order")
_TAXED = re.compile(r"(?<!不)含税|带票|税后|开票价|with\s+tax|incl\.?\s*(?:vat|tax)")
_UNTAXED = re.compile(r"不含税|未税|税前|不开票|不带票|without\s+tax|excl\.?\s*(?:vat|tax)")
_REFUSED = re.compile(
    r"做不了|做不到|不行|没办法|没法做|达不到|接不了|不能做|不接受|亏本|亏钱|cannot\s+do|can't\s+do|not\s+possible"
    r"|impossible|too\s+low|can't\s+accept|cannot\s+accept",
)
_CURRENCY_WORD = re.compile(
    r"美金|美元|(?<![\u4e00-\u9fff])刀(?![片具])|(?<=\d)刀|港币|港元|欧元|英镑|us\$|usd|hkd|eur(?:o|os)?\b|gbp"
)
_YUAN = re.compile(r"元|块|¥|￥")
_PACK_BEFORE = re.compile(
    rf"(?:(?:每|一|1|per|a|each)\s*{_PACK_WORD}|{_PACK_WORD.replace('?P<pack>', '?P<pack2>')}\s*装?)\s*(?:的)?\s*(?:[^\d\s，,]{{0,3}}价格?|单价|卖)?"
    rf"\s*(?:是|为|:|：)?\s*(?:{CURRENCY_BEFORE})?\s*$"
)
_PACK_AFTER = re.compile(rf"\s*(?:{CURRENCY_AFTER})?\s*(?:/|一|每|per|a)\s*{_PACK_WORD}(?![a-z])")
# "per pack of 50pcs", "/set (4 pcs/set)": what the pack holds, said right after it
_PACK_HOLDS = re.compile(rf"\s*(?:of|[(（])\s*(?P<n>{NUM})\s*{UNIT}")
_PER_PIECE_PLACES = Decimal("0.0001")
_PACK_UNIT = re.compile(_PACK_WORD.replace("?P<pack>", "?:"))
_NEGOTIABLE = re.compile(r"面议|另议|议价|商议|详谈|negotiable|tbd")
_PRICE_TOPIC = re.compile(rf"{_PRICE_WORD}|{CURRENCY_BEFORE}")
_FOREIGN = r"(?:美金|美元|欧元|港币|港元|英镑|usd|eur|hkd|gbp|us\s*dollars|euros?)"
# A currency the whole reply is quoted in: "美金报价", "我们报价都是美金的", "Price list (USD/set)", "欧元的话".
_DOCUMENT_CURRENCY = re.compile(
    rf"{_FOREIGN}\s*(?:报价|价格?|的话)|报\S{{0,3}}?{_FOREIGN}|报价\S{{0,4}}?{_FOREIGN}|price\s+in\s+{_FOREIGN}|{_FOREIGN}\s+price"
    r"|(?:price|单价|价格)[^\n\d]{0,12}\(\s*(?:usd|us\$|\$|eur|hkd)"
)
_DOCUMENT_CURRENCY_WORD = re.compile(r"美金|美元|欧元|港币|港元|英镑|usd|eur|hkd|gbp|dollars|euro|\$")

_NOT_QUANTITY_BEFORE = re.compile(
    r"(?:(?:每|一|(?<![\d.≥>=~-])1|per|each|a|整)\s*(?:箱|件|包|盒|袋|手|套|组|打|板|卡|卷|扎|提|ctns?|cartons?|boxe?s?|sets?|dozens?|packs?)"
    r"\s*(?:是|有|装|为|=|:|：|里面|内装|共|含|包含|contains?|has|of)?"
    r"|箱规|每|库存|只有|剩|现货|销量|月销|已售|产能|日产|月产|装|有|重|重量|毛重|净重|大概|sold|stock|capacity|gross|net|weight"
    r"|weighs)\s*$",
)
_NOT_QUANTITY_AFTER = re.compile(
    r"\s*(?:/|一|1|每|per|a)\s*(?:箱|ctn|carton|包|盒|袋|打|板|卡|卷|扎|提|packs?|boxe?s?|bags?|sets?)(?![a-z])"
    r"|\s*(?:ready|available|现货|库存)|\s*装|\s*in\s+(?:stock|warehouse)|\s*(?:库存|现货)"
)
# How a quantity is bounded, in order of preference where two readings start at the same place.
_QUANTITY_FORMS = {
    "range": rf"(?P<range_a>{FRESH_QUANTITY})\s*(?:{UNIT})?\s*(?:-|~|到|至)\s*(?P<range_b>{NUM})\s*(?P<range_unit>{UNIT})?"
    rf"(?!\s*(?:{TIME_UNIT}|{CURRENCY_AFTER}|%)|\.\d|\d)",
    "at_least": rf"(?:≥|>=|大于等于|不少于|不低于|满|at\s+least)\s*(?P<at_least_a>{NUM})\s*(?P<at_least_unit>{UNIT})?",
    "more_than": rf"(?:>|大于|超过|多于|over|more\s+than)\s*(?P<more_than_a>{NUM})\s*(?P<more_than_unit>{UNIT})?",
    "and_above": rf"(?P<and_above_a>{FRESH_QUANTITY})\s*(?P<and_above_unit>{UNIT})?\s*"
    r"(?:及以上|或以上|以上|起|\+|and\s+(?:above|up|more)|or\s+(?:more|above)|above|plus)",
    "up_to": rf"(?P<up_to_b>{FRESH_QUANTITY})\s*(?P<up_to_unit>{UNIT})?\s*(?:及以下|以下|以内|之内)",
    "at_most": rf"(?:≤|<=|最多|up\s+to)\s*(?P<at_most_b>{NUM})",
    "less_than": rf"(?:<|小于|少于|不到|不满|below|under|less\s+than)\s*(?P<less_than_b>{NUM})",
    "at": rf"(?P<at_a>{FRESH_QUANTITY})\s*(?P<at_unit>{UNIT})",
}
_QUANTITY = re.compile("|".join(f"(?P<{form}>{pattern})" for form, pattern in _QUANTITY_FORMS.items()))
_DIGIT = re.compile(r"\d")
_CURRENCY_JUST_BEFORE = re.compile(rf"{CURRENCY_BEFORE}\s*$")
_CARTON = re.compile(r"箱|托|柜|ctns?|cartons?|pallets?")
_PACK = re.compile(rf"{CONTAINER}|套|组|sets?|dozens?")
_COUNT_AFTER = re.compile(rf"\s*(?:是|有|装|为|=|:|：)?\s*{NUM}\s*{UNIT}")
_BARE_PRICE_AFTER = re.compile(
    rf"(?:\s*(?:{UNIT})(?![\w]))?\s*[:：|]?\s*(?P<num>{NUM})(?![\d.])(?!\s*(?:{UNIT}|{TIME_UNIT}|%|倍|折|[-~]))(?=\s|元|[)）】\]|]|$)",
)


@dataclass(frozen=True)
class _Price:
    start: int
    end: int
    value: Decimal
    currency: str | None
    taxed: bool


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    low: Decimal | None  # None: open lower bound
    high: Decimal | None
    unit: str | None


@dataclass(frozen=True)
class PriceReading:
    tiers: tuple[PriceTier, ...]
    page_minimum: Moq | None  # a 1688 page's tier block starts at the minimum order



@dataclass(frozen=True)
class _Reading:
    clause: Clause
    spans: list[_Span]
    prices: list[_Price]
    refused: bool = False  # the clause is an offer the supplier turned down


def read_prices(prepared: Prepared, moq: Moq | None) -> PriceReading:
    floor = moq.quantity if moq and moq.quantity == moq.quantity.to_integral_value() else Decimal(1)
    readings = _readings(prepared, moq.unit if moq else None)
    paired = _page_block_pairs(readings)
    page_minimum = None
    if paired:
        first = min((span for _, span in paired if span and span.low is not None), key=lambda span: span.low or 0)
        page_minimum = Moq(first.low, unit_name(first.unit)) if first.low is not None else None
    in_block = {id(price) for price, _ in paired}
    previous: _Reading | None = None
    for reading in readings:
        if reading.prices and id(reading.prices[0]) not in in_block:
            pairs = _pair(reading.prices, reading.spans)
            if previous and not reading.spans and _can_lend_spans(previous, reading.clause):
                lender = previous.spans[-1]
                pairs = [(price, span or lender) for price, span in pairs]
            paired.extend(pairs)
        previous = reading
    if any(not price.taxed for price, _ in paired):
        paired = [(price, span) for price, span in paired if not price.taxed]
    quoted_in = _DOCUMENT_CURRENCY.search(prepared.text)
    named = _DOCUMENT_CURRENCY_WORD.search(quoted_in.group()) if quoted_in else None
    default_currency = currency_code(named.group()) if named else "CNY"
    currencies = _fill_currencies([price for price, _ in paired], default_currency)
    tiers = {_tier(price, span, floor, currency) for (price, span), currency in zip(paired, currencies)}
    return PriceReading(_bounded(sorted(tiers, key=lambda tier: (tier.min_qty, tier.unit_price))), page_minimum)


def _readings(prepared: Prepared, sold_by: str | None) -> list[_Reading]:
    """Each clause's quantities and unit prices, fees and refused offers left out."""
    readings: list[_Reading] = []
    previous: Clause | None = None
    about_fees = False  # "样品可以寄，但是要收费，一个50块": a clause with no topic of its own continues its sentence's
    taxed_line = False  # "含税价格：50台起 89元，200台起 85元": a line's heading covers all its prices
    for clause in prepared.clauses:
        if previous is None or previous.sentence != clause.sentence:
            about_fees = False
            taxed_line = bool(_TAXED.search(_DIGIT.split(clause.text, 1)[0]))
        if _EXCLUDED_BEFORE.search(clause.text) and not _SHIPPING_ASIDE.fullmatch(clause.text):
            about_fees = True
        elif _PRICE_TOPIC.search(clause.text):
            about_fees = False
        elif clause.context and not _PRICE_TOPIC.search(clause.context) and _EXCLUDED_BEFORE.search(clause.context):
            about_fees = True  # "样品费多少？" - "50元"
        previous = clause
        if not _DIGIT.search(clause.text):
            readings.append(_Reading(clause, [], []))
            continue
        spans = _quantity_spans(clause.text, prepared.text, sold_by)
        priced = not (about_fees and not spans and not _EXCLUDED_BEFORE.search(clause.text))
        prices = _prices(clause, prepared, sold_by) if priced else []
        if taxed_line and not _UNTAXED.search(clause.text):
            prices = [dataclasses.replace(price, taxed=True) for price in prices]
        if spans and not _NEGOTIABLE.search(clause.text):
            prices = _with_bare_prices(clause.text, spans, prices)
        if prices and _REFUSED.search(clause.text):
            # "500个22元做不了": the price asked for, refused; its quantity goes to the next price
            readings.append(_Reading(clause, spans, [], refused=True))
            continue
        readings.append(_Reading(clause, spans, prices))
    return readings


def _page_block_pairs(readings: list[_Reading]) -> list[tuple[_Price, _Span | None]]:
    """Price tiers copied off a 1688 offer page. The desktop page has a row of quantity ranges and a row of
    prices: each price belongs to the range in its position. The phone page puts each price on a line of its own
    with its range on the next line (or the range first, in some copies)."""
    lines = [reading for reading in readings if reading.spans or reading.prices]
    for line, other in zip(lines, lines[1:]):
        if other.clause.sentence == line.clause.sentence:
            continue
        for row_of_spans, row_of_prices in ((line, other), (other, line)):
            spans, prices = row_of_spans.spans, row_of_prices.prices
            if len(spans) >= 2 and len(spans) == len(prices) and not row_of_spans.prices and not row_of_prices.spans:
                return list(zip(prices, spans))
    # A line is a lone price ("p"), a lone range ("s") or neither; the first pair found sets which comes first.
    kinds = [_line_kind(line) for line in lines]
    pairs: list[tuple[_Price, _Span | None]] = []
    leading = ""
    index = 0
    while index + 1 < len(lines):
        first, second = kinds[index], kinds[index + 1]
        apart = lines[index].clause.sentence != lines[index + 1].clause.sentence
        if first and second and first != second and apart and first == (leading or first):
            leading = first
            price_line, span_line = (lines[index], lines[index + 1]) if first == "p" else (lines[index + 1], lines[index])
            pairs.append((price_line.prices[0], span_line.spans[0]))
            index += 2
            continue
        index += 1
    return pairs if len(pairs) >= 2 else []


def _line_kind(line: _Reading) -> str:
    if len(line.prices) == 1 and not line.spans:
        return "p"
    if len(line.spans) == 1 and not line.prices:
        return "s"
    return ""


def _bounded(tiers: list[PriceTier]) -> tuple[PriceTier, ...]:
    """A tier ends where the next tier (in the same currency) starts: "100个以上12元，500个以上11元" is 100 to 499 at
    ¥12, and "100个以下4.5，100-499个4.2" is 1 to 99 at 4.5."""
    bounded: list[PriceTier] = []
    for index, tier in enumerate(tiers):
        later = [other.min_qty for other in tiers[index + 1 :] if other.currency == tier.currency]
        next_start = next((start for start in later if start > tier.min_qty), None)
        ends_later = tier.max_qty is None or (next_start is not None and tier.max_qty >= next_start)
        if ends_later and next_start is not None and all(start > tier.min_qty for start in later):
            tier = dataclasses.replace(tier, max_qty=next_start - 1)
        if tier not in bounded:
            bounded.append(tier)
    return tuple(bounded)


def _can_lend_spans(previous: _Reading, clause: Clause) -> bool:
    # "总价3600元，300个，单价12": a clause that is only a quantity gives it to a lone price right after it.
    previous_clause, spans = previous.clause, previous.spans
    if not spans or previous.prices or previous_clause.sentence != clause.sentence:
        return False
    if previous.refused:
        return True
    if _NEGOTIABLE.search(previous_clause.text):
        return False
    text = previous_clause.text
    starts = [span.start for span in spans] + [len(text)]
    ends = [0] + [span.end for span in spans]
    return not any(_DIGIT.search(text, end, start) for end, start in zip(ends, starts))


def _prices(clause: Clause, prepared: Prepared, sold_by: str | None) -> list[_Price]:
    text = clause.text
    stated = _CURRENCY_WORD.search(text)  # "价格美金1.2一个": the currency may stand anywhere in the clause
    clause_currency = currency_code(stated.group()) if stated else None
    taken: set[int] = set()  # positions of numbers already read, by an earlier (preferred) pattern
    found: list[_Price] = []
    for pattern in _PRICES:
        for match in pattern.finditer(text):
            start, end = match.span("num")
            if not taken.isdisjoint(range(start, end)):
                continue
            taken.update(range(start, end))
            lead = _lead(text, start)
            if _EXCLUDED_BEFORE.search(lead) or _EXCLUDED_AFTER.match(text, match.end()):
                continue
            if _MINIMUM_WORD.search(lead) and not _DIGIT.search(text, 0, start):
                continue  # "起批：¥300" is an order value; "2件起批 ¥45" is a tier
            marker = match.groupdict().get("cur")
            currency = currency_code(marker) if marker and not _YUAN.fullmatch(marker) else clause_currency
            currency = currency or (currency_code(marker) if marker else None)
            taxed = bool(_TAXED.search(lead) or _TAXED.search(_trail(text, match.end())))
            value = Decimal(match["num"])
            pieces = _pieces_in_pack(text, start, match.end(), prepared.text, sold_by)
            if pieces:
                value = (value / pieces).quantize(_PER_PIECE_PLACES).normalize()
            found.append(_Price(start, end, value, currency, taxed))
    return sorted(found, key=lambda price: price.start)


def _pieces_in_pack(text: str, start: int, end: int, reply: str, sold_by: str | None) -> Decimal | None:
    """How many pieces a price is for, when it is the price of a pack: "每箱380元" with "一箱200个", "每打60元"
    (a dozen is 12), "15元一包" with "一包10个". None for a price per piece, a pack of unknown size, or a pack
    the product is sold by (起订30套: the set is the unit)."""
    before = _PACK_BEFORE.search(text, max(0, start - 12), start)
    pack = (before["pack"] or before["pack2"]) if before else None
    after = _PACK_AFTER.match(text, end) if pack is None else None
    if after:
        pack = after["pack"]
    inline = _PACK_HOLDS.match(text, after.end()) if after else None
    if inline and pack is not None and not (sold_by is not None and unit_name(pack) == sold_by):
        return Decimal(inline["n"])
    return _pack_size(pack, reply, sold_by)


def _lead(text: str, start: int) -> str:
    """The words before a number, back to the previous number (at most 40 characters): what the number is about."""
    before = text[max(0, start - 40) : start]
    last_digit = max(before.rfind(digit) for digit in "0123456789")
    return before[last_digit + 1 :]


def _trail(text: str, end: int) -> str:
    """The words after a price, up to the next number: "¥15.80（含税13%）"."""
    following = _DIGIT.search(text, end, end + 40)
    return text[end : following.start()] if following else text[end : end + 40]


def _with_bare_prices(text: str, spans: list[_Span], prices: list[_Price]) -> list[_Price]:
    """Add numbers written right after a quantity with no currency: "500以内 3.2", "10个 8.5", "100个以上25"."""
    found = list(prices)
    taken = {position for price in prices for position in range(price.start, price.end)}
    for span in spans:
        match = _BARE_PRICE_AFTER.match(text, span.end)
        if not match or _EXCLUDED_BEFORE.search(text, max(0, span.start - 40), span.start):
            continue
        start, end = match.span("num")
        if taken.isdisjoint(range(start, end)):
            found.append(_Price(start, end, Decimal(match["num"]), None, False))
    return sorted(found, key=lambda price: price.start)


def _quantity_spans(text: str, reply: str, sold_by: str | None) -> list[_Span]:
    spans: list[_Span] = []
    for match in _QUANTITY.finditer(text):
        form = match.lastgroup or ""
        start, end = match.span()
        unit = match.groupdict().get(f"{form}_unit")
        if _is_price_or_count(text, start, end) or _in_cartons(unit) or _holds_count(text, end, unit):
            continue
        low, high = _bounds(form, match)
        pieces = _pack_size(unit, reply, sold_by)
        if pieces and form == "at" and low == 1:
            continue  # "一包35块": the pack a price is for, not a quantity
        if pieces:  # "满10包以上" with 100 a pack: from 1,000 pieces
            low, high = (None if low is None else low * pieces), (None if high is None else (high + 1) * pieces - 1)
        spans.append(_Span(start, end, low, high, unit))
    return spans


def _pack_size(unit: str | None, reply: str, sold_by: str | None) -> Decimal | None:
    """Pieces in one `unit` when it is a pack the reply sizes (一包100张) and not what the product is sold by."""
    if unit is None or not _PACK_UNIT.fullmatch(unit):
        return None
    if unit in ("打", "dozen", "dozens"):
        return Decimal(12)
    if sold_by is not None and unit_name(unit) == sold_by:
        return None
    held = pieces_per_container(unit, reply)
    return held[0] if held else None


def _bounds(form: str, match: re.Match[str]) -> tuple[Decimal | None, Decimal | None]:
    """Lower and upper bound: "> 500" starts at 501, "under 100" ends at 99, "500以上" and "100以下" include it."""
    if form == "range":
        return Decimal(match["range_a"]), Decimal(match["range_b"])
    if form in ("at_least", "and_above", "at"):
        return Decimal(match[f"{form}_a"]), None
    if form == "more_than":
        return Decimal(match["more_than_a"]) + 1, None
    if form == "less_than":
        return None, Decimal(match["less_than_b"]) - 1
    return None, Decimal(match[f"{form}_b"])


def _is_price_or_count(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 16) : start]
    return bool(
        _CURRENCY_JUST_BEFORE.search(before)
        or _NOT_QUANTITY_BEFORE.search(before)
        or _NOT_QUANTITY_AFTER.match(text, end)
    )


def _in_cartons(unit: str | None) -> bool:
    # "1箱起批" is a minimum in cartons, not the quantity a unit price applies to.
    return unit is not None and _CARTON.fullmatch(unit) is not None


def _holds_count(text: str, end: int, unit: str | None) -> bool:
    # "一手4件", "一箱是36个", "1 set = 4 pcs": a pack and what it holds, not a quantity to price.
    return bool(unit and _PACK.fullmatch(unit) and _COUNT_AFTER.match(text, end))


def _pair(prices: list[_Price], spans: list[_Span]) -> list[tuple[_Price, _Span | None]]:
    """Each price with its quantity. Rows read "qty price" or "price qty"; whichever pairs more prices wins."""
    if not prices:
        return []
    if not spans:
        return [(price, None) for price in prices]
    quantity_first = _pair_in_order(prices, spans, quantity_first=True)
    price_first = _pair_in_order(prices, spans, quantity_first=False)
    return quantity_first if _paired_count(quantity_first) >= _paired_count(price_first) else price_first


def _paired_count(pairs: list[tuple[_Price, _Span | None]]) -> int:
    return sum(span is not None for _, span in pairs)


def _pair_in_order(prices: list[_Price], spans: list[_Span], quantity_first: bool) -> list[tuple[_Price, _Span | None]]:
    """Quantity first: each price takes the latest unused quantity before it. Price first: the next one after it."""
    pairs: list[tuple[_Price, _Span | None]] = []
    next_span = 0
    if quantity_first:
        waiting: list[_Span] = []
        for price in prices:
            while next_span < len(spans) and spans[next_span].end <= price.start:
                waiting.append(spans[next_span])
                next_span += 1
            pairs.append((price, waiting.pop() if waiting else None))
        return pairs
    for price in prices:
        while next_span < len(spans) and spans[next_span].start < price.end:
            next_span += 1
        chosen = spans[next_span] if next_span < len(spans) else None
        if chosen:
            next_span += 1
        pairs.append((price, chosen))
    return pairs


def _fill_currencies(prices: list[_Price], default: str) -> list[str]:
    """A price without a currency takes the nearest stated one before it, else after it, else the default."""
    result: list[str] = []
    last_stated: str | None = None
    for price in prices:
        last_stated = price.currency or last_stated
        result.append(price.currency or last_stated or "")
    upcoming: str | None = None
    for index in reversed(range(len(prices))):
        upcoming = prices[index].currency or upcoming
        if not result[index]:
            result[index] = upcoming or default
    return result


def _tier(price: _Price, span: _Span | None, floor: Decimal, currency: str) -> PriceTier:
    low = span.low if span and span.low is not None else floor
    high = span.high if span else None
    return PriceTier(
        min_qty=int(low),
        max_qty=None if high is None else int(high),
        unit_price=price.value,
        currency=currency,
    )
