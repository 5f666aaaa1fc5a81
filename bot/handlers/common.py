"""Pieces every flow shares: resolving the actor before any handler, replying to them, asking for text."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.accounts import claim_update, resolve_actor
from bot.telegram_io import Button, escape, send

log = logging.getLogger(__name__)


async def resolve_update_actor(update: Update, context: BotContext) -> None:
    """Group -1: drop redelivered updates, then record who is acting where, before any flow runs."""
    if not await claim_update(context.db, context.bot.id, update.update_id):
        log.info("update %s was already handled; skipping the redelivery", update.update_id)
        raise ApplicationHandlerStop
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or user.is_bot:
        raise ApplicationHandlerStop
    context.actor = await resolve_actor(
        context.db,
        user_id=user.id,
        first_name=user.first_name or "",
        username=user.username,
        telegram_language=user.language_code,
        chat_id=chat.id,
        chat_type=chat.type,
        chat_title=chat.title,
        default_language=context.services.settings.default_language,
    )
    context._ = Translator(context.actor.language)


def remember(context: BotContext, key: str, value: object | None) -> None:
    """Keep (or with None, forget) something for the acting user in this chat, across restarts: chat data
    is persisted, and keyed by user so teammates in a group never step on each other."""
    memo = context.chat_data.setdefault(key, {})  # type: ignore[union-attr]
    if value is None:
        memo.pop(str(context.me.user_id), None)
    else:
        memo[str(context.me.user_id)] = value


def recall(context: BotContext, key: str, *, forget: bool = False) -> Any:
    memo = (context.chat_data or {}).get(key, {})
    return memo.pop(str(context.me.user_id), None) if forget else memo.get(str(context.me.user_id))


def typed_answer_step(name: str, entry_points: list, on_text: Callable, on_cancel: Callable) -> ConversationHandler:
    """A button that asks for one typed answer: the button enters, the answer (or /cancel) leaves."""
    from bot.handlers.start import help_command  # start's replies come from this module

    return ConversationHandler(
        entry_points=entry_points,
        states={TYPED_ANSWER: [MessageHandler(TYPED_TEXT, on_text)]},
        fallbacks=[CommandHandler("cancel", on_cancel), CommandHandler("help", help_command), need_text_fallback()],
        name=name,
        persistent=True,
        allow_reentry=True,
    )


TYPED_ANSWER = 0
JOBS_RUNNING = "jobs_running"


def tracked(job_callback: Callable[[BotContext], Awaitable[None]]) -> Callable[[BotContext], Awaitable[None]]:
    """A job callback that counts itself as running in `bot_data[JOBS_RUNNING]`: work nobody can see from
    outside until its messages arrive, which the sandbox and the tests wait for."""

    @functools.wraps(job_callback)
    async def run(context: BotContext) -> None:
        data = context.application.bot_data
        data[JOBS_RUNNING] = data.get(JOBS_RUNNING, 0) + 1
        try:
            await job_callback(context)
        finally:
            data[JOBS_RUNNING] -= 1

    return run


# What a step that asks for typing accepts. A forwarded message is a supplier's reply, not an answer to a
# step: it goes on to the reply reader.
TYPED_TEXT = filters.TEXT & ~filters.COMMAND & ~filters.FORWARDED
NOT_TEXT = ~filters.TEXT & ~filters.COMMAND & ~filters.StatusUpdate.ALL & ~filters.FORWARDED


async def need_text(update: Update, context: BotContext) -> None:
    """A sticker, photo or file where a step wants typing or a button: the step stays."""
    await reply(update, context, context._("I need a text answer or a button here, or /cancel to stop."))


def need_text_fallback() -> MessageHandler:
    return MessageHandler(NOT_TEXT, need_text)


def in_group(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type != "private"


async def reply(
    update: Update,
    context: BotContext,
    html: str,
    buttons: Sequence[Sequence[Button]] | None = None,
    *,
    expects_text: bool = False,
) -> None:
    """Answer the actor in their chat. In a group the answer replies to their message, and a question that
    expects typed text asks with a selective force-reply so only they are prompted."""
    group = in_group(update)
    source = update.effective_message
    if group and expects_text and update.callback_query is not None and update.effective_user is not None:
        # A selective force-reply prompts the users mentioned in the text; a button press has no message of
        # theirs to reply to, so name them.
        html = f'<a href="tg://user?id={update.effective_user.id}">{escape(update.effective_user.first_name)}</a>, ' + html
    await send(
        context,
        update.effective_chat.id,  # type: ignore[union-attr]
        html,
        buttons=buttons,
        reply_to=source.message_id if group and source is not None and update.callback_query is None else None,
        force_reply=group and expects_text,
    )
