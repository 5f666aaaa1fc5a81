"""/settings: the workspace's defaults (destination, currency, forwarder address, follow-up delay,
auto-confirm), its default checklist, its own questions and its own supplier message templates.

In a team group only the owner and admins change settings; everyone can look.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
)

from bot.context import BotContext
from bot.db.models import Workspace
from bot.domain import checklist
from bot.domain.inquiries import COUNTRIES, COUNTRY_BY_CODE, CURRENCIES, InputError, parse_address
from bot.domain.workspaces import can_manage
from bot.handlers.common import TYPED_TEXT, need_text_fallback, recall, remember, reply
from bot.handlers.flows import Flow
from bot.handlers.start import help_command
from bot.i18n import N_
from bot.services import glossary
from bot.services import inquiries as service
from bot.supplier_messages import (
    KINDS,
    TemplateCheckError,
    check_override,
    placeholders,
)
from bot.telegram_io import Button, edit, escape, grid, typing

MENU, FORWARDER, OWN_QUESTION, TEMPLATE_TEXT, TERM = range(5)
FOLLOW_UP_CHOICES = (6, 12, 24, 48, 72)
TEMPLATE_KIND = "template_kind"  # chat_data: user id -> the kind whose text they are typing


async def _menu(context: BotContext) -> tuple[str, list[list[Button]]]:
    _ = context._
    workspace = await service.get_workspace(context.db, context.me.workspace_id)
    country = COUNTRY_BY_CODE.get(workspace.destination_country or "")
    customs = await service.custom_questions(context.db, context.me.workspace_id)
    text = _(
        "<b>Settings</b>\nDestination: {destination}\nCurrency: {currency}\nForwarder address: {forwarder}\n"
        "Follow-up reminder after: {hours} hours\nConfirm found answers automatically: {auto}\n"
        "Default questions: {questions}\nYour own questions: {own}",
        destination=_(country.name) if country else _("not set"),
        currency=workspace.currency or _("not set"),
        forwarder=workspace.forwarder_address or _("not set"),
        hours=f"{workspace.follow_up_hours or context.services.settings.follow_up_hours:g}",
        auto=_("yes") if workspace.auto_confirm else _("no"),
        questions=len(workspace.default_checklist or checklist.default_checklist()),
        own=len(customs),
    )
    if not can_manage(context.me.workspace_kind, context.me.role):
        return text + "\n\n" + _("Only the group's admins can change these."), []
    buttons = [
        [Button(_("Destination"), "set:dst"), Button(_("Currency"), "set:cur")],
        [Button(_("Forwarder address"), "set:fwd"), Button(_("Follow-up delay"), "set:fu")],
        [Button(_("Auto-confirm on/off"), "set:auto"), Button(_("Default questions"), "set:chk")],
        [Button(_("Own questions"), "set:myq"), Button(_("Message templates"), "set:tpl")],
        [Button(_("Trade terms"), "set:terms")],
        [Button(_("Done"), "set:done")],
    ]
    return text, buttons


async def open_settings(update: Update, context: BotContext) -> int:
    text, buttons = await _menu(context)
    await reply(update, context, text, buttons)
    return MENU if buttons else ConversationHandler.END


async def _back_to_menu(update: Update, context: BotContext, note: str | None = None) -> int:
    text, buttons = await _menu(context)
    if update.callback_query is not None:
        await edit(context, update.callback_query.message, context.me.chat_id, (note + "\n\n" if note else "") + text, buttons=buttons)
    else:
        await reply(update, context, (note + "\n\n" if note else "") + text, buttons)
    return MENU


async def _allowed(update: Update, context: BotContext) -> bool:
    if can_manage(context.me.workspace_kind, context.me.role):
        return True
    await update.callback_query.answer(context._("Only the group's admins can change settings."), show_alert=True)  # type: ignore[union-attr]
    return False


async def menu_button(update: Update, context: BotContext) -> int | None:
    query = update.callback_query
    if not await _allowed(update, context):
        return ConversationHandler.END
    _ = context._
    choice = query.data.removeprefix("set:")  # type: ignore[union-attr]
    workspace = await service.get_workspace(context.db, context.me.workspace_id)
    await query.answer()
    if choice == "done":
        text, _buttons = await _menu(context)
        await edit(context, query.message, context.me.chat_id, text)
        return ConversationHandler.END
    if choice == "dst":
        buttons = grid([Button(_(c.name), f"set:dst:{c.code}") for c in COUNTRIES], 3)
        await edit(context, query.message, context.me.chat_id, _("Default destination:"), buttons=buttons)
    elif choice == "cur":
        await edit(context, query.message, context.me.chat_id, _("Default currency:"), buttons=grid([Button(c, f"set:cur:{c}") for c in CURRENCIES], 4))
    elif choice == "fu":
        buttons = [[Button(_("{hours} h", hours=h), f"set:fu:{h}") for h in FOLLOW_UP_CHOICES]]
        await edit(context, query.message, context.me.chat_id, _("Remind me to follow up when a supplier is silent for:"), buttons=buttons)
    elif choice == "auto":
        await service.update_workspace(context.db, context.me.workspace_id, auto_confirm=not workspace.auto_confirm)
        return await _back_to_menu(update, context)
    elif choice == "fwd":
        await reply(
            update,
            context,
            _("Send your freight forwarder's warehouse address in China (in Chinese, as the forwarder gave it), or /cancel."),
            expects_text=True,
        )
        return FORWARDER
    elif choice == "chk":
        await _show_default_checklist(update, context, workspace)
    elif choice == "myq":
        await _show_own_questions(update, context)
    elif choice == "terms":
        await _show_terms(update, context)
    elif choice == "addterm":
        await reply(update, context, _("Send the Chinese term and what it means, e.g. <code>起批价 = wholesale price</code>."), expects_text=True)
        return TERM
    elif choice == "tpl":
        buttons = [[Button(_(kind.label_msgid), f"set:tpl:{kind.key}")] for kind in KINDS]
        await edit(context, query.message, context.me.chat_id, _("Which message do you want to write your own way?"), buttons=buttons + [[Button(_("◀ Back"), "set:back")]])
    elif choice == "back":
        return await _back_to_menu(update, context)
    return MENU


async def value_button(update: Update, context: BotContext) -> int | None:
    """set:dst:SG, set:cur:SGD, set:fu:24 — checked against the known values, never trusted."""
    query = update.callback_query
    if not await _allowed(update, context):
        return ConversationHandler.END
    _prefix, kind, value = query.data.split(":", 2)  # type: ignore[union-attr]
    fields = {
        "dst": ("destination_country", value if value in COUNTRY_BY_CODE else None),
        "cur": ("currency", value if value in CURRENCIES else None),
        "fu": ("follow_up_hours", float(value) if value.isdigit() and int(value) in FOLLOW_UP_CHOICES else None),
    }
    field, parsed = fields.get(kind, (None, None))
    if field is None or parsed is None:
        await query.answer(context._("That button is no longer valid."))
        return None
    await query.answer(context._("Saved."))
    await service.update_workspace(context.db, context.me.workspace_id, **{field: parsed})
    return await _back_to_menu(update, context)


async def forwarder_text(update: Update, context: BotContext) -> int | None:
    try:
        address = parse_address(update.effective_message.text or "")  # type: ignore[union-attr]
    except InputError as error:
        await reply(update, context, context._(error.msgid, **error.params), expects_text=True)
        return None
    await service.update_workspace(context.db, context.me.workspace_id, forwarder_address=address)
    return await _back_to_menu(update, context, context._("Saved the forwarder address."))


async def _show_default_checklist(update: Update, context: BotContext, workspace: Workspace) -> None:
    _ = context._
    customs = await service.custom_questions(context.db, context.me.workspace_id)
    chosen = set(workspace.default_checklist or checklist.default_checklist())
    rows = [[Button(("✅ " if q.key in chosen else "⬜ ") + _(q.label_msgid), f"set:q:{q.key}")] for q in checklist.BUILTIN_QUESTIONS]
    rows += [[Button(("✅ " if f"custom:{q.id}" in chosen else "⬜ ") + q.text[:50], f"set:q:custom:{q.id}")] for q in customs]
    rows.append([Button(_("◀ Back"), "set:back")])
    await edit(context, update.callback_query.message, context.me.chat_id, _("Questions every new inquiry starts with:"), buttons=rows)  # type: ignore[union-attr]


async def toggle_default(update: Update, context: BotContext) -> int | None:
    query = update.callback_query
    if not await _allowed(update, context):
        return ConversationHandler.END
    key = query.data.removeprefix("set:q:")  # type: ignore[union-attr]
    customs = {q.id for q in await service.custom_questions(context.db, context.me.workspace_id)}
    if checklist.validate_keys([key], customs) != [key]:
        await query.answer(context._("That button is no longer valid."))
        return None
    current = await service.default_questions(context.db, context.me.workspace_id)
    workspace = await service.update_workspace(context.db, context.me.workspace_id, default_checklist=checklist.toggle(current, key))
    await query.answer()
    await _show_default_checklist(update, context, workspace)
    return MENU


async def _show_own_questions(update: Update, context: BotContext) -> None:
    _ = context._
    customs = await service.custom_questions(context.db, context.me.workspace_id)
    lines = [_("<b>Your own questions</b>")]
    lines += [f"{n}. {escape(q.text)}\n    {escape(q.text_zh or _('(no Chinese yet)'))}" for n, q in enumerate(customs, start=1)]
    if not customs:
        lines.append(_("None yet."))
    buttons = [[Button(_("➕ Add a question"), "set:addq")], [Button(_("◀ Back"), "set:back")]]
    await edit(context, update.callback_query.message, context.me.chat_id, "\n".join(lines), buttons=buttons)  # type: ignore[union-attr]


async def _show_terms(update: Update, context: BotContext, note: str | None = None) -> None:
    _ = context._
    terms = await glossary.workspace_terms(context.db, context.me.workspace_id)
    lines = [note] if note else []
    lines.append(_("<b>Your trade terms</b>: kept as they are through translation, and explained to everyone here."))
    lines += [f"• {escape(term.term_zh)} = {escape(term.meaning)}" for term in terms] or [_("None yet.")]
    buttons = [[Button(_("🗑 {term}", term=term.term_zh), f"set:delterm:{term.id}")] for term in terms[:20]]
    buttons += [[Button(_("➕ Add a term"), "set:addterm")], [Button(_("◀ Back"), "set:back")]]
    if update.callback_query is not None:
        await edit(context, update.callback_query.message, context.me.chat_id, "\n".join(lines), buttons=buttons)
    else:
        await reply(update, context, "\n".join(lines), buttons)


async def term_text(update: Update, context: BotContext) -> int | None:
    try:
        term_zh, meaning = glossary.parse_term(update.effective_message.text or "")  # type: ignore[union-attr]
    except InputError as error:
        await reply(update, context, "⚠️ " + context._(error.msgid, **error.params), expects_text=True)
        return None
    await glossary.save_term(context.db, context.me, term_zh, meaning)
    await _show_terms(update, context, context._("Saved {term}.", term=term_zh))
    return MENU


async def delete_term(update: Update, context: BotContext) -> int | None:
    query = update.callback_query
    if not await _allowed(update, context):
        return ConversationHandler.END
    term_id = query.data.removeprefix("set:delterm:")  # type: ignore[union-attr]
    if not (term_id.isdigit() and await glossary.delete_term(context.db, context.me, int(term_id))):
        await query.answer(context._("That button is no longer valid."))
        return None
    await query.answer(context._("Deleted."))
    await _show_terms(update, context)
    return MENU


async def ask_own_question(update: Update, context: BotContext) -> int | None:
    if not await _allowed(update, context):
        return ConversationHandler.END
    await update.callback_query.answer()  # type: ignore[union-attr]
    await reply(update, context, context._("Type the question in your own words; I will put it into Chinese."), expects_text=True)
    return OWN_QUESTION


async def own_question_text(update: Update, context: BotContext) -> int | None:
    text = " ".join((update.effective_message.text or "").split())  # type: ignore[union-attr]
    if not 3 <= len(text) <= 300:
        await reply(update, context, context._("Please keep the question between 3 and {limit} characters.", limit=300), expects_text=True)
        return None
    async with typing(context, context.me.chat_id):
        chinese = await context.services.translator.to_chinese(text, "auto", workspace_id=context.me.workspace_id)
    await service.add_custom_question(context.db, context.me, text, chinese.text if chinese.ok else None)
    note = context._("Added. In Chinese: {zh}", zh=chinese.text) if chinese.ok else context._("Added; the Chinese will be filled in when translation is back.")
    return await _back_to_menu(update, context, note)


async def template_kind(update: Update, context: BotContext) -> int | None:
    query = update.callback_query
    if not await _allowed(update, context):
        return ConversationHandler.END
    kind = query.data.removeprefix("set:tpl:")  # type: ignore[union-attr]
    if kind not in {k.key for k in KINDS}:
        await query.answer(context._("That button is no longer valid."))
        return None
    await query.answer()
    _ = context._
    current = await service.template_override(context.db, context.me.workspace_id, kind)
    names = ", ".join(f"{{{{ {name} }}}}" for name in placeholders(kind))
    text = _(
        "Send your own Chinese text for this message. You can use these placeholders: {names}\n\n"
        "Current text: {current}\n\nOr /cancel to keep it.",
        names=names,
        current=current or _("the built-in one"),
    )
    remember(context, TEMPLATE_KIND, kind)
    buttons = [[Button(_("Use the built-in text again"), f"set:tplr:{kind}")]] if current else None
    await reply(update, context, text, buttons, expects_text=True)
    return TEMPLATE_TEXT


async def template_text(update: Update, context: BotContext) -> int | None:
    kind = recall(context, TEMPLATE_KIND)
    if kind is None:
        return await _back_to_menu(update, context)
    body = (update.effective_message.text or "").strip()  # type: ignore[union-attr]
    try:
        check_override(kind, body)
    except TemplateCheckError as error:
        await reply(update, context, "⚠️ " + context._(error.msgid, **error.params) + "\n" + context._("Send a corrected text, or /cancel."), expects_text=True)
        return None
    await service.save_template_override(context.db, context.me, kind, body)
    remember(context, TEMPLATE_KIND, None)
    return await _back_to_menu(update, context, context._("Saved: your messages of this kind use your text now."))


async def template_reset(update: Update, context: BotContext) -> int | None:
    query = update.callback_query
    if not await _allowed(update, context):
        return ConversationHandler.END
    kind = query.data.removeprefix("set:tplr:")  # type: ignore[union-attr]
    if kind not in {k.key for k in KINDS}:
        await query.answer(context._("That button is no longer valid."))
        return None
    await query.answer()
    await service.save_template_override(context.db, context.me, kind, None)
    return await _back_to_menu(update, context, context._("Back to the built-in text."))


async def cancel(update: Update, context: BotContext) -> int:
    await reply(update, context, context._("Settings closed."))
    return ConversationHandler.END


def handlers() -> list:
    text = TYPED_TEXT
    buttons = [
        CallbackQueryHandler(value_button, pattern=r"^set:(dst|cur|fu):"),
        CallbackQueryHandler(toggle_default, pattern=r"^set:q:"),
        CallbackQueryHandler(ask_own_question, pattern=r"^set:addq$"),
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
