"""How many calendar days until the goods leave the supplier.

天 and 工作日 count as days, a week as 7, a month as 30, half a month as 15; hours round up to whole days
(48小时 -> 2, 72h -> 3); 当天/今天 is 0 and 明天/次日 is 1. A range (7-15天, 15~20 days) gives min and max, a
single figure gives only max. The first duration said about shipping or production wins; one said about samples
(打样7天), transit (快递3天到), returns (7天无理由), payment terms or warranty is not a lead time. A duration with
no topic counts when it reads like an answer to "how long": 大概15天左右, about 10 days.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from bot.extraction.result import LeadTime
from bot.extraction.text import FRESH_NUM, TIME_UNIT, Prepared

_DURATION = re.compile(
    rf"(?:(?P<low>{FRESH_NUM})\s*(?:-|~|到|至|或)\s*)?(?P<high>{FRESH_NUM})\s*(?P<halfmonth>个半月)?(?P<unit>{TIME_UNIT})?"
    r"|(?P<half>半个?月)"
    r"|(?P<next_day_at_latest>(?:当天|当日|今天|same\s*day)\s*(?:或者?|到|至|-|~|or)\s*(?:次日|明天|隔天|第二天|next\s*day))"
    r"|(?P<today>当天|当日|今天|今日|same\s*day|today)"
    r"|(?P<tomorrow>明天|次日|隔天|第二天|tomorrow|next\s*day)",
)
_MAY_HOLD_DURATION = re.compile(r"\d|半|当|今|明|次日|隔天|第二天|today|tomorrow|next\s*day|same\s*day")
_TOPIC = re.compile(
    r"发货|发出|发|交期|交货|出货|生产(?!厂|商)|货期|大货|做货|现做|定做|订做|排产|下批货|工期|备货|排单|周期|时效|lead\s*time|processing|ship|dispatch|deliver"
    r"|production|produc|send|ready",
)
_OFF_TOPIC = re.compile(
    r"无理由|退|换|账期|质保|保修|保质期|warranty|guarantee|return|exchange|refund|到货|送达|签收|运输|transit|快递|物流|海运"
    r"|空运|express|courier|dhl|fedex|ups|ems|to\s+your|arriv|已|already|成立|经验",
)
_SAMPLE = re.compile(r"样|sample")
_BULK = re.compile(r"大货|bulk|mass")
_ARRIVES_AFTER = re.compile(r"\s*(?:左右|内|以内|之内)?\s*(?:就|可以|能|会)?\s*(?:到|送达|到达|签收)")
_CAPACITY_AFTER = re.compile(r"\s*(?:能|可以|可)?\s*(?:做|产|生产|出)\s*(?:出)?\s*\d|\s*(?:产能|产量)")
_ROUGHLY_AFTER = re.compile(r"\s*(?:左右|内|以内|之内|上下)")
_ROUGHLY_BEFORE = re.compile(
    r"(?:大概|大约|大致|约|需要|要|等|一般|差不多|about|around|approximately|approx\.?|within|wait)\s*$"
)
_DAYS_PER_UNIT = (
    (re.compile(r"个?(?:小时|钟头)|h|hrs?|hours?"), Decimal(1) / 24),
    (re.compile(r"个?(?:周|星期|礼拜)|weeks?"), Decimal(7)),
    (re.compile(r"个月|months?"), Decimal(30)),
)


def find_lead_time(prepared: Prepared) -> LeadTime | None:
    answer: LeadTime | None = None
    topic_sentence = -1  # "交期：常规款现货，定制款30天": the topic holds to the end of its sentence
    for clause in prepared.clauses:
        if _TOPIC.search(clause.text) or _TOPIC.search(clause.context):
            topic_sentence = clause.sentence
        on_topic = topic_sentence == clause.sentence
        if not _MAY_HOLD_DURATION.search(clause.text):
            continue
        about_samples = _SAMPLE.search(clause.context) and not _BULK.search(clause.context)
        if (_OFF_TOPIC.search(clause.context) or about_samples) and not on_topic:
            continue  # "可以退换吗？" - "可以，7天内" is a return period
        if _OFF_TOPIC.search(clause.text) or (_SAMPLE.search(clause.text) and not _BULK.search(clause.text)):
            continue
        for match in _DURATION.finditer(clause.text):
            lead_time = _read(match)
            if lead_time is None or _ARRIVES_AFTER.match(clause.text, match.end()):
                continue
            if _CAPACITY_AFTER.match(clause.text, match.end()):
                continue  # "一天能做3万个" is how much, not how long
            if on_topic:
                return lead_time
            if match["today"] or match["tomorrow"] or match["next_day_at_latest"]:
                continue  # "今天发" is a lead time, "今天" alone is not
            sentence = prepared.sentence_of(clause)
            if answer is None and _sounds_like_an_answer(clause.text, match) and not _OFF_TOPIC.search(sentence):
                answer = lead_time
    return answer


def _sounds_like_an_answer(text: str, match: re.Match[str]) -> bool:
    return bool(
        _ROUGHLY_AFTER.match(text, match.end())
        or _ROUGHLY_BEFORE.search(text, max(0, match.start() - 16), match.start())
    )


def _read(match: re.Match[str]) -> LeadTime | None:
    if match["today"]:
        return LeadTime(None, 0)
    if match["tomorrow"]:
        return LeadTime(None, 1)
    if match["half"]:
        return LeadTime(None, 15)
    if match["next_day_at_latest"]:
        return LeadTime(0, 1)
    if match["halfmonth"]:
        return LeadTime(None, int(Decimal(match["high"]) * 30 + 15))
    unit = match["unit"]
    if not unit:
        return None
    high = _days(Decimal(match["high"]), unit)
    low = _days(Decimal(match["low"]), unit) if match["low"] else None
    if low is not None and low > high:
        return None
    return LeadTime(low, high)


def _days(amount: Decimal, unit: str) -> int:
    for pattern, days in _DAYS_PER_UNIT:
        if pattern.fullmatch(unit):
            return math.ceil(amount * days)
    return math.ceil(amount)
