"""Orders: from an accepted quote to the buyer's door. The states an order goes through, the moves allowed, the
supplier message that goes with each step, how a buyer in each country can pay, and tracking numbers.

Plain Python: no Telegram, no SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from bot.i18n import N_


class OrderStatus(StrEnum):
    DRAFT = "draft"  # made from the quote, not yet confirmed with the supplier
    CONFIRMED = "confirmed"  # the supplier confirmed quantity, price and specs
    AWAITING_PAYMENT = "awaiting_payment"
    DEPOSIT_PAID = "deposit_paid"  # 定金 paid, 尾款 (the balance) due before shipping
    PAID = "paid"
    IN_PRODUCTION = "in_production"
    READY_TO_SHIP = "ready_to_ship"
    SHIPPED_TO_FORWARDER = "shipped_to_forwarder"
    SHIPPED_INTERNATIONAL = "shipped_international"
    DELIVERED = "delivered"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    DISPUTED = "disputed"


S = OrderStatus
# Where an order can go from each status. Cancelling is possible until the goods leave the supplier; a dispute
# (wrong or faulty goods, money not acknowledged) from payment on, and it ends closed or back on track.
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.DRAFT: frozenset({S.CONFIRMED, S.CANCELLED}),
    S.CONFIRMED: frozenset({S.AWAITING_PAYMENT, S.CANCELLED}),
    S.AWAITING_PAYMENT: frozenset({S.DEPOSIT_PAID, S.PAID, S.CANCELLED}),
    S.DEPOSIT_PAID: frozenset({S.IN_PRODUCTION, S.PAID, S.CANCELLED, S.DISPUTED}),
    S.PAID: frozenset({S.IN_PRODUCTION, S.READY_TO_SHIP, S.CANCELLED, S.DISPUTED}),
    S.IN_PRODUCTION: frozenset({S.READY_TO_SHIP, S.PAID, S.DISPUTED}),  # PAID: the balance, once production ends
    S.READY_TO_SHIP: frozenset({S.SHIPPED_TO_FORWARDER, S.SHIPPED_INTERNATIONAL, S.DISPUTED}),
    S.SHIPPED_TO_FORWARDER: frozenset({S.SHIPPED_INTERNATIONAL, S.DISPUTED}),
    S.SHIPPED_INTERNATIONAL: frozenset({S.DELIVERED, S.DISPUTED}),
    S.DELIVERED: frozenset({S.CLOSED, S.DISPUTED}),
    S.DISPUTED: frozenset({S.CLOSED, S.IN_PRODUCTION, S.READY_TO_SHIP, S.DELIVERED}),
    S.CLOSED: frozenset(),
    S.CANCELLED: frozenset(),
}
OPEN_ORDER_STATUSES = tuple(status for status in OrderStatus if status not in (S.CLOSED, S.CANCELLED))
# The next step a buyer usually takes from each status, first among its buttons.
USUAL_NEXT: dict[OrderStatus, OrderStatus] = {
    S.DRAFT: S.CONFIRMED,
    S.CONFIRMED: S.AWAITING_PAYMENT,
    S.AWAITING_PAYMENT: S.PAID,
    S.DEPOSIT_PAID: S.IN_PRODUCTION,
    S.PAID: S.IN_PRODUCTION,
    S.IN_PRODUCTION: S.READY_TO_SHIP,
    S.READY_TO_SHIP: S.SHIPPED_TO_FORWARDER,
    S.SHIPPED_TO_FORWARDER: S.SHIPPED_INTERNATIONAL,
    S.SHIPPED_INTERNATIONAL: S.DELIVERED,
    S.DELIVERED: S.CLOSED,
    S.DISPUTED: S.CLOSED,
}
# The supplier message that goes with each status, sent (and marked "I sent it") before moving on.
MESSAGE_FOR: dict[OrderStatus, str] = {
    S.DRAFT: "order_confirm",
    S.AWAITING_PAYMENT: "payment_sent",
    S.DEPOSIT_PAID: "payment_sent",
    S.READY_TO_SHIP: "shipping_to_forwarder",
    S.SHIPPED_TO_FORWARDER: "request_tracking",
    S.DISPUTED: "after_sales",
}
STATUS_NAMES: dict[OrderStatus, str] = {
    S.DRAFT: N_("to confirm with the supplier"),
    S.CONFIRMED: N_("confirmed by the supplier"),
    S.AWAITING_PAYMENT: N_("awaiting payment"),
    S.DEPOSIT_PAID: N_("deposit paid, balance due"),
    S.PAID: N_("paid"),
    S.IN_PRODUCTION: N_("in production"),
    S.READY_TO_SHIP: N_("ready to ship"),
    S.SHIPPED_TO_FORWARDER: N_("on the way to the forwarder"),
    S.SHIPPED_INTERNATIONAL: N_("shipped abroad"),
    S.DELIVERED: N_("delivered"),
    S.CLOSED: N_("closed"),
    S.CANCELLED: N_("cancelled"),
    S.DISPUTED: N_("in dispute"),
}


@dataclass(frozen=True)
class OrderReminder:
    after: timedelta  # since the order reached the status
    text: str  # msgid: what is late and what to do


# What should have happened by when, in each status; the reminder stops when the order moves on.
REMINDERS: dict[OrderStatus, OrderReminder] = {
    S.DRAFT: OrderReminder(timedelta(days=2), N_("The supplier has not confirmed the order yet: send the confirmation message again or ask them.")),
    S.AWAITING_PAYMENT: OrderReminder(timedelta(days=3), N_("Payment is due: pay, then tell the supplier with the payment message.")),
    S.IN_PRODUCTION: OrderReminder(timedelta(days=15), N_("Production should be done by now: ask the supplier when the goods will be ready.")),
    S.SHIPPED_TO_FORWARDER: OrderReminder(timedelta(days=3), N_("No tracking number yet: ask the supplier for it.")),
    S.SHIPPED_INTERNATIONAL: OrderReminder(timedelta(days=21), N_("The shipment is overdue: check the tracking or ask your forwarder.")),
}  # fmt: skip


class InvalidOrderMove(Exception):
    def __init__(self, current: OrderStatus, wanted: OrderStatus) -> None:
        super().__init__(f"an order cannot go from {current} to {wanted}")
        self.current = current
        self.wanted = wanted


def move(current: str, wanted: OrderStatus) -> OrderStatus:
    """The status after a move the domain allows; raises InvalidOrderMove for any other."""
    status = OrderStatus(current)
    if wanted not in TRANSITIONS[status]:
        raise InvalidOrderMove(status, wanted)
    return wanted


class PaymentMethod(StrEnum):
    CROSS_BORDER_PAY = "cross_border_pay"  # 1688 跨境宝
    BANK_TRANSFER = "bank_transfer"
    ALIPAY = "alipay"
    AGENT = "agent"  # through a sourcing agent


# Where 1688 Cross-border Pay is open to buyers, per the buying guide.
CROSS_BORDER_PAY_COUNTRIES = frozenset({"SG", "MY", "TH", "VN", "ID", "HK", "AU", "NZ"})


def payment_methods_for(country: str | None) -> list[PaymentMethod]:
    """The ways a buyer in `country` can pay, the most protected first."""
    others = [PaymentMethod.ALIPAY, PaymentMethod.BANK_TRANSFER, PaymentMethod.AGENT]
    if (country or "").upper() in CROSS_BORDER_PAY_COUNTRIES:
        return [PaymentMethod.CROSS_BORDER_PAY, *others]
    return others


@dataclass(frozen=True)
class Tracking:
    number: str
    carrier: str | None  # None: a number no known format matches, kept as the buyer typed it
    url: str | None


_CARRIERS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("China Post / ePacket", re.compile(r"[A-Z]{2}\d{9}CN"), "https://t.17track.net/en#nums={number}"),
    ("UPS", re.compile(r"1Z[0-9A-Z]{16}"), "https://www.ups.com/track?tracknum={number}"),
    ("SF Express", re.compile(r"SF\d{12,13}"), "https://www.sf-express.com/chn/en/waybill/list?waybillNo={number}"),
    ("DHL", re.compile(r"\d{10}|JJD\d{18}"), "https://www.dhl.com/en/express/tracking.html?AWB={number}"),
    ("FedEx", re.compile(r"\d{12}|\d{15}"), "https://www.fedex.com/fedextrack/?trknbr={number}"),
)


def recognise_tracking(text: str) -> Tracking:
    """A tracking number with its carrier and link when its format is known ("LX123456789CN" is ePacket)."""
    number = re.sub(r"[\s-]", "", text).upper()
    for carrier, pattern, url in _CARRIERS:
        if pattern.fullmatch(number):
            return Tracking(number, carrier, url.format(number=number))
    return Tracking(" ".join(text.split())[:64], None, None)
