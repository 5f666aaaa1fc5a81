"""Supplier replies: the buyer pastes or forwards what the supplier wrote; the bot translates it, picks out
the facts, ties them to the inquiry's checklist once confirmed, and drafts the follow-up for what is open.

Pasted messages are stored at once and read in a batch a moment later, so a supplier's answer forwarded as
several messages is read as one. Messages stored but not yet read when the bot stops are read on start.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import BotContext
from bot.db.models import Answer, Inquiry
from bot.domain import checklist
from bot.domain.answers import AnswerStatus, present_facts
from bot.domain.inquiries import OPEN_STATUSES
from bot.domain.workspaces import WorkspaceKind
from bot.extraction import extract
from bot.handlers import views
from bot.handlers.common import recall, remember, reply, tracked
from bot.handlers.flows import TYPED_ANSWER, typed_answer_step
from bot.i18n import N_, Markup, Translator
from bot.services import inquiries as inquiry_service
from bot.services import messages
from bot.services import replies as service
from bot.services.accounts import Actor, actor_for
from bot.telegram_io import Button, edit, escape, send, typing
from bot.translation.service import FAILURE_TURNED_OFF, Translation

log = logging.getLogger(__name__)
HAN = re.compile(r"[\u3400-\u9fff]")
ACTIVE = "active_inquiry"  # chat_data: user id -> the inquiry their pasted replies belong to
EDITING = "typing_answer"  # chat_data: user id -> the question whose answer they are typing
MAX_ANSWER_TEXT = 500


def set_active_inquiry(context: BotContext, inquiry_id: int) -> None:
    remember(context, ACTIVE, inquiry_id)


BATCH_JOB_PREFIX = "replies:"


def _batch_job_name(chat_id: int, user_id: int) -> str:
    return f"{BATCH_JOB_PREFIX}{chat_id}:{user_id}"


async def pasted(update: Update, context: BotContext) -> None:
    """Store the supplier's message now; read it (with any that follow it at once) in a moment."""
    message = update.effective_message
    text = (message.text or message.caption or "").strip()  # type: ignore[union-attr]
    if not text:
        return
    active = recall(context, ACTIVE)
    stored = await service.store_reply(
        context.db, context.me, message_id=message.message_id, text=text[:20000], inquiry_id=active  # type: ignore[union-attr]
    )
    if stored is None:
        return
    schedule_batch(context.application, context.me.chat_id, context.me.user_id)


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
    chat_id, user_id = context.job.data  # type: ignore[union-attr, misc]
    actor = await actor_for(context.db, user_id, chat_id, context.services.settings.default_language)
    pending = await service.unprocessed_replies(context.db, chat_id, user_id)
    if actor is None or not pending:
        return
    _ = Translator(actor.language)
    text = "\n".join(reply_row.text for reply_row in pending)
    facts = extract(text).to_dict()
    async with typing(context, chat_id):
        translation = await context.services.translator.from_chinese(text, actor.language, workspace_id=actor.workspace_id)
    await service.mark_processed(
        context.db,
        [row.id for row in pending],
        translation=translation.text if translation.ok else None,
        facts=facts,
        now=context.services.clock.now(),
    )
    first = pending[0]
    await send(
        context,
        chat_id,
        translation_html(_, translation, _("📩 <b>The supplier wrote</b>")),
        buttons=_translation_buttons(_, first.id, translation, actor),
        reply_to=first.message_id,
    )
    inquiry = await _target_inquiry(context, actor, first.inquiry_id)
    if inquiry is not None:
        await _attach(context, actor, first.id, inquiry)
    else:
        await _offer_attach(context, actor, first.id, facts)


def _translation_buttons(_: Translator, reply_id: int, translation: Translation, actor: Actor) -> list[list[Button]] | None:
    """A failed translation can be tried again later; in a team each member can read it in their language."""
    if not translation.ok and translation.failure_reason != FAILURE_TURNED_OFF:
        return [[Button(_("🔄 Translate again"), f"rep:tr:{reply_id}")]]
    if actor.workspace_kind == WorkspaceKind.TEAM:
        return [[Button(_("🌐 In my language"), f"rep:tr:{reply_id}")]]
    return None


async def _target_inquiry(context: BotContext, actor: Actor, inquiry_id: int | None) -> Inquiry | None:
    if inquiry_id is None:
        return None
    inquiry = await inquiry_service.get_inquiry(context.db, actor, inquiry_id)
    return inquiry if inquiry is not None and inquiry.status in OPEN_STATUSES else None


