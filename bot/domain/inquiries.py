"""Inquiries: their life cycle and the tolerant parsing of what a buyer types while writing one."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from bot.i18n import N_

MAX_QUANTITY = 10_000_000
MAX_PRODUCT_LENGTH = 500
MAX_ADDRESS_LENGTH = 500


class InquiryStatus(StrEnum):
    DRAFT = "draft"  # being written by one buyer; nobody else sees it
    READY = "ready"  # the Chinese message is written, not yet sent to the supplier
    AWAITING_REPLY = "awaiting_reply"
    ANSWERED = "answered"  # every question on the checklist has a recorded answer
    CLOSED = "closed"


OPEN_STATUSES = (InquiryStatus.READY, InquiryStatus.AWAITING_REPLY, InquiryStatus.ANSWERED)

# Where an inquiry can go from each status. A draft is closed when its writer starts another one.
TRANSITIONS: dict[InquiryStatus, frozenset[InquiryStatus]] = {
    InquiryStatus.DRAFT: frozenset({InquiryStatus.READY, InquiryStatus.CLOSED}),
    InquiryStatus.READY: frozenset({InquiryStatus.AWAITING_REPLY, InquiryStatus.CLOSED}),
    InquiryStatus.AWAITING_REPLY: frozenset({InquiryStatus.ANSWERED, InquiryStatus.CLOSED}),
    InquiryStatus.ANSWERED: frozenset({InquiryStatus.AWAITING_REPLY, InquiryStatus.CLOSED}),
    InquiryStatus.CLOSED: frozenset({InquiryStatus.READY, InquiryStatus.AWAITING_REPLY, InquiryStatus.ANSWERED}),  # reopened
}


class InvalidTransition(Exception):
    def __init__(self, current: InquiryStatus, wanted: InquiryStatus) -> None:
        super().__init__(f"an inquiry cannot go from {current} to {wanted}")
        self.current = current
        self.wanted = wanted


def advance(current: str, wanted: InquiryStatus) -> InquiryStatus:
    """The status after a change the domain allows; raises InvalidTransition for any other."""
    status = InquiryStatus(current)
    if wanted not in TRANSITIONS[status]:
        raise InvalidTransition(status, wanted)
    return wanted


def reopened_status(sent: bool, all_answered: bool) -> InquiryStatus:
    """Where a closed inquiry goes back to: as far as it had come."""
    if not sent:
        return InquiryStatus.READY
    return InquiryStatus.ANSWERED if all_answered else InquiryStatus.AWAITING_REPLY


def status_for_progress(current: str, all_answered: bool) -> InquiryStatus:
    """An inquiry waiting for replies is answered once every question has a confirmed answer, and waits
    again when one is taken back; other statuses do not follow the answers."""
    status = InquiryStatus(current)
    if status is InquiryStatus.AWAITING_REPLY and all_answered:
        return advance(status, InquiryStatus.ANSWERED)
    if status is InquiryStatus.ANSWERED and not all_answered:
        return advance(status, InquiryStatus.AWAITING_REPLY)
    return status


@dataclass(frozen=True)
class Country:
    code: str
    name: str  # msgid
    currency: str
    aliases: tuple[str, ...] = ()


COUNTRIES: tuple[Country, ...] = (
    Country("SG", N_("Singapore"), "SGD", ("sg", "spore", "新加坡")),
    Country("MY", N_("Malaysia"), "MYR", ("my", "malaysia", "马来西亚")),
    Country("TH", N_("Thailand"), "THB", ("th", "thai", "泰国")),
    Country("VN", N_("Vietnam"), "VND", ("vn", "viet nam", "越南")),
    Country("ID", N_("Indonesia"), "IDR", ("id", "indo", "印尼", "印度尼西亚")),
    Country("PH", N_("Philippines"), "PHP", ("ph", "phil", "菲律宾")),
    Country("HK", N_("Hong Kong"), "HKD", ("hk", "hongkong", "香港")),
    Country("TW", N_("Taiwan"), "TWD", ("tw", "台湾")),
    Country("AU", N_("Australia"), "AUD", ("au", "aus", "oz", "澳大利亚", "澳洲")),
    Country("NZ", N_("New Zealand"), "NZD", ("nz", "newzealand", "新西兰")),
    Country("JP", N_("Japan"), "JPY", ("jp", "日本")),
    Country("KR", N_("South Korea"), "KRW", ("kr", "korea", "韩国")),
    Country("US", N_("United States"), "USD", ("us", "usa", "america", "美国")),
    Country("GB", N_("United Kingdom"), "GBP", ("gb", "uk", "england", "britain", "英国")),
    Country("CA", N_("Canada"), "CAD", ("ca", "加拿大")),
    Country("DE", N_("Germany"), "EUR", ("de", "deutschland", "德国")),
    Country("FR", N_("France"), "EUR", ("fr", "法国")),
)
COUNTRY_BY_CODE = {country.code: country for country in COUNTRIES}
CURRENCIES = ("USD", "SGD", "MYR", "THB", "VND", "IDR", "PHP", "HKD", "TWD", "AUD", "NZD", "JPY", "KRW", "GBP", "CAD", "EUR", "CNY")
UNIT_WORDS = {
    "pcs": "pcs", "pc": "pcs", "pieces": "pcs", "piece": "pcs", "件": "pcs", "个": "pcs", "只": "pcs",
    "条": "pcs", "张": "pcs", "把": "pcs", "支": "pcs", "枚": "pcs", "瓶": "pcs", "盒": "pcs", "包": "pcs",
    "sets": "sets", "set": "sets", "套": "sets",
    "pairs": "pairs", "pair": "pairs", "双": "pairs",
    "cartons": "cartons", "carton": "cartons", "ctns": "cartons", "ctn": "cartons", "箱": "cartons",
    "kg": "kg", "kgs": "kg", "公斤": "kg", "千克": "kg",
    "m": "m", "meters": "m", "metres": "m", "米": "m",
    "units": "units", "unit": "units", "台": "units",
}


class InputError(ValueError):
    """What the buyer typed can't be used; `msgid` says why in words they understand."""

    def __init__(self, msgid: str, **params: object) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params


