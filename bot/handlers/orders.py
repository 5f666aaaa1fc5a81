"""Orders: /orders, an order's card, moving it on a step (payments, cancelling and disputes ask first), the
supplier message for the step with "I sent it", shipping choices, samples and reminders."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.context import BotContext
from bot.domain.inquiries import InputError, parse_price, parse_quantity
from bot.domain.orders import BalanceOwing, Deposit, InvalidOrderMove, OrderStatus, PaymentMethod, parse_deposit
from bot.domain.shipping import ShippingMethod
from bot.handlers.common import TYPED_TEXT, no_longer_valid, notify_team, recall, remember, reply
from bot.handlers.flows import TYPED_ANSWER, Flow, typed_answer_step
from bot.i18n import N_, Translator
from bot.services import inquiries, messages
from bot.services import orders as service
from bot.services.orders import Moved, OrderCard
from bot.telegram_io import Button, edit, send, typing
from bot.views import common as common_views
from bot.views import orders as views

log = logging.getLogger(__name__)
_STATUS = "|".join(status.value for status in OrderStatus)
_ID = r"(\d{1,12})"
MAX_SAMPLES = 50
MAX_PROBLEM = 1000


def _card(context: BotContext, card: OrderCard) -> tuple[str, list]:
    return views.order_card(context._, card, context.services.clock.now().date())


def _data(update: Update, pattern: str) -> re.Match[str] | None:
    return re.fullmatch(pattern, update.callback_query.data or "")  # type: ignore[union-attr]


async def _show_moved(update: Update, context: BotContext, moved: Moved | None, done: str = N_("Done.")) -> None:
    """The card a button moved, shown in place of the pressed one; a press that changed nothing says so."""
    query = update.callback_query
    if moved is None:
        await no_longer_valid(update, context)
        return
    if not moved.changed:  # a second press or a teammate's: the card shown is as it was left
        await query.answer(context._("Already moved on."))  # type: ignore[union-attr]
        return
    await query.answer(context._(done))  # type: ignore[union-attr]
    text, buttons = _card(context, moved.card)
    await edit(context, query.message, context.me.chat_id, text, buttons=buttons)  # type: ignore[union-attr]
    await _tell_team(context, moved.card)


# What the team's group hears of an order moved from a member's private chat.
TEAM_NEWS = {
    OrderStatus.SHIPPED_TO_FORWARDER: N_("🚚 Order #{number} ({product}) is on its way to the forwarder."),
    OrderStatus.SHIPPED_INTERNATIONAL: N_("✈️ Order #{number} ({product}) has shipped abroad."),
    OrderStatus.DELIVERED: N_("🏠 Order #{number} ({product}) was delivered."),
    OrderStatus.DISPUTED: N_("⚠️ Order #{number} ({product}) is in dispute."),
}


async def _tell_team(context: BotContext, card: OrderCard) -> None:
    order = card.order
    if order.awaits_approval and order.status is OrderStatus.AWAITING_PAYMENT:
        await notify_team(context, N_("⏳ Order #{number} ({product}) waits for an approver: {amount} to pay. Open /orders to approve."),
                          number=order.id, product=order.product or "—", amount=common_views.money(order.to_pay, order.currency))  # fmt: skip
    elif order.status in TEAM_NEWS:
        await notify_team(context, TEAM_NEWS[order.status], number=order.id, product=order.product or "—")


async def orders_command(update: Update, context: BotContext) -> None:
    await reply(update, context, *views.order_list(context._, await service.orders(context.db, context.me)))


async def view_order(update: Update, context: BotContext) -> None:
    match = _data(update, rf"ord:view:{_ID}")
    card = await service.order_card(context.db, context.me, int(match.group(1))) if match else None
    if card is None:
        await no_longer_valid(update, context)
        return
    await update.callback_query.answer()  # type: ignore[union-attr]
    await reply(update, context, *_card(context, card))


async def start_order(update: Update, context: BotContext) -> None:
    """From an accepted quote: the order, made once however often pressed."""
    match = _data(update, rf"ord:new:{_ID}")
    now = context.services.clock.now()
    card = await service.order_from_quote(context.db, context.me, int(match.group(1)), now=now) if match else None
    if card is None:
        await no_longer_valid(update, context)
        return
    await update.callback_query.answer()  # type: ignore[union-attr]
    await reply(update, context, *_card(context, card))


async def move_order(update: Update, context: BotContext) -> None:
    match = _data(update, rf"ord:go:{_ID}:({_STATUS}):({_STATUS})")
    if match is None:
        await no_longer_valid(update, context)
        return
    try:
        moved = await service.move_order(
            context.db, context.me, int(match.group(1)), OrderStatus(match.group(2)), OrderStatus(match.group(3)),
            now=context.services.clock.now(),
        )  # fmt: skip
    except InvalidOrderMove as refused:
        await _refuse(update, context, REFUSALS[BalanceOwing if isinstance(refused, BalanceOwing) else InvalidOrderMove])
        return
    await _show_moved(update, context, moved)


# Why a move or a payment can't be made, as the buyer reads it.
REFUSALS: dict[type[Exception], str] = {
    service.NeedsApproval: N_("This payment is over the team's limit: an admin or approver approves it on the order's card first."),
    service.OwnApproval: N_("You approved this payment: another teammate makes it and records it."),
    BalanceOwing: N_("The balance (尾款) is still to pay: record it first."),
    InvalidOrderMove: N_("An order can't go that way from where it is."),
}


async def _refuse(update: Update, context: BotContext, msgid: str) -> None:
    """A refusal: an alert on the pressed button, or a reply to what was typed."""
    if update.callback_query is not None:
        await update.callback_query.answer(context._(msgid), show_alert=True)
    else:
        await reply(update, context, context._(msgid))


async def confirm_cancel(update: Update, context: BotContext) -> None:
    """Cancelling can't be undone: it is asked once more."""
    match = _data(update, rf"ord:cx:{_ID}:({_STATUS})")
    card = await service.order_card(context.db, context.me, int(match.group(1))) if match else None
    if card is None or match is None:
        await no_longer_valid(update, context)
        return
    if card.order.status.value != match.group(2):
        await update.callback_query.answer(context._("Already moved on."))  # type: ignore[union-attr]
        return
    await update.callback_query.answer()  # type: ignore[union-attr]
    await reply(update, context, *views.cancel_question(context._, card.order))


