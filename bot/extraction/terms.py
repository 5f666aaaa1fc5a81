"""Yes/no terms: stock, shipping abroad, returns, samples.

Each reader looks for what the supplier says and whether it is negated: a negation word shortly before the phrase
in the same clause (没有现货, 不能寄样, don't ship abroad) turns it around, and so do explicit refusals (不退不换,
只做国内, out of stock).
"""

from __future__ import annotations

import re
from decimal import Decimal

from bot.extraction.result import Returns, Sample
from bot.extraction.text import (
    CURRENCY_AFTER,
    CURRENCY_BEFORE,
    FRESH_NUM,
    NUM,
    TIME_UNIT,
    UNIT,
    Clause,
    Prepared,
    answer_polarity,
)

_NEGATION_BEFORE = re.compile(
    r"(?:(?:没有|没|无|不是|不|非|暂无|暂时没有|暂不|无法|不能|不可以|不支持|不提供|不接受)\S{0,3}"
    r"|\b(?:not|no|don't|do\s+not|doesn't|does\s+not|cannot|can't|without|never)\s+(?:\w+\s+)?)$",
)
# Phrases with a negation word that negate nothing: 没问题 is "no problem".
_NOT_NEGATIONS = re.compile(r"没问题|没关系|不客气|不好意思|不用担心|不错|不管|不仅|不只|无论|不限|no\s+problem")


def _without_idioms(text: str) -> str:
    """`text` with 没问题, 不好意思... blanked out, same length so positions still hold."""
    return _NOT_NEGATIONS.sub(lambda match: "_" * len(match.group()), text)


def is_negated(text: str, start: int, window: int = 16) -> bool:
    """A negation word just before `start`: 没有现货, 不能寄样, don't provide samples."""
    return _NEGATION_BEFORE.search(_without_idioms(text[max(0, start - window) : start])) is not None


_NEGATION_AFTER = re.compile(
    r"\s*(?:退换货?|退货|换货|的话|这个|这块|服务|的)?\s*(?:的话|服务)?\s*(?:是|我们|暂时|目前|都)?\s*(?:不支持|不行|不可以|不能|不接受|不提供|不做|不包|做不了|不了"
    r"|没有|没法|无法|暂不|不退|不发|不寄|不印|不开|是不行|is\s+not|are\s+not|not\s+(?:available|possible|accepted|supported)"
    r"|isn't|aren't)",
)


def negated_after(text: str, end: int) -> bool:
    """A negation right after a phrase: 7天无理由不支持, 国外不发, logo印不了, OEM is not available."""
    return _NEGATION_AFTER.match(_without_idioms(text), end) is not None


# --- stock ------------------------------------------------------------------------------------------------------

_IN_STOCK = re.compile(
    r"现货|有货(?!代)|库存(?!不足|紧张)|(?:只|还)剩\s*\d|货源充足|有存货|现成|in\s*stock|have\s*stock|has\s*stock|ready\s*stock"
    r"|stock\s*(?:available|ready)|from\s*stock",
)
_OUT_OF_STOCK = re.compile(
    r"没货|无货|缺货|断货|无库存|没有?库存|库存\s*(?:为|是|只有|显示)?\s*(?:0|零)(?![\d.])|零库存|库存不足"
    r"|卖完|售罄|售完|卖光|停产|不生产了|(?:已经|现在)不做了"
    r"|out\s*of\s*stock|sold\s*out|no\s*stock|discontinued",
)
_GONE_AFTER = re.compile(r"\s*(?:已经|都|暂时)?\s*(?:没有(?!问题)|没了|卖完|售完|断了)")
_MADE_TO_ORDER = re.compile(
    r"(?:需要|需|要|都是|只做|只接|得|必须)\s*(?:定做|订做|定制|生产|做货|现做|下单生产|排单)|现做|下单后?(?:再)?生产"
    r"|made\s*to\s*order|need\s*(?:to\s*)?produc",
)


