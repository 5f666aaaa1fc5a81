"""The words that show what a clause is about, per field: which clause a fact came from, and which clauses with a
number no reader placed ("not understood", shown to the buyer with their words rather than dropped)."""

from __future__ import annotations

import re
import unicodedata

from bot.extraction.result import ExtractionResult
from bot.extraction.text import Prepared

_TOPICS: dict[str, str] = {
    "moq": r"起订|起批|起拍|起做|起购|起发|起|最少|最低|至少|moq|minimum|min\.? order|一件代发|代发",
    "min_order_value": r"起批|起订|满|元起|minimum order (?:value|amount)|mov",
    "price_tiers": r"价|元|块|¥|￥|\$|美金|美元|刀|港币|欧元|usd|rmb|cny|hkd|eur|price|cost|each|/pc|per piece|@",
    "lead_time_days": r"交期|交货|发货|出货|生产|工作日|天|周|星期|礼拜|个月|小时|lead time|deliver|ship|days?|weeks?|hours?",
    "in_stock": r"现货|库存|有货|没货|缺货|断货|定做|定制|生产|stock|made to order",
    "ships_abroad": r"国外|海外|出口|跨境|国际|国内|abroad|overseas|international|export|worldwide",
    "returns": r"退|换|无理由|return|refund|exchange",
    "sample": r"样|sample",
    "certifications": r"认证|证书|报告|(?<![a-z])(?:ce|rohs|fcc|fda|saa|rcm|ukca|lfgb|iso|bsci|reach|ul|ccc)(?![a-z])|certif",
    "carton": r"箱|装|尺寸|毛重|重|carton|ctn|g\.?w|gross|cm|packing",
    "unit_weight_kg": r"重|克|kg|公斤|weight|grams?|(?<=\d)g(?![a-z])",
    "oem": r"logo|定制|oem|odm|印|模|版费|custom|print|mou?ld",
    "ships_to_forwarder": r"货代|仓库|转运|集运|forwarder|warehouse|agent",
    "free_domestic_shipping": r"包邮|运费|邮费|快递费|shipping|freight",
    "price_includes_tax": r"税|票|tax|vat|invoice",
    "stock_partial": r"现货|库存|stock",
}
_TOPICS["certifications_missing"] = _TOPICS["certifications"]
TOPICS: dict[str, re.Pattern[str]] = {field: re.compile(pattern) for field, pattern in _TOPICS.items()}
_NUMBER = re.compile(r"\d")
# Numbers that are not terms of trade: phone numbers, order numbers, years, dates, times of day.
_NOT_A_TERM = re.compile(r"\d{7,}|(?:19|20)\d\d\s*年|\d+\s*月\s*\d+\s*[日号]|\d+\s*[:：点]\s*\d\d|\d+\s*%")


def about(field: str, text: str) -> bool:
    """Whether `text` speaks of `field`'s subject (the text as written; case and width do not matter)."""
    return topic_hits(field, text) > 0


def topic_hits(field: str, text: str) -> int:
    """How many words of `field`'s subject `text` holds: "48小时发货" speaks of a lead time more than "7天无理由"."""
    pattern = TOPICS.get(field)
    return len(pattern.findall(unicodedata.normalize("NFKC", text).lower())) if pattern else 0


def not_understood(prepared: Prepared, result: ExtractionResult) -> tuple[str, ...]:
    """The clauses holding a number that speak of nothing the reply was found to say: "⑥2.8" with no question to
    tie it to, "300个的话呢" with no price or minimum read from it."""
    found = {fact.field for fact in result.facts()}
    unplaced: list[str] = []
    for clause in prepared.clauses:
        text = clause.text
        if not _NUMBER.search(_NOT_A_TERM.sub("", text)):
            continue
        context = clause.context + text
        if any(TOPICS[field].search(context) for field in found):
            continue
        unplaced.append(prepared.cased_clause(clause))
    return tuple(unplaced)