async def paid_in_full(update: Update, context: BotContext) -> None:
    """All that is left to pay, paid: recorded in the currency its method takes."""
    match = _data(update, rf"ord:full:{_ID}:({_STATUS})")
    if match is None:
        await no_longer_valid(update, context)
        return
    await _record_payment(update, context, int(match.group(1)), OrderStatus(match.group(2)), None)


async def _record_payment(update: Update, context: BotContext, order_id: int, seen: OrderStatus, deposit: Deposit | None) -> Moved | None:
    try:
        moved = await service.record_payment(context.db, context.me, order_id, seen, deposit, now=context.services.clock.now())
        if moved is None and update.callback_query is None:
            await _gone(update, context)
    except (service.NeedsApproval, service.OwnApproval, InvalidOrderMove) as refused:
        await _refuse(update, context, next(msgid for kind, msgid in REFUSALS.items() if isinstance(refused, kind)))
        return None
    if update.callback_query is not None:
        await _show_moved(update, context, moved, N_("Payment recorded."))
    return moved


async def approve_payment(update: Update, context: BotContext) -> None:
    match = _data(update, rf"ord:ok:{_ID}")
    if match is None:
        await no_longer_valid(update, context)
        return
    try:
        moved = await service.approve_payment(context.db, context.me, int(match.group(1)), now=context.services.clock.now())
    except service.OwnApproval:
        await _refuse(update, context, N_("You asked to pay this order: another admin or approver approves it."))
        return
    await _show_moved(update, context, moved, N_("Approved."))


async def order_message(update: Update, context: BotContext) -> None:
    match = _data(update, rf"ord:msg:{_ID}:([a-z_]{{1,30}})")
    card = await service.order_card(context.db, context.me, int(match.group(1))) if match else None
    if card is None or match is None:
        await no_longer_valid(update, context)
        return
    await update.callback_query.answer()  # type: ignore[union-attr]
    _ = context._
    kind = match.group(2)
    async with typing(context, context.me.chat_id):
        rendered = await messages.compose_for_order(context.db, context.services.translator, context.me, card.order, kind)
    if rendered is None:
        missing = _("Save your forwarder's address in /settings first.") if kind == "shipping_to_forwarder" else _(
            "This step's message needs a price or details the order does not have yet."
        )
        await reply(update, context, missing)
        return
    text = common_views.supplier_message(_, rendered.zh, rendered.lines, N_("Copy this message to the supplier:"))
    await reply(update, context, text, [[Button(_("✅ I sent it"), f"ord:sent:{card.order.id}:{card.step_id}:{kind}")]])


