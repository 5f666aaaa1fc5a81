"""/inquiry: from "I want 500 of these" to a polite Chinese message; /inquiries: what is still open.

Steps, one function each, as in python-telegram-bot's conversationbot: supplier → product → quantity →
destination → currency → checklist (→ own question, certificates, forwarder) → summary → the message. Every
answer is one service call on the buyer's draft; the conversation position is stored with the reply, so a
restart loses nothing. `/cancel` (or starting another flow) leaves and keeps the draft.
"""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler

from bot.context import BotContext
from bot.domain import checklist
from bot.domain.inquiries import (
    COUNTRIES,
    InputError,
    clean_product,
    parse_address,
    parse_certifications,
    parse_country,
    parse_currency,
    parse_quantity,
)
from bot.domain.suppliers import LinkError, parse_1688_link
from bot.handlers.common import TYPED_TEXT, in_group, input_problem, need_text_fallback, no_longer_valid, reply
from bot.handlers.flows import Flow
from bot.handlers.replies import note_sent_inquiry
from bot.handlers.start import help_command
from bot.i18n import N_
from bot.services import inquiries as service
from bot.services import messages
from bot.services.inquiries import Draft
from bot.telegram_io import Button, edit, remove_buttons, typing
from bot.views import common as common_views
from bot.views import inquiries as views
from bot.views.inquiries import (
    CERTIFICATES,
    CHECKLIST,
    CURRENCY,
    DESTINATION,
    FORWARDER,
    OWN_QUESTION,
    PRODUCT,
    QUANTITY,
    RESUME,
    SUMMARY,
    SUPPLIER,
)

MAX_OWN_QUESTION = 300
STOPPED = N_("Stopped the inquiry. Your draft is kept: send /inquiry to continue it.")
STEP_OF_FIELD = {
    "supplier": SUPPLIER,
    "product": PRODUCT,
    "quantity": QUANTITY,
    "destination": DESTINATION,
    "currency": CURRENCY,
    "questions": CHECKLIST,
}


def _typed(update: Update) -> str:
    return update.effective_message.text or ""  # type: ignore[union-attr]


async def _ask(
    update: Update,
    context: BotContext,
    step: int,
    draft: Draft | None,
    note: str | None = None,
    extra: list[list[Button]] | None = None,
) -> int:
    """Show a step's question (after `note`, HTML, in the same message) and return it as the new state. The
    summary is marked reached, so a resumed draft comes back to it."""
    if draft is None:
        return await _lost(update, context)
    if step == SUMMARY and not draft.inquiry.reached_summary:
        draft = await service.reach_summary(context.db, context.me)
        if draft is None:
            return await _lost(update, context)
    text, buttons, expects_text = views.step_prompt(context._, step, draft, group=in_group(update))
    buttons = [*(extra or []), *buttons]
    await reply(update, context, f"{note}\n\n{text}" if note else text, buttons, expects_text=expects_text and not extra)
    return step


async def _next(update: Update, context: BotContext, draft: Draft | None, note: str | None = None) -> int:
    if draft is None:
        return await _lost(update, context)
    return await _ask(update, context, views.next_step(draft.inquiry), draft, note)


async def _lost(update: Update, context: BotContext) -> int:
    """The draft is gone (written, or replaced in another chat of the same workspace): begin again."""
    return await _ask(update, context, SUPPLIER, await service.start_draft(context.db, context.me))


async def start_inquiry(update: Update, context: BotContext) -> int:
    draft = await service.current_draft(context.db, context.me)
    if draft is not None and (draft.inquiry.product or draft.inquiry.supplier_id):
        await reply(update, context, *views.resume_prompt(context._, draft))
        return RESUME
    return await _ask(update, context, SUPPLIER, await service.start_draft(context.db, context.me))


async def start_for_supplier(update: Update, context: BotContext) -> int | None:
    """"Ask this supplier" on a supplier card: a new inquiry with the supplier chosen."""
    query = update.callback_query
    supplier_id = (query.data or "").removeprefix("inq:new:")  # type: ignore[union-attr]
    draft = await service.start_draft(context.db, context.me, int(supplier_id)) if supplier_id.isdigit() else None
    if draft is None:
        await no_longer_valid(update, context)
        return ConversationHandler.END
    await query.answer()  # type: ignore[union-attr]
    note = "🏭 " + context._("New inquiry to {name}.", name=draft.inquiry.supplier_name)
    return await _ask(update, context, PRODUCT, draft, note=note)


