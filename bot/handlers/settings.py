"""/settings: the workspace's defaults (destination, currency, forwarder address, follow-up delay,
auto-confirm), its default checklist, its own questions, trade terms and supplier message templates.

Everyone can look; changes are checked by the services against the workspace's permission policy (in a team
group only the owner and admins change settings).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler

from bot.context import BotContext
from bot.domain.inquiries import InputError, parse_address
from bot.domain.workspaces import NotAllowed
from bot.handlers.common import TYPED_TEXT, need_text_fallback, no_longer_valid, recall, remember, reply
from bot.handlers.flows import Flow
from bot.handlers.start import help_command
from bot.i18n import N_
from bot.services import glossary
from bot.services import workspaces as service
from bot.supplier_messages import KIND_KEYS, TemplateCheckError, check_override
from bot.telegram_io import edit, typing
from bot.views import settings as views

MENU, FORWARDER, OWN_QUESTION, TEMPLATE_TEXT, TERM = range(5)
TEMPLATE_KIND = "template_kind"  # memo: the kind whose text they are typing
MAX_QUESTION = 300


async def _show(update: Update, context: BotContext, screen: tuple[str, list], note: str | None = None) -> None:
    """A settings screen replaces the message whose button was pressed; after typing it comes anew."""
    text, buttons = screen
    text = f"{note}\n\n{text}" if note else text
    if update.callback_query is not None:
        await edit(context, update.callback_query.message, context.me.chat_id, text, buttons=buttons)
    else:
        await reply(update, context, text, buttons)


async def _menu(update: Update, context: BotContext, note: str | None = None) -> int:
    settings = await service.workspace_settings(context.db, context.me)
    await _show(update, context, views.menu(context._, settings, context.services.settings.follow_up_hours), note)
    return MENU


async def open_settings(update: Update, context: BotContext) -> int:
    settings = await service.workspace_settings(context.db, context.me)
    text, buttons = views.menu(context._, settings, context.services.settings.follow_up_hours)
    await reply(update, context, text, buttons)
    return MENU if buttons else ConversationHandler.END


async def _refused(update: Update, context: BotContext) -> int:
    if update.callback_query is not None:
        await update.callback_query.answer(context._("Only the group's admins can change settings."), show_alert=True)
    else:
        await reply(update, context, context._("Only the group's admins can change settings."))
    return ConversationHandler.END


def _guarded(callback: Callable[[Update, BotContext], Awaitable[Any]]) -> Callable[[Update, BotContext], Awaitable[Any]]:
    """A settings step whose service refuses a member who may not change settings: they are told once."""

    async def run(update: Update, context: BotContext) -> Any:
        try:
            return await callback(update, context)
        except NotAllowed:
            return await _refused(update, context)

    run.__name__ = callback.__name__
    return run


@_guarded
async def menu_button(update: Update, context: BotContext) -> int | None:
    query = update.callback_query
    choice = (query.data or "").removeprefix("set:")  # type: ignore[union-attr]
    _ = context._
    settings = await service.workspace_settings(context.db, context.me)
    if not settings.can_manage:
        return await _refused(update, context)
    await query.answer()  # type: ignore[union-attr]
    screens = {
        "dst": lambda: views.destinations(_),
        "cur": lambda: views.currencies(_),
        "fu": lambda: views.follow_up_delays(_),
        "apr": lambda: views.approval_limits(_),
        "glang": lambda: views.group_languages(_),
        "chk": lambda: views.default_questions(_, settings),
        "myq": lambda: views.own_questions(_, settings),
        "tpl": lambda: views.template_kinds(_),
    }
    if choice == "done":
        text, _buttons = views.menu(_, settings, context.services.settings.follow_up_hours)
        await edit(context, query.message, context.me.chat_id, text)  # type: ignore[union-attr]
        return ConversationHandler.END
    if choice in screens:
        await _show(update, context, screens[choice]())
    elif choice == "terms":
        await _show(update, context, views.terms(_, await glossary.workspace_terms(context.db, context.me)))
    elif choice == "fwd":
        await reply(update, context, _("Send your freight forwarder's warehouse address in China (in Chinese, as the forwarder gave it), or /cancel."), expects_text=True)
        return FORWARDER
    elif choice == "addq":
        await reply(update, context, _("Type the question in your own words; I will put it into Chinese."), expects_text=True)
        return OWN_QUESTION
    elif choice == "addterm":
        await reply(update, context, _("Send the Chinese term and what it means, e.g. <code>起批价 = wholesale price</code>."), expects_text=True)
        return TERM
    else:
        return await _menu(update, context)
    return MENU


@_guarded
async def value_button(update: Update, context: BotContext) -> int | None:
    """set:dst:SG, set:cur:SGD, set:fu:24, set:auto:1 — the services check the values, never trusting them."""
    query = update.callback_query
    _prefix, kind, value = (query.data or "").split(":", 2)  # type: ignore[union-attr]
    db, me = context.db, context.me
    changes = {
        "dst": lambda: service.set_default_destination(db, me, value),
        "cur": lambda: service.set_default_currency(db, me, value),
        "fu": lambda: service.set_follow_up_hours(db, me, int(value) if value.isdigit() else 0),
        "auto": lambda: service.set_auto_confirm(db, me, value == "1"),
        "apr": lambda: service.set_payment_approval(db, me, value),
        "glang": lambda: service.set_group_language(db, me, value),
    }
    saved = await changes[kind]() if kind in changes else None
    if saved is None:
        await no_longer_valid(update, context)
        return None
    await query.answer(context._("Saved."))  # type: ignore[union-attr]
    return await _menu(update, context)


@_guarded
async def forwarder_text(update: Update, context: BotContext) -> int | None:
    try:
        address = parse_address(update.effective_message.text or "")  # type: ignore[union-attr]
    except InputError as error:
        await reply(update, context, context._(error.msgid, **error.params), expects_text=True)
        return None
    await service.set_forwarder_address(context.db, context.me, address)
    return await _menu(update, context, context._("Saved the forwarder address."))


@_guarded
async def toggle_default(update: Update, context: BotContext) -> int | None:
    """set:q:1:moq ticks, set:q:0:moq unticks."""
    query = update.callback_query
    match = re.fullmatch(r"set:q:([01]):(.{1,40})", query.data or "")  # type: ignore[union-attr]
    settings = await service.set_default_question(context.db, context.me, match.group(2), match.group(1) == "1") if match else None
    if settings is None:
        await no_longer_valid(update, context)
        return None
    await query.answer()  # type: ignore[union-attr]
    await _show(update, context, views.default_questions(context._, settings))
    return MENU


@_guarded
async def term_text(update: Update, context: BotContext) -> int | None:
    try:
        term_zh, meaning = glossary.parse_term(update.effective_message.text or "")  # type: ignore[union-attr]
    except InputError as error:
        await reply(update, context, "⚠️ " + context._(error.msgid, **error.params), expects_text=True)
        return None
    await glossary.save_term(context.db, context.me, term_zh, meaning)
    terms = await glossary.workspace_terms(context.db, context.me)
    await _show(update, context, views.terms(context._, terms, context._("Saved {term}.", term=term_zh)))
    return MENU


@_guarded
async def delete_term(update: Update, context: BotContext) -> int | None:
    query = update.callback_query
    term_id = (query.data or "").removeprefix("set:delterm:")  # type: ignore[union-attr]
    if not (term_id.isdigit() and await glossary.delete_term(context.db, context.me, int(term_id))):
        await no_longer_valid(update, context)
        return None
    await query.answer(context._("Deleted."))  # type: ignore[union-attr]
    await _show(update, context, views.terms(context._, await glossary.workspace_terms(context.db, context.me)))
    return MENU


@_guarded
async def own_question_text(update: Update, context: BotContext) -> int | None:
    text = " ".join((update.effective_message.text or "").split())  # type: ignore[union-attr]
    if not 3 <= len(text) <= MAX_QUESTION:
        await reply(update, context, context._("Please keep the question between 3 and {limit} characters.", limit=MAX_QUESTION), expects_text=True)
        return None
    async with typing(context, context.me.chat_id):
        chinese = await context.services.translator.to_chinese(text, "auto", workspace_id=context.me.workspace_id)
    await service.add_question(context.db, context.me, text, chinese.text if chinese.ok else None)
    note = context._("Added. In Chinese: {zh}", zh=chinese.text) if chinese.ok else context._("Added; the Chinese will be filled in when translation is back.")
    return await _menu(update, context, note)


@_guarded
async def template_kind(update: Update, context: BotContext) -> int | None:
    query = update.callback_query
    kind = (query.data or "").removeprefix("set:tpl:")  # type: ignore[union-attr]
    settings = await service.workspace_settings(context.db, context.me)
    if kind not in KIND_KEYS:
        await no_longer_valid(update, context)
        return None
    if not settings.can_manage:
        return await _refused(update, context)
    await query.answer()  # type: ignore[union-attr]
    remember(context, TEMPLATE_KIND, kind)
    current = await service.template_override(context.db, context.me.workspace_id, kind)
    await reply(update, context, *views.template_prompt(context._, kind, current), expects_text=True)
    return TEMPLATE_TEXT


@_guarded
async def template_text(update: Update, context: BotContext) -> int | None:
    kind = recall(context, TEMPLATE_KIND)
    if kind is None:
        return await _menu(update, context)
    body = (update.effective_message.text or "").strip()  # type: ignore[union-attr]
    try:
        check_override(kind, body)
    except TemplateCheckError as error:
        await reply(update, context, "⚠️ " + context._(error.msgid, **error.params) + "\n" + context._("Send a corrected text, or /cancel."), expects_text=True)
        return None
    await service.save_template_override(context.db, context.me, kind, body)
    remember(context, TEMPLATE_KIND, None)
    return await _menu(update, context, context._("Saved: your messages of this kind use your text now."))


@_guarded
async def template_reset(update: Update, context: BotContext) -> int | None:
    query = update.callback_query
    kind = (query.data or "").removeprefix("set:tplr:")  # type: ignore[union-attr]
    if kind not in KIND_KEYS:
        await no_longer_valid(update, context)
        return None
    await service.save_template_override(context.db, context.me, kind, None)
    await query.answer()  # type: ignore[union-attr]
    return await _menu(update, context, context._("Back to the built-in text."))


async def cancel(update: Update, context: BotContext) -> int:
    await reply(update, context, context._("Settings closed."))
    return ConversationHandler.END


def handlers() -> list:
    text = TYPED_TEXT
    buttons = [
        CallbackQueryHandler(value_button, pattern=r"^set:(dst|cur|fu|auto|apr|glang):"),
        CallbackQueryHandler(toggle_default, pattern=r"^set:q:"),
        CallbackQueryHandler(template_kind, pattern=r"^set:tpl:"),
        CallbackQueryHandler(template_reset, pattern=r"^set:tplr:"),
        CallbackQueryHandler(delete_term, pattern=r"^set:delterm:"),
        CallbackQueryHandler(menu_button, pattern=r"^set:[a-z]+$"),
    ]
    return [
        Flow(
            "settings",
            entry_points=[CommandHandler("settings", open_settings)],
            states={
                MENU: buttons,
                FORWARDER: [MessageHandler(text, forwarder_text), *buttons],
                OWN_QUESTION: [MessageHandler(text, own_question_text), *buttons],
                TEMPLATE_TEXT: [MessageHandler(text, template_text), *buttons],
                TERM: [MessageHandler(text, term_text), *buttons],
            },
            fallbacks=[CommandHandler("cancel", cancel), CommandHandler("help", help_command), need_text_fallback()],
            stopped=N_("Settings closed."),
        )
    ]
