"""Orders: from an accepted quote to the buyer's door. The states an order goes through, the moves allowed, the
supplier message that goes with each step, how a buyer in each country can pay, and tracking numbers.

Plain Python: no Telegram, no SQL.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from bot.domain.inquiries import InputError
from bot.i18n import N_


class OrderKind(StrEnum):
    ORDER = "order"  # the goods, from an accepted quote
    SAMPLE = "sample"  # a few pieces first, paid for and shipped the same way


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
    S.DEPOSIT_PAID: "payment_sent",
    S.PAID: "payment_sent",
    S.READY_TO_SHIP: "shipping_to_forwarder",
    S.SHIPPED_TO_FORWARDER: "request_tracking",
    S.DISPUTED: "after_sales",
}


def usual_next(status: OrderStatus, via_forwarder: bool, *, owing: bool = False, produced: bool = False) -> OrderStatus | None:
    """The step a buyer usually takes next: the balance once production is under way (and then shipping, not
    production again), and goods ready to ship go to the forwarder only when the order uses one."""
    if status is S.READY_TO_SHIP and not via_forwarder:
        return S.SHIPPED_INTERNATIONAL
    if status is S.IN_PRODUCTION and owing:
        return S.PAID
    if status is S.PAID and produced:
        return S.READY_TO_SHIP
    return USUAL_NEXT.get(status)


def production_due(lead_days: int | None) -> timedelta:
    """When to ask whether production is done: the supplier's own lead time and two days' grace, when known."""
    return timedelta(days=lead_days + 2) if lead_days else REMINDERS[S.IN_PRODUCTION].after


# The goods leave the supplier only once everything is paid (the balance, 尾款, before shipping).
PAID_BEFORE = frozenset({S.READY_TO_SHIP, S.SHIPPED_TO_FORWARDER, S.SHIPPED_INTERNATIONAL, S.DELIVERED})
# Where sending the step's message asks the supplier something, the step's reminder counts again from then.
REMINDER_RESTARTS = frozenset({S.DRAFT, S.SHIPPED_TO_FORWARDER})


def message_for(status: OrderStatus, kind: OrderKind, via_forwarder: bool, tracked: bool) -> str | None:
    """The supplier message for an order's step: a sample is asked for with the sample request; goods shipped
    straight to the buyer need no forwarder's address, only the tracking number once they leave."""
    if status is S.DRAFT and kind is OrderKind.SAMPLE:
        return "sample_request"
    if status is S.READY_TO_SHIP and not via_forwarder:
        return None
    if status is S.SHIPPED_INTERNATIONAL:  # the forwarder ships abroad: the supplier has no tracking to give
        return "request_tracking" if not tracked and not via_forwarder else None
    return MESSAGE_FOR.get(status)
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


# A deposit's balance is due on a date the supplier set, whatever step production has reached.
BALANCE_REMINDER = N_("The balance (尾款) is due today: pay it, then tell the supplier with the payment message.")


class InvalidOrderMove(Exception):
    def __init__(self, current: OrderStatus, wanted: OrderStatus) -> None:
        super().__init__(f"an order cannot go from {current} to {wanted}")
        self.current = current
        self.wanted = wanted


class BalanceOwing(InvalidOrderMove):
    """The goods can't be readied for shipping while part of the price is unpaid."""


def move(current: str, wanted: OrderStatus, *, owing: bool = False) -> OrderStatus:
    """The status after a move the domain allows; raises InvalidOrderMove for any other, BalanceOwing for
    shipping with money still owed."""
    status = OrderStatus(current)
    if wanted not in TRANSITIONS[status]:
        raise InvalidOrderMove(status, wanted)
    if owing and wanted in PAID_BEFORE:
        raise BalanceOwing(status, wanted)
    return wanted


class PaymentMethod(StrEnum):
    CROSS_BORDER_PAY = "cross_border_pay"  # 1688 跨境宝
    BANK_TRANSFER = "bank_transfer"
    ALIPAY = "alipay"
    AGENT = "agent"  # through a sourcing agent


# Where 1688 Cross-border Pay is open to buyers, per the buying guide.
CROSS_BORDER_PAY_COUNTRIES = frozenset({"SG", "MY", "TH", "VN", "ID", "HK", "AU", "NZ"})


YUAN = frozenset({"CNY", "CNH"})


def payment_currency(method: PaymentMethod | None, price_currency: str) -> str:
    """The currency a payment is made in: the price's when the supplier quoted another one; otherwise yuan,
    offshore (CNH, from the buyer's World Account) through Cross-border Pay."""
    if price_currency not in YUAN:
        return price_currency
    return "CNH" if method is PaymentMethod.CROSS_BORDER_PAY else "CNY"


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