async def order_message_sent(update: Update, context: BotContext) -> None:
    match = _data(update, rf"ord:sent:{_ID}:{_ID}:([a-z_]{{1,30}})")
    if match is None:
        await no_longer_valid(update, context)
        return
    moved = await service.message_sent(
        context.db, context.me, int(match.group(1)), int(match.group(2)), match.group(3), now=context.services.clock.now()
    )
    if moved is None:
        await no_longer_valid(update, context)
        return
    if not moved.changed:
        await update.callback_query.answer(context._("Already marked as sent."))  # type: ignore[union-attr]
        return
    await update.callback_query.answer(context._("Noted."))  # type: ignore[union-attr]
    await reply(update, context, *_card(context, moved.card))


async def choose_payment(update: Update, context: BotContext) -> None:
    methods = "|".join(method.value for method in PaymentMethod)
    match = _data(update, rf"ord:pay:{_ID}:({methods})")
    method = PaymentMethod(match.group(2)) if match else None
    card = await service.choose_payment(context.db, context.me, int(match.group(1)), method) if match and method else None
    if card is None:
        await no_longer_valid(update, context)
        return
    query = update.callback_query
    await query.answer()  # type: ignore[union-attr]
    text, buttons = _card(context, card)
    await edit(context, query.message, context.me.chat_id, text, buttons=buttons)  # type: ignore[union-attr]
    if method is PaymentMethod.CROSS_BORDER_PAY:
        await reply(update, context, views.cross_border_pay_steps(context._))


async def choose_shipping(update: Update, context: BotContext) -> None:
    """ord:shp:{id}:{method} picks how the goods travel; ord:fwd:{id}:{0|1} whether through the forwarder."""
    methods = "|".join(method.value for method in ShippingMethod)
    match = _data(update, rf"ord:(?:shp:{_ID}:({methods})|fwd:{_ID}:([01]))")
    card = None
    if match and match.group(1):
        card = await service.choose_shipping(context.db, context.me, int(match.group(1)), ShippingMethod(match.group(2)), None)
    elif match:
        card = await service.choose_shipping(context.db, context.me, int(match.group(3)), None, match.group(4) == "1")
    if card is None:
        await no_longer_valid(update, context)
        return
    query = update.callback_query
    await query.answer(context._("Saved."))  # type: ignore[union-attr]
    text, buttons = _card(context, card)
    await edit(context, query.message, context.me.chat_id, text, buttons=buttons)  # type: ignore[union-attr]


# Buttons on an order's card that ask for one typed answer: the order (and the status the buyer saw) is kept in
# a memo until the answer comes.
ASKING = "order_asking"


def _asker(pattern: str, prompt: str) -> Callable[[Update, BotContext], Awaitable[int]]:
    """The entry of a card button that asks for one typed answer: `pattern` names the order (and the status the
    buyer saw), `prompt` asks."""

    async def ask(update: Update, context: BotContext) -> int:
        return await _ask_about(update, context, pattern, prompt)

    return ask


ask_tracking = _asker(rf"ord:trk:{_ID}", N_("Type or paste the tracking number."))
ask_price = _asker(rf"ord:price:{_ID}", N_("The unit price agreed with the supplier, in yuan (¥)? For example <code>11.5</code>."))
ask_deposit = _asker(
    rf"ord:dep:{_ID}:({_STATUS})",
    N_("How much is the deposit (定金)? A share or an amount, and when the balance is due if agreed, e.g. "
       "<code>30% due 20/12</code> or <code>1500 in 10 days</code>."),
)  # fmt: skip
ask_problem = _asker(
    rf"ord:dsp:{_ID}:({_STATUS})",
    N_("What is wrong? Say how many pieces if you can, e.g. <code>30 pcs arrived cracked</code>. I will put it "
       "into Chinese for the supplier."),
)  # fmt: skip
ask_proof = _asker(rf"ord:proof:{_ID}", N_("Send the payment receipt as a photo or a PDF (or /cancel)."))


async def _ask_about(update: Update, context: BotContext, pattern: str, prompt: str) -> int:
    match = _data(update, pattern)
    card = await service.order_card(context.db, context.me, int(match.group(1))) if match else None
    if card is None or match is None:
        await no_longer_valid(update, context)
        return ConversationHandler.END
    seen = match.group(2) if match.re.groups > 1 else card.order.status.value
    if seen != card.order.status.value:
        await update.callback_query.answer(context._("Already moved on."))  # type: ignore[union-attr]
        return ConversationHandler.END
    await update.callback_query.answer()  # type: ignore[union-attr]
    remember(context, ASKING, [card.order.id, seen])
    await reply(update, context, context._(prompt), expects_text=True)
    return TYPED_ANSWER