async def ask_another_supplier(update: Update, context: BotContext) -> int | None:
    """"Ask another supplier the same": a draft with the same product, quantity and questions; which supplier?"""
    query = update.callback_query
    inquiry_id = (query.data or "").removeprefix("inq:same:")  # type: ignore[union-attr]
    draft = await service.start_draft(context.db, context.me, same_as=int(inquiry_id)) if inquiry_id.isdigit() else None
    if draft is None:
        await no_longer_valid(update, context)
        return ConversationHandler.END
    await query.answer()  # type: ignore[union-attr]
    note = context._("The same product, quantity and questions, for another supplier.")
    return await _ask(update, context, SUPPLIER, draft, note=note)


async def resume_choice(update: Update, context: BotContext) -> int:
    query = update.callback_query
    await query.answer()  # type: ignore[union-attr]
    if query.data == "inq:restart":  # type: ignore[union-attr]
        return await _ask(update, context, SUPPLIER, await service.start_draft(context.db, context.me))
    return await _next(update, context, await service.current_draft(context.db, context.me))


async def supplier_text(update: Update, context: BotContext) -> int | None:
    text = _typed(update).strip()
    try:
        link = parse_1688_link(text)
    except LinkError as error:
        await reply(update, context, "⚠️ " + context._(error.reason_msgid), expects_text=True)
        return None
    if link is None and not 2 <= len(text) <= 120:
        await reply(update, context, context._("Paste the supplier's 1688 link, or type their name (up to 120 characters)."), expects_text=True)
        return None
    name = common_views.supplier_name_for_link(link, context._) if link else text
    chosen = await service.supplier_from_text(context.db, context.me, name, link)
    if chosen is None:
        return await _lost(update, context)
    _ = context._
    said = (
        _("Added supplier {name}.", name=chosen.supplier.name)
        if chosen.created
        else _("That is {name}, already in your suppliers.", name=chosen.supplier.name)
    )
    return await _next(update, context, chosen.draft, note="🏭 " + said)


async def supplier_button(update: Update, context: BotContext) -> int | None:
    query = update.callback_query
    choice = (query.data or "").removeprefix("inq:sup:")  # type: ignore[union-attr]
    if choice != "none" and not choice.isdigit():
        await no_longer_valid(update, context)
        return None
    draft = await service.choose_supplier(context.db, context.me, None if choice == "none" else int(choice))
    if draft is None:
        await no_longer_valid(update, context)
        return None
    await query.answer()  # type: ignore[union-attr]
    if draft.inquiry.supplier_id is None and not draft.inquiry.product:
        return await _ask(update, context, PRODUCT, draft)
    return await _next(update, context, draft)


async def product_text(update: Update, context: BotContext) -> int | None:
    try:
        product = clean_product(_typed(update))
    except InputError as error:
        await reply(update, context, input_problem(context, error), expects_text=True)
        return None
    draft = await service.set_product(context.db, context.me, product)
    earlier = await service.earlier_inquiry_for(context.db, context.me, product) if draft else None
    if draft is None or earlier is None or draft.inquiry.quantity is not None:
        return await _next(update, context, draft)
    note = context._(
        "You asked {supplier} about this product before ({quantity}).",
        supplier=earlier.supplier_name or context._("a supplier"),
        quantity=f"{earlier.quantity or 0:,} {earlier.unit or 'pcs'}",
    )
    same = [[Button(context._("↺ The same quantity, destination and questions"), f"inq:like:{earlier.id}")]]
    return await _ask(update, context, QUANTITY, draft, note, extra=same)


async def same_as_before(update: Update, context: BotContext) -> int:
    """The product was asked about before: this draft takes that inquiry's quantity and questions."""
    query = update.callback_query
    inquiry_id = (query.data or "").removeprefix("inq:like:")  # type: ignore[union-attr]
    draft = await service.copy_from(context.db, context.me, int(inquiry_id)) if inquiry_id.isdigit() else None
    if draft is None:
        await no_longer_valid(update, context)
        return QUANTITY
    await query.answer()  # type: ignore[union-attr]
    return await _ask(update, context, SUMMARY, draft)