_ASKS_STOCK = re.compile(r"现货|库存|有货|stock")
_PART_IN_STOCK = re.compile(
    r"部分(?:有)?(?:现货|库存|有货)|(?:现货|库存)\s*(?:只有|就|仅有?|不够|不多|有限|不足|只剩)|(?:只有|仅有?)\s*\d+\s*\S{0,2}\s*(?:现货|库存)"
    r"|some\s+(?:are\s+|pcs\s+)?(?:in\s+)?stock|part(?:ial(?:ly)?|ly)?\s+(?:in\s+)?stock|limited\s+stock"
    r"|only\s+\d+\s*\w*\s+(?:in\s+stock|available)"
    r"|(?:剩下|其余|其他的?|差的|余下|不够的)\S{0,10}?(?:生产|现做|排产|定做|订做)|(?:the\s+)?(?:rest|remaining|balance)\b.{0,24}?produc",
)


def find_stock_partial(prepared: Prepared) -> bool | None:
    """Only part of the quantity is in stock: 有部分现货, 现货只有200个, 剩下的要生产, or one clause with stock beside
    another that needs making (黑色有现货，白色需要现做)."""
    if _PART_IN_STOCK.search(prepared.text):
        return True
    stocked = made = False
    for clause in prepared.clauses:
        text = clause.text
        in_stock = next(_IN_STOCK.finditer(text), None)
        if in_stock and not is_negated(text, in_stock.start()) and not _GONE_AFTER.match(text, in_stock.end()):
            stocked = True
        elif _MADE_TO_ORDER.search(text):
            made = True
    return True if stocked and made else None


def find_in_stock(prepared: Prepared) -> bool | None:
    made_to_order = False
    for clause in prepared.clauses:
        text = clause.text
        signals = [(m.start(), False) for m in _OUT_OF_STOCK.finditer(text)]
        signals += [
            (m.start(), not is_negated(text, m.start()) and not _GONE_AFTER.match(text, m.end()))
            for m in _IN_STOCK.finditer(text)
        ]
        if signals:
            return min(signals)[1]
        made_to_order = made_to_order or bool(_MADE_TO_ORDER.search(text))
    if made_to_order:
        return False
    answered = answer_polarity(prepared, _ASKS_STOCK)  # "有现货吗？" - "有的"
    return answered[0] if answered else None


# --- shipping abroad --------------------------------------------------------------------------------------------

_FOREIGN = re.compile(
    r"国外|海外|境外|外国|国际|全球|全世界|马来西亚|新加坡|泰国|越南|菲律宾|印尼|印度|柬埔寨|缅甸|老挝|日本|韩国|美国|加拿大"
    r"|墨西哥|巴西|阿根廷|智利|秘鲁|哥伦比亚|英国|法国|德国|意大利|西班牙|葡萄牙|荷兰|比利时|瑞士|瑞典|挪威|丹麦|芬兰|波兰"
    r"|捷克|俄罗斯|乌克兰|哈萨克斯坦|乌兹别克|土耳其|迪拜|阿联酋|沙特|以色列|埃及|南非|尼日利亚|肯尼亚|澳大利亚|澳洲|新西兰"
    r"|中东|欧洲|欧盟|非洲|南美|北美|东南亚|中亚|abroad|overseas|international(?:ly)?|worldwide|your\s+country"
    r"|other\s+countries|globally|outside\s+china",
)
_SHIP_VERB = re.compile(r"发|寄|运|送|出口|ship|send|deliver|export")
_ABROAD = re.compile(
    r"出口|跨境|外贸|国际快递|国际物流|\b(?:dhl|fedex|ups|tnt|ems)\b|worldwide|international\s+shipping|export"
    r"|ship(?:s|ping)?\s+to\b",
)
_DOMESTIC_ONLY = re.compile(
    r"只(?:做|发|卖|能发|能发到|在|接)?\s*国内|仅限国内|只做内贸|只做内销|只发大陆|国内only|domestic\s+only"
    r"|(?:我们|都)是内销|只做内销"
    r"|只(?:负责|能|可以)?\s*(?:发|送|寄)到?\s*(?:国内|中国|大陆|深圳|广州|义乌|上海|宁波|杭州|东莞|货代|仓库)"
    r"|(?:您|你|自己|客户)\S{0,4}找\S{0,2}货代|your\s+(?:own\s+)?(?:forwarder|agent)"
    r"|only\s+(?:ship\s+)?(?:within\s+)?(?:china|domestic)",
)
_CLAUSE_NEGATION = re.compile(r"不|没|无法|don't|do\s+not|doesn't|cannot|can't|\bnot\b|\bno\b|unable")