def _asked(context: BotContext) -> tuple[int, OrderStatus] | None:
    kept = recall(context, ASKING, forget=True)
    return (int(kept[0]), OrderStatus(kept[1])) if kept else None


async def _stop_asking(update: Update, context: BotContext) -> int:
    remember(context, ASKING, None)
    await reply(update, context, context._("Stopped; nothing changed."))
    return ConversationHandler.END


async def _gone(update: Update, context: BotContext) -> int:
    await reply(update, context, context._("That order is gone; nothing changed."))
    return ConversationHandler.END


async def _change_asked(
    update: Update, context: BotContext, change: Callable[[int], Awaitable[OrderCard | None]],
    refused: str = N_("That order is gone; nothing changed."),
) -> int:
    """The typed answer applied to the order that asked for it, and its card shown; `refused` when it can't be."""
    asked = _asked(context)
    card = await change(asked[0]) if asked else None
    if card is None:
        await reply(update, context, context._(refused))
    else:
        await reply(update, context, *_card(context, card))
    return ConversationHandler.END


async def tracking_text(update: Update, context: BotContext) -> int | None:
    typed = " ".join((update.effective_message.text or "").split())  # type: ignore[union-attr]
    if not 4 <= len(typed) <= 64:
        await reply(update, context, context._("A tracking number is 4 to 64 characters; type it again or /cancel."), expects_text=True)
        return None
    return await _change_asked(update, context, lambda order_id: service.set_tracking(context.db, context.me, order_id, typed))


async def price_text(update: Update, context: BotContext) -> int | None:
    price = parse_price(update.effective_message.text or "")  # type: ignore[union-attr]
    if price is None:
        await reply(update, context, context._("Please send a price in yuan, like 18.5, or /cancel."), expects_text=True)
        return None
    return await _change_asked(
        update, context, lambda order_id: service.set_price(context.db, context.me, order_id, price),
        N_("The price can't change once payment has started; nothing changed."),
    )


async def deposit_text(update: Update, context: BotContext) -> int | None:
    _ = context._
    asked = recall(context, ASKING)
    card = await service.order_card(context.db, context.me, int(asked[0])) if asked else None
    if card is None or card.order.goods_total is None:
        remember(context, ASKING, None)
        return await _gone(update, context)
    try:
        deposit = parse_deposit(update.effective_message.text or "", card.order.goods_total, context.services.clock.now().date())  # type: ignore[union-attr]
    except InputError as error:
        await reply(update, context, _(error.msgid, **{k: common_views.money(v, card.order.currency) for k, v in error.params.items()}), expects_text=True)
        return None
    remember(context, ASKING, None)
    moved = await _record_payment(update, context, card.order.id, OrderStatus(asked[1]), deposit)
    if moved is not None and not moved.changed:
        await reply(update, context, _("The order moved on meanwhile; nothing was recorded."))
    if moved is not None:
        await reply(update, context, *_card(context, moved.card))
    return ConversationHandler.END


async def problem_text(update: Update, context: BotContext) -> int | None:
    typed = " ".join((update.effective_message.text or "").split())  # type: ignore[union-attr]
    if not 3 <= len(typed) <= MAX_PROBLEM:
        await reply(update, context, context._("Describe the problem in a few words (up to 1,000 characters), or /cancel."), expects_text=True)
        return None
    asked = _asked(context)
    try:
        moved = await service.open_dispute(context.db, context.me, asked[0], asked[1], typed, now=context.services.clock.now()) if asked else None
    except InvalidOrderMove:
        moved = None
    if moved is None:
        return await _gone(update, context)
    if not moved.changed:
        await reply(update, context, context._("The order moved on meanwhile; nothing changed."))
    await reply(update, context, *_card(context, moved.card))
    return ConversationHandler.END


async def ask_sample_quantity(update: Update, context: BotContext) -> int:
    match = _data(update, rf"ord:smp:{_ID}")
    inquiry = await inquiries.sent_inquiry(context.db, context.me, int(match.group(1))) if match else None
    if inquiry is None:
        await no_longer_valid(update, context)
        return ConversationHandler.END
    await update.callback_query.answer()  # type: ignore[union-attr]
    remember(context, ASKING, [inquiry.id, OrderStatus.DRAFT.value])
    await reply(update, context, context._("How many samples? (1 to {most})", most=MAX_SAMPLES), expects_text=True)
    return TYPED_ANSWER


