"""Orders on screen: the list by what needs attention, and an order's card with its timeline, the next steps as
buttons and the supplier message that goes with the step."""

from __future__ import annotations

from bot.domain.orders import MESSAGE_FOR, STATUS_NAMES, TRANSITIONS, USUAL_NEXT, OrderStatus
from bot.i18n import N_, Translator
from bot.services.orders import OrderCard, OrderView
from bot.telegram_io import Button, escape, grid
from bot.views.common import money

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
    if order.tracking_number:
        lines.append(_("Tracking: {number}", number=order.tracking_number))
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
    return "\n".join(lines), buttons