_ASKS_ABROAD = re.compile(rf"{_FOREIGN.pattern}|香港|澳门|台湾|出口|ship\s+to\s+(?!china|guangzhou|shenzhen|yiwu)")


def find_ships_abroad(prepared: Prepared) -> bool | None:
    answer: bool | None = None
    for clause in prepared.clauses:
        text = clause.text
        if _DOMESTIC_ONLY.search(text):
            return False
        if _ABROAD.search(text) or (_FOREIGN.search(text) and _SHIP_VERB.search(text)):
            if _CLAUSE_NEGATION.search(_without_idioms(text)):
                return False
            answer = True
    if answer is None:
        answered = answer_polarity(prepared, _ASKS_ABROAD)  # "可以发货到新加坡吗？" - "可以的"
        answer = answered[0] if answered else None
    return answer


# --- returns ----------------------------------------------------------------------------------------------------

_NO_RETURNS = re.compile(
    r"不退不换|不退换|不退货|不退|不换|不支持退|不接受退|不能退|不可以?退|不给退|概不退|不予退|没法退|无法退|退不了|不包退"
    r"|no\s+returns?|non-?returnable|not\s+returnable|not\s+(?:accept|support)\s+returns?|cannot\s+return|can't\s+return"
    r"|returns?\s+(?:is\s+|are\s+)?not\s+(?:accepted|allowed|supported|possible)"
    r"|no\s+exchange|no\s+refund",
)
_ONLY_FOR_OTHER_PROBLEMS = re.compile(r"非质量")
_EXCEPT_DEFECTS = re.compile(  # "no return except quality problem"
    r"\s*(?:is\s+accepted\s+)?(?:except|unless|but\s+for|other\s+than)\s+(?:for\s+)?(?:a\s+|the\s+)?(?:quality|defect)"
)
_RETURNS = re.compile(
    rf"(?P<days1>{FRESH_NUM})\s*天\s*内?\s*无理由|无理由退"
    rf"|(?P<days2>{FRESH_NUM})\s*天\s*内?\s*(?:包|可以|可|能|支持)?\s*(?:退换|退货|包退|包换|退|换)(?![回还款费税色款])"
    r"|包退|包换|退换|退货|换货|(?:可以?|支持|免费)换(?:新|货)|可以?退(?![回还款费税])|支持退|接受退|能退(?![回还款费税])|保退"
    rf"|return\s+within\s+(?P<days3>{NUM})\s*days?"
    rf"|(?P<days4>{FRESH_NUM})[-\s]days?\s+(?:free\s+|no[-\s]reason\s+|unconditional\s+)?returns?"
    r"|(?:accepts?|accepted|support)\s+returns?|returns?\s+(?:(?:is|are)\s+)?(?:accepted|ok|allowed|possible|within)"
    r"|free\s+returns?"
    r"|can\s+(?:be\s+)?return(?:ed)?",
)
_FEE_REFUND = re.compile(r"费|定金|订金|fee|deposit|cost")
_REFUND_ONLY = re.compile(r"(?:下单|下大货|订货|返单)?\S{0,3}(?:可以?|能|会)?(?:退|退回|退还|返还)(?:给您|的)?")
_NEW_TOPIC = re.compile(
    r"发货|交期|交货|生产|出货|样|运费|邮费|快递|价|起批|起订|现货|认证|ship|deliver|produc|price|sample|moq|stock",
)
_DAYS_IN_CLAUSE = re.compile(rf"(?P<days>{FRESH_NUM})\s*(?:天|days?)")
_QUALITY_ONLY = re.compile(r"质量问题|质量原因|质量有问题|产品问题|次品|破损|quality\s+(?:problems?|issues?)|defect|damaged")


