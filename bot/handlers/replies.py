"""Supplier replies: the buyer pastes or forwards what the supplier wrote; the bot translates it, picks out
the facts, ties them to the inquiry's checklist once confirmed, and drafts the follow-up for what is open.

Pasted messages are stored at once and read in a batch a moment later, so a supplier's answer forwarded as
several messages is read as one. A batch counts as processed only once its answer went out: messages stored
but not answered when the bot stops are read on start.
"""

from __future__ import annotations

import logging
import re

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot.context import BotContext
from bot.handlers.common import no_longer_valid, recall, remember, reply, tracked
from bot.handlers.flows import TYPED_ANSWER, typed_answer_step
from bot.i18n import N_, Translator
from bot.pipeline.inbox import DATABASE_DOWN
from bot.pipeline.turn import keep_open
from bot.services import replies as service
from bot.services.accounts import actor_for
from bot.telegram_io import edit, send, typing
from bot.views import common as common_views
from bot.views import replies as views

log = logging.getLogger(__name__)
HAN = re.compile(r"[\u3400-\u9fff]")
ACTIVE = "active_inquiry"  # memo: the inquiry the person's pasted replies belong to
EDITING = "typing_answer"  # memo: the question whose answer they are typing
MAX_ANSWER_TEXT = 500
BATCH_JOB_PREFIX = "replies:"
WAITING = "pasted_waiting"  # bot_data
RETRY_SECONDS = 10.0  # when the database did not answer


def set_active_inquiry(context: BotContext, inquiry_id: int) -> None:
    remember(context, ACTIVE, inquiry_id)


def _batch_job_name(chat_id: int, user_id: int) -> str:
    return f"{BATCH_JOB_PREFIX}{chat_id}:{user_id}"


async def pasted(update: Update, context: BotContext) -> None:
    """Keep the supplier's message in memory; read it (with any that follow it at once) in a moment. Its update
    stays open in the inbox until the answer went out, so a restart meanwhile reads it again."""
    message = update.effective_message
    text = (message.text or message.caption or "").strip()  # type: ignore[union-attr]
    if not text:
        return
    waiting = _waiting(context.application).setdefault((context.me.chat_id, context.me.user_id), [])
    waiting.append(service.Pasted(message.message_id, text, recall(context, ACTIVE), keep_open()))  # type: ignore[union-attr]
    schedule_batch(context.application, context.me.chat_id, context.me.user_id)


def _waiting(application: Application) -> dict[tuple[int, int], list[service.Pasted]]:
    """Pasted messages not read yet, per chat and person."""
    return application.bot_data.setdefault(WAITING, {})


def schedule_batch(application: Application, chat_id: int, user_id: int, delay: float | None = None) -> None:
    name = _batch_job_name(chat_id, user_id)
    for job in application.job_queue.get_jobs_by_name(name):  # type: ignore[union-attr]
        job.schedule_removal()
    services = application.bot_data["services"]
    application.job_queue.run_once(  # type: ignore[union-attr]
        read_batch, services.settings.reply_batch_seconds if delay is None else delay, data=(chat_id, user_id), name=name
    )


@tracked
async def read_batch(context: BotContext) -> None:
    """Translate the batch (no database held meanwhile), read it in one unit of work, answer, and only then
    mark its updates done."""
    chat_id, user_id = context.job.data  # type: ignore[union-attr, misc]
    services = context.services
    messages = _waiting(context.application).pop((chat_id, user_id), None)
    actor = await actor_for(context.db, user_id, chat_id, services.settings.default_language) if messages else None
    batch = (
        service.PendingBatch(actor, tuple(messages))
        if actor is not None and messages
        else await service.pending_batch(context.db, chat_id, user_id, services.settings.default_language)
    )
    if batch is None:
        return
    actor = batch.actor
    _ = Translator(actor.language)
    async with typing(context, chat_id):
        translation = await services.translator.from_chinese(batch.text, actor.language, workspace_id=actor.workspace_id)
    try:
        read = await service.read_batch(
            context.db,
            batch,
            translation.text if translation.ok else None,
            now=services.clock.now(),
            default_hours=services.settings.follow_up_hours,
        )
    except DATABASE_DOWN as error:
        # The messages wait (their updates are still open) and are read again once the database answers.
        log.warning("could not read pasted messages in chat %s (%s); trying again later", chat_id, error)
        if not messages or not _waiting(context.application).get((chat_id, user_id)):
            await send(context, chat_id, _("I can't reach my records right now. I will read the supplier's message as soon as I can."))
        _waiting(context.application).setdefault((chat_id, user_id), [])[:0] = messages or []
        schedule_batch(context.application, chat_id, user_id, delay=RETRY_SECONDS)
        return
    heading = _("📩 <b>The supplier wrote</b>")
    await send(
        context,
        chat_id,
        views.translation_html(_, translation, heading),
        buttons=views.translation_buttons(_, read, translation),
        reply_to=batch.head.message_id,
    )
    if read.attached is not None:
        text, buttons = views.answers(_, read.attached)
    else:
        text, buttons = views.where_it_goes(_, read)
    await send(context, chat_id, text, buttons=buttons)
    await services.inbox.done(context.bot.id, *(m.update_id for m in batch.messages if m.update_id is not None))


