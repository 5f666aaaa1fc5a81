"""Reading numbers the way Chinese suppliers write them, and the way translations write them back.

`parse_number` reads one number token: "1,500", "1.5万", "两千", "贰拾元整", "三块八" (3.8), "5块5" (5.5), "5毛" (0.5),
"１２", "十二", "1.5 million", "fifteen".

`find_numbers` lists every number mentioned in a Chinese or Western-digit text with what it measures. A mention's
span covers the number as written, including markers that are part of it ("百分之三十", "三块八", "1.5万",
"1.5 million") but not a unit after it ("30%" spans "30", "3 days" spans "3"). Dates give one mention per part:
12月5日 is a 12 and a 5, both of kind "date". Discounts (3折, 八五折), ordinals (第一) and words that only look
like numerals (一起, 一下, 统一, 千万别, 十分感谢) are not numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import pairwise

from bot.extraction.normalize import FULLWIDTH_TO_ASCII, fold


@dataclass(frozen=True)
class NumberMention:
    value: Decimal
    start: int  # index in the text given to find_numbers
    end: int
    kind: str  # "money", "percent", "quantity", "duration", "date" or "plain"


def to_halfwidth(text: str) -> str:
    """Full-width digits, letters and punctuation as ASCII; the ideographic space as a space."""
    return text.translate(FULLWIDTH_TO_ASCII)


_CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "贰": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
    "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
_CN_SMALL_SCALES = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_WAN, _YI = Decimal(10_000), Decimal(100_000_000)
_DIGIT_CHARS = "".join(_CN_DIGITS)
_SCALE_CHARS = "十拾百佰千仟万亿"

_ENGLISH_UNITS = {
    word: value
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
        " seventeen eighteen nineteen".split()
    )
}
_ENGLISH_TENS = {
    word: 10 * n for n, word in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}
_ENGLISH_SCALES = {"thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
# "a week", "a hundred": the article is a one where 一 would be in Chinese.
_ENGLISH_WORDS = {**_ENGLISH_UNITS, **_ENGLISH_TENS, "hundred": 100, **_ENGLISH_SCALES, "a": 1, "an": 1}

# Scale words after digits: "15k", "1.5 million", and the same in a few languages translations often use.
_WORD_SCALES = {
    "k": 1000, "thousand": 1000, "million": 10**6, "millions": 10**6, "mln": 10**6, "billion": 10**9, "bn": 10**9,
    "тыс": 1000, "тысяч": 1000, "тысячи": 1000, "тысяча": 1000, "млн": 10**6, "миллион": 10**6, "миллиона": 10**6,
    "миллионов": 10**6, "млрд": 10**9, "mil": 1000, "mille": 1000, "millón": 10**6, "millones": 10**6,
    "milhão": 10**6, "milhões": 10**6, "tausend": 1000, "mio": 10**6, "juta": 10**6, "ribu": 1000,
}  # fmt: skip
_CN_SCALE_VALUES = {
    "十": 10,
    "拾": 10,
    "百": 100,
    "佰": 100,
    "千": 1000,
    "仟": 1000,
    "万": 10_000,
    "亿": 10**8,
    "w": 10_000,
}

# --- pieces of patterns ------------------------------------------------------------------------------------------

_UNIT = (
    r"(?:个|件|套|台|箱|双|只|条|米|千克|公斤|斤|克|吨|包(?![邮装税退换括含])|盒|张|把|支|瓶|袋|卷|根|片|对|份|款|色|种|码|颗|粒|枚|副|顶"
    r"|株|本|块布|托|柜|立方|平方|千米|公里|厘米|毫米|升|毫升|码数|打|手|排|组|批|单"
    r"|kgs?|g|t|pcs|pc|pieces?|units?|sets?|pairs?|ctns?|cartons?|boxe?s?|bags?|rolls?|meters?|metres?|m|cm|mm"
    r"|ml|l|lbs?|tons?|cbm|pallets?|dozens?|items?|models?|colou?rs?|styles?|designs?|orders?|containers?|sqm"
    r"|шт|штук[аи]?|piezas|unidades|pares|pièces|stück|buah|pasang)(?![A-Za-z])"
)
_TIME = (
    r"(?:个?工作日|个?工作天|天|日(?!元|币)|个?小时|钟头|个?钟|个?星期|个?礼拜|周|个月|年(?!代|份|级)|分钟|秒"
    r"|h|hrs?|hours?|days?|working\s+days?|business\s+days?|weeks?|months?|years?|yrs?|mins?|minutes?|seconds?"
    r"|дн[еяи]й?|день|недел[ьияю]\w*|месяц\w*|лет|год\w*|días?|dias?|semanas?|meses?|mes|años?|anos?|jours?"
    r"|semaines?|mois|ans?|tage?n?|wochen?|monate?n?|jahre?n?|giorni|settimane?|mesi|hari|minggu|bulan|tahun"
    r"|ngày|tuần|tháng|วัน|일|주|개월)(?![A-Za-z])"
)
_MONEY_AFTER = (
    r"(?:元|块|圆|钱|毛|角|人民币|美元|美金|刀(?![片具])|欧元|英镑|港币|日元|卢布|rmb|cny|usd|eur|gbp|hkd|jpy|aud|cad"
    r"|yuan|dollars?|bucks|euros?|pounds?|rubles?|roubles?|руб\w*|₽|€|\$|doll?ars?|dólares?|reais|ringgit|rupees?"
    r"|baht|dong|peso?s?|yen)(?![A-Za-z])"
)
_MONEY_BEFORE = (
    r"(?:us\$|usd|rmb|cny|eur|gbp|hkd|aud|cad|jpy|rs\.?|rp\.?|rm|\$|¥|￥|€|£|₽|₹|人民币|单价|价格|价钱|报价|售价"
    r"|price|cost)"
)
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?"
    r"|nov(?:ember)?|dec(?:ember)?)\b\.?"
)

_ARABIC_CJK = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# Outside Chinese text a space or a decimal comma may also be part of a number: "15 000", "5,5".
_ARABIC_WESTERN = (
    r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3})+,\d+"
    r"|(?<!\d[ \u00a0\u202f\u2009])\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?![ \u00a0\u202f\u2009]?\d)"
    r"(?:[.,]\d+)?|\d+,\d{1,2}(?![\d,])|\d+(?:\.\d+)?)"
)
# 千克/千米/百分 are units, 百货 is "general goods": a scale character only counts when it is not one of those.
_SCALE_CHAR = r"(?:十|拾|百(?![分货])|佰|千(?![克米瓦])|仟|万(?![能])|亿)"
_CN_TAIL = rf"(?:{_SCALE_CHAR}(?:\d+(?:\.\d+)?|[{_DIGIT_CHARS}]|{_SCALE_CHAR})*)"
_CN_RUN = rf"(?:[{_DIGIT_CHARS}]|{_SCALE_CHAR})+"
_JIAO_DIGIT = rf"[0-9{_DIGIT_CHARS}]"
_ENGLISH_WORD = "|".join(sorted(_ENGLISH_WORDS, key=len, reverse=True))
_ENGLISH_RUN = rf"\b(?:{_ENGLISH_WORD})(?:(?:[\s-]+(?:and[\s-]+)?)(?:{_ENGLISH_WORD}))*\b"
_WORD_SCALE = "|".join(sorted(map(re.escape, _WORD_SCALES), key=len, reverse=True))


def _scanner(arabic: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?P<iso>(?<!\d)\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}(?!\d))"
        rf"|(?P<percent>百分之(?:{arabic}|{_CN_RUN}))"
        rf"|(?P<yuanjiao>(?:{arabic}|{_CN_RUN})\s*[块元圆]{_JIAO_DIGIT}(?:[毛角](?:{_JIAO_DIGIT}(?!\s*{_UNIT})分?)?)?"
        rf"(?![0-9.])(?![二两三四五六七八九十百千万]|一(?!\s*{_UNIT}))(?!\s*(?:{_UNIT}|{_TIME})))"
        rf"|(?P<jiao>(?<![0-9.{_DIGIT_CHARS}十百千万块元圆]){_JIAO_DIGIT}\s*毛(?![重巾衣绒料坯发毯利边])"
        rf"(?:{_JIAO_DIGIT}(?![0-9.])(?!\s*(?:{_UNIT}|{_TIME})))?)"
        rf"|(?P<arabic>{arabic}(?:{_CN_TAIL}|w(?=\s*(?:{_UNIT}|以上|起|左右))|\s?(?:{_WORD_SCALE})(?![A-Za-zА-я]))?)"
        rf"|(?P<chinese>{_CN_RUN})"
        rf"|(?P<english>{_ENGLISH_RUN})",
        re.IGNORECASE,
    )


_SCAN_CJK = _scanner(_ARABIC_CJK)
_SCAN_WESTERN = _scanner(_ARABIC_WESTERN)
_HAS_CJK = re.compile(r"[\u3400-\u9fff]")
_NUMBER_START = re.compile(rf"[\d{_DIGIT_CHARS}{_SCALE_CHARS}拾佰仟]|(?<![A-Za-z])[A-Za-z]")

_PERCENT_AFTER = re.compile(
    r"\s*(?:%|percent|per\s*cent|pct|个点|个百分点|процент\w*|por\s*ciento|pour\s*cent)", re.IGNORECASE
)
_TAX_POINT = re.compile(r"(?:加|税|票|扣|返|让|抽|点数)\s*$")
_POINT_AFTER = re.compile(r"点(?!击)")
_DISCOUNT_AFTER = re.compile(r"\s*折")
_YEAR_AFTER = re.compile(r"\s*年")
_MONTH_DAY_AFTER = re.compile(r"\s*月\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号]")
_MONTH_AFTER = re.compile(r"\s*月(?:份|底|初|中|上旬|中旬|下旬)?")
_DAY_AFTER = re.compile(r"\s*[日号]")
_MONTH_BEFORE = re.compile(r"月\s*$")
_CLOCK_AFTER = re.compile(r"\s*(?:am|pm|a\.m\.|p\.m\.|o'?clock)\b|:\d{2}", re.IGNORECASE)
_ENGLISH_DATE_BEFORE = re.compile(rf"\b{_MONTHS}\s*(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s*)?$|\d:$", re.IGNORECASE)
_ENGLISH_DATE_AFTER = re.compile(rf"(?:st|nd|rd|th)?\s*(?:of\s+)?{_MONTHS}(?![a-z])", re.IGNORECASE)
_YEAR_WORD_BEFORE = re.compile(r"\b(?:in|since|year|from|founded|established)\s*$", re.IGNORECASE)
_TIME_AFTER = re.compile(rf"[\s-]*{_TIME}", re.IGNORECASE)
_RATE_BEFORE = re.compile(
    rf"(?:\d|\b(?:{_WORD_SCALE}|{_ENGLISH_WORD}|times|once|twice|{_UNIT}|{_MONEY_AFTER}))\s*$", re.IGNORECASE
)
_MONEY_AFTER_RE = re.compile(rf"\s*{_MONEY_AFTER}", re.IGNORECASE)
_MONEY_BEFORE_RE = re.compile(rf"{_MONEY_BEFORE}\s*[:：]?\s*$", re.IGNORECASE)
_UNIT_AFTER = re.compile(rf"\s*(?:[/每]\s*)?{_UNIT}", re.IGNORECASE)
_QUANTITY_BEFORE = re.compile(
    r"(?:moq|min\.?\s*order|起订量?|起批量?|数量|库存|订量|qty|quantity)\s*[:：]?\s*$", re.IGNORECASE
)
_RANGE_JOINER = re.compile(r"\s*(?:-|~|～|—|–|到|至|to|and|or|或|、|/|\*|x|×)\s*", re.IGNORECASE)
_PER_UNIT_BEFORE = re.compile(rf"(?:[0-9{_DIGIT_CHARS}元块钱毛角/]|[元块圆]整)\s*$")  # "20元一个", "贰拾元整一个"
# Words that start with a numeral but are not a number.
_AMOUNT_PER_UNIT_AFTER = re.compile(rf"\s*{_UNIT}\s*(?:是|要|为|装|有|=|:)?\s*(?:[0-9{_DIGIT_CHARS}]|[$¥￥])")
_MINIMUM_AFTER = re.compile(rf"\s*{_UNIT}\s*(?:起|也)")
_IDIOM = re.compile(r"一条龙|一对一|一块儿|一年四季|十分(?!钟)|万一|千万(?=[不别要记注得])|一一|一次性|一点点|一模一样")
_LONE_CN_OK = re.compile(rf"\s*(?:{_UNIT}|{_TIME}|{_MONEY_AFTER}|个点)", re.IGNORECASE)


_PLAIN_DIGITS = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_LEADING_MONEY = re.compile(rf"^{_MONEY_BEFORE}\s*", re.IGNORECASE)
_SPACES = re.compile(r"[ \u00a0\u202f\u2009]")
_WORD_BREAK = re.compile(r"[\s-]+")
_DIGITS = re.compile(r"\d+")


def parse_number(token: str) -> Decimal | None:
    """The value of one number token, or None when it is not one number."""
    if _PLAIN_DIGITS.fullmatch(token):
        return _tidy(Decimal(token)) if "." in token else Decimal(token)
    text = fold(token).strip().replace("，", ",")
    text = _LEADING_MONEY.sub("", text)
    for reader in (_read_yuan_jiao, _read_jiao, _read_plain):
        value = reader(text)
        if value is not None:
            return _tidy(value)
    return None


def _tidy(value: Decimal) -> Decimal:
    normalized = value.normalize()
    return Decimal(int(normalized)) if normalized.as_tuple().exponent > 0 else normalized  # type: ignore[operator]


_YUAN_JIAO = re.compile(
    rf"(?P<yuan>.+?)\s*[块元圆](?:钱)?(?:(?P<jiao>{_JIAO_DIGIT})[毛角]?(?:(?P<fen>{_JIAO_DIGIT})分?)?)?(?:钱|整)?"
)
_HAS_YUAN = re.compile(r"[块元圆]")
_HAS_JIAO = re.compile(r"[毛角]")
_HAS_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\u0400-\u04ff]")  # a Latin or Cyrillic scale word may follow
_JIAO_ONLY = re.compile(rf"(?P<jiao>{_JIAO_DIGIT})\s*[毛角](?:(?P<fen>{_JIAO_DIGIT})分?)?(?:钱)?")


def _read_yuan_jiao(text: str) -> Decimal | None:
    match = _YUAN_JIAO.fullmatch(text) if _HAS_YUAN.search(text) else None
    if not match:
        return None
    yuan = _read_plain(match["yuan"])
    if yuan is None:
        return None
    return yuan + _cents(match["jiao"], match["fen"])


def _read_jiao(text: str) -> Decimal | None:
    match = _JIAO_ONLY.fullmatch(text) if _HAS_JIAO.search(text) else None
    return _cents(match["jiao"], match["fen"]) if match else None


def _cents(jiao: str | None, fen: str | None) -> Decimal:
    total = Decimal(0)
    if jiao:
        total += Decimal(_digit_value(jiao)) / 10
    if fen:
        total += Decimal(_digit_value(fen)) / 100
    return total


def _digit_value(char: str) -> int:
    return int(char) if char.isdigit() else _CN_DIGITS[char]


_PLAIN_ARABIC = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+")
_SPACED_THOUSANDS = re.compile(r"\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?")
_DOTTED_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+,\d+")
_DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")
_SCALED = re.compile(rf"(?P<number>.+?)\s*(?P<scale>{_WORD_SCALE}|w)", re.IGNORECASE)
_CN_TOKEN = re.compile(rf"\d+(?:\.\d+)?|[{_DIGIT_CHARS}]|[{_SCALE_CHARS}]")


def _read_plain(text: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    arabic = _read_arabic(text)
    if arabic is not None:
        return arabic
    scaled = _SCALED.fullmatch(text) if _HAS_LETTER.search(text) else None
    if scaled:
        base = _read_arabic(scaled["number"]) or _read_english(scaled["number"])
        scale = scaled["scale"].lower()
        multiplier = _CN_SCALE_VALUES.get(scale) or _WORD_SCALES.get(scale)
        if base is not None and multiplier:
            return base * multiplier
    return _read_chinese(text) if _CN_TOKEN.match(text) else _read_english(text)


def _read_arabic(text: str) -> Decimal | None:
    if _PLAIN_ARABIC.fullmatch(text):
        return _decimal(text.replace(",", ""))
    if _SPACED_THOUSANDS.fullmatch(text):
        return _decimal(_SPACES.sub("", text).replace(",", "."))
    if _DOTTED_THOUSANDS.fullmatch(text):
        return _decimal(text.replace(".", "").replace(",", "."))
    if _DECIMAL_COMMA.fullmatch(text):
        return _decimal(text.replace(",", "."))
    return None


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _read_chinese(text: str) -> Decimal | None:
    """Chinese numerals, alone or mixed with digits: 两千五, 一百零五, 1.5万, 1万2, 二〇二四."""
    tokens = _CN_TOKEN.findall(text)
    if "".join(tokens) != text:
        return None
    if all(token in _CN_DIGITS for token in tokens):
        return _read_digit_string(tokens)
    high = wan = section = Decimal(0)
    digit: Decimal | None = None
    digit_is_single = False
    last_scale = 0
    after_zero = False
    for token in tokens:
        if token in ("零", "〇"):
            after_zero = True
            continue
        if token in _CN_DIGITS or token[0].isdigit():
            if digit is not None:
                return None
            digit = Decimal(_CN_DIGITS[token]) if token in _CN_DIGITS else Decimal(token)
            digit_is_single = token in _CN_DIGITS or len(token) == 1
            continue
        if token in _CN_SMALL_SCALES:
            scale = _CN_SMALL_SCALES[token]
            if digit is None and scale != 10:
                return None
            section += (digit if digit is not None else 1) * scale
        elif token == "万":
            if wan or (digit is None and not section):
                return None
            wan = (section + (digit or 0)) * _WAN
            section, scale = Decimal(0), 10_000
        else:
            if digit is None and not section and not wan:
                return None
            high = (high + wan + section + (digit or 0)) * _YI
            wan = section = Decimal(0)
            scale = 10**8
        digit, last_scale, after_zero = None, scale, False
    if digit is not None:
        # 两千五 is 2500 and 1万2 is 12000: a lone digit after a scale counts in the next scale down.
        colloquial = digit_is_single and last_scale >= 100 and not after_zero
        section += digit * (last_scale // 10) if colloquial else digit
    return high + wan + section


def _read_digit_string(tokens: list[str]) -> Decimal | None:
    # 二〇二四 is read digit by digit; 三五 is "three or five", not a number.
    if len(tokens) == 1 or len(tokens) >= 3 or tokens[0] in ("零", "〇") or tokens[1] in ("零", "〇"):
        return Decimal("".join(str(_CN_DIGITS[token]) for token in tokens))
    return None


def _read_english(text: str) -> Decimal | None:
    words = [word for word in _WORD_BREAK.split(text.lower()) if word and word != "and"]
    if not words or any(word not in _ENGLISH_WORDS for word in words):
        return None
    total = current = 0
    for word in words:
        if word in _ENGLISH_SCALES:
            total += max(current, 1) * _ENGLISH_SCALES[word]
            current = 0
        elif word == "hundred":
            current = max(current, 1) * 100
        else:
            current += _ENGLISH_WORDS[word]
    return Decimal(total + current)


# --- finding numbers in running text ----------------------------------------------------------------------------


def find_numbers(text: str) -> list[NumberMention]:
    """Every number mentioned in `text`, in order, with spans in `text` and what each one measures."""
    folded = fold(text)
    scanner = _SCAN_CJK if _HAS_CJK.search(folded) else _SCAN_WESTERN
    found: list[tuple[Decimal, int, int, str | None]] = []
    for match in _scan(scanner, folded):
        found.extend(_read_match(match, folded))
    mentions = [
        NumberMention(value, start, end, kind or _kind_from_context(folded, start, end, value))
        for value, start, end, kind in found
    ]
    return _spread_kinds_over_ranges(mentions, folded)


def _scan(scanner: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Like scanner.finditer, but only tries the full pattern where a number can start: most text is words."""
    position = 0
    while start := _NUMBER_START.search(text, position):
        match = scanner.match(text, start.start())
        if match:
            yield match
            position = match.end()
        else:
            position = start.end()