def translation_html(_: Translator, translation: Translation, heading: str) -> str:
    """A translation a buyer can trust: the text, a warning if a number was lost, jargon explained, and
    the original one tap away. `heading` is HTML."""
    parts = [heading]
    if translation.ok:
        parts.append(escape(translation.text))
    else:
        parts.append("⚠️ " + _(translation.failure_reason or N_("Translation is unavailable right now; showing the original.")))
    check = translation.number_check
    if translation.ok and check is not None and not check.ok:
        numbers = ", ".join(dict.fromkeys(translation.original[m.start : m.end] for m in check.source_numbers))
        parts.append(_("⚠️ Some numbers may have been lost or changed in translation. The original says: {numbers}", numbers=numbers))
    if translation.glossary_notes:
        notes = "\n".join(
            _("• {term}: {meaning}", term=note.term_zh, meaning=note.meaning) + (f" ({escape(_(note.note))})" if note.note else "")
            for note in translation.glossary_notes[:12]
        )
        parts.append(_("<b>Trade terms</b>") + "\n" + notes)
    if not translation.ok or translation.text != translation.original:  # a Chinese reader needs it once only
        parts.append(_("Original:") + views.original_quote(translation.original))
    return "\n\n".join(parts)


def _facts_html(_: Translator, facts: dict) -> str:
    found = present_facts(facts)
    if not found:
        return _("I found no facts (MOQ, prices, lead time…) in this message.")
    return _("<b>Facts found</b>") + "\n" + "\n".join("• " + views.describe_fact(field, value, _) for field, value in found.items())


async def _offer_attach(context: BotContext, actor: Actor, reply_id: int, facts: dict) -> None:
    _ = Translator(actor.language)
    open_inquiries = await service.open_inquiries_for_attaching(context.db, actor)
    buttons = [
        [Button(_("📎 {product}", product=(i.product or _("inquiry #{id}", id=i.id))[:40]), f"rep:att:{reply_id}:{i.id}")]
        for i in open_inquiries
    ]
    buttons.append([Button(_("➕ Start a new inquiry from it"), f"rep:new:{reply_id}")])
    text = _facts_html(_, facts) + "\n\n" + (
        _("Which inquiry is this reply for? Attach it and I will record the answers.")
        if open_inquiries
        else _("You have no open inquiry; start one from this reply to keep its answers.")
    )
    await send(context, actor.chat_id, text, buttons=buttons)


async def _attach(context: BotContext, actor: Actor, reply_id: int, inquiry: Inquiry) -> None:
    workspace = await inquiry_service.get_workspace(context.db, actor.workspace_id)
    answers = await service.attach_and_propose(context.db, actor, reply_id, inquiry.id, workspace.auto_confirm)
    hours = workspace.follow_up_hours or context.services.settings.follow_up_hours
    await inquiry_service.reschedule_follow_up(context.db, inquiry.id, context.services.clock.now() + timedelta(hours=hours))
    text, buttons = await answers_view(context, actor, inquiry.id, answers)
    await send(context, actor.chat_id, text, buttons=buttons)


async def answers_view(
    context: BotContext, actor: Actor, inquiry_id: int, answers: list[Answer]
) -> tuple[str, list[list[Button]]]:
    """The answers found in one reply with their buttons, then the inquiry's progress and next steps."""
    _ = Translator(actor.language)
    inquiry = await inquiry_service.get_inquiry(context.db, actor, inquiry_id)
    assert inquiry is not None
    customs = await messages.custom_question_texts(context.db, actor.workspace_id, inquiry.questions)
    lines = [_("<b>Answers for {product}</b>", product=inquiry.product or _("inquiry #{id}", id=inquiry.id))]
    buttons: list[list[Button]] = []
    marks = {AnswerStatus.CONFIRMED: "✅", AnswerStatus.REJECTED: "✖️", AnswerStatus.SUPERSEDED: "↩️", AnswerStatus.PENDING: "❔"}
    for number, answer in enumerate(answers, start=1):
        fact = views.describe_fact(answer.field, answer.value.get("value"), _)
        label = views.question_label(answer.question_key, customs, _)
        line = f"{marks[AnswerStatus(answer.status)]} {number}. {escape(label)}: {fact}"
        if answer.evidence:
            line += "\n    " + _("<i>from: “{words}”</i>", words=answer.evidence)
        lines.append(line)
        if answer.status == AnswerStatus.PENDING:
            buttons.append(
                [
                    Button(_("✓ {number} right", number=number), f"ans:ok:{answer.id}"),
                    Button(_("✎ edit"), f"ans:ed:{answer.id}"),
                    Button(_("✗ wrong"), f"ans:no:{answer.id}"),
                ]
            )
    if not answers:
        lines.append(_("Nothing in this message answers the questions you asked."))
    progress_text, progress_buttons = await progress_view(context, actor, inquiry)
    return "\n".join(lines) + "\n\n" + progress_text, buttons + progress_buttons


