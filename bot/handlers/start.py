"""/start (with deep-link payloads), /help, /language and /cancel outside a flow."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler

from bot.context import BotContext
from bot.handlers.common import no_longer_valid, reply
from bot.handlers.team import join_team
from bot.i18n import N_, Translator, available_languages, language_name
from bot.services.accounts import set_language
from bot.telegram_io import Button, edit, grid

WELCOME = N_(
    "Hello {name}! I help you buy from Chinese suppliers on 1688.com without speaking Chinese.\n\n"
    "Add a supplier from a 1688 link, tell me what you want, how many and where to, and I write a short, "
    "polite message in Chinese with every question that matters. Paste the supplier's answer back and I "
    "translate it, pick out the facts (MOQ, prices, lead time…) and draft the follow-up for what is still open.\n\n"
    "Start with /inquiry, or see /help."
)
HELP = N_(
    "<b>What I can do</b>\n"
    "/inquiry: ask a supplier about a product, with a ready Chinese message\n"
    "/inquiries: your open inquiries and what is still unanswered\n"
    "/compare: suppliers' quotes costed to your door; /rates sets your exchange rates\n"
    "/orders: your orders, their payments and shipping, step by step\n"
    "/suppliers: your suppliers; /supplier adds one from a 1688 link\n"
    "/tr: translate to or from Chinese (or reply /tr to a message)\n"
    "/search: Chinese keywords and a 1688 search link\n"
    "/settings: destination, currency, forwarder address, checklist\n"
    "/guide: how buying on 1688 works, step by step\n"
    "/language: choose the language I speak to you\n"
    "/cancel: stop what we are doing\n"
    "Teams: /team (who does what), /invite, /workspace and /move (work for a team from a private chat), "
    "/assign, /audit, /export\n\n"
    "Paste a supplier's Chinese reply at any time and I translate it and pick out the facts. "
    "In a group chat I work for the whole team: everyone sees the team's suppliers, inquiries and orders."
)
DEEP_LINK_HINTS = {
    "guide": N_("Here is the buying guide: /guide"),
    "inquiry": N_("Let's ask a supplier: send /inquiry"),
    "help": HELP,
}


async def start(update: Update, context: BotContext) -> int:
    _ = context._
    text = _(WELCOME, name=update.effective_user.first_name)  # type: ignore[union-attr]
    payload = context.args[0] if context.args else None
    if payload and payload.startswith("join_"):
        await join_team(update, context, payload.removeprefix("join_"))
        return ConversationHandler.END
    if payload in DEEP_LINK_HINTS:
        text += "\n\n" + _(DEEP_LINK_HINTS[payload])
    elif payload:
        text += "\n\n" + _("That link is not one I know; here is how to begin instead.")
    await reply(update, context, text)
    return ConversationHandler.END


async def help_command(update: Update, context: BotContext) -> None:
    """Answers /help anywhere; inside a conversation it returns None, so the user stays at the same step."""
    await reply(update, context, context._(HELP))


async def cancel_outside(update: Update, context: BotContext) -> None:
    await reply(update, context, context._("There is nothing to cancel. See /help for what I can do."))


def _language_buttons() -> list[list[Button]]:
    return grid([Button(language_name(code), f"lang:{code}") for code in available_languages()], 2)


async def language_command(update: Update, context: BotContext) -> None:
    _ = context._
    await reply(update, context, _("Which language should I use with you?"), _language_buttons())


async def language_chosen(update: Update, context: BotContext) -> None:
    query = update.callback_query
    code = (query.data or "").removeprefix("lang:")
    if code not in available_languages():
        await no_longer_valid(update, context)
        return
    await set_language(context.db, context.me.user_id, code)
    _ = context._ = Translator(code)
    await query.answer()
    await edit(context, query.message, context.me.chat_id, _("I will speak {language} with you from now on.", language=language_name(code)))  # type: ignore[union-attr]


def handlers() -> list:
    return [
        CommandHandler("start", start),
        CommandHandler("help", help_command),
        CommandHandler("language", language_command),
        CallbackQueryHandler(language_chosen, pattern=r"^lang:"),
    ]