_ASKS_RETURNS = re.compile(r"退|换货|returns?|refund|exchange")


def find_returns(prepared: Prepared) -> Returns | None:
    accepted: list[tuple[int | None, bool]] = []  # (days, only for defects) of each acceptance
    refused = False
    clauses = prepared.clauses
    for index, clause in enumerate(clauses):
        text = clause.text
        for_defects = bool(_QUALITY_ONLY.search(text))
        refusals = list(_NO_RETURNS.finditer(text))
        for refusal in refusals:
            if _ONLY_FOR_OTHER_PROBLEMS.search(text, 0, refusal.start()) or _EXCEPT_DEFECTS.match(text, refusal.end()):
                accepted.append((None, True))  # "非质量问题不退换": returns are accepted for defects
            else:
                refused = True
        previous = clauses[index - 1] if index else None
        after_fee = previous is not None and previous.sentence == clause.sentence and _FEE_REFUND.search(previous.text)
        if after_fee and _REFUND_ONLY.fullmatch(text):
            continue  # "样品费20元，下单可退" refunds a fee, it is not a returns policy
        for match in _RETURNS.finditer(text):
            if _FEE_REFUND.search(text, max(0, match.start() - 8), match.start()):
                continue  # "样品费可以退回"
            if any(match.start() < r.end() and r.start() < match.end() for r in refusals):
                continue
            if is_negated(text, match.start()) or negated_after(text, match.end()):
                refused = True  # "不提供退换服务", "7天无理由不支持"
                continue
            accepted.append((_return_days(match, text, _same_sentence_after(clauses, index)), for_defects))
    if accepted:
        days = next((day for day, _ in accepted if day is not None), None)
        return Returns(True, days, all(for_defects for _, for_defects in accepted))
    if refused:
        return Returns(False, None)
    answered = answer_polarity(prepared, _ASKS_RETURNS)  # "可以退换吗？" - "可以，7天内"
    if answered is None:
        return None
    yes, answer = answered
    days = next(filter(None, (_DAYS_IN_CLAUSE.search(clause.text) for clause in answer)), None)
    for_defects = yes and any(_QUALITY_ONLY.search(clause.text) for clause in answer)
    return Returns(yes, int(Decimal(days["days"])) if yes and days else None, for_defects)


def _return_days(match: re.Match[str], text: str, following: list[Clause]) -> int | None:
    """Days stated with the returns phrase, or later in its clause, or in the clauses that go on about it."""
    stated = match["days1"] or match["days2"] or match["days3"] or match["days4"]
    if stated:
        return int(Decimal(stated))
    for candidate in (text, *(clause.text for clause in _untopical(following))):
        if candidate is not text and _CLAUSE_NEGATION.search(_without_idioms(candidate)):
            break  # "包退换，7天无理由不支持": the days belong to what is refused
        in_clause = _DAYS_IN_CLAUSE.search(candidate)
        if in_clause:
            return int(Decimal(in_clause["days"]))
    return None


def _same_sentence_after(clauses: tuple[Clause, ...], index: int) -> list[Clause]:
    sentence = clauses[index].sentence
    return [clause for clause in clauses[index + 1 :] if clause.sentence == sentence]


