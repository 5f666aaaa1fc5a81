"""Rendering shared by every concern: facts, money, quantities, question labels and supplier messages as
Telegram HTML.

Every value from users, suppliers or translators is escaped by `Translator` or `escape()`; money and
quantities are formatted here, never by hand in a handler.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from bot.domain import checklist
from bot.domain.inquiries import UNIT_WORDS, InquiryStatus
from bot.domain.suppliers import SupplierLink
from bot.domain.answers import DealBreaker, Flag
from bot.extraction.result import MANUAL, Carton, Fact, LeadTime, Money, Moq, Oem, PriceTier, Returns, Sample
from bot.i18n import N_, Markup, Translator
from bot.services.results import InquiryView
from bot.telegram_io import escape

STATUS_LABELS = {
    InquiryStatus.DRAFT: N_("draft"),
    InquiryStatus.READY: N_("message ready, not sent yet"),
    InquiryStatus.AWAITING_REPLY: N_("waiting for the reply"),
    InquiryStatus.ANSWERED: N_("all answered"),
    InquiryStatus.CLOSED: N_("closed"),
}
UNIT_LABELS = {
    "pcs": N_("pcs"),
    "sets": N_("sets"),
    "pairs": N_("pairs"),
    "cartons": N_("cartons"),
    "kg": N_("kg"),
    "m": N_("m"),
    "units": N_("units"),
}
CURRENCY_SIGNS = {"CNY": "¥", "USD": "US$", "SGD": "S$", "HKD": "HK$", "AUD": "A$", "NZD": "NZ$", "EUR": "€", "GBP": "£"}


def money(amount: str | Decimal | None, currency: str | None) -> str:
    if amount is None:
        return "—"
    value = Decimal(str(amount)).quantize(Decimal("0.01"), ROUND_HALF_UP)  # money rounds half up, when shown
    text = f"{value:,.2f}" if value != value.to_integral_value() or value < 100 else f"{value:,.0f}"
    sign = CURRENCY_SIGNS.get(currency or "CNY")
    return f"{sign}{text}" if sign else f"{text} {currency}"


def unit_label(unit: str | None, _: Translator) -> str:
    """A unit in the buyer's language, whether it was typed by the buyer ("pcs") or by a supplier ("个")."""
    normal = UNIT_WORDS.get((unit or "pcs").lower(), unit)
    return _(UNIT_LABELS[normal]) if normal in UNIT_LABELS else str(unit)


def quantity_text(inquiry: InquiryView, _: Translator) -> str:
    if inquiry.quantity is None:
        return "—"
    return f"{inquiry.quantity:,} {unit_label(inquiry.unit, _)}"


def _number(value: Any) -> str:
    number = Decimal(str(value))
    return f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,}"


def describe_fact(fact: Fact, _: Translator) -> str:
    """One fact from a supplier's reply (or typed by the buyer), in the buyer's words (HTML, values escaped)."""
    value = fact.value
    if fact.field == MANUAL:
        return _("“{text}”", text=str(value))
    if isinstance(value, Moq):
        return _("MOQ: {quantity} {unit}", quantity=_number(value.quantity), unit=unit_label(value.unit, _))
    if isinstance(value, Money):
        return _("Minimum order value: {amount}", amount=money(value.amount, value.currency))
    if isinstance(value, LeadTime):
        low, high = value.min_days, value.max_days
        days = f"{low}–{high}" if low is not None and low != high else str(high)
        return _("Lead time: {days} days", days=days) if high else _("Lead time: ships the same day")
    if isinstance(value, Returns):
        if not value.accepted:
            return _("Returns: not accepted")
        if value.quality_only and value.days:
            return _("Returns: only for quality problems, within {days} days", days=value.days)
        if value.quality_only:
            return _("Returns: only for quality problems")
        if value.days:
            return _("Returns: accepted within {days} days", days=value.days)
        return _("Returns: accepted")
    if isinstance(value, Sample):
        if not value.available:
            return _("Samples: not available")
        if value.price is None:
            return _("Samples: available")
        if value.price == 0:
            return _("Samples: available, free")
        return _("Samples: available, {price}", price=money(value.price, "CNY"))
    if fact.field == "price_tiers":
        return _("Unit price: {tiers}", tiers=" · ".join(_tier(tier) for tier in value if isinstance(tier, PriceTier)))
    if fact.field == "certifications":
        return _("Certifications: {codes}", codes=", ".join(map(str, value))) if value else _("Certifications: none")
    if isinstance(value, Carton):
        return _("Carton: {carton}", carton=_carton(value, _))
    if isinstance(value, Oem):
        return _oem(value, _)
    return _yes_no(fact, _)