async def progress_view(context: BotContext, actor: Actor, inquiry: Inquiry) -> tuple[str, list[list[Button]]]:
    _ = Translator(actor.language)
    answered = (await inquiry_service.answered_keys(context.db, [inquiry.id])).get(inquiry.id, set())
    progress = checklist.progress(inquiry.questions, answered)
    text = _("{answered} of {total} answered.", answered=progress.answered, total=progress.total)
    if progress.open_keys:
        return text, [[Button(_("✍️ Draft the follow-up"), f"inq:fu:{inquiry.id}")]]
    text += " " + _("Everything you asked is answered. Next step?")
    return text, [
        [Button(_("🧪 Ask for a sample"), f"inq:msg:{inquiry.id}:sample_request")],
        [Button(_("💬 Negotiate the price"), f"inq:neg:{inquiry.id}")],
        [Button(_("📋 Show all answers"), f"inq:view:{inquiry.id}")],
    ]


async def _decision_refresh(update: Update, context: BotContext, answer: Answer) -> None:
    answers = await service.answers_by_ids(
        context.db, [a.id for a in await _answers_of_same_reply(context, answer)]
    )
    text, buttons = await answers_view(context, context.me, answer.inquiry_id, answers)
    await edit(context, update.callback_query.message, context.me.chat_id, text, buttons=buttons)  # type: ignore[union-attr]


async def _answers_of_same_reply(context: BotContext, answer: Answer) -> list[Answer]:
    if answer.reply_id is None:
        return [answer]
    return await service.answers_of_reply(context.db, answer.reply_id)


def _answer_id(data: str, prefix: str) -> int | None:
    value = data.removeprefix(prefix)
    return int(value) if value.isdigit() else None


async def answer_decision(update: Update, context: BotContext) -> None:
    query = update.callback_query
    action, _sep, raw_id = query.data.partition(":")[2].partition(":")  # type: ignore[union-attr]
    answer_id = int(raw_id) if raw_id.isdigit() else None
    decision = None
    if answer_id is not None:
        if action in ("ok", "no"):
            decision = await service.decide(context.db, context.me, answer_id, confirm=action == "ok")
        elif action == "use":
            decision = await service.decide(context.db, context.me, answer_id, confirm=True, replace_recorded=True)
        elif action == "keep":
            decision = await service.decide(context.db, context.me, answer_id, confirm=False)
    if decision is None:
        await query.answer(context._("That button is no longer valid."))
        return
    _ = context._
    if decision.conflict_with is not None:
        await query.answer()
        recorded = views.describe_fact(decision.conflict_with.field, decision.conflict_with.value.get("value"), _)
        new = views.describe_fact(decision.answer.field, decision.answer.value.get("value"), _)
        await reply(
            update,
            context,
            _("This contradicts what is recorded. Which is right?\n\nRecorded: {recorded}\nNew: {new}", recorded=Markup(recorded), new=Markup(new)),
            [[Button(_("Keep recorded"), f"ans:keep:{decision.answer.id}"), Button(_("Use the new one"), f"ans:use:{decision.answer.id}")]],
        )
        return
    await query.answer(_("Recorded.") if decision.answer.status == AnswerStatus.CONFIRMED else _("Left out."))
    if action in ("use", "keep"):
        settled = _("Recorded the new answer.") if action == "use" else _("Kept the recorded answer.")
        await edit(context, query.message, context.me.chat_id, settled)
        return
    await _decision_refresh(update, context, decision.answer)


async def start_answer_edit(update: Update, context: BotContext) -> int | None:
    """✎ on a found answer: the buyer types the right one instead."""
    query = update.callback_query
    answer_id = _answer_id(query.data, "ans:ed:")  # type: ignore[arg-type]
    answer = await service.scoped_answer(context.db, context.me, answer_id) if answer_id is not None else None
    if answer is None:
        await query.answer(context._("That button is no longer valid."))
        return ConversationHandler.END
    return await _ask_answer(update, context, answer.inquiry_id, answer.question_key, answer.id)


async def start_manual_answer(update: Update, context: BotContext) -> int | None:
    """An open question the supplier answered in a way no rule reads (a photo, a call): the buyer types it."""
    query = update.callback_query
    match = re.fullmatch(r"inq:recq:(\d+):(.+)", query.data or "")  # type: ignore[union-attr]
    inquiry = await inquiry_service.get_inquiry(context.db, context.me, int(match.group(1))) if match else None
    if inquiry is None or match.group(2) not in inquiry.questions:  # type: ignore[union-attr]
        await query.answer(context._("That button is no longer valid."))
        return ConversationHandler.END
    return await _ask_answer(update, context, inquiry.id, match.group(2), None)  # type: ignore[union-attr]


