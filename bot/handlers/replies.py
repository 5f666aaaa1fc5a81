"""Supplier replies: the buyer pastes or forwards what the supplier wrote; the bot translates it, picks out
the facts, ties them to the inquiry's checklist once confirmed, and drafts the follow-up for what is open.

Pasted messages are stored at once and read in a batch a moment later, so a supplier's answer forwarded as
several messages is read as one. A batch counts as processed only once its answer went out: messages stored
but not answered when the bot stops are read on start.
"""

from __future__ import annotations

import asyncio
import logging
import re

from telegram import Message, Update
from telegram.ext import Application, CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot.context import BotContext
from bot.domain.inquiries import InputError
from bot.extraction import extract
from bot.handlers.common import input_problem, no_longer_valid, notify_team, recall, remember, reply
from bot.handlers.flows import TYPED_ANSWER, typed_answer_step
from bot.i18n import N_, Translator
from bot.pipeline.inbox import DATABASE_DOWN
from bot.pipeline.turn import current_turn, keep_open
from bot.services import replies as service
from bot.services.accounts import actor_for, require_work
from bot.telegram_io import edit, send, typing
from bot.views import common as common_views
from bot.views import replies as views

log = logging.getLogger(__name__)
HAN = re.compile(r"[\u3400-\u9fff]")
ACTIVE = "active_inquiry"  # memo: the inquiry the person opened or picked: their pasted replies go there
LIKELY = "last_sent_inquiry"  # memo: the inquiry they last marked sent, first when they pick where a reply goes
EDITING = "typing_answer"  # memo: the question whose answer they are typing
NAMING = "naming_inquiry"  # memo: the inquiry started from a reply whose product they are typing
MAX_ANSWER_TEXT = 500
WINDOW = "reply_window"  # bot_data
RETRY_SECONDS = 10.0  # when the database did not answer


def set_active_inquiry(context: BotContext, inquiry_id: int) -> None:
    remember(context, ACTIVE, inquiry_id)


def note_sent_inquiry(context: BotContext, inquiry_id: int) -> None:
    """Marked sent: its reply is the most likely next, but with several waiting the buyer picks where it goes."""
    remember(context, LIKELY, inquiry_id)
    if recall(context, ACTIVE) != inquiry_id:
        remember(context, ACTIVE, None)


class ReplyWindow:
    """Pasted messages wait here a moment, per chat and person, so that a supplier's answer forwarded as several
    messages is read as one; then they are read together. (A timer on the event loop: lighter than a job.)"""

    def __init__(self, application: Application, seconds: float) -> None:
        self.application = application
        self.seconds = seconds
        self.waiting: dict[Key, list[service.Pasted]] = {}
        self._timers: dict[Key, asyncio.TimerHandle] = {}
        self._reading = 0
        self.retrying: set[Key] = set()  # the database did not answer: the person was told once

    @property
    def busy(self) -> bool:
        """Messages waiting or being read: work whose answer has not gone out yet."""
        return bool(self._timers or self._reading)

    @property
    def only_waiting(self) -> bool:
        """Messages wait for the window to close, and nothing else is going on here."""
        return bool(self._timers) and not self._reading

    def add(self, key: Key, message: service.Pasted) -> None:
        self.waiting.setdefault(key, []).append(message)
        self.read_later(key, self.seconds)

    def read_later(self, key: Key, delay: float) -> None:
        timer = self._timers.pop(key, None)
        if timer is not None:
            timer.cancel()
        self._timers[key] = asyncio.get_running_loop().call_later(delay, self._start, key)

    def _start(self, key: Key) -> None:
        self._timers.pop(key, None)
        self._reading += 1
        self.application.create_task(self._read(key), name=f"read pasted messages {key}")

    async def _read(self, key: Key) -> None:
        # The timer may carry the context of the update that set it: reading is no part of that update.
        token = current_turn.set(None)
        try:
            await read_batch(BotContext(self.application), key, self.waiting.pop(key, []))
        finally:
            current_turn.reset(token)
            self._reading -= 1

    async def read_now(self) -> None:
        """Read everything waiting at once (tests, instead of waiting for the window to close)."""
        for key in list(self._timers):
            self._timers.pop(key).cancel()
            self._reading += 1
            await self._read(key)


