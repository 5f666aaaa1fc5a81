"""After the first message: an inquiry's answers, the follow-up for what is open, next-step messages, closing,
and the reminders that chase a silent supplier."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from decimal import Decimal

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, ConversationHandler

from bot.context import BotContext
from bot.db.models import Inquiry, Reminder
from bot.domain import checklist
from bot.domain.inquiries import OPEN_STATUSES, InquiryStatus
from bot.handlers import views
from bot.handlers.common import recall, remember, reply, tracked
from bot.handlers.flows import TYPED_ANSWER, typed_answer_step
from bot.handlers.replies import progress_view, set_active_inquiry
from bot.i18n import N_, Translator
from bot.services import inquiries as service
from bot.services import messages
from bot.services.accounts import Actor, actor_for
from bot.services.replies import recorded_answers
from bot.services.suppliers import get_supplier
from bot.supplier_messages import KIND_KEYS
from bot.telegram_io import Button, send, typing

log = logging.getLogger(__name__)
NEXT_STEP_KINDS = ("sample_request",)
NEGOTIATING = "negotiating"  # chat_data: user id -> the inquiry whose target price they are typing
MAX_PRICE = Decimal(1000000)


def parse_price(text: str) -> Decimal | None:
    """A positive unit price typed by the buyer: "18.5", "¥18.50", "18,5"."""
    cleaned = text.strip().lstrip("¥￥").removesuffix("元").strip().replace(",", ".")
    try:
        price = Decimal(cleaned)
    except ArithmeticError:
        return None
    return price if price.is_finite() and 0 < price < MAX_PRICE and price.as_tuple().exponent >= -4 else None


async def _inquiry_from(update: Update, context: BotContext, pattern: str) -> tuple[Inquiry, re.Match[str]] | None:
    """The inquiry a button names, if it is this workspace's and not someone else's draft."""
    query = update.callback_query
    match = re.fullmatch(pattern, query.data or "")  # type: ignore[union-attr]
    inquiry = await service.get_inquiry(context.db, context.me, int(match.group(1))) if match else None
    if inquiry is None or inquiry.status == InquiryStatus.DRAFT:
        await query.answer(context._("That button is no longer valid."))  # type: ignore[union-attr]
        return None
    await query.answer()  # type: ignore[union-attr]
    return inquiry, match  # type: ignore[return-value]


async def view_inquiry(update: Update, context: BotContext) -> None:
    found = await _inquiry_from(update, context, r"inq:view:(\d+)")
    if found is None:
        return
    inquiry, _match = found
    _ = context._
    set_active_inquiry(context, inquiry.id)
    supplier = await get_supplier(context.db, context.me.workspace_id, inquiry.supplier_id) if inquiry.supplier_id else None
    answers = await recorded_answers(context.db, inquiry.id)
    customs = await messages.custom_question_texts(context.db, context.me.workspace_id, inquiry.questions)
    lines = [
        _(
            "<b>{product}</b> — {supplier}\n{quantity} · {status}",
            product=inquiry.product or _("inquiry #{id}", id=inquiry.id),
            supplier=supplier.name if supplier else _("no supplier"),
            quantity=views.quantity_text(inquiry, _),
            status=_(views.STATUS_LABELS[InquiryStatus(inquiry.status)]),
        )
    ]
    for key in inquiry.questions:
        label = views.question_label(key, customs, _)
        recorded = answers.get(key)
        if recorded:
            facts = "; ".join(views.describe_fact(a.field, a.value.get("value"), _) for a in recorded)
            lines.append(f"✅ {views.escape(label)}: {facts}")
        else:
            lines.append(f"❔ {views.escape(label)}")
    buttons: list[list[Button]] = []
    if inquiry.status in OPEN_STATUSES:
        lines.append("\n" + _("Paste the supplier's replies here and I will record them against this inquiry."))
        open_keys = [key for key in inquiry.questions if key not in answers]
        progress_text, progress_buttons = await progress_view(context, context.me, inquiry)
        lines.append(progress_text)
        buttons += [row for row in progress_buttons if not row[0].data.startswith("inq:view:")]  # type: ignore[union-attr]
        buttons += [
            [Button("✍️ " + views.question_label(key, customs, _)[:40], f"inq:recq:{inquiry.id}:{key}")] for key in open_keys[:6]
        ]
        buttons.append([Button(_("🗄 Close this inquiry"), f"inq:close:{inquiry.id}")])
    await reply(update, context, "\n".join(lines), buttons)


async def follow_up(update: Update, context: BotContext) -> None:
    found = await _inquiry_from(update, context, r"inq:fu:(\d+)")
    if found is None:
        return
    inquiry, _match = found
    _ = context._
    answered = (await service.answered_keys(context.db, [inquiry.id])).get(inquiry.id, set())
    if not checklist.progress(inquiry.questions, answered).open_keys:
        await reply(update, context, _("Everything you asked is answered; no follow-up needed."))
        return
    async with typing(context, context.me.chat_id):
        rendered = await messages.render_for_inquiry(context.db, context.services.translator, inquiry, "follow_up", context.me.language)
    text = views.supplier_message(_, rendered.zh, rendered.lines, N_("A follow-up asking only what is still open:"))
    await reply(update, context, text, [[Button(_("✅ I sent it"), f"inq:fus:{inquiry.id}")]])


async def follow_up_sent(update: Update, context: BotContext) -> None:
    found = await _inquiry_from(update, context, r"inq:fus:(\d+)")
    if found is None:
        return
    inquiry, _match = found
    hours = await _follow_up_hours(context, context.me)
    async with typing(context, context.me.chat_id):  # the numbering the supplier will answer by
        sent = await messages.render_for_inquiry(context.db, context.services.translator, inquiry, "follow_up", context.me.language)
    due = context.services.clock.now() + timedelta(hours=hours)
    await service.reschedule_follow_up(context.db, inquiry.id, due, sent_message_zh=sent.zh)
    set_active_inquiry(context, inquiry.id)
    await reply(update, context, context._("Noted. I will remind you again in {hours} hours if nothing comes.", hours=f"{hours:g}"))


async def next_step_message(update: Update, context: BotContext) -> None:
    found = await _inquiry_from(update, context, r"inq:msg:(\d+):([a-z_]+)")
    if found is None:
        return
    inquiry, match = found
    kind = match.group(2)
    if kind not in NEXT_STEP_KINDS or kind not in KIND_KEYS:
        await reply(update, context, context._("That button is no longer valid."))
        return
    rendered = await messages.render_for_inquiry(context.db, context.services.translator, inquiry, kind, context.me.language, sample_quantity=1)
    await reply(update, context, views.supplier_message(context._, rendered.zh, rendered.lines, N_("Copy this message to the supplier:")))


async def ask_target_price(update: Update, context: BotContext) -> int:
    found = await _inquiry_from(update, context, r"inq:neg:(\d+)")
    if found is None:
        return ConversationHandler.END
    inquiry, _match = found
    remember(context, NEGOTIATING, inquiry.id)
    await reply(
        update,
        context,
        context._("What unit price do you want to offer, in yuan (¥)? For example <code>18.5</code>."),
        expects_text=True,
    )
    return TYPED_ANSWER


async def target_price_text(update: Update, context: BotContext) -> int | None:
    _ = context._
    price = parse_price(update.effective_message.text or "")  # type: ignore[union-attr]
    if price is None:
        await reply(update, context, _("Please send a price in yuan, like 18.5, or /cancel."), expects_text=True)
        return None
    inquiry_id = recall(context, NEGOTIATING, forget=True)
    inquiry = await service.get_inquiry(context.db, context.me, inquiry_id) if inquiry_id else None
    if inquiry is None:
        await reply(update, context, _("That inquiry is gone; nothing was written."))
        return ConversationHandler.END
    rendered = await messages.render_for_inquiry(
        context.db, context.services.translator, inquiry, "negotiate_price", context.me.language, target_price=price, currency="CNY"
    )
    await reply(update, context, views.supplier_message(_, rendered.zh, rendered.lines, N_("Copy this message to the supplier:")))
    return ConversationHandler.END


async def cancel_negotiation(update: Update, context: BotContext) -> int:
    remember(context, NEGOTIATING, None)
    await reply(update, context, context._("Stopped; nothing was written."))
    return ConversationHandler.END


async def close(update: Update, context: BotContext) -> None:
    found = await _inquiry_from(update, context, r"inq:close:(\d+)")
    if found is None:
        return
    inquiry, _match = found
    await service.close_inquiry(context.db, context.me, inquiry.id)
    await reply(update, context, context._("Closed {product}. It no longer shows in /inquiries.", product=inquiry.product or f"#{inquiry.id}"))


async def _follow_up_hours(context: BotContext, actor: Actor) -> float:
    workspace = await service.get_workspace(context.db, actor.workspace_id)
    return workspace.follow_up_hours or context.services.settings.follow_up_hours


@tracked
async def sweep_reminders(context: BotContext) -> None:
    """Runs every REMINDER_SWEEP_SECONDS: sends each due reminder once, even across restarts."""
    for reminder in await service.claim_due_reminders(context.db, context.services.clock.now()):
        try:
            await _remind(context, reminder)
        except TelegramError:
            log.warning("could not send reminder %s to chat %s", reminder.id, reminder.chat_id, exc_info=True)


async def _remind(context: BotContext, reminder: Reminder) -> None:
    inquiry = await service.inquiry_by_id(context.db, reminder.inquiry_id) if reminder.inquiry_id else None
    if inquiry is None or inquiry.status != InquiryStatus.AWAITING_REPLY:
        return
    actor = await actor_for(context.db, inquiry.created_by, reminder.chat_id, context.services.settings.default_language)
    if actor is None:
        return
    _ = Translator(actor.language)
    supplier = await get_supplier(context.db, actor.workspace_id, inquiry.supplier_id) if inquiry.supplier_id else None
    answered = (await service.answered_keys(context.db, [inquiry.id])).get(inquiry.id, set())
    progress = checklist.progress(inquiry.questions, answered)
    text = _(
        "⏰ <b>Still waiting</b> on {supplier} about {product}: {open} of {total} questions have no answer yet. "
        "If the supplier replied, paste it here; otherwise send them the follow-up.",
        supplier=supplier.name if supplier else _("the supplier"),
        product=inquiry.product or f"#{inquiry.id}",
        open=len(progress.open_keys),
        total=progress.total,
    )
    await send(
        context,
        reminder.chat_id,
        text,
        buttons=[
            [Button(_("✍️ Draft the follow-up"), f"inq:fu:{inquiry.id}")],
            [Button(_("📋 Show the inquiry"), f"inq:view:{inquiry.id}"), Button(_("🗄 Close it"), f"inq:close:{inquiry.id}")],
        ],
    )


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
        CallbackQueryHandler(next_step_message, pattern=r"^inq:msg:"),
        CallbackQueryHandler(close, pattern=r"^inq:close:"),
    ]