async def _ask_answer(update: Update, context: BotContext, inquiry_id: int, key: str, answer_id: int | None) -> int:
    await update.callback_query.answer()  # type: ignore[union-attr]
    editing = {"inquiry": inquiry_id, "key": key, "answer": answer_id}
    remember(context, EDITING, editing)
    customs = await messages.custom_question_texts(context.db, context.me.workspace_id, [key])
    await reply(
        update,
        context,
        context._("{question}: type the answer in your own words.", question=views.question_label(key, customs, context._)),
        expects_text=True,
    )
    return TYPED_ANSWER


async def answer_edit_text(update: Update, context: BotContext) -> int | None:
    text = " ".join((update.effective_message.text or "").split())  # type: ignore[union-attr]
    if not 1 <= len(text) <= MAX_ANSWER_TEXT:
        await reply(update, context, context._("Please keep it under {limit} characters.", limit=MAX_ANSWER_TEXT), expects_text=True)
        return None
    editing = recall(context, EDITING, forget=True)
    recorded = (
        await service.record_manual_answer(context.db, context.me, editing["inquiry"], editing["key"], text)
        if editing
        else None
    )
    if recorded is None:
        await reply(update, context, context._("That question is gone; nothing changed."))
        return ConversationHandler.END
    if editing["answer"] is not None:
        await service.decide(context.db, context.me, editing["answer"], confirm=False)
    inquiry = await inquiry_service.get_inquiry(context.db, context.me, editing["inquiry"])
    assert inquiry is not None
    progress_text, buttons = await progress_view(context, context.me, inquiry)
    await reply(update, context, context._("Recorded: {text}", text=text) + "\n" + progress_text, buttons)
    return ConversationHandler.END


async def cancel_edit(update: Update, context: BotContext) -> int:
    remember(context, EDITING, None)
    await reply(update, context, context._("Stopped; nothing changed."))
    return ConversationHandler.END


async def attach_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    match = re.fullmatch(r"rep:att:(\d+):(\d+)", query.data or "")  # type: ignore[union-attr]
    reply_row = await service.get_reply(context.db, context.me, int(match.group(1))) if match else None
    inquiry = await _target_inquiry(context, context.me, int(match.group(2))) if match else None
    if reply_row is None or inquiry is None or reply_row.processed_at is None:
        await query.answer(context._("That button is no longer valid."))
        return
    await query.answer()
    set_active_inquiry(context, inquiry.id)
    await edit(context, query.message, context.me.chat_id, _attached_note(context._, inquiry))
    await _attach(context, context.me, reply_row.id, inquiry)


def _attached_note(_: Translator, inquiry: Inquiry) -> str:
    return _("Attached to {product}. Replies you paste next go there too.", product=inquiry.product or _("inquiry #{id}", id=inquiry.id))


async def new_from_reply(update: Update, context: BotContext) -> None:
    query = update.callback_query
    reply_id = _answer_id(query.data, "rep:new:")  # type: ignore[arg-type]
    reply_row = await service.get_reply(context.db, context.me, reply_id) if reply_id is not None else None
    if reply_row is None or reply_row.processed_at is None:
        await query.answer(context._("That button is no longer valid."))
        return
    await query.answer()
    inquiry = await inquiry_service.inquiry_from_reply(context.db, context.me, context.services.clock.now())
    set_active_inquiry(context, inquiry.id)
    await edit(context, query.message, context.me.chat_id, _attached_note(context._, inquiry))
    await _attach(context, context.me, reply_row.id, inquiry)


async def in_my_language(update: Update, context: BotContext) -> None:
    """A supplier's message translated again for whoever presses: into their own language in a team, or
    once more after the translators were down."""
    query = update.callback_query
    reply_id = _answer_id(query.data, "rep:tr:")  # type: ignore[arg-type]
    reply_row = await service.get_reply(context.db, context.me, reply_id) if reply_id is not None else None
    if reply_row is None:
        await query.answer(context._("That button is no longer valid."))
        return
    await query.answer()
    text = "\n".join(row.text for row in await service.batch_of(context.db, reply_row))
    async with typing(context, context.me.chat_id):
        translation = await context.services.translator.from_chinese(text, context.me.language, workspace_id=context.me.workspace_id)
    heading = context._("🌐 <b>Translation for {name}</b>", name=update.effective_user.first_name)  # type: ignore[union-attr]
    await reply(update, context, translation_html(context._, translation, heading))


async def read_left_over_batches(application: Application) -> None:
    """Messages stored but not read when the bot last stopped are read now."""
    services = application.bot_data["services"]
    for chat_id, user_id in await service.chats_with_unprocessed_replies(services.database):
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