Key = tuple[int, int]  # chat id, user id


def reply_window(application: Application) -> ReplyWindow:
    window = application.bot_data.get(WINDOW)
    if window is None:
        window = application.bot_data[WINDOW] = ReplyWindow(application, application.bot_data["services"].settings.reply_batch_seconds)
    return window  # type: ignore[no-any-return]


async def pasted(update: Update, context: BotContext) -> None:
    """Keep the supplier's message in memory; read it (with any that follow it at once) in a moment. Its update
    stays open in the inbox until the answer went out, so a restart meanwhile reads it again."""
    message = update.effective_message
    text = (message.text or message.caption or "").strip()  # type: ignore[union-attr]
    if not text:
        return
    require_work(context.me)  # a team's viewer reads, but records no replies
    pasted_message = service.Pasted(
        message.message_id,  # type: ignore[union-attr]
        text,
        recall(context, ACTIVE),
        keep_open(),
        likely_id=recall(context, LIKELY),
    )
    reply_window(context.application).add((context.me.chat_id, context.me.user_id), pasted_message)


async def read_batch(context: BotContext, key: Key, messages: list[service.Pasted]) -> None:
    """Translate the batch (no database held meanwhile), read it in one unit of work, answer, and only then
    mark its updates done."""
    chat_id, user_id = key
    services = context.services
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
        read = await service.read_batch(context.db, batch, translation.text if translation.ok else None, now=services.clock.now())
    except DATABASE_DOWN as error:
        # The messages wait (their updates are still open) and are read again once the database answers.
        log.warning("could not read pasted messages in chat %s (%s); trying again later", chat_id, error)
        window = reply_window(context.application)
        if key not in window.retrying:  # said once, however long the database stays away
            window.retrying.add(key)
            await send(context, chat_id, _("I can't reach my records right now. I will read the supplier's message as soon as I can."))
        window.waiting.setdefault(key, [])[:0] = messages
        window.read_later(key, RETRY_SECONDS)
        return
    reply_window(context.application).retrying.discard(key)
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
    if read.attached is not None:
        inquiry = read.attached.inquiry
        await notify_team(
            context, N_("📩 A reply from {supplier} about {product} was read: {count} answers to check."), actor=actor,
            supplier=inquiry.supplier_name or _.plain(N_("the supplier")), product=inquiry.product or "—", count=read.attached.waiting,
        )  # fmt: skip
    await services.inbox.done(context.bot.id, *(m.update_id for m in batch.messages if m.update_id is not None))


async def all_correct(update: Update, context: BotContext) -> None:
    """✓ All correct: every answer waiting (of the reply, or of the inquiry) is confirmed; contradictions stay to
    be picked."""
    query = update.callback_query
    match = _id(query.data, r"ans:all(i?):(\d{1,12})")  # type: ignore[union-attr]
    attached = None
    if match and match.group(1):
        attached = await service.waiting_answers(context.db, context.me, int(match.group(2)), confirm=True)
    elif match:
        attached = await service.confirm_all(context.db, context.me, int(match.group(2)))
    if attached is None:
        await no_longer_valid(update, context)
        return
    await query.answer(context._("Recorded."))  # type: ignore[union-attr]
    text, buttons = views.answers(context._, attached)
    await edit(context, query.message, context.me.chat_id, text, buttons=buttons)  # type: ignore[union-attr]


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
    attached = await service.attach(context.db, context.me, int(match.group(1)), int(match.group(2))) if match else None
    await _show_attached(update, context, attached)


