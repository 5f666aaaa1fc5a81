"""Last-resort answers: unknown commands, stickers and media, stale or forged buttons, and the error handler."""

from __future__ import annotations

import contextlib
import html
import logging
import traceback
from collections.abc import Awaitable, Callable

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.db.session import is_unavailable
from bot.domain.workspaces import NotAllowed, Permission
from bot.handlers.common import reply
from bot.handlers.start import cancel_outside
from bot.i18n import N_, Translator
from bot.pipeline.turn import current_turn
from bot.telegram_io import SendMessage, send

log = logging.getLogger(__name__)


async def unknown_command(update: Update, context: BotContext) -> None:
    command = (update.effective_message.text or "").split()[0].split("@")[0]  # type: ignore[union-attr]
    await reply(update, context, context._("I don't know {command}. See /help for what I can do.", command=command[:40]))


def _says(message: str) -> Callable[[Update, BotContext], Awaitable[None]]:
    """A handler that answers with one fixed message, in the person's language."""

    async def answer(update: Update, context: BotContext) -> None:
        await reply(update, context, context._(message))

    return answer


not_text = _says(
    N_("I read text only. Paste the supplier's message as text, or send a 1688 link; see /help for everything I can do.")
)
image = _says(
    N_(
        "I can't read images yet. If the picture holds the supplier's answer, copy its text from WeChat or "
        "Aliwangwang and paste it here as a message."
    )
)
plain_text = _says(N_("I'm not sure what to do with that. Send /inquiry to ask a supplier something, or /help."))


async def stale_button(update: Update, context: BotContext) -> None:
    """A button from an ended flow, an old message, a teammate's step, or data nobody of ours made."""
    _ = context._
    in_group = update.effective_chat is not None and update.effective_chat.type != "private"
    query = update.callback_query
    log.info("refused button %r from user %s", query.data if query else None, query.from_user.id if query else None)
    asked = query.message.reply_to_message if query is not None and isinstance(query.message, Message) else None
    owner = asked.from_user if asked is not None else None
    if in_group and owner is not None and query is not None and owner.id != query.from_user.id:
        notice = _("This is {name}'s step; nothing changed.", name=owner.first_name)
    elif in_group:
        notice = _("That button is no longer valid, or it belongs to a teammate's step.")
    else:
        notice = _("That button is no longer valid.")
    await query.answer(html.unescape(notice), show_alert=False)  # type: ignore[union-attr]


async def on_error(update: object, context: BotContext) -> None:
    """One apology per update, whatever failed: the turn's other replies are dropped, and no later handler
    group runs. A database that cannot be reached gets "try again in a moment"; the bot recovers by itself."""
    update_id = update.update_id if isinstance(update, Update) else None
    error = context.error
    if isinstance(error, NotAllowed) and isinstance(update, Update):
        await _not_allowed(update, context, error)
        raise ApplicationHandlerStop
    unavailable = error is not None and is_unavailable(error)
    if unavailable:
        log.warning("update %s: the database is unavailable (%s)", update_id, error)
    else:
        log.error("error while handling update %s", update_id, exc_info=error)
        context.application.bot_data.setdefault("errors", []).append(
            "".join(traceback.format_exception(error)) if error else "unknown error"
        )
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    language = context.actor.language if getattr(context, "actor", None) else context.services.settings.default_language
    _ = Translator(language)
    apology = (
        _("I can't reach my records right now. Please try again in a moment.")
        if unavailable
        else _("Sorry, something went wrong on my side. Nothing you entered is lost; please try again.")
    )
    turn = current_turn.get()
    if turn is not None:
        turn.fail(SendMessage(update.effective_chat.id, apology))
    else:
        with contextlib.suppress(TelegramError):
            await send(context, update.effective_chat.id, apology)
    raise ApplicationHandlerStop


async def _not_allowed(update: Update, context: BotContext, error: NotAllowed) -> None:
    """A person whose role doesn't allow what they tried (a viewer changing something, a buyer approving):
    told once, kindly; nothing changed."""
    log.info("update %s: %s refused for user %s", update.update_id, error.permission, context.actor.user_id if getattr(context, "actor", None) else None)
    _ = context._ if getattr(context, "actor", None) else Translator(context.services.settings.default_language)
    text = {
        Permission.WORK: _("Your role in this team lets you look, not change things. An admin can change it in /team."),
        Permission.APPROVE: _("Only the team's admins and approvers can approve payments."),
    }.get(error.permission, _("Only the group's admins can do that."))
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer(text, show_alert=True)
        return
    turn = current_turn.get()
    if turn is not None and update.effective_chat is not None:
        turn.fail(SendMessage(update.effective_chat.id, text))
    elif update.effective_chat is not None:
        with contextlib.suppress(TelegramError):
            await send(context, update.effective_chat.id, text)


def handlers() -> list:
    """Added last, in the last group, so any flow that wants an update sees it first."""
    return [
        CommandHandler("cancel", cancel_outside),
        MessageHandler(filters.COMMAND, unknown_command),
        MessageHandler(filters.TEXT, plain_text),
        MessageHandler(filters.PHOTO | filters.Document.IMAGE, image),
        MessageHandler(filters.ALL & ~filters.StatusUpdate.ALL, not_text),
        CallbackQueryHandler(stale_button),
    ]