MAX_PRICE = Decimal(1000000)


def parse_price(text: str) -> Decimal | None:
    """A positive unit price typed by the buyer: "18.5", "¥18.50", "18,5"."""
    cleaned = text.strip().lstrip("¥￥").removesuffix("元").strip().replace(",", ".")
    try:
        price = Decimal(cleaned)
    except ArithmeticError:
        return None
    return price if price.is_finite() and 0 < price < MAX_PRICE and price.as_tuple().exponent >= -4 else None  # type: ignore[operator]


def parse_quantity(text: str) -> tuple[int, str | None]:
    """'500', '1,000 pcs', '2k', '1.5万', '300 sets' -> (quantity, unit or None)."""
    from bot.extraction.numerals import parse_number, to_halfwidth

    cleaned = to_halfwidth(text).strip().lower()
    match = re.fullmatch(r"(?:about\s+|around\s+|~)?([\d.,]+\s*[kK万千]?|[零一二两三四五六七八九十百千万]+)\s*([^\d\s].*)?", cleaned)
    if not match:
        raise InputError(N_("Please send the quantity as a number, for example 500 or 1,000 pcs."))
    number_text, unit_text = match.group(1).replace(" ", ""), (match.group(2) or "").strip(" .")
    multiplier = 1
    if number_text.endswith("k"):
        number_text, multiplier = number_text[:-1], 1000
    value = parse_number(number_text)
    if value is None:
        raise InputError(N_("Please send the quantity as a number, for example 500 or 1,000 pcs."))
    value *= multiplier
    if value != value.to_integral_value():
        raise InputError(N_("The quantity should be a whole number, for example 500."))
    if value <= 0:
        raise InputError(N_("The quantity must be at least 1."))
    if value > MAX_QUANTITY:
        raise InputError(N_("That is more than {limit} — please check the number."), limit=f"{MAX_QUANTITY:,}")
    unit = UNIT_WORDS.get(unit_text) if unit_text else None
    if unit_text and unit is None:
        close = difflib.get_close_matches(unit_text, list(UNIT_WORDS), n=1, cutoff=0.75)
        unit = UNIT_WORDS[close[0]] if close else None
    return int(value), unit