def _read_match(match: re.Match[str], text: str) -> list[tuple[Decimal, int, int, str | None]]:
    group = match.lastgroup
    start, end = match.span()
    if group == "iso":
        return [(Decimal(part.group()), start + part.start(), start + part.end(), "date")
                for part in _DIGITS.finditer(match.group())]  # fmt: skip
    if _DISCOUNT_AFTER.match(text, end) or (group == "chinese" and text[start - 1 : start] == "第"):
        return []
    if group == "percent":
        value = parse_number(match.group()[3:])
        return [(value, start, end, "percent")] if value is not None else []
    if group in ("yuanjiao", "jiao"):
        value = parse_number(match.group())
        return [(value, start, end, "money")] if value is not None else []
    if group == "chinese":
        return _read_chinese_run(match, text)
    if group == "english" and not _english_counts(match, text):
        return []
    value = parse_number(match.group())
    return [(value, start, end, None)] if value is not None else []


def _read_chinese_run(match: re.Match[str], text: str) -> list[tuple[Decimal, int, int, str | None]]:
    run, start, end = match.group(), match.start(), match.end()
    if _IDIOM.match(text, start) or run[0] in "百佰千仟万亿":
        return []
    if len(run) == 1 and not _LONE_CN_OK.match(text, end):
        return []
    if run == "一" and _PER_UNIT_BEFORE.search(text, max(0, start - 4), start) and not _MINIMUM_AFTER.match(text, end):
        return []  # "12元一个" is "12 yuan each", not a second number; "60元 一个起批" is a minimum of one
    if run == "一" and _AMOUNT_PER_UNIT_AFTER.match(text, end):
        return []  # "一个50块", "一箱36个": "50 yuan each", "36 per carton"
    value = parse_number(run)
    if value is not None:
        return [(value, start, end, None)]
    if _is_rough_range(run) and _LONE_CN_OK.match(text, end):
        # 三五天, 七八个: "three to five days"
        return [
            (Decimal(_CN_DIGITS[run[0]]), start, start + 1, None),
            (Decimal(_CN_DIGITS[run[1]]), start + 1, end, None),
        ]
    return []