def _yes_no(fact: Fact, _: Translator) -> str:
    value = fact.value
    if fact.field == "in_stock":
        return _("In stock") if value else _("Not in stock: made to order")
    if fact.field == "stock_partial":
        return _("Part in stock, the rest made to order")
    if fact.field == "ships_abroad":
        return _("Ships outside China: yes") if value else _("Ships outside China: no")
    if fact.field == "ships_to_forwarder":
        return _("Delivers to your forwarder in China: yes") if value else _("Delivers to your forwarder in China: no")
    if fact.field == "free_domestic_shipping":
        return _("Shipping within China: included") if value else _("Shipping within China: extra")
    if fact.field == "price_includes_tax":
        return _("Prices include tax (invoice)") if value else _("Prices exclude tax")
    if fact.field == "certifications_missing":
        return _("Certificates they don't have: {codes}", codes=", ".join(map(str, value)))  # type: ignore[arg-type]
    if fact.field == "unit_weight_kg":
        return _("Weight per piece: {kg} kg", kg=_number(value))
    return escape(f"{fact.field}: {value}")


def _carton(carton: Carton, _: Translator) -> str:
    parts = []
    if carton.units is not None:
        parts.append(_("{units} pieces", units=_number(carton.units)))
    sizes = (carton.length_cm, carton.width_cm, carton.height_cm)
    if all(size is not None for size in sizes):
        parts.append("×".join(_number(size) for size in sizes) + " cm")
    if carton.gross_kg is not None:
        parts.append(_("{kg} kg gross", kg=_number(carton.gross_kg)))
    return ", ".join(parts)


def _oem(oem: Oem, _: Translator) -> str:
    if not oem.available:
        return _("Logo / custom products: not offered")
    parts = [_("Logo / custom products: yes")]
    if oem.fee is not None:
        parts.append(_("free set-up") if oem.fee == 0 else _("set-up fee {fee}", fee=money(oem.fee, "CNY")))
    if oem.min_qty is not None:
        parts.append(_("from {quantity} pieces", quantity=_number(oem.min_qty)))
    return ", ".join(parts)


def flag_text(flag: Flag, inquiry: InquiryView, _: Translator) -> str:
    """A deal-breaker in one line (HTML)."""
    if flag.kind is DealBreaker.NO_EXPORT:
        return _("🚩 They don't ship outside China: have it delivered to a forwarder in China.")
    if flag.kind is DealBreaker.MISSING_CERTIFICATE:
        return _("🚩 No {codes} certificate, which your market needs.", codes=flag.detail)
    if flag.kind is DealBreaker.MOQ_ABOVE_QUANTITY:
        return _("🚩 Their MOQ ({moq}) is above your quantity ({quantity}).", moq=_number(flag.detail), quantity=quantity_text(inquiry, _))
    return _("🚩 They don't make logos or custom products.")


def question_number(inquiry: InquiryView, key: str) -> int:
    """A question's number in the inquiry: the same on every card and in every message."""
    return inquiry.questions.index(key) + 1 if key in inquiry.questions else len(inquiry.questions) + 1


def _tier(tier: PriceTier) -> str:
    if tier.max_qty is not None:
        span = f"{_number(tier.min_qty)}–{_number(tier.max_qty)}"
    else:
        span = f"{_number(tier.min_qty)}+"
    return f"{span}: {money(tier.unit_price, tier.currency)}"


def question_label(key: str, custom_texts: dict[str, str], _: Translator) -> str:
    question = checklist.builtin_question(key)
    if question is not None:
        return _(question.label_msgid)
    return custom_texts.get(key, key)


def supplier_message(_: Translator, zh: str, lines: list[tuple[str, str]], intro: str) -> str:
    """A message for the supplier: the Chinese in a block to copy, then what each line means (to a buyer who
    reads Chinese the block says it all)."""
    if _.language.startswith("zh"):
        return f"{_(intro)}\n<pre>{escape(zh)}</pre>"
    meaning = "\n".join(
        f"<i>{escape(zh_line)}</i>\n→ {escape(gloss)}" if gloss else f"<i>{escape(zh_line)}</i>"
        for zh_line, gloss in lines
        if zh_line.strip()
    )
    return (
        f"{_(intro)}\n<pre>{escape(zh)}</pre>\n\n"
        + _("<b>What it says</b>, line by line:")
        + f"\n<blockquote expandable>{meaning}</blockquote>"
    )


def original_quote(text: str) -> Markup:
    """The original text, one tap away, in an expandable quote."""
    return Markup(f"<blockquote expandable>{escape(text)}</blockquote>")


def supplier_name_for_link(link: SupplierLink, _: Translator) -> str:
    """What to call a supplier added from a link, until the buyer names it: its shop, else its offer."""
    return link.shop or _("1688 offer {offer_id}", offer_id=link.offer_id)