def _id(data: str | None, pattern: str) -> re.Match[str] | None:
    return re.fullmatch(pattern, data or "")


async def answer_decision(update: Update, context: BotContext) -> None:
    query = update.callback_query
    match = _id(query.data, r"ans:(ok|no|use|keep):(\d{1,12})")  # type: ignore[union-attr]
    if match is None:
        await no_longer_valid(update, context)
        return
    action, answer_id = match.group(1), int(match.group(2))
    decision = await service.decide(
        context.db, context.me, answer_id, confirm=action in ("ok", "use"), replace_recorded=action == "use"
    )
    if decision is None:
        await no_longer_valid(update, context)
        return
    _ = context._
    if not decision.changed:
        await query.answer(_("Already decided."))  # type: ignore[union-attr]
        return
    if decision.conflict_with is not None:
        await query.answer()  # type: ignore[union-attr]
        await reply(update, context, *views.conflict(_, decision.conflict_with, decision.answer))
        return
    await query.answer(_("Recorded.") if action in ("ok", "use") else _("Left out."))  # type: ignore[union-attr]
    if action in ("use", "keep"):
        settled = _("Recorded the new answer.") if action == "use" else _("Kept the recorded answer.")
        await edit(context, query.message, context.me.chat_id, settled)  # type: ignore[union-attr]
        return
    text, buttons = views.answers(_, decision.of_same_reply)
    await edit(context, query.message, context.me.chat_id, text, buttons=buttons)  # type: ignore[union-attr]


async def start_answer_edit(update: Update, context: BotContext) -> int | None:
    """✎ on a found answer: the buyer types the right one instead."""
    match = _id(update.callback_query.data, r"ans:ed:(\d{1,12})")  # type: ignore[union-attr]
    question = await service.question_of_answer(context.db, context.me, int(match.group(1))) if match else None
    return await _ask_answer(update, context, question)


async def start_manual_answer(update: Update, context: BotContext) -> int | None:
    """An open question the supplier answered in a way no rule reads (a photo, a call): the buyer types it."""
    match = _id(update.callback_query.data, r"inq:recq:(\d{1,12}):(.{1,40})")  # type: ignore[union-attr]
    question = await service.open_question(context.db, context.me, int(match.group(1)), match.group(2)) if match else None
    return await _ask_answer(update, context, question)


async def _ask_answer(update: Update, context: BotContext, question: service.Question | None) -> int:
    if question is None:
        await no_longer_valid(update, context)
        return ConversationHandler.END
    await update.callback_query.answer()  # type: ignore[union-attr]
    remember(context, EDITING, {"inquiry": question.inquiry_id, "key": question.key, "answer": question.answer_id})
    label = question.text or common_views.question_label(question.key, {}, context._)
    await reply(update, context, context._("{question}: type the answer in your own words.", question=label), expects_text=True)
    return TYPED_ANSWER