def _is_rough_range(run: str) -> bool:
    return len(run) == 2 and all(char in _CN_DIGITS for char in run) and _CN_DIGITS[run[0]] < _CN_DIGITS[run[1]]


def _english_counts(match: re.Match[str], text: str) -> bool:
    # "one" is as often a pronoun ("this one") as a number: it counts only before a unit, time or currency;
    # "a" counts only before a time ("within a week"), and not as "per" ("1.5 million a year").
    word, end = match.group().lower(), match.end()
    if word in ("a", "an"):
        return bool(_TIME_AFTER.match(text, end)) and not _RATE_BEFORE.search(
            text, max(0, match.start() - 24), match.start()
        )
    if word == "one":
        return bool(_UNIT_AFTER.match(text, end) or _TIME_AFTER.match(text, end) or _MONEY_AFTER_RE.match(text, end))
    return True


def _kind_from_context(text: str, start: int, end: int, value: Decimal) -> str:
    before = text[max(0, start - 12) : start]
    if _PERCENT_AFTER.match(text, end):
        return "percent"
    if _POINT_AFTER.match(text, end):
        return "percent" if _TAX_POINT.search(before) else "date"
    if _is_date(text, start, end, value, before):
        return "date"
    if _TIME_AFTER.match(text, end):
        return "duration"
    if _MONEY_AFTER_RE.match(text, end) or _MONEY_BEFORE_RE.search(before):
        return "money"
    if _UNIT_AFTER.match(text, end) or _QUANTITY_BEFORE.search(before):
        return "quantity"
    return "plain"


