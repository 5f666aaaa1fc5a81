"""/tr: translate to or from Chinese (or the message /tr replies to); /search: Chinese keywords and a 1688
search link from keywords in any language."""

from __future__ import annotations

from urllib.parse import quote

from telegram import Update
from telegram.ext import CommandHandler

from bot.context import BotContext
from bot.handlers.common import reply
from bot.i18n import N_
from bot.telegram_io import Button, escape, typing
from bot.translation.glossary import BUILT_IN_GLOSSARY
from bot.translation.languages import is_chinese, is_han
from bot.views.replies import translation_html

MAX_SEARCH = 200
SEARCH_URL = "https://s.1688.com/selloffer/offer_search.htm?keywords={keywords}"
# 1688's search filters and what they do, for the buyer who meets them on the results page.
SEARCH_FILTERS = (
    ("起订量", N_("minimum order: type your quantity in 起订量以下 to hide suppliers who need more")),
    ("24小时发货", N_("ships within 24 hours (not for cross-border orders)")),
    ("实力商家", N_("verified suppliers with good quality and delivery")),
    ("上架时间", N_("how recently the product was listed")),
    ("所在地区", N_("supplier location: pick one near your forwarder")),
    ("跨境特色", N_("cross-border features: international certificates and patents")),
)


def _command_text(update: Update, context: BotContext) -> str:
    """The text after the command, or the text of the message the command replies to."""
    message = update.effective_message
    own = " ".join(context.args or []).strip()
    if own:
        return own
    replied = message.reply_to_message if message else None  # type: ignore[union-attr]
    return ((replied.text or replied.caption or "") if replied else "").strip()


async def translate_command(update: Update, context: BotContext) -> None:
    _ = context._
    text = _command_text(update, context)
    if not text:
        await reply(update, context, _("Send <code>/tr</code> with the text, or reply <code>/tr</code> to a message. Chinese goes into your language, anything else into Chinese."))
        return
    text = text[:4000]
    async with typing(context, context.me.chat_id):
        if is_chinese(text):
            translation = await context.services.translator.from_chinese(text, context.me.language, workspace_id=context.me.workspace_id)
            heading = _("🌐 <b>In your language</b>")
        else:
            translation = await context.services.translator.to_chinese(text, "auto", workspace_id=context.me.workspace_id)
            heading = _("🌐 <b>In Chinese</b>")
    await reply(update, context, translation_html(_, translation, heading))


async def search_command(update: Update, context: BotContext) -> None:
    _ = context._
    text = _command_text(update, context)[:MAX_SEARCH]
    if not text:
        await reply(update, context, _("Send <code>/search</code> with what you are looking for, e.g. <code>/search stainless steel water bottle 500ml</code>."))
        return
    notice = None
    if is_chinese(text):
        keywords = text
    else:
        async with typing(context, context.me.chat_id):
            translation = await context.services.translator.to_chinese(text, "auto", workspace_id=context.me.workspace_id)
        chinese_words = " ".join("".join(char if is_han(char) else " " for char in text).split())
        if translation.ok:
            keywords = translation.text.strip()
        elif chinese_words:
            keywords = chinese_words
            notice = _("⚠️ Translation is unavailable right now, so this search uses only the Chinese words you typed.")
        else:
            await reply(update, context, _("Translation is unavailable right now, so I cannot find the Chinese keywords. Try again later, or search with Chinese words."))
            return
    lowered = text.lower()
    terms = [term for term in BUILT_IN_GLOSSARY.terms if term.meaning.lower() in lowered or term.term_zh in text]
    lines = [_("<b>Search 1688 for</b>: <code>{keywords}</code>", keywords=keywords)]
    if notice:
        lines.append(notice)
    if terms:
        lines.append(_("Trade terms that may help:") + "\n" + "\n".join(f"• {escape(t.term_zh)}: {escape(t.meaning)}" for t in terms[:8]))
    lines.append(_("<b>Filters on the results page</b>") + "\n" + "\n".join(f"• {name}: {_(meaning)}" for name, meaning in SEARCH_FILTERS))
    url = SEARCH_URL.format(keywords=quote(keywords, encoding="gbk", errors="ignore"))
    await reply(update, context, "\n\n".join(lines), [[Button(_("🔎 Open the search on 1688"), url=url)]])


def handlers() -> list:
    return [CommandHandler("tr", translate_command), CommandHandler("search", search_command)]
