"""Orders on screen: the list by what needs attention, and an order's card with its timeline, the next steps as
buttons and the supplier message that goes with the step."""

from __future__ import annotations

from bot.domain.orders import (
    MESSAGE_FOR,
    STATUS_NAMES,
    TRANSITIONS,
    USUAL_NEXT,
    OrderStatus,
    PaymentMethod,
    payment_methods_for,
    recognise_tracking,
)
from bot.i18n import N_, Markup, Translator
from bot.services.orders import OrderCard, OrderView
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


def order_line(_: Translator, order: OrderView) -> str:
    return _(
        "{product} — {supplier}: {quantity} × {price} ({status})",
        product=order.product or "—",
        supplier=order.supplier_name or _("no supplier"),
        quantity=f"{order.quantity:,}",
        price=money(order.unit_price, order.currency),
        status=_(STATUS_NAMES[order.status]),
    )


def order_list(_: Translator, found: list[OrderView]) -> tuple[str, list[list[Button]]]:
    if not found:
        return _("No orders yet. Accept a quote in /compare to start one."), []
    lines = [_("<b>Orders</b>, what needs you first:")]
    lines += [f"{number}. " + order_line(_, order) for number, order in enumerate(found[:20], start=1)]
    buttons = [Button(str(number), f"ord:view:{order.id}") for number, order in enumerate(found[:20], start=1)]
    return "\n".join(lines), grid(buttons, 5)


def order_card(_: Translator, card: OrderCard) -> tuple[str, list[list[Button]]]:
    order = card.order
    lines = [_("<b>Order #{number}</b>", number=order.id), order_line(_, order)]
    if order.goods_total is not None:
        lines.append(_("Goods: {total}", total=money(order.goods_total, order.currency)))
    if order.payment_method:
        lines.append(_("Paying by: {method}", method=_(PAYMENT_NAMES[order.payment_method])))
    if order.payment_proof:
        lines.append(_("🧾 Payment receipt kept."))
    if order.tracking_number:
        tracking = recognise_tracking(order.tracking_number)
        shown = f'<a href="{tracking.url}">{escape(tracking.number)}</a> ({tracking.carrier})' if tracking.url else escape(tracking.number)
        lines.append(_("Tracking: {number}", number=Markup(shown)))
    lines.append("")
    lines.append(_("<b>Timeline</b>"))
    lines += [
        f"• {step.at:%Y-%m-%d %H:%M} " + escape(_(STATUS_NAMES[step.to_status])) for step in card.timeline
    ]
    status = order.status
    moves = sorted(TRANSITIONS[status], key=lambda wanted: (wanted is not USUAL_NEXT.get(status), list(OrderStatus).index(wanted)))
    buttons = [[Button(_(MOVE_LABELS[wanted]), f"ord:go:{order.id}:{status.value}:{wanted.value}")] for wanted in moves]
    kind = MESSAGE_FOR.get(status)
    if kind is not None:
        buttons.insert(0, [Button(_("✉️ Message for the supplier"), f"ord:msg:{order.id}:{kind}")])
    if status in (OrderStatus.CONFIRMED, OrderStatus.AWAITING_PAYMENT) and order.payment_method is None:
        methods = payment_methods_for(order.destination_country)
        buttons[:0] = [[Button(_(PAYMENT_NAMES[method]), f"ord:pay:{order.id}:{method.value}")] for method in methods]
        if PaymentMethod.CROSS_BORDER_PAY not in methods:
            lines.append(_("1688 Cross-border Pay is not open to buyers in {country}; the other ways are below.",
                           country=order.destination_country or "—"))  # fmt: skip
    if status in (OrderStatus.AWAITING_PAYMENT, OrderStatus.DEPOSIT_PAID, OrderStatus.PAID) and not order.payment_proof:
        buttons.append([Button(_("🧾 Add the payment receipt"), f"ord:proof:{order.id}")])
    if status in (OrderStatus.SHIPPED_TO_FORWARDER, OrderStatus.SHIPPED_INTERNATIONAL):
        buttons.append([Button(_("📮 Add the tracking number"), f"ord:trk:{order.id}")])
    return "\n".join(lines), buttons


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