def parse_country(text: str, translated_names: dict[str, str] | None = None) -> Country:
    """A country from a code, an English or Chinese name, a name in the buyer's language, or a typo of one."""
    wanted = re.sub(r"[\s.]+", " ", text.strip().lower())
    if not wanted:
        raise InputError(N_("Which country should the goods go to? For example Singapore or AU."))
    names: dict[str, Country] = {}
    for country in COUNTRIES:
        names[country.code.lower()] = country
        names[country.name.lower()] = country
        for alias in country.aliases:
            names[alias] = country
        if translated_names and country.code in translated_names:
            names[translated_names[country.code].lower()] = country
    if wanted in names:
        return names[wanted]
    if wanted.replace(" ", "") in names:
        return names[wanted.replace(" ", "")]
    close = difflib.get_close_matches(wanted, [name for name in names if len(name) > 3], n=1, cutoff=0.75)
    if close:
        return names[close[0]]
    raise InputError(N_("I don't know the country “{text}”. Pick one of the buttons or type its name."), text=text[:60])


def parse_currency(text: str) -> str:
    wanted = text.strip().upper().replace("$", "D").replace("RMB", "CNY")
    aliases = {"SD": "SGD", "AUD$": "AUD", "A$D": "AUD", "US": "USD", "RM": "MYR", "YUAN": "CNY", "EURO": "EUR"}
    wanted = aliases.get(wanted, wanted)
    if wanted in CURRENCIES:
        return wanted
    close = difflib.get_close_matches(wanted, CURRENCIES, n=1, cutoff=0.6)
    if close and len(wanted) == 3:
        return close[0]
    raise InputError(N_("Please pick a currency from the buttons, or type its three-letter code like SGD."))


# Certificates buyers in our markets most often need: the EU's and UK's, the US's, Australia and New Zealand's
# electrical marks, Japan's and Korea's, and food-contact ones.
COMMON_CERTIFICATIONS = ("CE", "ROHS", "UKCA", "FCC", "UL", "FDA", "LFGB", "RCM", "SAA", "PSE", "KC", "REACH")
MAX_CERTIFICATIONS = 10
_CERTIFICATION_CODE = re.compile(r"[A-Z][A-Z0-9-]{1,11}")


def parse_certifications(text: str) -> list[str]:
    """Certificate codes the buyer typed: "CE, RoHS and SIRIM" -> ["CE", "ROHS", "SIRIM"]."""
    words = re.split(r"[\s,，、;；/]+|\bAND\b|和|及", text.upper())
    codes = [word for word in words if word]
    if not codes or not all(_CERTIFICATION_CODE.fullmatch(code) for code in codes):
        raise InputError(N_("Type certificate codes separated by commas, like CE, RoHS, SIRIM."))
    return with_certifications([], codes)


def with_certifications(chosen: list[str], added: list[str]) -> list[str]:
    """The certificates chosen so far with `added`, each once, at most MAX_CERTIFICATIONS."""
    codes = list(dict.fromkeys([*chosen, *added]))
    if len(codes) > MAX_CERTIFICATIONS:
        raise InputError(N_("Please name at most {limit} certificates."), limit=MAX_CERTIFICATIONS)
    return codes


def parse_address(text: str) -> str:
    """A forwarder's warehouse address as the buyer pasted it, line breaks kept."""
    address = "\n".join(" ".join(line.split()) for line in text.strip().splitlines() if line.strip())
    if not 5 <= len(address) <= MAX_ADDRESS_LENGTH:
        raise InputError(N_("Please send the full address, up to {limit} characters."), limit=MAX_ADDRESS_LENGTH)
    return address


def product_key(product: str | None) -> str:
    """Inquiries for one product: the same words, whatever the case and spacing."""
    return " ".join((product or "").lower().split())


def clean_product(text: str) -> str:
    product = re.sub(r"\s+", " ", text).strip()
    if len(product) < 2:
        raise InputError(N_("Tell me the product in a few words, or paste its 1688 link."))
    if len(product) > MAX_PRODUCT_LENGTH:
        raise InputError(
            N_("That is a bit long: please describe the product in under {limit} characters."), limit=MAX_PRODUCT_LENGTH
        )
    return product