class PaymentKind(StrEnum):
    DEPOSIT = "deposit"  # 定金
    BALANCE = "balance"  # 尾款
    FULL = "full"


@dataclass(frozen=True)
class Deposit:
    amount: Decimal
    share_pct: Decimal  # of the goods total
    balance_due: date | None


_DUE = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})|\bin\s+(\d{1,3})\s*days?\b|(\d{1,3})\s*days?\b|(?<![\d.,])(\d{1,2})/(\d{1,2})(?![\d./])"
)


def parse_deposit(text: str, goods_total: Decimal, today: date) -> Deposit:
    """A deposit as the buyer types it: a share ("30%") or an amount ("1500", "¥1,500"), and optionally when the
    balance is due ("2026-12-20", "20/12" day first, "in 10 days")."""
    if goods_total <= 0:
        raise InputError(N_("This order has nothing to pay, so it takes no deposit."))
    cleaned = text.strip().lower().replace("，", ",").replace("％", "%")
    due = None
    found = _DUE.search(cleaned)
    if found:
        cleaned = (cleaned[: found.start()] + cleaned[found.end() :]).strip()
        try:
            if found.group(1):
                due = date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
            elif found.group(4) or found.group(5):
                due = today + timedelta(days=int(found.group(4) or found.group(5)))
            else:
                day, month = int(found.group(6)), int(found.group(7))
                due = date(today.year, month, day)
                if due < today:
                    due = date(today.year + 1, month, day)
        except ValueError:
            raise InputError(N_("That date does not exist; write it like 2026-12-20 or 20/12.")) from None
        if due < today:
            raise InputError(N_("The balance can't be due in the past; write a later date."))
    number = re.search(r"\d[\d,]*(?:\.\d+)?", cleaned)
    if number is None:
        raise InputError(N_("Send the deposit as an amount or a share, like 1500 or 30%."))
    try:
        value = Decimal(number.group().replace(",", ""))
    except InvalidOperation:
        raise InputError(N_("Send the deposit as an amount or a share, like 1500 or 30%.")) from None
    if "%" in cleaned:
        share, amount = value, goods_total * value / 100
    else:
        amount, share = value, value * 100 / goods_total
    if not 0 < amount < goods_total:
        raise InputError(N_("A deposit is more than nothing and less than the whole order ({total})."), total=goods_total)
    return Deposit(amount, share, due)


def needs_approval(amount_in_yuan: Decimal | None, threshold: Decimal | None) -> bool:
    """An order with more than the workspace's limit left to pay waits for an admin's approval before anyone
    pays; an amount that can't be put in yuan (no exchange rate) waits too."""
    return threshold is not None and (amount_in_yuan is None or amount_in_yuan > threshold)


# The limits a workspace can choose for payments that need approval, in yuan.
APPROVAL_LIMITS = (Decimal(5000), Decimal(10000), Decimal(20000), Decimal(50000), Decimal(100000))


def cartons_for(quantity: int, units_per_carton: int | None) -> int | None:
    """The cartons an order fills, a part-filled one counted whole."""
    return math.ceil(quantity / units_per_carton) if units_per_carton else None


def ready_on(status: OrderStatus, paid_on: date | None, lead_days: int | None, left_on: date | None, today: date) -> date | None:
    """When the goods leave (or left) the supplier: the day they left; today once ready; the first payment
    plus the supplier's lead time (not before today) while they are being made; unknown before payment."""
    if status in (S.SHIPPED_TO_FORWARDER, S.SHIPPED_INTERNATIONAL) and left_on is not None:
        return left_on
    if status is S.READY_TO_SHIP:
        return today
    if paid_on is None:
        return None
    return max(paid_on + timedelta(days=lead_days or 0), today)


def arrival_window(leaves_on: date, transit_days: tuple[int, int]) -> tuple[date, date]:
    """When the goods should reach the buyer, leaving the supplier on `leaves_on`."""
    return leaves_on + timedelta(days=transit_days[0]), leaves_on + timedelta(days=transit_days[1])


_COUNTED = re.compile(r"(\d[\d,]*)\s*(?:(?:pcs|pc|pieces?|units?|items?|sets?|pairs?|cartons?|boxes|box)\b|[个件只套双箱])", re.I)


def defect_quantity(text: str, ordered: int) -> int | None:
    """How many pieces the buyer's description of a problem counts ("30 pcs scratched"), when a number comes
    with a unit and is believable; dates, order numbers and bare figures say nothing of the count."""
    found = _COUNTED.search(text)
    count = int(found.group(1).replace(",", "")) if found else None
    return count if count is not None and 0 < count <= ordered else None
