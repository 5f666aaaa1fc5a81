"""Orders on screen: the list by what needs attention, and an order's card with its timeline, the next steps as
buttons and the supplier message that goes with the step."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from bot.domain.orders import (
    PAID_BEFORE,
    STATUS_NAMES,
    TRANSITIONS,
    OrderKind,
    OrderStatus,
    PaymentKind,
    PaymentMethod,
    arrival_window,
    message_for,
    payment_methods_for,
    ready_on,
    recognise_tracking,
    usual_next,
)
from bot.domain.shipping import METHOD_NAMES, ShippingMethod
from bot.i18n import N_, Markup, Translator
from bot.services.orders import OrderCard, OrderView, Step
from bot.telegram_io import Button, escape, grid
from bot.views.common import money

PAYMENT_NAMES = {
    PaymentMethod.CROSS_BORDER_PAY: N_("💳 1688 Cross-border Pay (跨境宝)"),
    PaymentMethod.ALIPAY: N_("💳 Alipay"),
    PaymentMethod.BANK_TRANSFER: N_("🏦 Bank transfer"),
    PaymentMethod.AGENT: N_("🤝 Through a sourcing agent"),
}
MOVE_LABELS = {
    OrderStatus.CONFIRMED: N_("✅ Supplier confirmed"),
    OrderStatus.AWAITING_PAYMENT: N_("💳 Ready to pay"),
    OrderStatus.DEPOSIT_PAID: N_("💰 Deposit paid"),
    OrderStatus.PAID: N_("💰 Paid in full"),
    OrderStatus.IN_PRODUCTION: N_("🏭 In production"),
    OrderStatus.READY_TO_SHIP: N_("📦 Ready to ship"),
    OrderStatus.SHIPPED_TO_FORWARDER: N_("🚚 Sent to the forwarder"),
    OrderStatus.SHIPPED_INTERNATIONAL: N_("✈️ Shipped abroad"),
    OrderStatus.DELIVERED: N_("🏠 Delivered"),
    OrderStatus.CLOSED: N_("🗄 Close"),
    OrderStatus.CANCELLED: N_("✖️ Cancel"),
    OrderStatus.DISPUTED: N_("⚠️ Dispute"),
}


KIND_LABELS = {
    "order_confirm": N_("order confirmation"),
    "sample_request": N_("sample request"),
    "payment_sent": N_("payment message"),
    "shipping_to_forwarder": N_("shipping instructions"),
    "request_tracking": N_("tracking request"),
    "after_sales": N_("defect claim"),
}
PAYMENT_KINDS = {PaymentKind.DEPOSIT: N_("deposit"), PaymentKind.BALANCE: N_("balance"), PaymentKind.FULL: N_("in full")}
# Moves that ask for something first: a payment's amount, a confirmation, the buyer's words for a problem.
ASKING_MOVES = {
    OrderStatus.DEPOSIT_PAID: "ord:dep",
    OrderStatus.PAID: "ord:full",
    OrderStatus.CANCELLED: "ord:cx",
    OrderStatus.DISPUTED: "ord:dsp",
}

MAX_TIMELINE = 40
PAYING = (OrderStatus.CONFIRMED, OrderStatus.AWAITING_PAYMENT, OrderStatus.DEPOSIT_PAID, OrderStatus.IN_PRODUCTION)
LEFT = (OrderStatus.SHIPPED_TO_FORWARDER, OrderStatus.SHIPPED_INTERNATIONAL)
ARRIVED = (OrderStatus.DELIVERED, OrderStatus.CLOSED, OrderStatus.CANCELLED, OrderStatus.DISPUTED)



def order_line(_: Translator, order: OrderView) -> str:
    line = _(
        "{product} — {supplier}: {quantity} × {price} ({status})",
        product=order.product or "—",
        supplier=order.supplier_name or _("no supplier"),
        quantity=f"{order.quantity:,}",
        price=money(order.unit_price, order.currency),
        status=_(STATUS_NAMES[order.status]),
    )
    return _("🧪 Sample: {order}", order=Markup(line)) if order.kind is OrderKind.SAMPLE else line


def order_list(_: Translator, found: list[OrderView]) -> tuple[str, list[list[Button]]]:
    if not found:
        return _("No orders yet. Accept a quote in /compare to start one."), []
    lines = [_("<b>Orders</b>, what needs you first:")]
    lines += [f"{number}. " + order_line(_, order) for number, order in enumerate(found[:20], start=1)]
    buttons = [Button(str(number), f"ord:view:{order.id}") for number, order in enumerate(found[:20], start=1)]
    return "\n".join(lines), grid(buttons, 5)


def _payment_lines(_: Translator, order: OrderView) -> list[str]:
    lines = []
    for payment in order.payments:
        share = f" ({payment.share_pct.quantize(Decimal('0.1'), ROUND_HALF_UP).normalize():f}%)" if payment.share_pct is not None else ""
        lines.append(_("💰 Paid {amount}{share}, {which}, on {day}", amount=money(payment.amount, payment.currency),
                       share=share, which=_(PAYMENT_KINDS[payment.kind]), day=f"{payment.at:%Y-%m-%d}"))  # fmt: skip
    if order.payments and order.to_pay:
        due = _(", due {day}", day=f"{order.balance_due:%Y-%m-%d}") if order.balance_due else ""
        lines.append(_("Balance to pay: {amount}{due}", amount=money(order.to_pay, order.currency), due=due))
    if order.awaits_approval and order.status in PAYING:
        lines.append(_("⏳ {amount} is over the team's limit of {limit}: an admin or approver approves before anyone pays.",
                       amount=money(order.to_pay, order.currency), limit=money(order.approval_over, "CNY")))  # fmt: skip
    elif order.approved_at is not None:
        lines.append(_("✅ Payment approved on {day}.", day=f"{order.approved_at:%Y-%m-%d}"))
    return lines


def _shipping_lines(_: Translator, order: OrderView, timeline: list[Step], today: date) -> list[str]:
    if order.shipping_method is None and order.cartons is None:
        return []
    route = _("through your forwarder") if order.via_forwarder else _("straight to you")
    method = _(METHOD_NAMES[order.shipping_method]) if order.shipping_method else _("method not chosen")
    days = f" ({order.transit_days[0]}–{order.transit_days[1]} " + _("days") + ")" if order.transit_days else ""
    lines = [_("🚢 Shipping: {method}{days}, {route}", method=method, days=days, route=route)]
    if order.cartons:
        lines[0] += " · " + _("{count} cartons", count=order.cartons)
    if order.status in ARRIVED or order.transit_days is None:
        return lines
    left_on = next((step.at.date() for step in reversed(timeline) if step.to_status in LEFT and step.from_status != step.to_status), None)
    leaves_on = ready_on(order.status, order.started_on, order.lead_days, left_on, today)
    if leaves_on is not None:
        first, last = arrival_window(leaves_on, order.transit_days)
        lines.append(_("Expected at your door: {first} – {last}", first=f"{first:%Y-%m-%d}", last=f"{last:%Y-%m-%d}"))
    else:
        lead = order.lead_days or 0
        lines.append(_("About {first}–{last} days from payment to your door.",
                       first=lead + order.transit_days[0], last=lead + order.transit_days[1]))  # fmt: skip
    return lines


def _timeline_line(_: Translator, step: Step) -> str:
    when = f"• {step.at:%Y-%m-%d %H:%M} "
    if step.note and step.note.startswith("message:"):
        kind = step.note.removeprefix("message:")
        return when + _("✉️ sent the {message}", message=_(KIND_LABELS.get(kind, kind)))
    if step.note == "approved":
        return when + escape(_("✅ payment approved"))
    return when + escape(_(STATUS_NAMES[step.to_status]))


def order_card(_: Translator, card: OrderCard, today: date) -> tuple[str, list[list[Button]]]:
    order = card.order
    title = _("<b>Sample order #{number}</b>", number=order.id) if order.kind is OrderKind.SAMPLE else _("<b>Order #{number}</b>", number=order.id)
    lines = [title, order_line(_, order)]
    if order.owner:
        lines.append(_("👤 {name}'s", name=order.owner))
    if order.goods_total is not None:
        lines.append(_("Goods: {total}", total=money(order.goods_total, order.currency)))
    if order.payment_method:
        lines.append(_("Paying by: {method}", method=_(PAYMENT_NAMES[order.payment_method])))
    lines += _payment_lines(_, order)
    methods = payment_methods_for(order.destination_country)
    if order.status in (OrderStatus.CONFIRMED, OrderStatus.AWAITING_PAYMENT) and PaymentMethod.CROSS_BORDER_PAY not in methods:
        lines.append(_("1688 Cross-border Pay is not open to buyers in {country}; the other ways are below.",
                       country=order.destination_country or "—"))  # fmt: skip
    if order.payment_proof:
        lines.append(_("🧾 Payment receipt kept."))
    lines += _shipping_lines(_, order, card.timeline, today)
    if order.tracking_number:
        tracking = recognise_tracking(order.tracking_number)
        shown = f'<a href="{tracking.url}">{escape(tracking.number)}</a> ({tracking.carrier})' if tracking.url else escape(tracking.number)
        lines.append(_("Tracking: {number}", number=Markup(shown)))
    if order.problem:
        lines.append(_("⚠️ The problem: {problem}", problem=order.problem))
    lines.append("")
    lines.append(_("<b>Timeline</b>"))
    shown = card.timeline[-MAX_TIMELINE:]  # a card stays one message however long the order runs
    if len(card.timeline) > len(shown):
        lines.append(_("… {count} earlier steps", count=len(card.timeline) - len(shown)))
    lines += [_timeline_line(_, step) for step in shown]
    return "\n".join(lines), _card_buttons(_, order)


def _card_buttons(_: Translator, order: OrderView) -> list[list[Button]]:
    status = order.status
    usual = usual_next(status, order.via_forwarder, owing=bool(order.payments and order.to_pay), produced=order.produced)
    moves = sorted(TRANSITIONS[status], key=lambda wanted: (wanted is not usual, list(OrderStatus).index(wanted)))
    if order.unit_price is None:  # nothing to pay yet: payments wait for a price
        moves = [wanted for wanted in moves if wanted not in (OrderStatus.DEPOSIT_PAID, OrderStatus.PAID)]
    elif order.to_pay:  # shipping waits for the balance
        moves = [wanted for wanted in moves if wanted not in PAID_BEFORE]
    elif order.payments:  # paid in full: no payment left to record
        moves = [wanted for wanted in moves if wanted not in (OrderStatus.DEPOSIT_PAID, OrderStatus.PAID)]
    if order.goods_total == 0:  # nothing to pay (a free sample): no deposit
        moves = [wanted for wanted in moves if wanted is not OrderStatus.DEPOSIT_PAID]
    buttons: list[list[Button]] = []
    for wanted in moves:
        if wanted in (OrderStatus.DEPOSIT_PAID, OrderStatus.PAID) and order.awaits_approval:
            continue
        asks = ASKING_MOVES.get(wanted)
        data = f"{asks}:{order.id}:{status.value}" if asks else f"ord:go:{order.id}:{status.value}:{wanted.value}"
        label = _("💰 Balance paid") if wanted is OrderStatus.PAID and order.payments else _(MOVE_LABELS[wanted])
        buttons.append([Button(label, data)])
    if order.awaits_approval and status in PAYING and OrderStatus.PAID in TRANSITIONS[status]:
        buttons.insert(0, [Button(_("✅ Approve paying {amount}", amount=money(order.to_pay, order.currency)), f"ord:ok:{order.id}")])
    kind = message_for(status, order.kind, order.via_forwarder, order.tracking_number is not None)
    if kind is not None:
        label = _("✉️ Message for the supplier (sent)") if kind in order.messages_sent else _("✉️ Message for the supplier")
        buttons.insert(0, [Button(label, f"ord:msg:{order.id}:{kind}")])
    if status in (OrderStatus.CONFIRMED, OrderStatus.AWAITING_PAYMENT) and order.payment_method is None:
        methods = payment_methods_for(order.destination_country)
        buttons[:0] = [[Button(_(PAYMENT_NAMES[method]), f"ord:pay:{order.id}:{method.value}")] for method in methods]
    if status in (OrderStatus.DRAFT, OrderStatus.CONFIRMED, OrderStatus.AWAITING_PAYMENT):
        label = _("✏️ Set the agreed price") if order.unit_price is None else _("✏️ Change the price")
        buttons.append([Button(label, f"ord:price:{order.id}")])
    if status in (OrderStatus.AWAITING_PAYMENT, OrderStatus.DEPOSIT_PAID, OrderStatus.PAID) and not order.payment_proof:
        buttons.append([Button(_("🧾 Add the payment receipt"), f"ord:proof:{order.id}")])
    if status is OrderStatus.READY_TO_SHIP:
        others = [method for method in ShippingMethod if method is not order.shipping_method]
        buttons.append([Button(_(METHOD_NAMES[method]), f"ord:shp:{order.id}:{method.value}") for method in others])
        route = _("📮 Ship straight to me") if order.via_forwarder else _("🏭 Ship to my forwarder")
        buttons.append([Button(route, f"ord:fwd:{order.id}:{int(not order.via_forwarder)}")])
    if status in (OrderStatus.SHIPPED_TO_FORWARDER, OrderStatus.SHIPPED_INTERNATIONAL):
        label = _("📮 Change the tracking number") if order.tracking_number else _("📮 Add the tracking number")
        buttons.append([Button(label, f"ord:trk:{order.id}")])
    return buttons


def cancel_question(_: Translator, order: OrderView) -> tuple[str, list[list[Button]]]:
    text = _("Cancel order #{number} ({product})? This can't be undone; tell the supplier too.", number=order.id, product=order.product or "—")
    return text, [[
        Button(_("✖️ Yes, cancel it"), f"ord:go:{order.id}:{order.status.value}:{OrderStatus.CANCELLED.value}"),
        Button(_("Keep it"), f"ord:view:{order.id}"),
    ]]  # fmt: skip


def cross_border_pay_steps(_: Translator) -> str:
    """Paying with 1688 Cross-border Pay (跨境宝), step by step."""
    return _(
        "<b>Paying with 1688 Cross-border Pay (跨境宝)</b>\n"
        "1. Sign in to your 1688 account.\n"
        "2. Link a personal Alipay account to it.\n"
        "3. Open a World Account and hold a CNH balance (offshore yuan) in it.\n"
        "4. Authorise Cross-border Pay for your 1688 account.\n"
        "5. Pay the order on 1688 with Cross-border Pay: the amount is taken in CNH from your World Account, with "
        "no annual limit on transfers."
    )
