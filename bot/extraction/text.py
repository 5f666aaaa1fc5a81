"""Turning a pasted reply into clauses with plain numbers, and the vocabulary the field readers share.

After preparation every number is ASCII digits with an optional decimal point ("两千" -> "2000", "1.5万" -> "15000",
"三块八" -> "3.8元", "百分之三十" -> "30%", "两三天" -> "2-3天"), the text is Simplified and half-width, and
words that only contain numerals (一起, 统一) are left alone. Latin letters are lower-cased so that the readers'
patterns need no IGNORECASE, which would keep the regex engine from skipping ahead to where a match can start;
`Prepared.cased_text` keeps the capitals for the readers that need them (CE is a certification, "ce" is not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from bot.extraction.normalize import FULLWIDTH_TO_ASCII, TRADITIONAL_TO_SIMPLIFIED
from bot.extraction.numerals import find_numbers

NUM = r"\d+(?:\.\d+)?"
# A number that does not continue another one or a price. Written digit-first, not as a lookbehind before NUM, so
# the regex engine can skip straight to the digits.
FRESH_NUM = r"\d(?<![\d.]\d)\d*(?:\.\d+)?"
FRESH_QUANTITY = r"\d(?<![\d.$¥￥]\d)\d*(?:\.\d+)?"

CN_UNIT = (
    r"(?:件|个(?!点|月|工作|小时|钟|星期|礼拜|百分点|半月)|套|台|箱|双|只|条|米|千克|公斤|斤|吨|包(?![邮装税退换括含])|盒|张|把|支|瓶|袋"
    r"|卷|根|片|对|份|码|颗|粒|枚|副|顶|本|组|手|打|提|扎|罐|桶|托|柜|板(?![材子])|卡(?![片车通]))"
)
EN_UNIT = (
    r"(?:pcs|pc|pieces?|units?|sets?|pairs?|ctns?|cartons?|boxe?s?|bags?|rolls?|meters?|metres?|kgs?|dozens?|pallets?|m)"
    r"(?![A-Za-z])"
)
UNIT = rf"(?:{CN_UNIT}|{EN_UNIT})"
# Containers that hold a stated number of pieces: "一箱50个", "一手4件".
CONTAINER = r"(?:箱|件|包|盒|袋|手|打|提|扎|托|柜|板|卡|卷|ctns?|cartons?|boxe?s?|pallets?|packs?)"
STYLE_UNIT = r"(?:款|色|种|styles?|colou?rs?|models?|designs?)"

CURRENCY_BEFORE = r"(?:us\$|hk\$|usd|rmb|cny|eur|gbp|hkd|美金|美元|港币|港元|欧元|人民币|\$|¥|￥|€|£)"
CURRENCY_AFTER = (
    r"(?:元|块|人民币|美元|美金|刀(?![片具])|欧元|欧(?![洲美])|英镑|港币|港元|€"
    r"|(?:rmb|cny|usd|yuan|dollars?|eur|euros?|gbp|hkd)(?![A-Za-z]))"
)
TIME_UNIT = (
    r"(?:个?工作日|工作天|天|日(?!期|产)|个?小时|钟头|个?星期|个?礼拜|周|个月"
    r"|(?:h|hrs?|hours?|days?|working\s+days?|business\s+days?|weeks?|months?)(?![A-Za-z]))"
)

_CURRENCY_CODES = {
    "元": "CNY", "块": "CNY", "人民币": "CNY", "rmb": "CNY", "cny": "CNY", "¥": "CNY", "￥": "CNY", "yuan": "CNY",
    "$": "USD", "us$": "USD", "usd": "USD", "美元": "USD", "美金": "USD", "刀": "USD", "dollar": "USD", "dollars": "USD", "euro": "EUR",
    "€": "EUR", "eur": "EUR", "euros": "EUR", "欧元": "EUR", "£": "GBP", "gbp": "GBP", "英镑": "GBP",
    "hkd": "HKD", "港币": "HKD", "港元": "HKD", "hk$": "HKD", "欧": "EUR",
}  # fmt: skip

_UNIT_NAMES = {
    "pcs": "pcs", "pc": "pcs", "piece": "pcs", "pieces": "pcs", "set": "set", "sets": "set", "pair": "pair",
    "pairs": "pair", "unit": "unit", "units": "unit", "ctn": "carton", "ctns": "carton", "carton": "carton",
    "cartons": "carton", "box": "box", "boxes": "box", "boxs": "box", "bag": "bag", "bags": "bag", "roll": "roll",
    "rolls": "roll", "meter": "m", "meters": "m", "metre": "m", "metres": "m", "m": "m", "kg": "kg", "kgs": "kg",
    "公斤": "kg", "千克": "kg", "dozen": "dozen", "dozens": "dozen",
}  # fmt: skip

_EXTRACT_TABLE = {
    **FULLWIDTH_TO_ASCII,
    **TRADITIONAL_TO_SIMPLIFIED,
    0xFF0C: 0xFF0C,  # the Chinese comma stays a clause break
    0x301C: ord("~"),
    0x2014: ord("-"),
    0x2013: ord("-"),
    0x2012: ord("-"),
    0x00A0: ord(" "),
    # "①可以 ②7天 ③2.8元": a circled number starts an answer of its own.
    **{code: ord("\n") for code in range(0x2460, 0x2474)},
}
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# Chinese chat often uses a space where a comma would be: "10个起批 单价28".
_CLAUSE_BREAK = re.compile(r"[，,；;]|\s/\s|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_SENTENCE_BREAK = re.compile(r"[\n。！!？?]+|(?<!\d)\.(?!\d)|\.(?=\s|$)")
_SENTENCE = re.compile(r"[^\n。！!？?]+[？?]?")
_QUESTION_END = re.compile(r"[？?]\s*$")
_ASKING = re.compile(r"吗|呢|如果|假如|要是|请问|是否|能否|可否|有没有|多少|几|什么|怎么|哪|^(?:买|我想|我要|想要)|\bif\b")
_QUESTION_LINE = re.compile(r"\s*(?:问|q)\s*[:：]")
_ANSWER_MARK = re.compile(r"^\s*(?:答|a)\s*[:：]\s*")
_CHINESE_MONEY = re.compile(r"[块元圆毛角]")


@dataclass(frozen=True)
class Clause:
    text: str
    sentence: int  # clauses of one sentence or line share this number
    context: str  # the question this clause answers ("Q: lead time?"), or ""


@dataclass(frozen=True)
class Prepared:
    text: str  # Latin letters lower-cased
    cased_text: str
    clauses: tuple[Clause, ...]
    sentences: tuple[str, ...]  # indexed by Clause.sentence

    def sentence_of(self, clause: Clause) -> str:
        return self.sentences[clause.sentence]

    def cased_clause(self, clause: Clause) -> str:
        """The clause with its capitals back ("CE", "USD"); lower-casing keeps every position."""
        start = self.text.find(clause.text)
        return self.cased_text[start : start + len(clause.text)] if start >= 0 else clause.text


def prepare(reply: str) -> Prepared:
    cased_text = without_retracted(_plain_numbers(reply.translate(_EXTRACT_TABLE)))
    text = cased_text.translate(_ASCII_LOWER)
    sentences = tuple(match.group() for match in _SENTENCE.finditer(text))
    return Prepared(text=text, cased_text=cased_text, clauses=tuple(_clauses(sentences)), sentences=sentences)


def _plain_numbers(text: str) -> str:
    parts: list[str] = []
    position = 0
    for mention in find_numbers(text):
        parts.append(text[position : mention.start])
        written = text[mention.start : mention.end]
        number = decimal_text(mention.value)
        if position and mention.start == position:
            number = "-" + number  # 两三天: two adjacent numerals are a rough range
        if written.startswith("百分之"):
            number += "%"
        elif mention.kind == "money" and _CHINESE_MONEY.search(written):
            number += "元"
        parts.append(number)
        position = mention.end
    parts.append(text[position:])
    return "".join(parts)


_ANY_UNIT = rf"(?:\s*(?:{CURRENCY_AFTER}|{TIME_UNIT}|{UNIT}))?"
# What a supplier takes back: "起订量不是500，是1000", "交期20天不是15天", "15天不对，是20天", "MOQ is 1000, not 500".
_RETRACTED = (
    (re.compile(rf"不是\s*{NUM}{_ANY_UNIT}[^\d，,。\n]{{0,6}}[，,]\s*(?:而|应该|实际上?|其实)?\s*是"), "是"),
    (re.compile(rf"(?:而)?不是\s*{NUM}{_ANY_UNIT}"), ""),
    (re.compile(rf"{NUM}{_ANY_UNIT}\s*(?:是)?(?:不对|错了|说错了|有误)[^\d，,。\n]{{0,4}}[，,]?\s*(?:应该|实际上?|其实)?\s*"), ""),
    (re.compile(rf"\bnot\s+{NUM}{_ANY_UNIT}\s*,?\s*(?:but|it'?s|it\s+is|rather)\s+", re.IGNORECASE), ""),
    (re.compile(rf"\s*,?\s*\bnot\s+{NUM}{_ANY_UNIT}(?=\s*[,.;!\n]|\s*$)", re.IGNORECASE), ""),
)


def without_retracted(text: str) -> str:
    """The reply without the numbers the supplier took back, so only the corrected one is read."""
    for pattern, replacement in _RETRACTED:
        text = pattern.sub(replacement, text)
    return text


def _clauses(sentences: tuple[str, ...]) -> list[Clause]:
    """A question is not a statement: "有现货吗？" says nothing about stock. Questions (a clause ending in ？, a
    line starting with 问：or Q:) are left out and become the context of the answer that follows them."""
    clauses: list[Clause] = []
    pending = ""  # the questions asked since the last answer
    for sentence_number, sentence in enumerate(sentences):
        if _QUESTION_LINE.match(sentence):
            pending += sentence
            continue
        parts = [part.strip() for part in _split_sentence(_ANSWER_MARK.sub("", sentence, count=1)) if part.strip()]
        asked_here = ""
        if _QUESTION_END.search(sentence):
            # "现货，要几个？" states one thing and asks another; "如果没有，做500件需要几天？" only asks
            asked = [part for index, part in enumerate(parts) if index == len(parts) - 1 or _ASKING.search(part)]
            asked_here = "，".join(asked) + "？"
            parts = [part for part in parts if part not in asked]
        answered = bool(parts)
        clauses.extend(Clause(part, sentence_number, pending) for part in parts)
        pending = asked_here if answered else pending + asked_here
    return clauses


def _split_sentence(sentence: str) -> list[str]:
    pieces = _SENTENCE_BREAK.split(sentence)
    return [clause for piece in pieces for clause in _CLAUSE_BREAK.split(piece)]


_FILLER = re.compile(
    r"^(?:\s|[，,。.!！~～]|亲+|您好|你好|嗯+|哈+|呢|哦|的|啊|呀|是这样|这个|不好意思|抱歉|sorry|dear|hi|hello)*"
)
_NO = re.compile(
    r"(?:不|没|无|暂无|暂时没|暂不|no\b|not\b|cannot|can't|can\s+not|unable|don't|do\s+not|doesn't|nope)"
)
_YES = re.compile(
    r"(?:可以|能|有|支持|行|没问题|是|对|当然|包|接受|提供|好的|ok|okay|yes|yeah|sure|of\s+course|can\b|we\s+can"
    r"|available|accept|support|have|has)"
)


def answer_polarity(prepared: Prepared, asks: re.Pattern[str]) -> tuple[bool, list[Clause]] | None:
    """How the supplier answered a yes/no question about what `asks` matches ("可以发国外吗？" - "可以的"), with
    the clauses of that answer; None when no such question was answered with a plain yes or no."""
    for index, clause in enumerate(prepared.clauses):
        if not clause.context or not asks.search(clause.context):
            continue
        if index and prepared.clauses[index - 1].context == clause.context:
            continue  # only the first words of an answer say yes or no
        answer = [later for later in prepared.clauses[index:] if later.context == clause.context]
        for part in answer:
            words = part.text[_FILLER.match(part.text).end() :]  # type: ignore[union-attr]
            if not words:
                continue
            if _NO.match(words):
                return False, answer
            if _YES.match(words):
                return True, answer
            break
    return None


def decimal_text(value: Decimal) -> str:
    """'3.8', '15000', '0' — never an exponent, never a trailing zero."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def currency_code(marker: str) -> str:
    return _CURRENCY_CODES.get(marker.lower(), marker.upper())


def unit_name(unit: str | None) -> str | None:
    if unit is None:
        return None
    return _UNIT_NAMES.get(unit.lower(), unit)
