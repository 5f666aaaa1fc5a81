"""Orders: /orders, an order's card, moving it on a step, and the supplier message for the step."""

from __future__ import annotations

import logging
import re

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.context import BotContext
from bot.domain.orders import InvalidOrderMove, OrderStatus, PaymentMethod
from bot.handlers.common import TYPED_TEXT, no_longer_valid, recall, remember, reply
from bot.handlers.flows import TYPED_ANSWER, Flow, typed_answer_step
from bot.i18n import N_, Translator
from bot.services import messages
from bot.services import orders as service
from bot.telegram_io import edit, send, typing
from bot.views import common as common_views
from bot.views import orders as views

log = logging.getLogger(__name__)
_STATUS = "|".join(status.value for status in OrderStatus)
TRACKING = "order_tracking"  # memo: the order whose tracking number the person is typing


async def orders_command(update: Update, context: BotContext) -> None:
    await reply(update, context, *views.order_list(context._, await service.orders(context.db, context.me)))


async def view_order(update: Update, context: BotContext) -> None:
    match = re.fullmatch(r"ord:view:(\d{1,12})", update.callback_query.data or "")  # type: ignore[union-attr]
    card = await service.order_card(context.db, context.me, int(match.group(1))) if match else None
    if card is None:
        await no_longer_valid(update, context)
        return
    await update.callback_query.answer()  # type: ignore[union-attr]
    await reply(update, context, *views.order_card(context._, card))


async def start_order(update: Update, context: BotContext) -> None:
    """From an accepted quote: the order, made once however often pressed."""
    match = re.fullmatch(r"ord:new:(\d{1,12})", update.callback_query.data or "")  # type: ignore[union-attr]
    card = (
        await service.order_from_quote(context.db, context.me, int(match.group(1)), now=context.services.clock.now())
        if match
        else None
    )
    if card is None:
        await no_longer_valid(update, context)
        return
    await update.callback_query.answer()  # type: ignore[union-attr]
    await reply(update, context, *views.order_card(context._, card))


async def move_order(update: Update, context: BotContext) -> None:
    query = update.callback_query
    match = re.fullmatch(rf"ord:go:(\d{{1,12}}):({_STATUS}):({_STATUS})", query.data or "")  # type: ignore[union-attr]
    if match is None:
        await no_longer_valid(update, context)
        return
    _ = context._
    try:
        moved = await service.move_order(
            context.db, context.me, int(match.group(1)), OrderStatus(match.group(2)), OrderStatus(match.group(3)),
            now=context.services.clock.now(),
        )  # fmt: skip
    except InvalidOrderMove:
        await query.answer(_("An order can't go that way from where it is."), show_alert=True)  # type: ignore[union-attr]
        return
    if moved is None:
        await no_longer_valid(update, context)
        return
    if not moved.changed:  # a second press or a teammate's: the card shown is as it was left
        await query.answer(_("Already moved on."))  # type: ignore[union-attr]
        return
    await query.answer(_("Done."))  # type: ignore[union-attr]
    text, buttons = views.order_card(_, moved.card)
    await edit(context, query.message, context.me.chat_id, text, buttons=buttons)  # type: ignore[union-attr]


async def order_message(update: Update, context: BotContext) -> None:
    match = re.fullmatch(r"ord:msg:(\d{1,12}):([a-z_]{1,30})", update.callback_query.data or "")  # type: ignore[union-attr]
    card = await service.order_card(context.db, context.me, int(match.group(1))) if match else None
    if card is None or match is None:
        await no_longer_valid(update, context)
        return
    await update.callback_query.answer()  # type: ignore[union-attr]
    _ = context._
    async with typing(context, context.me.chat_id):
        rendered = await messages.compose_for_order(context.db, context.services.translator, context.me, card.order, match.group(2))
    if rendered is None:
        missing = _("Save your forwarder's address in /settings first.") if match.group(2) == "shipping_to_forwarder" else _(
            "This step's message needs a price or details the order does not have yet."
        )
        await reply(update, context, missing)
        return
    await reply(update, context, common_views.supplier_message(_, rendered.zh, rendered.lines, N_("Copy this message to the supplier:")))


async def choose_payment(update: Update, context: BotContext) -> None:
    query = update.callback_query
    methods = "|".join(method.value for method in PaymentMethod)
    match = re.fullmatch(rf"ord:pay:(\d{{1,12}}):({methods})", query.data or "")  # type: ignore[union-attr]
    method = PaymentMethod(match.group(2)) if match else None
    card = await service.choose_payment(context.db, context.me, int(match.group(1)), method) if match and method else None
    if card is None:
        await no_longer_valid(update, context)
        return
    await query.answer()  # type: ignore[union-attr]
    text, buttons = views.order_card(context._, card)
    await edit(context, query.message, context.me.chat_id, text, buttons=buttons)  # type: ignore[union-attr]
    if method is PaymentMethod.CROSS_BORDER_PAY:
        await reply(update, context, views.cross_border_pay_steps(context._))