def _is_date(text: str, start: int, end: int, value: Decimal, before: str) -> bool:
    is_whole = value == value.to_integral_value()
    if _YEAR_AFTER.match(text, end):
        return is_whole and 1900 <= value <= 2100
    if _MONTH_DAY_AFTER.match(text, end):
        return True
    if _MONTH_AFTER.match(text, end):
        return is_whole and 1 <= value <= 12
    if _DAY_AFTER.match(text, end) and (_MONTH_BEFORE.search(before) or text[end : end + 1] == "号"):
        return True
    if _CLOCK_AFTER.match(text, end) or _ENGLISH_DATE_BEFORE.search(before) or _ENGLISH_DATE_AFTER.match(text, end):
        return True
    return is_whole and 1900 <= value <= 2100 and bool(_YEAR_WORD_BEFORE.search(before))


def _spread_kinds_over_ranges(mentions: list[NumberMention], text: str) -> list[NumberMention]:
    """In "7-15天", "¥12-15" or "60*40*30cm" every number takes the kind its neighbour states."""
    kinds = [mention.kind for mention in mentions]
    joined = [
        bool(_RANGE_JOINER.fullmatch(text, left.end, right.start)) or left.end == right.start
        for left, right in pairwise(mentions)
    ]
    for index in reversed(range(len(joined))):
        if joined[index] and kinds[index] == "plain":
            kinds[index] = kinds[index + 1]
    for index in range(len(joined)):
        if joined[index] and kinds[index + 1] == "plain":
            kinds[index + 1] = kinds[index]
    return [
        mention if mention.kind == kind else NumberMention(mention.value, mention.start, mention.end, kind)
        for mention, kind in zip(mentions, kinds)
    ]
