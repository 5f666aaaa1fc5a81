"""After the first message: an inquiry's answers, the follow-up for what is open, next-step messages, closing,
and the reminders that chase a silent supplier."""

from __future__ import annotations

import logging
import re

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, ConversationHandler

from bot.context import BotContext
from bot.domain.inquiries import parse_price
from bot.handlers.common import no_longer_valid, recall, remember, reply, tracked
from bot.handlers.flows import TYPED_ANSWER, typed_answer_step
from bot.handlers.orders import send_order_reminders
from bot.handlers.replies import note_sent_inquiry, set_active_inquiry
from bot.i18n import N_, Translator
from bot.services import inquiries as service
from bot.services import messages, quotes
from bot.services.results import InquiryView
from bot.telegram_io import Button, remove_buttons, send, typing
from bot.views import common as common_views
from bot.views import inquiries as views

log = logging.getLogger(__name__)
NEGOTIATING = "negotiating"  # memo: the inquiry whose target price they are typing


async def _sent_inquiry(update: Update, context: BotContext, pattern: str) -> tuple[InquiryView, re.Match[str]] | None:
    """The inquiry a button names, if it is this workspace's and went beyond its draft."""
    match = re.fullmatch(pattern, update.callback_query.data or "")  # type: ignore[union-attr]
    inquiry = await service.sent_inquiry(context.db, context.me, int(match.group(1))) if match else None
    if inquiry is None:
        await no_longer_valid(update, context)
        return None
    await update.callback_query.answer()  # type: ignore[union-attr]
    return inquiry, match  # type: ignore[return-value]


async def view_inquiry(update: Update, context: BotContext) -> None:
    match = re.fullmatch(r"inq:view:(\d{1,12})", update.callback_query.data or "")  # type: ignore[union-attr]
    found = await service.inquiry_card(context.db, context.me, int(match.group(1))) if match else None
    if found is None:
        await no_longer_valid(update, context)
        return
    await update.callback_query.answer()  # type: ignore[union-attr]
    set_active_inquiry(context, found.inquiry.id)
    await reply(update, context, *views.card(context._, found))


async def follow_up(update: Update, context: BotContext) -> None:
    found = await _sent_inquiry(update, context, r"inq:fu:(\d{1,12})")
    if found is None:
        return
    inquiry, _match = found
    _ = context._
    async with typing(context, context.me.chat_id):
        drafted = await messages.compose_follow_up(
            context.db, context.services.translator, context.me, inquiry, now=context.services.clock.now()
        )
    waiting = views.waiting_note(_, inquiry, drafted.waiting)
    rendered = drafted.message
    if rendered is None:
        await reply(update, context, "\n".join([_("The supplier has answered everything you asked; no follow-up needed."), waiting]).strip())
        return
    await service.follow_up_drafted(context.db, context.me, inquiry.id, rendered.zh)
    text = common_views.supplier_message(_, rendered.zh, rendered.lines, N_("A follow-up asking only what is still open:"))
    await reply(update, context, text + ("\n\n" + waiting if waiting else ""), [[Button(_("✅ I sent it"), f"inq:fus:{inquiry.id}")]])


async def follow_up_sent(update: Update, context: BotContext) -> None:
    found = await _sent_inquiry(update, context, r"inq:fus:(\d{1,12})")
    if found is None:
        return
    inquiry, _match = found
    async with typing(context, context.me.chat_id):  # the numbering the supplier will answer by
        drafted = await messages.compose_follow_up(
            context.db, context.services.translator, context.me, inquiry, now=context.services.clock.now()
        )
    done = await service.follow_up_sent(
        context.db,
        context.me,
        inquiry.id,
        message_zh=drafted.message.zh if drafted.message else "",
        now=context.services.clock.now(),
        default_hours=context.services.settings.follow_up_hours,
    )
    if done is None:
        await reply(update, context, context._("That inquiry is closed; nothing to follow up."))
        return
    note_sent_inquiry(context, inquiry.id)
    await reply(update, context, context._("Noted. I will remind you again in {hours} hours if nothing comes.", hours=f"{done.follow_up_hours:g}"))


async def ask_target_price(update: Update, context: BotContext) -> int:
    found = await _sent_inquiry(update, context, r"inq:neg:(\d{1,12})")
    if found is None:
        return ConversationHandler.END
    remember(context, NEGOTIATING, found[0].id)
    _ = context._
    text = _("What unit price do you want to offer, in yuan (¥)? For example <code>18.5</code>.")
    suggested = await quotes.target_price(context.db, context.me, found[0].id, now=context.services.clock.now())
    if suggested is not None:
        text += "\n" + _(
            "Another supplier quotes ¥{price} a piece for this quantity: offering that is a fair start.", price=f"{suggested:.2f}"
        )
    await reply(update, context, text, expects_text=True)
    return TYPED_ANSWER


