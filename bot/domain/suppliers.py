"""Suppliers on 1688: reading the links buyers paste, seller types, and a transparent trust score.

Pure functions and value types; the bot stores the results on its own models.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from bot.i18n import N_


@dataclass(frozen=True)
class Note:
    """A buyer-visible remark: a msgid and the values for its `{placeholders}`."""

    msgid: str
    params: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------
# Links
# ---------------------------------------------------------------------------


class LinkError(ValueError):
    """A link that must not be accepted as a 1688 link; `reason_msgid` says why in words a buyer understands."""

    def __init__(self, reason_msgid: str) -> None:
        super().__init__(reason_msgid)
        self.reason_msgid = reason_msgid


@dataclass(frozen=True)
class SupplierLink:
    offer_id: str | None
    shop: str | None
    url: str


NOT_A_1688_LINK = N_("This is a link to another website, not to 1688.com.")
LOOKALIKE_LINK = N_("This link only looks like 1688.com: it leads to another website. Copy the link again from the 1688 app or website.")
NOT_A_WEB_LINK = N_("Only web links (starting with http:// or https://) to 1688.com are accepted.")
HIDDEN_HOST_LINK = N_("This link hides its real address behind an @ sign, a common trick. Copy the link again from the 1688 app or website.")
NOT_A_PRODUCT_LINK = N_("This 1688 link is not a product or a shop page. Open the product or the supplier's shop and copy its link.")

# Subdomains of 1688.com that are the platform's own services, never a supplier's shop.
SERVICE_SUBDOMAINS = frozenset(
    "air cart cbu01 club detail dj global help home i img login m member news offer order page passport pay rule "
    "s sale search service show static trade winport work www".split()
)

# Characters that end a link inside a message: whitespace, quotes, brackets and CJK punctuation.
_STOP = r"\s<>\"'`【】「」『』（）()，。；！？、《》"
_SCHEME_URL = re.compile(rf"[A-Za-z][A-Za-z0-9+.\-]*://[^{_STOP}]+")
# A bare host with an optional path. Latin, Greek, Cyrillic and full-width letters are included so that
# look-alike hosts are caught; Chinese characters are not, so text glued to a link stays text.
_HOST_CHAR = r"A-Za-z0-9\-\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
_BARE_URL = re.compile(rf"(?<![{_HOST_CHAR}.@])[{_HOST_CHAR}@]+(?:[.\uff0e][{_HOST_CHAR}@]+)+(?:[/?#:][^{_STOP}]*)?")
_TRAILING_PUNCTUATION = ".,;:!?)]}'\"…"
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_OFFER_PATH = re.compile(r"/[^/]*offer[^/]*/(?:[^/]+/)*?(\d{5,20})\.html?$", re.IGNORECASE)
_OFFER_ID_PARAM = re.compile(r"offer_?id", re.IGNORECASE)
_OFFER_ID = re.compile(r"\d{5,20}")


def parse_1688_link(text: str) -> SupplierLink | None:
    """The first 1688 offer or shop link in `text`, normalised; None when the text holds no link.

    Raises `LinkError` when the text holds a link that is not a usable 1688 link (another site, a look-alike,
    a trick) and no usable one. A bare mention such as "found on 1688.com" is not a link.
    """
    first_error: LinkError | None = None
    for candidate, has_scheme in _candidates(text):
        try:
            link = _parse_candidate(candidate, has_scheme)
        except LinkError as error:
            first_error = first_error or error
            continue
        if link is not None:
            return link
    if first_error is not None:
        raise first_error
    return None


def _candidates(text: str) -> list[tuple[str, bool]]:
    found: list[tuple[int, str, bool]] = []
    remaining = text
    for match in _SCHEME_URL.finditer(text):
        found.append((match.start(), _trim(match.group()), True))
        remaining = remaining[: match.start()] + " " * len(match.group()) + remaining[match.end() :]
    for match in _BARE_URL.finditer(remaining):
        found.append((match.start(), _trim(match.group()), False))
    return [(candidate, has_scheme) for _, candidate, has_scheme in sorted(found)]


def _trim(candidate: str) -> str:
    return candidate.rstrip(_TRAILING_PUNCTUATION)


def _mentions_1688(host: str) -> bool:
    """Whether a host tries to look like 1688: digits written full-width, l or i for 1, and so on."""
    skeleton = unicodedata.normalize("NFKC", unquote(host)).casefold()
    return "1688" in skeleton.translate(str.maketrans({"l": "1", "i": "1", "|": "1"}))


def _parse_candidate(candidate: str, has_scheme: bool) -> SupplierLink | None:
    if has_scheme:
        scheme, _, rest = candidate.partition("://")
        scheme = scheme.lower()
        # "Link:https://..." glued to a word: the scheme is the trailing http or https.
        scheme = next((web for web in ("https", "http") if scheme.endswith(web)), scheme)
        if scheme not in ("http", "https"):
            raise LinkError(NOT_A_WEB_LINK)
    else:
        rest = candidate
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    if "@" in authority or "\\" in authority:
        # Browsers read "1688.com@evil.net" as a login name on evil.net, and a backslash as a slash.
        if has_scheme or _mentions_1688(authority):
            raise LinkError(HIDDEN_HOST_LINK)
        return None
    host, _, port = authority.partition(":")
    host = host.rstrip(".").lower()
    if not has_scheme and not (_mentions_1688(host) and re.search(r"[^\W\d_]", host.rsplit(".", 1)[-1])):
        # A bare "Co.Ltd", "shop.example" or "1688.00" in a supplier's name or a price is text, not a link.
        return None
    if not _is_1688_host(host) or port not in ("", "80", "443"):
        raise LinkError(LOOKALIKE_LINK if _mentions_1688(host) else NOT_A_1688_LINK)
    parts = urlsplit("https://" + rest)
    if not has_scheme and host in ("1688.com", "www.1688.com") and parts.path in ("", "/") and not parts.query:
        return None
    return _supplier_link(host, parts.path, parts.query, parts.fragment)


def _is_1688_host(host: str) -> bool:
    if not host.isascii() or not (host == "1688.com" or host.endswith(".1688.com")):
        return False
    labels = host.split(".")
    return all(_LABEL.fullmatch(label) and not label.startswith("xn--") for label in labels)


def _supplier_link(host: str, path: str, query: str, fragment: str) -> SupplierLink:
    subdomain = host.removesuffix("1688.com").rstrip(".")
    shop = subdomain if subdomain and "." not in subdomain and subdomain not in SERVICE_SUBDOMAINS else None
    offer_id = _offer_id(path, query, fragment)
    if offer_id is not None:
        return SupplierLink(offer_id=offer_id, shop=shop, url=f"https://detail.1688.com/offer/{offer_id}.html")
    if shop is not None:
        return SupplierLink(offer_id=None, shop=shop, url=f"https://{shop}.1688.com")
    raise LinkError(NOT_A_PRODUCT_LINK)


def _offer_id(path: str, query: str, fragment: str) -> str | None:
    if match := _OFFER_PATH.search(path):
        return match.group(1)
    # Mobile and single-page links carry the id as ?offerId=, sometimes after the # of the page route.
    for part in (query, fragment.partition("?")[2]):
        for name, value in parse_qsl(part):
            if _OFFER_ID_PARAM.fullmatch(name) and _OFFER_ID.fullmatch(value):
                return value
    return None


# ---------------------------------------------------------------------------
# Seller types
# ---------------------------------------------------------------------------


class SellerType(Enum):
    WHOLESALER = "wholesaler"
    BRAND = "brand"
    FACTORY = "factory"
    AGENT = "agent"

    @property
    def label(self) -> str:
        return _SELLER_TYPE_LABELS[self]

    @property
    def hint(self) -> str:
        return _SELLER_TYPE_HINTS[self]


_SELLER_TYPE_LABELS = {
    SellerType.WHOLESALER: N_("Wholesaler"),
    SellerType.BRAND: N_("Brand owner"),
    SellerType.FACTORY: N_("Factory"),
    SellerType.AGENT: N_("Sourcing agent"),
}
_SELLER_TYPE_HINTS = {
    SellerType.WHOLESALER: N_("Most 1688 shops: goods in stock, minimum orders of a few pieces."),
    SellerType.BRAND: N_("Sells under its own brand and logo, usually with low minimum orders."),
    SellerType.FACTORY: N_("Makes goods to order: higher minimum orders, sometimes 1,000 pieces or more."),
    SellerType.AGENT: N_("A middleman who finds and manages suppliers for you; agents charge a commission, typically 1-3%."),
}


# ---------------------------------------------------------------------------
# Trust signals
# ---------------------------------------------------------------------------


class Badge(Enum):
    POWER_MERCHANT = "power_merchant"
    SUPER_FACTORY = "super_factory"
    VERIFIED_FACTORY = "verified_factory"
    BUYER_PROTECTION = "buyer_protection"
    SHIPS_24H = "ships_24h"
    CROSS_BORDER = "cross_border"

    @property
    def label(self) -> str:
        return _BADGE_LABELS[self]

    @property
    def points(self) -> int:
        return _BADGE_POINTS[self]


# The Chinese names are kept in the labels: they are what the buyer looks for on the shop page.
_BADGE_LABELS = {
    Badge.POWER_MERCHANT: N_("Power merchant (实力商家)"),
    Badge.SUPER_FACTORY: N_("Super factory (超级工厂)"),
    Badge.VERIFIED_FACTORY: N_("Audited factory (深度验厂)"),
    Badge.BUYER_PROTECTION: N_("Buyer protection"),
    Badge.SHIPS_24H: N_("Ships within 24 hours (24小时发货)"),
    Badge.CROSS_BORDER: N_("Cross-border seller (跨境)"),
}
_BADGE_POINTS = {
    Badge.POWER_MERCHANT: 4,
    Badge.SUPER_FACTORY: 3,
    Badge.VERIFIED_FACTORY: 3,
    Badge.BUYER_PROTECTION: 3,
    Badge.SHIPS_24H: 1,
    Badge.CROSS_BORDER: 1,
}


@dataclass(frozen=True)
class TrustSignals:
    """What the buyer read on the supplier's 1688 page; None is "not answered", an empty badge set is "none"."""

    years_on_1688: float | None = None
    response_rate: float | None = None
    return_rate: float | None = None
    rating: float | None = None
    badges: frozenset[Badge] | None = None
    tx_90d: int | None = None
    tx_industry_avg: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form for storage; unanswered signals are left out."""
        stored: dict[str, Any] = {}
        for key in _SIGNAL_KEYS:
            value = getattr(self, key)
            if key == "badges" and value is not None:
                stored[key] = sorted(badge.value for badge in value)
            elif value is not None:
                stored[key] = value
        return stored

    @classmethod
    def from_dict(cls, stored: Mapping[str, Any]) -> TrustSignals:
        """Read back `to_dict` output, dropping anything unknown or out of range."""
        known = {badge.value: badge for badge in Badge}
        signals = cls()
        for question in TRUST_QUESTIONS:
            value = stored.get(question.key)
            if value is None:
                continue
            if question.kind is AnswerKind.BADGES:
                if isinstance(value, list):
                    signals = replace(signals, badges=frozenset(known[v] for v in value if v in known))
            elif question.parse is not None:
                parsed = question.parse(str(value))
                if parsed is not None:
                    signals = replace(signals, **{question.key: parsed})
        return signals

    def answer(self, key: str, value: float | frozenset[Badge] | None) -> TrustSignals:
        """A copy with one signal answered (or cleared with None)."""
        if key not in _SIGNAL_KEYS:
            raise KeyError(key)
        if key in ("tx_90d", "tx_industry_avg") and isinstance(value, float):
            value = round(value)
        return replace(self, **{key: value})


_SIGNAL_KEYS = ("years_on_1688", "response_rate", "return_rate", "rating", "badges", "tx_90d", "tx_industry_avg")


class AnswerKind(Enum):
    NUMBER = "number"
    PERCENT = "percent"
    RATING = "rating"
    BADGES = "badges"


def _first_number(text: str) -> tuple[float, str] | None:
    """The first number in a buyer's answer (full-width digits and a decimal comma allowed) and what follows it."""
    normalised = unicodedata.normalize("NFKC", text).strip()
    match = re.search(r"\d+(?:[.,]\d+)?", normalised)
    if match is None:
        return None
    return float(match.group().replace(",", ".")), normalised[match.end() :].strip().casefold()