async def _ask_about(update: Update, context: BotContext, prefix: str, memo: str, prompt: str) -> int:
    """A button on an order's card that asks for something (a tracking number, a receipt): the order is kept in
    `memo` until the answer comes."""
    match = re.fullmatch(rf"{prefix}:(\d{{1,12}})", update.callback_query.data or "")  # type: ignore[union-attr]
    card = await service.order_card(context.db, context.me, int(match.group(1))) if match else None
    if card is None:
        await no_longer_valid(update, context)
        return ConversationHandler.END
    await update.callback_query.answer()  # type: ignore[union-attr]
    remember(context, memo, card.order.id)
    await reply(update, context, context._(prompt), expects_text=True)
    return TYPED_ANSWER


async def _stop_asking(update: Update, context: BotContext, memo: str) -> int:
    remember(context, memo, None)
    await reply(update, context, context._("Stopped; nothing changed."))
    return ConversationHandler.END


async def ask_tracking(update: Update, context: BotContext) -> int:
    return await _ask_about(update, context, "ord:trk", TRACKING, N_("Type or paste the tracking number."))


async def tracking_text(update: Update, context: BotContext) -> int | None:
    typed = " ".join((update.effective_message.text or "").split())  # type: ignore[union-attr]
    if not 4 <= len(typed) <= 64:
        await reply(update, context, context._("A tracking number is 4 to 64 characters; type it again or /cancel."), expects_text=True)
        return None
    order_id = recall(context, TRACKING, forget=True)
    card = await service.set_tracking(context.db, context.me, order_id, typed) if order_id else None
    if card is None:
        await reply(update, context, context._("That order is gone; nothing changed."))
        return ConversationHandler.END
    await reply(update, context, *views.order_card(context._, card))
    return ConversationHandler.END


async def cancel_tracking(update: Update, context: BotContext) -> int:
    return await _stop_asking(update, context, TRACKING)


async def send_order_reminders(context: BotContext) -> None:
    """Order reminders that are due (claimed once, so never sent twice), each with the order's card."""
    services = context.services
    for due in await service.claim_due_order_reminders(context.db, services.clock.now(), services.settings.default_language):
        _ = Translator(due.language)
        text, buttons = views.order_card(_, due.card)
        try:
            await send(context, due.chat_id, "⏰ " + _(due.text) + "\n\n" + text, buttons=buttons)
        except TelegramError:
            log.warning("could not send an order reminder to chat %s", due.chat_id, exc_info=True)


MAX_PROOF_BYTES = 10 * 1024 * 1024
PROOF = "order_payment_proof"  # memo: the order whose payment receipt the person is sending
PROOF_FILES = filters.PHOTO | filters.Document.PDF | filters.Document.IMAGE


async def ask_proof(update: Update, context: BotContext) -> int:
    return await _ask_about(update, context, "ord:proof", PROOF, N_("Send the payment receipt as a photo or a PDF (or /cancel)."))


async def proof_received(update: Update, context: BotContext) -> int | None:
    message = update.effective_message
    photo = message.photo[-1] if message and message.photo else None  # the largest size
    document = message.document if message else None
    sent = photo or document
    if sent is None or (sent.file_size or 0) > MAX_PROOF_BYTES:
        await reply(update, context, context._("That file is too big: a receipt of up to 10 MB, please."), expects_text=True)
        return None
    order_id = recall(context, PROOF, forget=True)
    card = await service.keep_payment_proof(context.db, context.me, order_id, sent.file_id) if order_id else None
    if card is None:
        await reply(update, context, context._("That order is gone; nothing changed."))
        return ConversationHandler.END
    await reply(update, context, *views.order_card(context._, card))
    return ConversationHandler.END


async def proof_not_a_file(update: Update, context: BotContext) -> None:
    await reply(update, context, context._("A photo or a PDF of the receipt, please, or /cancel."), expects_text=True)


async def cancel_proof(update: Update, context: BotContext) -> int:
    return await _stop_asking(update, context, PROOF)


def handlers() -> list:
    return [
        Flow(
            "payment_proof",
            entry_points=[CallbackQueryHandler(ask_proof, pattern=r"^ord:proof:")],
            states={TYPED_ANSWER: [MessageHandler(PROOF_FILES, proof_received), MessageHandler(TYPED_TEXT, proof_not_a_file)]},
            fallbacks=[CommandHandler("cancel", cancel_proof)],
            stopped=N_("Stopped adding the payment receipt; nothing changed."),
        ),
        typed_answer_step(
            "tracking",
            [CallbackQueryHandler(ask_tracking, pattern=r"^ord:trk:")],
            tracking_text,
            cancel_tracking,
            stopped=N_("Stopped adding the tracking number; nothing changed."),
        ),
        CommandHandler("orders", orders_command),
        CallbackQueryHandler(choose_payment, pattern=r"^ord:pay:"),
        CallbackQueryHandler(view_order, pattern=r"^ord:view:"),
        CallbackQueryHandler(start_order, pattern=r"^ord:new:"),
        CallbackQueryHandler(move_order, pattern=r"^ord:go:"),
        CallbackQueryHandler(order_message, pattern=r"^ord:msg:"),
    ]
