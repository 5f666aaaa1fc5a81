"""Orders: /orders, an order's card, moving it on a step, and the supplier message for the step."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.domain.orders import InvalidOrderMove, OrderStatus
from bot.handlers.common import no_longer_valid, reply
from bot.i18n import N_
from bot.services import messages
from bot.services import orders as service
from bot.telegram_io import edit, typing
from bot.views import common as common_views
from bot.views import orders as views

_STATUS = "|".join(status.value for status in OrderStatus)


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


def handlers() -> list:
    return [
        CommandHandler("orders", orders_command),
        CallbackQueryHandler(view_order, pattern=r"^ord:view:"),
        CallbackQueryHandler(start_order, pattern=r"^ord:new:"),
        CallbackQueryHandler(move_order, pattern=r"^ord:go:"),
        CallbackQueryHandler(order_message, pattern=r"^ord:msg:"),
    ]