async def target_price_text(update: Update, context: BotContext) -> int | None:
    _ = context._
    price = parse_price(update.effective_message.text or "")  # type: ignore[union-attr]
    if price is None:
        await reply(update, context, _("Please send a price in yuan, like 18.5, or /cancel."), expects_text=True)
        return None
    inquiry_id = recall(context, NEGOTIATING, forget=True)
    inquiry = await service.sent_inquiry(context.db, context.me, inquiry_id) if inquiry_id else None
    if inquiry is None:
        await reply(update, context, _("That inquiry is gone; nothing was written."))
        return ConversationHandler.END
    rendered = await messages.compose(
        context.db, context.services.translator, context.me, inquiry, "negotiate_price", target_price=price, currency="CNY"
    )
    text = common_views.supplier_message(_, rendered.zh, rendered.lines, N_("Copy this message to the supplier:"))
    await reply(update, context, text, [[Button(_("✅ I sent it"), f"inq:negs:{inquiry.id}")]])
    return ConversationHandler.END


async def negotiation_sent(update: Update, context: BotContext) -> None:
    """The buyer sent the price offer: the supplier's answer, pasted, is read against this inquiry, and the
    follow-up reminder counts again from now."""
    found = await _sent_inquiry(update, context, r"inq:negs:(\d{1,12})")
    if found is None:
        return
    done = await service.follow_up_sent(
        context.db, context.me, found[0].id, message_zh=None, now=context.services.clock.now(),
        default_hours=context.services.settings.follow_up_hours,
    )  # fmt: skip
    if done is None:
        await reply(update, context, context._("That inquiry is closed; nothing to follow up."))
        return
    note_sent_inquiry(context, found[0].id)
    await reply(update, context, context._("Noted. Paste the supplier's answer here when it comes; I will read it like any reply."))


async def cancel_negotiation(update: Update, context: BotContext) -> int:
    remember(context, NEGOTIATING, None)
    await reply(update, context, context._("Stopped; nothing was written."))
    return ConversationHandler.END


async def ask_to_close(update: Update, context: BotContext) -> None:
    found = await _sent_inquiry(update, context, r"inq:close:(\d{1,12})")
    if found is None:
        return
    await reply(update, context, *views.close_question(context._, found[0]))


async def close(update: Update, context: BotContext) -> None:
    match = re.fullmatch(r"inq:closey:(\d{1,12})", update.callback_query.data or "")  # type: ignore[union-attr]
    closed = await service.close_inquiry(context.db, context.me, int(match.group(1))) if match else None
    if closed is None:
        await no_longer_valid(update, context)
        return
    await update.callback_query.answer()  # type: ignore[union-attr]
    await remove_buttons(context, update.callback_query.message)  # type: ignore[union-attr]
    await reply(
        update,
        context,
        context._("Closed {product}. Find it under Closed inquiries in /inquiries.", product=views.name_of(context._, closed)),
    )


async def closed_inquiries(update: Update, context: BotContext) -> None:
    await update.callback_query.answer()  # type: ignore[union-attr]
    await reply(update, context, *views.closed_list(context._, await service.closed_inquiries(context.db, context.me)))


async def reopen(update: Update, context: BotContext) -> None:
    match = re.fullmatch(r"inq:reopen:(\d{1,12})", update.callback_query.data or "")  # type: ignore[union-attr]
    found = await service.reopen_inquiry(context.db, context.me, int(match.group(1))) if match else None
    if found is None:
        await no_longer_valid(update, context)
        return
    await update.callback_query.answer(context._("Reopened."))  # type: ignore[union-attr]
    set_active_inquiry(context, found.inquiry.id)
    await reply(update, context, *views.card(context._, found))


@tracked
async def sweep_reminders(context: BotContext) -> None:
    """Runs every REMINDER_SWEEP_SECONDS: sends each due reminder once, even across restarts."""
    services = context.services
    settings = services.settings
    for due in await service.claim_due_reminders(context.db, services.clock.now(), settings.default_language, settings.follow_up_hours):
        text, buttons = views.reminder(Translator(due.actor.language), due.card)
        try:
            await send(context, due.chat_id, text, buttons=buttons)
        except TelegramError:
            log.warning("could not send reminder %s to chat %s", due.reminder_id, due.chat_id, exc_info=True)
    await send_order_reminders(context)


def start_reminders(application: Application) -> None:
    settings = application.bot_data["services"].settings
    application.job_queue.run_repeating(sweep_reminders, interval=settings.reminder_sweep_seconds, first=0.5, name="reminders")  # type: ignore[union-attr]


def handlers() -> list:
    return [
        typed_answer_step(
            "negotiation",
            [CallbackQueryHandler(ask_target_price, pattern=r"^inq:neg:")],
            target_price_text,
            cancel_negotiation,
            stopped=N_("Stopped the price offer; nothing was written."),
        ),
        CallbackQueryHandler(view_inquiry, pattern=r"^inq:view:"),
        CallbackQueryHandler(follow_up, pattern=r"^inq:fu:"),
        CallbackQueryHandler(follow_up_sent, pattern=r"^inq:fus:"),
        CallbackQueryHandler(negotiation_sent, pattern=r"^inq:negs:"),
        CallbackQueryHandler(ask_to_close, pattern=r"^inq:close:"),
        CallbackQueryHandler(close, pattern=r"^inq:closey:"),
        CallbackQueryHandler(closed_inquiries, pattern=r"^inq:closed$"),
        CallbackQueryHandler(reopen, pattern=r"^inq:reopen:"),
    ]
