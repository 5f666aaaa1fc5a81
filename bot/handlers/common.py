"""Pieces every flow shares: resolving the actor before any handler, replying to them, asking for text."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.accounts import claim_update, resolve_actor
from bot.telegram_io import Button, escape, send

log = logging.getLogger(__name__)
IN_PROGRESS = "updates_in_progress"


def updates_in_progress(application: Application) -> int:
    """Updates being handled right now, answers and their rate-limited sends included: the sandbox and the
    tests wait for zero (and an empty update queue) to know an answer is complete."""
    return application.bot_data.get(IN_PROGRESS, 0) + application.update_queue.qsize()


async def resolve_update_actor(update: Update, context: BotContext) -> None:
    """Group -1: drop redelivered updates, then record who is acting where, before any flow runs."""
    context.application.bot_data[IN_PROGRESS] = context.application.bot_data.get(IN_PROGRESS, 0) + 1
    try:
        if not await claim_update(context.db, context.bot.id, update.update_id):
            log.info("update %s was already handled; skipping the redelivery", update.update_id)
            raise ApplicationHandlerStop
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None or user.is_bot:
            raise ApplicationHandlerStop
    except ApplicationHandlerStop:
        context.application.bot_data[IN_PROGRESS] -= 1
        raise
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


async def finish_update(update: Update, context: BotContext) -> None:
    """The last group: the update's handlers (and their sends) are done."""
    context.application.bot_data[IN_PROGRESS] -= 1


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