async def quantity_text(update: Update, context: BotContext) -> int | None:
    try:
        quantity, unit = parse_quantity(_typed(update))
    except InputError as error:
        await reply(update, context, input_problem(context, error), expects_text=True)
        return None
    return await _next(update, context, await service.set_quantity(context.db, context.me, quantity, unit))


async def destination_text(update: Update, context: BotContext) -> int | None:
    translated = {country.code: context._(country.name) for country in COUNTRIES}
    try:
        country = parse_country(_typed(update), translated)
    except InputError as error:
        await reply(update, context, input_problem(context, error), expects_text=in_group(update))
        return None
    draft = await service.set_destination(context.db, context.me, country.code)
    # A typed name may have been a guess ("Singapre"): say which country it became.
    return await _next(update, context, draft, note="📍 " + context._(country.name))


async def currency_text(update: Update, context: BotContext) -> int | None:
    try:
        code = parse_currency(_typed(update))
    except InputError as error:
        await reply(update, context, input_problem(context, error))
        return None
    return await _next(update, context, await service.set_currency(context.db, context.me, code))


async def choice_button(update: Update, context: BotContext) -> int | None:
    """inq:dst:SG or inq:cur:SGD; the service checks the value against the known ones."""
    query = update.callback_query
    _prefix, kind, value = (query.data or "").split(":", 2)  # type: ignore[union-attr]
    setter = {"dst": service.set_destination, "cur": service.set_currency}.get(kind)
    draft = await setter(context.db, context.me, value) if setter else None
    if draft is None:
        await no_longer_valid(update, context)
        return None
    await query.answer()  # type: ignore[union-attr]
    return await _next(update, context, draft)


async def toggle_question(update: Update, context: BotContext) -> int | None:
    """inq:q:1:moq ticks, inq:q:0:moq unticks: a repeated press changes nothing more."""
    query = update.callback_query
    match = re.fullmatch(r"inq:q:([01]):(.{1,40})", query.data or "")  # type: ignore[union-attr]
    draft = await service.set_question(context.db, context.me, match.group(2), match.group(1) == "1") if match else None
    if draft is None:
        await no_longer_valid(update, context)
        return None
    await query.answer()  # type: ignore[union-attr]
    text, buttons = views.checklist_prompt(context._, draft)
    await edit(context, query.message, context.me.chat_id, text, buttons=buttons)  # type: ignore[union-attr]
    return None


async def checklist_done(update: Update, context: BotContext) -> int | None:
    query = update.callback_query
    draft = await service.current_draft(context.db, context.me)
    if draft is None:
        await no_longer_valid(update, context)
        return ConversationHandler.END
    if not draft.inquiry.questions:
        await query.answer(context._("Tick at least one question."), show_alert=True)  # type: ignore[union-attr]
        return None
    await query.answer()  # type: ignore[union-attr]
    text, _buttons = views.checklist_prompt(context._, draft, closed=True)
    await edit(context, query.message, context.me.chat_id, text)  # type: ignore[union-attr]
    if checklist.CERTIFICATIONS in draft.inquiry.questions:
        return await _ask(update, context, CERTIFICATES, draft)
    return await _after_certificates(update, context, draft)


async def _after_certificates(update: Update, context: BotContext, draft: Draft) -> int:
    if checklist.FORWARDER_SHIPPING in draft.inquiry.questions and not draft.inquiry.forwarder_address:
        return await _ask(update, context, FORWARDER, draft)
    return await _ask(update, context, SUMMARY, draft)


async def toggle_certificate(update: Update, context: BotContext) -> int | None:
    query = update.callback_query
    match = re.fullmatch(r"inq:cert:([01]):([A-Z0-9-]{2,12})", query.data or "")  # type: ignore[union-attr]
    try:
        draft = await service.set_certificate(context.db, context.me, match.group(2), match.group(1) == "1") if match else None
    except InputError as error:
        await query.answer(context._(error.msgid, **error.params), show_alert=True)  # type: ignore[union-attr]
        return None
    if draft is None:
        await no_longer_valid(update, context)
        return None
    await query.answer()  # type: ignore[union-attr]
    text, buttons = views.certificates_prompt(context._, draft.inquiry)
    await edit(context, query.message, context.me.chat_id, text, buttons=buttons)  # type: ignore[union-attr]
    return None