def parse_percent(text: str) -> float | None:
    """"95%", "95 %", "95.0", "95,5" -> a percentage 0-100; None when it is not one."""
    found = _first_number(text)
    if found is None or not 0 <= found[0] <= 100:
        return None
    return found[0]


def parse_years(text: str) -> float | None:
    """"3 years", "3年", "3", "2.5 yrs", "6 months", "6个月" -> years on 1688; None when it is not a duration."""
    found = _first_number(text)
    if found is None:
        return None
    number, rest = found
    years = number / 12 if rest.startswith(("month", "mo", "个月", "月")) else number
    # 1688 opened in 1999, so no shop can be older than that.
    return round(years, 2) if 0 <= years <= 30 else None


def parse_rating(text: str) -> float | None:
    """"4.8", "4,8", "4.8/5", "4.8分" -> a rating 0-5; None when it is not one."""
    found = _first_number(text)
    if found is None or not 0 <= found[0] <= 5:
        return None
    return found[0]


def parse_count(text: str) -> int | None:
    """"1,234", "1.2万", "500+", "12k" -> a whole count as 1688 pages show it; None when it is not one."""
    normalised = unicodedata.normalize("NFKC", text).strip().casefold()
    match = re.search(r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?", normalised)
    if match is None:
        return None
    number = float(match.group().replace(",", ""))
    rest = normalised[match.end() :].strip()
    multiplier = 10_000 if rest.startswith("万") else 1_000 if rest.startswith("k") else 1
    return round(number * multiplier)


@dataclass(frozen=True)
class TrustQuestion:
    """One trust signal the bot asks for, one tap at a time; every question can be skipped."""

    key: str
    prompt_msgid: str
    kind: AnswerKind
    choices: tuple[float, ...] | tuple[Badge, ...]
    parse: Callable[[str], float | int | None] | None


TRUST_QUESTIONS: tuple[TrustQuestion, ...] = (
    TrustQuestion(
        "years_on_1688",
        N_("How many years has the supplier been on 1688?"),
        AnswerKind.NUMBER,
        (1, 2, 3, 5, 10),
        parse_years,
    ),
    TrustQuestion(
        "response_rate",
        N_("What is the supplier's response rate, in percent?"),
        AnswerKind.PERCENT,
        (60, 70, 80, 90, 95, 100),
        parse_percent,
    ),
    TrustQuestion(
        "return_rate",
        N_("What is the repeat-purchase rate (回头率): the share of buyers who order again?"),
        AnswerKind.PERCENT,
        (5, 10, 20, 30, 40, 50),
        parse_percent,
    ),
    TrustQuestion(
        "rating",
        N_("What rating do other buyers give the supplier (out of 5)?"),
        AnswerKind.RATING,
        (4.0, 4.5, 4.7, 4.8, 4.9, 5.0),
        parse_rating,
    ),
    TrustQuestion(
        "badges",
        N_("Which of these badges does the shop show? Tap all that apply, then Done."),
        AnswerKind.BADGES,
        tuple(Badge),
        None,
    ),
    TrustQuestion(
        "tx_90d",
        N_("How many transactions did the supplier make in the last 90 days?"),
        AnswerKind.NUMBER,
        (10, 50, 100, 500, 1000),
        parse_count,
    ),
    TrustQuestion(
        "tx_industry_avg",
        N_("And the industry average shown next to it?"),
        AnswerKind.NUMBER,
        (10, 50, 100, 500, 1000),
        parse_count,
    ),
)


def trust_question(key: str) -> TrustQuestion | None:
    return next((question for question in TRUST_QUESTIONS if question.key == key), None)


@dataclass(frozen=True)
class Contribution:
    """What one signal added to the score, shown to the buyer as `signal_msgid` filled with `params`."""

    signal_msgid: str
    points: int
    max_points: int
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TrustReport:
    score: int
    contributions: list[Contribution]
    warnings: list[Note]
    unknown: list[str]


YEARS_MAX, RESPONSE_MAX, RETURN_MAX, RATING_MAX, BADGES_MAX, TRANSACTIONS_MAX = 20, 15, 15, 20, 15, 15


def trust_score(signals: TrustSignals) -> TrustReport:
    """A 0-100 score that is the plain sum of the points below; nothing is hidden or weighted after.

    - Years on 1688 (max 20): under 1 year 0, 1-2 years 5, 2-3 years 10, 3-5 years 15, 5 years or more 20.
    - Response rate (max 15): 90% or more 15, 80% 10, 70% 5, below 70% 0.
    - Repeat-purchase rate, 回头率 (max 15): 40% or more 15, 25% 10, 10% 5, below 10% 0.
    - Rating out of 5 (max 20): 4.8 or more 20, 4.5 15, 4.0 5, below 4.0 0.
    - Badges (max 15): power merchant 4, super factory 3, audited factory 3, buyer protection 3,
      ships within 24 hours 1, cross-border 1.
    - 90-day transactions against the industry average (max 15, needs both numbers): at or above the average 15,
      at least half of it 8, less than half 0.

    An unanswered signal adds nothing and is listed in `unknown`, so a low score can mean "not checked yet".
    """
    contributions: list[Contribution] = []
    warnings: list[Note] = []
    unknown: list[str] = []

    if signals.years_on_1688 is None:
        unknown.append(N_("Years on 1688"))
    else:
        years = signals.years_on_1688
        points = 20 if years >= 5 else 15 if years >= 3 else 10 if years >= 2 else 5 if years >= 1 else 0
        contributions.append(Contribution(N_("Years on 1688: {years}"), points, YEARS_MAX, {"years": _number(years)}))
        if years < 1:
            warnings.append(Note(N_("On 1688 for less than a year")))

    if signals.response_rate is None:
        unknown.append(N_("Response rate"))
    else:
        rate = signals.response_rate
        points = 15 if rate >= 90 else 10 if rate >= 80 else 5 if rate >= 70 else 0
        contributions.append(Contribution(N_("Response rate: {percent}%"), points, RESPONSE_MAX, {"percent": _number(rate)}))
        if rate < 70:
            warnings.append(Note(N_("Response rate below 70%")))

    if signals.return_rate is None:
        unknown.append(N_("Repeat-purchase rate"))
    else:
        rate = signals.return_rate
        points = 15 if rate >= 40 else 10 if rate >= 25 else 5 if rate >= 10 else 0
        contributions.append(Contribution(N_("Repeat-purchase rate: {percent}%"), points, RETURN_MAX, {"percent": _number(rate)}))
        if rate < 10:
            warnings.append(Note(N_("Few buyers order again (repeat-purchase rate below 10%)")))

    if signals.rating is None:
        unknown.append(N_("Rating"))
    else:
        rating = signals.rating
        points = 20 if rating >= 4.8 else 15 if rating >= 4.5 else 5 if rating >= 4.0 else 0
        contributions.append(Contribution(N_("Rating: {rating} / 5"), points, RATING_MAX, {"rating": _number(rating)}))
        if rating < 4.5:
            warnings.append(Note(N_("Rated below 4.5")))

    if signals.badges is None:
        unknown.append(N_("Badges"))
    elif not signals.badges:
        contributions.append(Contribution(N_("No badges"), 0, BADGES_MAX))
    else:
        for badge in Badge:
            if badge in signals.badges:
                contributions.append(Contribution(badge.label, badge.points, badge.points))

    if signals.tx_90d is None or signals.tx_industry_avg is None:
        unknown.append(N_("90-day transactions against the industry average"))
    else:
        count, average = signals.tx_90d, signals.tx_industry_avg
        points = 15 if count >= average else 8 if count * 2 >= average else 0
        contributions.append(
            Contribution(
                N_("90-day transactions: {count} (industry average {average})"),
                points,
                TRANSACTIONS_MAX,
                {"count": count, "average": average},
            )
        )
        if count * 2 < average:
            warnings.append(Note(N_("90-day transactions well below the industry average")))

    score = sum(contribution.points for contribution in contributions)
    return TrustReport(score=score, contributions=contributions, warnings=warnings, unknown=unknown)


def _number(value: float) -> str:
    """3.0 -> "3", 4.75 -> "4.75": how a buyer would write it."""
    return f"{value:.2f}".rstrip("0").rstrip(".")