async def answer_edit_text(update: Update, context: BotContext) -> int | None:
    text = " ".join((update.effective_message.text or "").split())  # type: ignore[union-attr]
    if not 1 <= len(text) <= MAX_ANSWER_TEXT:
        await reply(update, context, context._("Please keep it under {limit} characters.", limit=MAX_ANSWER_TEXT), expects_text=True)
        return None
    editing = recall(context, EDITING, forget=True)
    recorded = (
        await service.record_typed_answer(context.db, context.me, editing["inquiry"], editing["key"], text, editing["answer"])
        if editing
        else None
    )
    if recorded is None:
        await reply(update, context, context._("That question is gone; nothing changed."))
        return ConversationHandler.END
    await reply(update, context, *views.typed_answer_recorded(context._, text, recorded))
    return ConversationHandler.END


async def cancel_edit(update: Update, context: BotContext) -> int:
    remember(context, EDITING, None)
    await reply(update, context, context._("Stopped; nothing changed."))
    return ConversationHandler.END


async def attach_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    match = _id(query.data, r"rep:att:(\d{1,12}):(\d{1,12})")  # type: ignore[union-attr]
    services = context.services
    attached = (
        await service.attach(
            context.db,
            context.me,
            int(match.group(1)),
            int(match.group(2)),
            now=services.clock.now(),
            default_hours=services.settings.follow_up_hours,
        )
        if match
        else None
    )
    await _show_attached(update, context, attached)


async def new_from_reply(update: Update, context: BotContext) -> None:
    match = _id(update.callback_query.data, r"rep:new:(\d{1,12})")  # type: ignore[union-attr]
    services = context.services
    attached = (
        await service.attach_to_new_inquiry(
            context.db, context.me, int(match.group(1)), now=services.clock.now(), default_hours=services.settings.follow_up_hours
        )
        if match
        else None
    )
    await _show_attached(update, context, attached)


async def _show_attached(update: Update, context: BotContext, attached: service.Attached | None) -> None:
    if attached is None:
        await no_longer_valid(update, context)
        return
    query = update.callback_query
    await query.answer()  # type: ignore[union-attr]
    set_active_inquiry(context, attached.inquiry.id)
    await edit(context, query.message, context.me.chat_id, views.attached_note(context._, attached.inquiry))  # type: ignore[union-attr]
    await reply(update, context, *views.answers(context._, attached))


async def in_my_language(update: Update, context: BotContext) -> None:
    """A supplier's message translated again for whoever presses: into their own language in a team, or
    once more after the translators were down."""
    match = _id(update.callback_query.data, r"rep:tr:(\d{1,12})")  # type: ignore[union-attr]
    text = await service.batch_text(context.db, context.me, int(match.group(1))) if match else None
    if text is None:
        await no_longer_valid(update, context)
        return
    await update.callback_query.answer()  # type: ignore[union-attr]
    async with typing(context, context.me.chat_id):
        translation = await context.services.translator.from_chinese(text, context.me.language, workspace_id=context.me.workspace_id)
    heading = context._("🌐 <b>Translation for {name}</b>", name=update.effective_user.first_name)  # type: ignore[union-attr]
    await reply(update, context, views.translation_html(context._, translation, heading))


async def read_left_over_batches(application: Application) -> None:
    """Messages stored but not answered when the bot last stopped are read now."""
    services = application.bot_data["services"]
    for chat_id, user_id in await service.batches_waiting(services.database):
        schedule_batch(application, chat_id, user_id, delay=0.5)


SUPPLIER_TEXT = (filters.TEXT & ~filters.COMMAND & (filters.FORWARDED | filters.Regex(HAN))) | (
    (filters.PHOTO | filters.Document.ALL) & filters.CaptionRegex(HAN)
)


def handlers() -> list:
    entry_points = [
        CallbackQueryHandler(start_answer_edit, pattern=r"^ans:ed:"),
        CallbackQueryHandler(start_manual_answer, pattern=r"^inq:recq:"),
    ]
    return [
        typed_answer_step(
            "answer_edit", entry_points, answer_edit_text, cancel_edit, stopped=N_("Stopped typing the answer; nothing changed.")
        ),
        CallbackQueryHandler(answer_decision, pattern=r"^ans:(ok|no|use|keep):"),
        CallbackQueryHandler(attach_button, pattern=r"^rep:att:"),
        CallbackQueryHandler(new_from_reply, pattern=r"^rep:new:"),
        CallbackQueryHandler(in_my_language, pattern=r"^rep:tr:"),
        MessageHandler(SUPPLIER_TEXT, pasted),
    ]