async def certificates_text(update: Update, context: BotContext) -> int | None:
    try:
        draft = await service.add_certificates(context.db, context.me, parse_certifications(_typed(update)))
    except InputError as error:
        await reply(update, context, input_problem(context, error), expects_text=True)
        return None
    return await _ask(update, context, CERTIFICATES, draft)


async def certificates_done(update: Update, context: BotContext) -> int:
    await update.callback_query.answer()  # type: ignore[union-attr]
    draft = await service.current_draft(context.db, context.me)
    if draft is None:
        return await _lost(update, context)
    await remove_buttons(context, update.callback_query.message)  # type: ignore[union-attr]
    return await _after_certificates(update, context, draft)


async def forwarder_address_text(update: Update, context: BotContext) -> int | None:
    """The forwarder's address, asked once when the buyer asks about shipping to it, kept in /settings."""
    try:
        address = parse_address(_typed(update))
    except InputError as error:
        await reply(update, context, input_problem(context, error), expects_text=True)
        return None
    draft = await service.set_forwarder_address(context.db, context.me, address)
    note = (
        context._("Saved the forwarder address; change it any time in /settings.")
        if draft is not None and draft.settings.can_manage
        else context._("Saved the forwarder address for this inquiry.")
    )
    return await _ask(update, context, SUMMARY, draft, note=note)


async def skip_forwarder_address(update: Update, context: BotContext) -> int:
    await update.callback_query.answer()  # type: ignore[union-attr]
    return await _ask(update, context, SUMMARY, await service.current_draft(context.db, context.me))


async def ask_own_question(update: Update, context: BotContext) -> int:
    await update.callback_query.answer()  # type: ignore[union-attr]
    await reply(update, context, views.own_question_prompt(context._), expects_text=True)
    return OWN_QUESTION


async def own_question_text(update: Update, context: BotContext) -> int | None:
    _ = context._
    text = " ".join(_typed(update).split())
    if not 3 <= len(text) <= MAX_OWN_QUESTION:
        await reply(update, context, _("Please keep the question between 3 and {limit} characters.", limit=MAX_OWN_QUESTION), expects_text=True)
        return None
    async with typing(context, context.me.chat_id):
        chinese = await context.services.translator.to_chinese(text, "auto", workspace_id=context.me.workspace_id)
    draft = await service.add_own_question(context.db, context.me, text, chinese.text if chinese.ok else None)
    if chinese.ok:
        note = _("Added. In Chinese: {zh}", zh=chinese.text)
    else:
        note = _("Added. Translation is unavailable right now, so the message will carry your words as they are.")
    return await _ask(update, context, CHECKLIST, draft, note=note)


async def edit_field(update: Update, context: BotContext) -> int | None:
    query = update.callback_query
    step = STEP_OF_FIELD.get((query.data or "").removeprefix("inq:edit:"))  # type: ignore[union-attr]
    draft = await service.current_draft(context.db, context.me) if step is not None else None
    if step is None or draft is None:
        await no_longer_valid(update, context)
        return None
    await query.answer()  # type: ignore[union-attr]
    return await _ask(update, context, step, draft)


async def write_message(update: Update, context: BotContext) -> int:
    query = update.callback_query
    draft = await service.current_draft(context.db, context.me)
    if draft is None:
        await no_longer_valid(update, context)
        return ConversationHandler.END
    await query.answer()  # type: ignore[union-attr]
    async with typing(context, context.me.chat_id):
        rendered = await messages.compose(context.db, context.services.translator, context.me, draft.inquiry, "inquiry")
    inquiry = await service.write_message(context.db, context.me, draft.inquiry.id, rendered.zh)
    if inquiry is None:
        return await _lost(update, context)
    text = common_views.supplier_message(
        context._, rendered.zh, rendered.lines, N_("Copy this message to the supplier in WeChat or Aliwangwang:")
    )
    await reply(update, context, text, [[Button(context._("✅ I sent it"), f"inq:sent:{inquiry.id}")]])
    return ConversationHandler.END


