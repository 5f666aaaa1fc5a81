"""The questions a buyer can put to a supplier, and how far the answers have come.

A checklist is a list of question keys in canonical order: the built-in questions in the order below, then the
workspace's own questions (`custom:<id>`) by id. The Chinese wording of each question lives in
`templates/questions.j2`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from bot.i18n import N_

CUSTOM_PREFIX = "custom:"


@dataclass(frozen=True)
class Question:
    key: str
    label_msgid: str
    hint_msgid: str | None
    default_on: bool


FORWARDER_SHIPPING = "forwarder_shipping"  # asks for the forwarder's address the first time it is chosen
CERTIFICATIONS = "certifications"  # asks which certificates the buyer's market needs
BUILTIN_QUESTIONS: tuple[Question, ...] = (
    Question(
        "ships_abroad",
        N_("Ships outside China?"),
        N_("Some suppliers sell only within China."),
        True,
    ),
    Question("returns", N_("Return policy"), None, True),
    Question("delivery_time", N_("Delivery time"), N_("How many days from payment to dispatch."), True),
    Question(
        "production_time",
        N_("Stock or production time"),
        N_("Whether it is in stock, or how long it takes to make your quantity."),
        True,
    ),
    Question(
        CERTIFICATIONS,
        N_("Certifications"),
        N_("Turn this on if your market requires certificates for the product."),
        False,
    ),
    Question("moq", N_("Minimum order quantity"), None, True),
    Question("price_tiers", N_("Price at my quantity"), N_("The unit price for your quantity and any volume discounts."), True),
    Question("samples", N_("Samples"), N_("Whether samples are available and what they cost."), False),
    Question("customisation", N_("Logo and custom products (OEM)"), None, False),
    Question("packaging", N_("Packaging, carton size and weight"), N_("Helps your forwarder quote the shipping."), False),
    Question(
        FORWARDER_SHIPPING,
        N_("Shipping to my forwarder in China"),
        N_("Whether they deliver to your freight forwarder's warehouse, and at what cost."),
        False,
    ),
)

_BUILTIN_ORDER = {question.key: position for position, question in enumerate(BUILTIN_QUESTIONS)}

# The fields of an extracted supplier reply that answer each built-in question. Questions with no field are
# marked answered by the buyer.
ANSWERED_BY: dict[str, tuple[str, ...]] = {
    "ships_abroad": ("ships_abroad",),
    "returns": ("returns",),
    "delivery_time": ("lead_time_days",),
    "production_time": ("lead_time_days", "in_stock", "stock_partial"),
    "certifications": ("certifications", "certifications_missing"),
    "moq": ("moq",),
    "price_tiers": ("price_tiers", "price_includes_tax"),
    "samples": ("sample",),
    "customisation": ("oem",),
    "packaging": ("carton", "unit_weight_kg"),
    "forwarder_shipping": ("ships_to_forwarder", "free_domestic_shipping"),
}
# The facts that answer a question in full; the others above only add to it (a price "with tax" is no price,
# a unit weight is no carton). A question with none of these confirmed stays open.
COVERED_BY: dict[str, tuple[str, ...]] = {
    "price_tiers": ("price_tiers",),
    "packaging": ("carton",),
    "forwarder_shipping": ("ships_to_forwarder",),
}


def builtin_question(key: str) -> Question | None:
    position = _BUILTIN_ORDER.get(key)
    return None if position is None else BUILTIN_QUESTIONS[position]


def custom_key(custom_id: int) -> str:
    return f"{CUSTOM_PREFIX}{custom_id}"


def custom_id(key: str) -> int | None:
    """The id in a `custom:<id>` key; None for any other key, forged ones included."""
    if not key.startswith(CUSTOM_PREFIX):
        return None
    digits = key.removeprefix(CUSTOM_PREFIX)
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 18):
        return None
    # One spelling per question: "custom:07" would otherwise sit next to "custom:7".
    return int(digits) if custom_key(int(digits)) == key else None


def keys_answered_by(field: str) -> tuple[str, ...]:
    """The built-in questions an extracted field answers, e.g. "lead_time_days" -> delivery and production time."""
    return tuple(key for key, fields in ANSWERED_BY.items() if field in fields)


def _sort_key(key: str) -> tuple[int, int]:
    if key in _BUILTIN_ORDER:
        return (0, _BUILTIN_ORDER[key])
    identifier = custom_id(key)
    if identifier is None:
        raise ValueError(f"not a checklist key: {key!r}")
    return (1, identifier)


def _canonical(keys: Iterable[str]) -> list[str]:
    return sorted(set(keys), key=_sort_key)


def default_checklist(custom_defaults: Iterable[int] | None = None) -> list[str]:
    """The built-in questions that are on by default, then the workspace's default custom questions."""
    builtin = [question.key for question in BUILTIN_QUESTIONS if question.default_on]
    return _canonical([*builtin, *(custom_key(identifier) for identifier in custom_defaults or ())])


def toggle(keys: Iterable[str], key: str) -> list[str]:
    """Switch one question on or off; raises ValueError for a key that is not a checklist key."""
    _sort_key(key)
    chosen = set(keys)
    chosen.symmetric_difference_update({key})
    return _canonical(chosen)


def validate_keys(keys: Iterable[str], known_custom_ids: Collection[int]) -> list[str]:
    """Keep only real questions (built-in, or this workspace's custom ones), without repeats, in canonical order."""
    valid = [key for key in keys if key in _BUILTIN_ORDER or custom_id(key) in known_custom_ids]
    return _canonical(valid)


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int
    open_keys: list[str]

    @property
    def complete(self) -> bool:
        return not self.open_keys


def progress(asked_keys: Iterable[str], answered_keys: Iterable[str]) -> Progress:
    """How many of the asked questions have an answer; answers to questions not asked do not count."""
    asked = list(dict.fromkeys(asked_keys))
    answered = set(answered_keys)
    open_keys = [key for key in asked if key not in answered]
    return Progress(answered=len(asked) - len(open_keys), total=len(asked), open_keys=open_keys)
