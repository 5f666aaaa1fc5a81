"""/guide: the buying guide as a menu of topics; each topic replaces the menu message, with ways back and on."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.domain.guide import GUIDE_SECTIONS, section
from bot.handlers.common import no_longer_valid, reply
from bot.i18n import Translator
from bot.telegram_io import Button, edit

MENU = "guide:menu"


def menu(_: Translator) -> tuple[str, list[list[Button]]]:
    text = _("<b>Buying on 1688: the guide</b>\nShort pages on how buying from Chinese suppliers works. Pick a topic:")
    buttons = [[Button(_(item.title_msgid), f"guide:{item.key}")] for item in GUIDE_SECTIONS]
    return text, buttons


def page(_: Translator, key: str) -> tuple[str, list[list[Button]]] | None:
    shown = section(key)
    if shown is None:
        return None
    index = GUIDE_SECTIONS.index(shown)
    footer = _("<i>Page {number} of {total}</i>", number=index + 1, total=len(GUIDE_SECTIONS))
    moves = []
    if index > 0:
        before = GUIDE_SECTIONS[index - 1]
        moves.append(Button("« " + _(before.title_msgid), f"guide:{before.key}"))
    if index < len(GUIDE_SECTIONS) - 1:
        after = GUIDE_SECTIONS[index + 1]
        moves.append(Button(_(after.title_msgid) + " »", f"guide:{after.key}"))
    return _(shown.body_msgid) + "\n\n" + footer, [moves, [Button(_("◀ Back to the guide"), MENU)]]


async def guide_command(update: Update, context: BotContext) -> None:
    text, buttons = menu(context._)
    await reply(update, context, text, buttons)


async def guide_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    key = (query.data or "").removeprefix("guide:")
    shown = menu(context._) if query.data == MENU else page(context._, key)
    if shown is None:
        await no_longer_valid(update, context)
        return
    await query.answer()
    await edit(context, query.message, update.effective_chat.id, shown[0], buttons=shown[1])  # type: ignore[union-attr]


def handlers() -> list:
    return [CommandHandler("guide", guide_command), CallbackQueryHandler(guide_button, pattern=r"^guide:")]