async def sample_quantity_text(update: Update, context: BotContext) -> int | None:
    _ = context._
    try:
        quantity, _unit = parse_quantity(update.effective_message.text or "")  # type: ignore[union-attr]
    except InputError as error:
        await reply(update, context, _(error.msgid, **error.params), expects_text=True)
        return None
    if not 1 <= quantity <= MAX_SAMPLES:
        await reply(update, context, _("A sample order is 1 to {most} pieces; type the number again or /cancel.", most=MAX_SAMPLES), expects_text=True)
        return None
    asked = _asked(context)
    now = context.services.clock.now()
    card = await service.sample_order(context.db, context.me, asked[0], quantity, now=now) if asked else None
    if card is None:
        await reply(update, context, _("That inquiry is gone; nothing changed."))
        return ConversationHandler.END
    await reply(update, context, *_card(context, card))
    return ConversationHandler.END


async def send_order_reminders(context: BotContext) -> None:
    """Order reminders that are due (claimed once, so never sent twice), each with the order's card."""
    services = context.services
    now = services.clock.now()
    for due in await service.claim_due_order_reminders(context.db, now, services.settings.default_language):
        _ = Translator(due.language)
        text, buttons = views.order_card(_, due.card, now.date())
        try:
            await send(context, due.chat_id, "⏰ " + _(due.text) + "\n\n" + text, buttons=buttons)
        except TelegramError:
            log.warning("could not send an order reminder to chat %s", due.chat_id, exc_info=True)


MAX_PROOF_BYTES = 10 * 1024 * 1024
PROOF_FILES = filters.PHOTO | filters.Document.PDF | filters.Document.IMAGE


async def proof_received(update: Update, context: BotContext) -> int | None:
    message = update.effective_message
    photo = message.photo[-1] if message and message.photo else None  # the largest size
    document = message.document if message else None
    sent = photo or document
    if sent is None or (sent.file_size or 0) > MAX_PROOF_BYTES:
        await reply(update, context, context._("That file is too big: a receipt of up to 10 MB, please."), expects_text=True)
        return None
    return await _change_asked(update, context, lambda order_id: service.keep_payment_proof(context.db, context.me, order_id, sent.file_id))


async def proof_not_a_file(update: Update, context: BotContext) -> None:
    await reply(update, context, context._("A photo or a PDF of the receipt, please, or /cancel."), expects_text=True)


# Buttons on an order's card that ask for one typed answer: (flow name, callback prefix, ask, answer, stopped).
TYPED_STEPS = (
    ("tracking", "ord:trk", ask_tracking, tracking_text, N_("Stopped adding the tracking number; nothing changed.")),
    ("order_price", "ord:price", ask_price, price_text, N_("Stopped setting the price; nothing changed.")),
    ("deposit", "ord:dep", ask_deposit, deposit_text, N_("Stopped recording the deposit; nothing changed.")),
    ("dispute", "ord:dsp", ask_problem, problem_text, N_("Stopped the dispute; nothing changed.")),
    ("sample_order", "ord:smp", ask_sample_quantity, sample_quantity_text, N_("Stopped the sample order; nothing changed.")),
)


def handlers() -> list:
    return [
        Flow(
            "payment_proof",
            entry_points=[CallbackQueryHandler(ask_proof, pattern=r"^ord:proof:")],
            states={TYPED_ANSWER: [MessageHandler(PROOF_FILES, proof_received), MessageHandler(TYPED_TEXT, proof_not_a_file)]},
            fallbacks=[CommandHandler("cancel", _stop_asking)],
            stopped=N_("Stopped adding the payment receipt; nothing changed."),
        ),
        *(
            typed_answer_step(name, [CallbackQueryHandler(ask, pattern=rf"^{prefix}:")], on_text, _stop_asking, stopped=stopped)
            for name, prefix, ask, on_text, stopped in TYPED_STEPS
        ),
        CommandHandler("orders", orders_command),
        CallbackQueryHandler(choose_payment, pattern=r"^ord:pay:"),
        CallbackQueryHandler(view_order, pattern=r"^ord:view:"),
        CallbackQueryHandler(start_order, pattern=r"^ord:new:"),
        CallbackQueryHandler(move_order, pattern=r"^ord:go:"),
        CallbackQueryHandler(confirm_cancel, pattern=r"^ord:cx:"),
        CallbackQueryHandler(paid_in_full, pattern=r"^ord:full:"),
        CallbackQueryHandler(approve_payment, pattern=r"^ord:ok:"),
        CallbackQueryHandler(order_message, pattern=r"^ord:msg:"),
        CallbackQueryHandler(order_message_sent, pattern=r"^ord:sent:"),
        CallbackQueryHandler(choose_shipping, pattern=r"^ord:(?:shp|fwd):"),
    ]