async def answers_waiting(update: Update, context: BotContext) -> None:
    """From an inquiry's card: the answers found in its replies that still wait for a ✓."""
    match = _id(update.callback_query.data, r"inq:wait:(\d{1,12})")  # type: ignore[union-attr]
    attached = await service.waiting_answers(context.db, context.me, int(match.group(1))) if match else None
    if attached is None:
        await no_longer_valid(update, context)
        return
    await update.callback_query.answer()  # type: ignore[union-attr]
    await reply(update, context, *views.answers(context._, attached))


async def move_reply(update: Update, context: BotContext) -> None:
    match = _id(update.callback_query.data, r"rep:mv:(\d{1,12})")  # type: ignore[union-attr]
    found = await service.move_choices(context.db, context.me, int(match.group(1))) if match else None
    if found is None:
        await no_longer_valid(update, context)
        return
    await update.callback_query.answer()  # type: ignore[union-attr]
    await reply(update, context, *views.move_choices(context._, *found))


async def new_from_reply(update: Update, context: BotContext) -> int:
    """A reply from a conversation begun outside the bot becomes an inquiry; the buyer names its product."""
    match = _id(update.callback_query.data, r"rep:new:(\d{1,12})")  # type: ignore[union-attr]
    attached = (
        await service.attach_to_new_inquiry(context.db, context.me, int(match.group(1)), now=context.services.clock.now())
        if match
        else None
    )
    await _show_attached(update, context, attached)
    if attached is None or attached.inquiry.product:
        return ConversationHandler.END
    remember(context, NAMING, attached.inquiry.id)
    await reply(update, context, context._("What product is this about? Type its name (or /cancel to leave it unnamed)."), expects_text=True)
    return TYPED_ANSWER


async def product_name_text(update: Update, context: BotContext) -> int | None:
    inquiry_id = recall(context, NAMING)
    try:
        named = await service.name_product(context.db, context.me, inquiry_id, update.effective_message.text or "") if inquiry_id else None  # type: ignore[union-attr]
    except InputError as error:
        await reply(update, context, input_problem(context, error), expects_text=True)
        return None
    remember(context, NAMING, None)
    if named is None:
        await reply(update, context, context._("That inquiry is gone; nothing changed."))
        return ConversationHandler.END
    await reply(update, context, context._("Named it {product}. Replies you paste next go there too.", product=named.product))
    return ConversationHandler.END


async def cancel_naming(update: Update, context: BotContext) -> int:
    remember(context, NAMING, None)
    await reply(update, context, context._("Left it unnamed; you can still paste replies to it."))
    return ConversationHandler.END


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
    for key in await service.batches_waiting(services.database):
        reply_window(application).read_later(key, 0.5)


class _StatesTerms(filters.MessageFilter):
    """Text in another language that states terms of trade ("MOQ 500pcs, USD 1.2/pc"): a supplier's reply too."""

    def filter(self, message: Message) -> bool:
        text = message.text or ""
        return 0 < len(text) <= service.MAX_REPLY_CHARS and bool(extract(text).facts())


SUPPLIER_TEXT = (filters.TEXT & ~filters.COMMAND & (filters.FORWARDED | filters.Regex(HAN) | _StatesTerms())) | (
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
        typed_answer_step(
            "product_name",
            [CallbackQueryHandler(new_from_reply, pattern=r"^rep:new:")],
            product_name_text,
            cancel_naming,
            stopped=N_("Left the new inquiry unnamed."),
        ),
        CallbackQueryHandler(answer_decision, pattern=r"^ans:(ok|no|use|keep):"),
        CallbackQueryHandler(all_correct, pattern=r"^ans:alli?:"),
        CallbackQueryHandler(answers_waiting, pattern=r"^inq:wait:"),
        CallbackQueryHandler(attach_button, pattern=r"^rep:att:"),
        CallbackQueryHandler(move_reply, pattern=r"^rep:mv:"),
        CallbackQueryHandler(in_my_language, pattern=r"^rep:tr:"),
        MessageHandler(SUPPLIER_TEXT, pasted),
    ]