async def mark_sent(update: Update, context: BotContext) -> None:
    query = update.callback_query
    inquiry_id = (query.data or "").removeprefix("inq:sent:")  # type: ignore[union-attr]
    sent = (
        await service.mark_sent(
            context.db,
            context.me,
            int(inquiry_id),
            now=context.services.clock.now(),
            default_hours=context.services.settings.follow_up_hours,
        )
        if inquiry_id.isdigit()
        else None
    )
    if sent is None:
        await no_longer_valid(update, context)
        return
    note_sent_inquiry(context, sent.inquiry.id)
    if not sent.changed:  # pressed twice, or by two teammates at once
        await query.answer(context._("Already marked as sent."))  # type: ignore[union-attr]
        return
    await query.answer()  # type: ignore[union-attr]
    await remove_buttons(context, query.message)  # type: ignore[union-attr]
    await reply(
        update,
        context,
        context._(
            "Waiting for the supplier's reply. When it comes, paste it here and I will translate it and pick out "
            "the facts. If nothing comes, I will remind you in {hours} hours with a follow-up message.",
            hours=f"{sent.follow_up_hours:g}",
        ),
    )


async def stay_with_buttons(update: Update, context: BotContext) -> None:
    await reply(update, context, context._("Please use the buttons above, or /cancel to stop."))


async def cancel(update: Update, context: BotContext) -> int:
    if update.callback_query:
        await update.callback_query.answer()
    await reply(update, context, context._(STOPPED))
    return ConversationHandler.END


async def list_open(update: Update, context: BotContext) -> None:
    found = await service.open_inquiries(context.db, context.me)
    await reply(update, context, *views.open_list(context._, found))


def handlers() -> list:
    text = TYPED_TEXT
    checklist_buttons = [
        CallbackQueryHandler(toggle_question, pattern=r"^inq:q:"),
        CallbackQueryHandler(ask_own_question, pattern=r"^inq:addq$"),
        CallbackQueryHandler(checklist_done, pattern=r"^inq:qdone$"),
    ]
    conversation = Flow(
        "inquiry",
        entry_points=[
            CommandHandler("inquiry", start_inquiry),
            CallbackQueryHandler(start_for_supplier, pattern=r"^inq:new:"),
            CallbackQueryHandler(ask_another_supplier, pattern=r"^inq:same:"),
        ],
        states={
            RESUME: [CallbackQueryHandler(resume_choice, pattern=r"^inq:(resume|restart)$")],
            SUPPLIER: [MessageHandler(text, supplier_text), CallbackQueryHandler(supplier_button, pattern=r"^inq:sup:")],
            PRODUCT: [MessageHandler(text, product_text)],
            QUANTITY: [MessageHandler(text, quantity_text), CallbackQueryHandler(same_as_before, pattern=r"^inq:like:")],
            DESTINATION: [MessageHandler(text, destination_text), CallbackQueryHandler(choice_button, pattern=r"^inq:dst:")],
            CURRENCY: [MessageHandler(text, currency_text), CallbackQueryHandler(choice_button, pattern=r"^inq:cur:")],
            CHECKLIST: [*checklist_buttons, MessageHandler(text, stay_with_buttons)],
            OWN_QUESTION: [MessageHandler(text, own_question_text), *checklist_buttons],
            CERTIFICATES: [
                MessageHandler(text, certificates_text),
                CallbackQueryHandler(toggle_certificate, pattern=r"^inq:cert:"),
                CallbackQueryHandler(certificates_done, pattern=r"^inq:certdone$"),
            ],
            FORWARDER: [MessageHandler(text, forwarder_address_text), CallbackQueryHandler(skip_forwarder_address, pattern=r"^inq:fwd:skip$")],
            SUMMARY: [
                CallbackQueryHandler(edit_field, pattern=r"^inq:edit:"),
                CallbackQueryHandler(write_message, pattern=r"^inq:write$"),
                MessageHandler(text, stay_with_buttons),
            ],
        },
        fallbacks=[
            CommandHandler("cancel", cancel),
            CommandHandler("help", help_command),
            need_text_fallback(),
        ],
        stopped=STOPPED,
    )
    return [
        conversation,
        CommandHandler("inquiries", list_open),
        CallbackQueryHandler(mark_sent, pattern=r"^inq:sent:"),
    ]
