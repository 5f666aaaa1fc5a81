"""Pieces every flow shares: resolving the actor before any handler, replying to them, asking for text."""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, MessageHandler, filters

from bot.context import BotContext
from bot.domain.inquiries import InputError
from bot.domain.workspaces import Role
from bot.i18n import Translator
from bot.pipeline.turn import current_turn
from bot.services.accounts import Actor, resolve_actor, set_role_from_chat
from bot.services.teams import group_of
from bot.telegram_io import Button, escape, send

log = logging.getLogger(__name__)


async def resolve_update_actor(update: Update, context: BotContext) -> None:
    """Group -1: record who is acting where and load where they are in their flows, before any flow runs.
    (Redelivered updates never get here: the inbox drops them.)"""
    user, chat = update.effective_user, update.effective_chat
    message = update.effective_message
    if message is not None and (message.migrate_to_chat_id or message.migrate_from_chat_id):
        return  # Telegram's own notice of a group's upgrade (an anonymous admin's may come from a bot): no actor
    if user is None or chat is None or user.is_bot:
        raise ApplicationHandlerStop
    resolved = await resolve_actor(
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
    context.actor = resolved.actor
    if resolved.joined and chat.type != "private":
        context.actor = await _role_from_group(context, resolved.actor)
    context._ = Translator(context.actor.language)
    await context.services.conversations.load((chat.id, user.id))


async def _role_from_group(context: BotContext, actor: Actor) -> Actor:
    """A new team member's role follows their status in the Telegram group (creator, administrator)."""
    try:
        member = await context.bot.get_chat_member(actor.chat_id, actor.user_id)
    except TelegramError:
        log.info("could not read %s's status in chat %s; they stay %s", actor.user_id, actor.chat_id, actor.role)
        return actor
    return await set_role_from_chat(context.db, actor, member.status, first_member=actor.role is Role.OWNER)


def remember(context: BotContext, key: str, value: object | None) -> None:
    """Keep (or with None, forget) something for the acting user in this chat, across restarts: it is stored
    with the turn's replies, per person, so teammates in a group never step on each other."""
    context.services.conversations.remember((context.me.chat_id, context.me.user_id), key, value)


def recall(context: BotContext, key: str, *, forget: bool = False) -> Any:
    value = context.services.conversations.recall((context.me.chat_id, context.me.user_id), key)
    if forget and value is not None:
        remember(context, key, None)
    return value


JOBS_RUNNING = "jobs_running"


def tracked(job_callback: Callable[[BotContext], Awaitable[None]]) -> Callable[[BotContext], Awaitable[None]]:
    """Every job callback: it counts itself as running in `bot_data[JOBS_RUNNING]` (work nobody can see from
    outside until its messages arrive, which the sandbox and the tests wait for), and sends at once."""

    @functools.wraps(job_callback)
    async def run(context: BotContext) -> None:
        data = context.application.bot_data
        data[JOBS_RUNNING] = data.get(JOBS_RUNNING, 0) + 1
        # The scheduler may carry the context of the update that scheduled the job: a job is no part of it.
        token = current_turn.set(None)
        try:
            await job_callback(context)
        finally:
            current_turn.reset(token)
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


async def no_longer_valid(update: Update, context: BotContext) -> None:
    """A button from an ended step, an old message, or data nobody of ours made (a forged id naming another
    workspace's data lands here too, and is logged): nothing changes."""
    log.info("refused button %r from user %s in chat %s", update.callback_query.data, context.me.user_id, context.me.chat_id)  # type: ignore[union-attr]
    await update.callback_query.answer(context._("That button is no longer valid."))  # type: ignore[union-attr]


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


def input_problem(context: BotContext, error: InputError) -> str:
    """Why what the person typed can't be used, in their language."""
    return "⚠️ " + context._(error.msgid, **error.params)


async def notify_team(context: BotContext, message: str, *, actor: Actor | None = None, **params: object) -> None:
    """Tell the team's group of something a member did for it from their private chat (a supplier's reply
    read, a quote accepted, a payment waiting for approval, goods shipped): one message, in the group's
    language, paced like every message. In the group itself everyone saw it already."""
    group = await group_of(context.db, actor or context.me)
    if group is None:
        return
    _ = Translator(group.language or context.services.settings.default_language)
    with contextlib.suppress(TelegramError):
        await send(context, group.chat_id, _(message, **params))