def _untopical(clauses: list[Clause]) -> list[Clause]:
    """The clauses that add to what came before ("但是要在七天内"), up to one that starts a new topic."""
    kept = []
    for clause in clauses:
        if _NEW_TOPIC.search(clause.text):
            break
        kept.append(clause)
    return kept


# --- samples ----------------------------------------------------------------------------------------------------

_SAMPLE = re.compile(r"寄样|拿样|打样|送样|看样|样品|样板|样衣|小样|samples?|sampling")
_SAMPLE_GONE_AFTER = re.compile(r"\s*(?:的话)?\s*(?:暂时|目前)?\s*(?:没有|没|无|不提供|不能|不可以)")
_FREE = re.compile(r"免费|免样品?费|不收费|不要钱|不收钱|(?<![a-z])free\b|no\s+charge")
_SAMPLE_PRICE = re.compile(
    r"(?:样品费|样品价格?|样费|拿样费?|打样费|寄样费?|样品|sample\s*(?:cost|fee|price|charge)|samples?)"
    rf"\s*(?:是|为|要|收|:|：|is|are|costs?|at)?\s*(?:{CURRENCY_BEFORE})?\s*(?P<num>{NUM})"
    rf"(?!\s*(?:{TIME_UNIT}|%|倍|{UNIT}(?!\s*{CURRENCY_AFTER})))",
)
_FOLLOW_UP_PRICE = re.compile(
    rf"^\s*(?:收费|费用|价格|需要|要|收|cost|fee|charge)\s*(?:是|为|:|：)?\s*(?:{CURRENCY_BEFORE})?\s*(?P<num>{NUM})"
    rf"\s*(?:{CURRENCY_AFTER})?",
)
_SAMPLE_MONEY = re.compile(rf"{CURRENCY_BEFORE}\s*(?P<num>{NUM})|(?<![\d.])(?P<num2>{NUM})\s*{CURRENCY_AFTER}")
_OTHER_TOPIC = re.compile(r"运费|邮费|快递|大货|单价|shipping|freight|bulk")


def find_sample(prepared: Prepared) -> Sample | None:
    available: bool | None = None
    price: Decimal | None = None
    clauses = prepared.clauses
    for index, clause in enumerate(clauses):
        text = clause.text
        for match in _SAMPLE.finditer(text):
            offered = not is_negated(text, match.start()) and not _SAMPLE_GONE_AFTER.match(text, match.end())
            available = offered if available is None else available
            if offered and price is None:
                price = _sample_price(clause, _untopical(_same_sentence_after(clauses, index)))
    if available is None:
        answered = answer_polarity(prepared, _SAMPLE)  # "可以拿样品吗？样品费多少？" - "可以，50元"
        if answered is None:
            return None
        available, answer = answered
        stated = (_sample_price(clause, []) for clause in answer)
        price = next((amount for amount in stated if amount is not None), None) if available else None  # 0 is free
    return Sample(available, price if available else None)


def _sample_price(clause: Clause, following: list[Clause]) -> Decimal | None:
    match = _SAMPLE_PRICE.search(clause.text)
    if match:
        return Decimal(match["num"])
    free = _FREE.search(clause.text)
    if free and not is_negated(clause.text, free.start()):
        return Decimal(0)
    stated = _SAMPLE_MONEY.search(clause.text)
    if stated and not _OTHER_TOPIC.search(clause.text, 0, stated.start()):
        return _amount(stated)  # "Samples are available at $25 each"
    for later in following:
        # "样品可以寄，但是要收费，一个50块", "样品可以寄，免费"
        money = _FOLLOW_UP_PRICE.search(later.text) or _SAMPLE_MONEY.search(later.text)
        if money:
            return _amount(money)
        free = _FREE.search(later.text)
        if free and not is_negated(later.text, free.start()):
            return Decimal(0)
    return None


def _amount(match: re.Match[str]) -> Decimal:
    return Decimal(next(value for name, value in match.groupdict().items() if name.startswith("num") and value))
