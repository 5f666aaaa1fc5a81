"""/inquiry: from "I want 500 of these" to a polite Chinese message; /inquiries: what is still open.

Steps, one function each, as in python-telegram-bot's conversationbot: supplier → product → quantity →
destination → currency → checklist (→ own question) → summary → the message. The draft is written to the
database at every step and the conversation position is persisted, so a restart loses nothing; `/cancel`
leaves and keeps the draft.
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
from bot.db.models import Inquiry
from bot.domain import checklist
from bot.domain.inquiries import (
    COUNTRIES,
    COUNTRY_BY_CODE,
    COMMON_CERTIFICATIONS,
    CURRENCIES,
    InputError,
    InquiryStatus,
    clean_product,
    parse_address,
    parse_certifications,
    with_certifications,
    parse_country,
    parse_currency,
    parse_quantity,
)
from bot.domain.suppliers import LinkError, parse_1688_link
from bot.handlers import views
from bot.handlers.common import TYPED_TEXT, in_group, need_text_fallback, reply
from bot.handlers.flows import Flow
from bot.handlers.replies import set_active_inquiry
from bot.handlers.start import help_command
from bot.i18n import N_, Markup, Translator
from bot.services import inquiries as service
from bot.services import messages
from bot.services.suppliers import add_supplier, get_supplier, list_suppliers
from bot.telegram_io import Button, edit, escape, grid, remove_buttons, typing

(RESUME, SUPPLIER, PRODUCT, QUANTITY, DESTINATION, CURRENCY, CHECKLIST, OWN_QUESTION, SUMMARY, FORWARDER, CERTIFICATES) = range(11)
MAX_OWN_QUESTION = 300
STOPPED = N_("Stopped the inquiry. Your draft is kept: send /inquiry to continue it.")
STEP_FIELDS = {SUPPLIER: "supplier", PRODUCT: "product", QUANTITY: "quantity", DESTINATION: "destination",
               CURRENCY: "currency", CHECKLIST: "questions"}


def _error(context: BotContext, error: InputError) -> str:
    return "⚠️ " + context._(error.msgid, **error.params)


async def _draft(context: BotContext) -> Inquiry | None:
    return await service.current_draft(context.db, context.me)


async def _save(context: BotContext, inquiry: Inquiry, **fields: object) -> Inquiry:
    saved = await service.update_inquiry(context.db, context.me, inquiry.id, **fields)
    assert saved is not None
    return saved


def _next_step(inquiry: Inquiry) -> int:
    """Where a draft picks up: the first step without an answer, or the summary once reached."""
    if inquiry.reached_summary:
        return SUMMARY
    if not inquiry.product:
        return PRODUCT if inquiry.supplier_id is not None or inquiry.quantity is not None else SUPPLIER
    if inquiry.quantity is None:
        return QUANTITY
    if inquiry.destination_country is None:
        return DESTINATION
    if inquiry.currency is None:
        return CURRENCY
    return CHECKLIST


async def _ask(update: Update, context: BotContext, step: int, inquiry: Inquiry, note: str | None = None) -> int:
    """Show the prompt of a step (after `note`, HTML, in the same message) and return it as the new state."""
    _ = context._
    buttons: list[list[Button]] | None = None
    expects_text = False
    if step == SUPPLIER:
        suppliers = (await list_suppliers(context.db, context.me.workspace_id))[:6]
        buttons = [[Button(f"🏭 {s.name[:40]}", f"inq:sup:{s.id}")] for s in suppliers]
        buttons.append([Button(_("Skip: no supplier yet"), "inq:sup:none")])
        if suppliers:
            text = _("<b>New inquiry</b> (1/6)\nWhich supplier? Paste their 1688 link, type their name, or pick one:")
        else:
            text = _("<b>New inquiry</b> (1/6)\nWhich supplier? Paste their 1688 link or type their name.")
        expects_text = in_group(update)
    elif step == PRODUCT:
        text = _("<b>Product</b> (2/6)\nWhat product? A few words, its 1688 link, and the variant (colour, size, model) if it matters.")
        expects_text = True
    elif step == QUANTITY:
        text = _("<b>Quantity</b> (3/6)\nHow many do you want? For example <code>500</code> or <code>1,000 pcs</code>.")
        expects_text = True
    elif step == DESTINATION:
        workspace = await service.get_workspace(context.db, context.me.workspace_id)
        codes = [c.code for c in COUNTRIES[:10]]
        if workspace.destination_country in codes:
            codes.remove(workspace.destination_country)
        if workspace.destination_country:
            codes.insert(0, workspace.destination_country)
        buttons = grid([Button(_(COUNTRY_BY_CODE[code].name), f"inq:dst:{code}") for code in codes], 3)
        text = _("<b>Destination</b> (4/6)\nWhere will the goods go? Pick a country or type its name.")
        expects_text = in_group(update)
    elif step == CURRENCY:
        workspace = await service.get_workspace(context.db, context.me.workspace_id)
        country = COUNTRY_BY_CODE.get(inquiry.destination_country or "")
        preferred = [code for code in (workspace.currency, country.currency if country else None, "USD", "CNY") if code]
        codes = list(dict.fromkeys(preferred + ["SGD", "AUD", "NZD", "HKD", "MYR"]))[:8]
        text = _("<b>Currency</b> (5/6)\nWhich currency do you want to compare prices in?")
        buttons = grid([Button(code, f"inq:cur:{code}") for code in codes], 4)
    elif step == CHECKLIST:
        text = await _checklist_text(context, inquiry)
        buttons = await _checklist_buttons(context, inquiry)
    elif step == CERTIFICATES:
        text, buttons = _certificates_prompt(_, inquiry)
        expects_text = in_group(update)
    elif step == FORWARDER:
        text = _(
            "<b>Forwarder</b>\nYou ask about shipping to your freight forwarder in China. Send the address of its "
            "warehouse (in Chinese, as the forwarder gave it) and I put it in the message; I keep it for next time."
        )
        buttons = [[Button(_("Skip ⏭"), "inq:fwd:skip")]]
        expects_text = in_group(update)
    else:
        inquiry = await _save(context, inquiry, reached_summary=True)
        text, buttons = await _summary(context, inquiry)
    if expects_text and buttons:
        # A keyboard and a force-reply cannot share a message; with privacy mode on, the bot only sees replies.
        text += "\n" + _("<i>To type an answer in this group, reply to this message.</i>")
    await reply(update, context, f"{note}\n\n{text}" if note else text, buttons, expects_text=expects_text and not buttons)
    return step


def _certificates_prompt(_: Translator, inquiry: Inquiry) -> tuple[str, list[list[Button]]]:
    text = _(
        "<b>Certificates</b>\nWhich certificates does your market need? Tick them or type others (like "
        "<code>SIRIM, PSB</code>), then press Done. With none ticked I ask which certificates the product has."
    )
    chosen = set(inquiry.certifications_needed)
    codes = list(dict.fromkeys([*COMMON_CERTIFICATIONS, *inquiry.certifications_needed]))
    buttons = grid([Button(("✅ " if code in chosen else "") + code, f"inq:cert:{code}") for code in codes], 4)
    return text, [*buttons, [Button(_("Done ✔"), "inq:certdone")]]


async def _checklist_text(context: BotContext, inquiry: Inquiry) -> str:
    _ = context._
    return _(
        "<b>Questions</b> (6/6)\nTap to tick or untick what to ask the supplier ({count} chosen). "
        "Add your own question if something is missing, then press Done.",
        count=len(inquiry.questions),
    )


async def _checklist_buttons(context: BotContext, inquiry: Inquiry) -> list[list[Button]]:
    _ = context._
    chosen = set(inquiry.questions)
    rows = [
        [Button(("✅ " if q.key in chosen else "⬜ ") + _(q.label_msgid), f"inq:q:{q.key}")]
        for q in checklist.BUILTIN_QUESTIONS
    ]
    for question in await service.custom_questions(context.db, context.me.workspace_id):
        key = f"custom:{question.id}"
        rows.append([Button(("✅ " if key in chosen else "⬜ ") + question.text[:50], f"inq:q:{key}")])
    rows.append([Button(_("➕ Add my own question"), "inq:addq"), Button(_("Done ✔"), "inq:qdone")])
    return rows


async def _summary(context: BotContext, inquiry: Inquiry) -> tuple[str, list[list[Button]]]:
    _ = context._
    supplier = await get_supplier(context.db, context.me.workspace_id, inquiry.supplier_id) if inquiry.supplier_id else None
    country = COUNTRY_BY_CODE.get(inquiry.destination_country or "")
    customs = await messages.custom_question_texts(context.db, context.me.workspace_id, inquiry.questions)
    labels = [views.question_label(key, customs, _) for key in inquiry.questions]
    text = _(
        "<b>Your inquiry</b>\n"
        "Supplier: {supplier}\nProduct: {product}\nQuantity: {quantity}\nDestination: {destination}\n"
        "Currency: {currency}\nQuestions ({count}):\n{questions}",
        supplier=supplier.name if supplier else _("not chosen yet"),
        product=inquiry.product or "—",
        quantity=views.quantity_text(inquiry, _),
        destination=_(country.name) if country else "—",
        currency=inquiry.currency or "—",
        count=len(inquiry.questions),
        questions=Markup("\n".join(f"• {escape(label)}" for label in labels) or "—"),
    )
    if checklist.CERTIFICATIONS in inquiry.questions and inquiry.certifications_needed:
        text += "\n" + _("Certificates to ask about: {codes}", codes=", ".join(inquiry.certifications_needed))
    if checklist.FORWARDER_SHIPPING in inquiry.questions:
        workspace = await service.get_workspace(context.db, context.me.workspace_id)
        text += "\n" + _(
            "Forwarder address: {address} (change it in /settings)", address=workspace.forwarder_address or _("not set")
        )
    text += "\n\n" + _("Change anything with the buttons, or write the message.")
    buttons = [
        [Button(_("Supplier"), "inq:edit:supplier"), Button(_("Product"), "inq:edit:product"), Button(_("Quantity"), "inq:edit:quantity")],
        [Button(_("Destination"), "inq:edit:destination"), Button(_("Currency"), "inq:edit:currency"), Button(_("Questions"), "inq:edit:questions")],
        [Button(_("✍️ Write the message"), "inq:write")],
    ]
    return text, buttons


async def start_inquiry(update: Update, context: BotContext) -> int:
    draft = await _draft(context)
    if draft is not None and (draft.product or draft.supplier_id):
        _ = context._
        await reply(
            update,
            context,
            _("You have an unfinished inquiry ({product}). Continue it or start over?", product=draft.product or _("no product yet")),
            [[Button(_("Continue"), "inq:resume"), Button(_("Start over"), "inq:restart")]],
        )
        return RESUME
    return await _begin(update, context)


async def _new_draft(context: BotContext) -> Inquiry:
    """A fresh draft with the workspace's default questions."""
    return await service.new_draft(context.db, context.me, await service.default_questions(context.db, context.me.workspace_id))


async def _begin(update: Update, context: BotContext) -> int:
    return await _ask(update, context, SUPPLIER, await _new_draft(context))


async def start_for_supplier(update: Update, context: BotContext) -> int | None:
    """"Ask this supplier" on a supplier card: a new inquiry with the supplier chosen."""
    query = update.callback_query
    supplier_id = query.data.removeprefix("inq:new:")
    supplier = await get_supplier(context.db, context.me.workspace_id, int(supplier_id)) if supplier_id.isdigit() else None
    if supplier is None or supplier.archived:
        await query.answer(context._("That button is no longer valid."))
        return ConversationHandler.END
    await query.answer()
    draft = await _save(context, await _new_draft(context), supplier_id=supplier.id)
    return await _ask(update, context, PRODUCT, draft, note="🏭 " + context._("New inquiry to {name}.", name=supplier.name))


async def resume_choice(update: Update, context: BotContext) -> int:
    query = update.callback_query
    await query.answer()
    draft = await _draft(context)
    if query.data == "inq:restart" or draft is None:
        return await _begin(update, context)
    return await _ask(update, context, _next_step(draft), draft)


async def _advance(update: Update, context: BotContext, inquiry: Inquiry) -> int:
    return await _ask(update, context, _next_step(inquiry), inquiry)


async def supplier_text(update: Update, context: BotContext) -> int | None:
    draft = await _draft(context)
    if draft is None:
        return await _begin(update, context)
    text = update.effective_message.text.strip()  # type: ignore[union-attr]
    try:
        link = parse_1688_link(text)
    except LinkError as error:
        await reply(update, context, "⚠️ " + context._(error.reason_msgid), expects_text=True)
        return None
    if link is None and not 2 <= len(text) <= 120:
        await reply(update, context, context._("Paste the supplier's 1688 link, or type their name (up to 120 characters)."), expects_text=True)
        return None
    name = views.supplier_name_for_link(link, context._) if link else text
    supplier, created = await add_supplier(
        context.db, context.me, name=name, offer_id=link.offer_id if link else None, shop=link.shop if link else None, url=link.url if link else None
    )
    draft = await _save(context, draft, supplier_id=supplier.id)
    _ = context._
    note = _("Added supplier {name}.", name=supplier.name) if created else _("That is {name}, already in your suppliers.", name=supplier.name)
    return await _ask(update, context, _next_step(draft), draft, note="🏭 " + note)


async def supplier_button(update: Update, context: BotContext) -> int | None:
    query = update.callback_query
    draft = await _draft(context)
    choice = query.data.removeprefix("inq:sup:")
    supplier_id = None
    if choice != "none":
        supplier = await get_supplier(context.db, context.me.workspace_id, int(choice)) if choice.isdigit() else None
        if supplier is None:
            await query.answer(context._("That button is no longer valid."))
            return None
        supplier_id = supplier.id
    await query.answer()
    if draft is None:
        return await _begin(update, context)
    draft = await _save(context, draft, supplier_id=supplier_id)
    if supplier_id is None and not draft.product:
        return await _ask(update, context, PRODUCT, draft)
    return await _advance(update, context, draft)


async def product_text(update: Update, context: BotContext) -> int | None:
    return await _text_step(update, context, lambda text: {"product": clean_product(text)})


async def quantity_text(update: Update, context: BotContext) -> int | None:
    def fields(text: str) -> dict[str, object]:
        quantity, unit = parse_quantity(text)
        return {"quantity": quantity, "unit": unit}

    return await _text_step(update, context, fields)


async def _text_step(update: Update, context: BotContext, parse) -> int | None:  # type: ignore[no-untyped-def]
    """A typed answer: `parse` turns it into draft fields or raises InputError, and the step is asked again."""
    draft = await _draft(context)
    if draft is None:
        return await _begin(update, context)
    try:
        fields = parse(update.effective_message.text)  # type: ignore[union-attr]
    except InputError as error:
        await reply(update, context, _error(context, error), expects_text=True)
        return None
    draft = await _save(context, draft, **fields)
    return await _advance(update, context, draft)


async def destination_text(update: Update, context: BotContext) -> int | None:
    _ = context._
    translated = {country.code: _(country.name) for country in COUNTRIES}
    try:
        code = parse_country(update.effective_message.text, translated).code  # type: ignore[union-attr, arg-type]
    except InputError as error:
        await reply(update, context, _error(context, error), expects_text=in_group(update))
        return None
    return await _set_with_default(update, context, "destination_country", code)


async def currency_text(update: Update, context: BotContext) -> int | None:
    try:
        code = parse_currency(update.effective_message.text)  # type: ignore[union-attr, arg-type]
    except InputError as error:
        await reply(update, context, _error(context, error))
        return None
    return await _set_with_default(update, context, "currency", code)


CHOICES = {"dst": ("destination_country", COUNTRY_BY_CODE), "cur": ("currency", CURRENCIES)}


async def choice_button(update: Update, context: BotContext) -> int | None:
    """inq:dst:SG or inq:cur:SGD, checked against the known values."""
    query = update.callback_query
    _prefix, kind, value = (query.data or "").split(":", 2)
    field, known = CHOICES.get(kind, (None, ()))
    if field is None or value not in known:
        await query.answer(context._("That button is no longer valid."))
        return None
    await query.answer()
    return await _set_with_default(update, context, field, value)


async def _set_with_default(update: Update, context: BotContext, field: str, value: str) -> int:
    """Destination and currency are workspace settings too: the first answers become the defaults."""
    draft = await _draft(context)
    if draft is None:
        return await _begin(update, context)
    workspace = await service.get_workspace(context.db, context.me.workspace_id)
    if getattr(workspace, field) is None:
        await service.update_workspace(context.db, context.me.workspace_id, **{field: value})
    draft = await _save(context, draft, **{field: value})
    return await _advance(update, context, draft)


async def toggle_question(update: Update, context: BotContext) -> int | None:
    query = update.callback_query
    draft = await _draft(context)
    if draft is None:
        await query.answer(context._("That button is no longer valid."))
        return ConversationHandler.END
    key = query.data.removeprefix("inq:q:")
    customs = {q.id for q in await service.custom_questions(context.db, context.me.workspace_id)}
    if checklist.validate_keys([key], customs) != [key]:
        await query.answer(context._("That button is no longer valid."))
        return None
    draft = await _save(context, draft, questions=checklist.toggle(draft.questions, key))
    await query.answer()
    await edit(context, query.message, update.effective_chat.id, await _checklist_text(context, draft), buttons=await _checklist_buttons(context, draft))  # type: ignore[union-attr]
    return None


async def checklist_done(update: Update, context: BotContext) -> int | None:
    query = update.callback_query
    draft = await _draft(context)
    if draft is None:
        await query.answer(context._("That button is no longer valid."))
        return ConversationHandler.END
    if not draft.questions:
        await query.answer(context._("Tick at least one question."), show_alert=True)
        return None
    await query.answer()
    with_markup_removed = query.message
    await edit(context, with_markup_removed, update.effective_chat.id, await _checklist_text(context, draft))  # type: ignore[union-attr]
    if checklist.CERTIFICATIONS in draft.questions:
        return await _ask(update, context, CERTIFICATES, draft)
    return await _after_certificates(update, context, draft)


async def _after_certificates(update: Update, context: BotContext, draft: Inquiry) -> int:
    workspace = await service.get_workspace(context.db, context.me.workspace_id)
    if checklist.FORWARDER_SHIPPING in draft.questions and not workspace.forwarder_address:
        return await _ask(update, context, FORWARDER, draft)
    return await _ask(update, context, SUMMARY, draft)


async def toggle_certificate(update: Update, context: BotContext) -> int | None:
    query = update.callback_query
    draft = await _draft(context)
    code = (query.data or "").removeprefix("inq:cert:")  # type: ignore[union-attr]
    if draft is None or (code not in COMMON_CERTIFICATIONS and code not in draft.certifications_needed):
        await query.answer(context._("That button is no longer valid."))  # type: ignore[union-attr]
        return None
    try:
        chosen = (
            [other for other in draft.certifications_needed if other != code]
            if code in draft.certifications_needed
            else with_certifications(draft.certifications_needed, [code])
        )
    except InputError as error:
        await query.answer(context._(error.msgid, **error.params), show_alert=True)  # type: ignore[union-attr]
        return None
    draft = await _save(context, draft, certifications_needed=chosen)
    await query.answer()  # type: ignore[union-attr]
    text, buttons = _certificates_prompt(context._, draft)
    await edit(context, query.message, update.effective_chat.id, text, buttons=buttons)  # type: ignore[union-attr]
    return None


async def certificates_text(update: Update, context: BotContext) -> int | None:
    draft = await _draft(context)
    if draft is None:
        return ConversationHandler.END
    try:
        typed = parse_certifications(update.effective_message.text or "")  # type: ignore[union-attr]
        chosen = with_certifications(draft.certifications_needed, typed)
    except InputError as error:
        await reply(update, context, _error(context, error), expects_text=True)
        return None
    draft = await _save(context, draft, certifications_needed=chosen)
    return await _ask(update, context, CERTIFICATES, draft)


async def certificates_done(update: Update, context: BotContext) -> int:
    await update.callback_query.answer()  # type: ignore[union-attr]
    draft = await _draft(context)
    if draft is None:
        return ConversationHandler.END
    await remove_buttons(context, update.callback_query.message)  # type: ignore[union-attr]
    return await _after_certificates(update, context, draft)


async def forwarder_address_text(update: Update, context: BotContext) -> int | None:
    """The forwarder's address, asked once when the buyer asks about shipping to it, kept in /settings."""
    try:
        address = parse_address(update.effective_message.text or "")  # type: ignore[union-attr]
    except InputError as error:
        await reply(update, context, _error(context, error), expects_text=True)
        return None
    await service.update_workspace(context.db, context.me.workspace_id, forwarder_address=address)
    draft = await _draft(context)
    if draft is None:
        return ConversationHandler.END
    return await _ask(update, context, SUMMARY, draft, note=context._("Saved the forwarder address; change it any time in /settings."))


async def skip_forwarder_address(update: Update, context: BotContext) -> int:
    await update.callback_query.answer()  # type: ignore[union-attr]
    draft = await _draft(context)
    if draft is None:
        return ConversationHandler.END
    return await _ask(update, context, SUMMARY, draft)


async def ask_own_question(update: Update, context: BotContext) -> int:
    await update.callback_query.answer()
    await reply(
        update,
        context,
        context._("Type your question in your own words; I will put it into Chinese. For example: <i>Can you print our logo on the box?</i>"),
        expects_text=True,
    )
    return OWN_QUESTION


async def own_question_text(update: Update, context: BotContext) -> int | None:
    _ = context._
    text = " ".join(update.effective_message.text.split())  # type: ignore[union-attr]
    if not 3 <= len(text) <= MAX_OWN_QUESTION:
        await reply(update, context, _("Please keep the question between 3 and {limit} characters.", limit=MAX_OWN_QUESTION), expects_text=True)
        return None
    draft = await _draft(context)
    if draft is None:
        return await _begin(update, context)
    async with typing(context, update.effective_chat.id):  # type: ignore[union-attr]
        chinese = await context.services.translator.to_chinese(text, "auto", workspace_id=context.me.workspace_id)
    question = await service.add_custom_question(context.db, context.me, text, chinese.text if chinese.ok else None)
    draft = await _save(context, draft, questions=checklist.toggle(draft.questions, f"custom:{question.id}"))
    if chinese.ok:
        note = _("Added. In Chinese: {zh}", zh=chinese.text)
    else:
        note = _("Added. Translation is unavailable right now, so the message will carry your words as they are.")
    return await _ask(update, context, CHECKLIST, draft, note=note)


async def edit_field(update: Update, context: BotContext) -> int | None:
    query = update.callback_query
    field = query.data.removeprefix("inq:edit:")
    steps = {name: step for step, name in STEP_FIELDS.items()}
    draft = await _draft(context)
    if field not in steps or draft is None:
        await query.answer(context._("That button is no longer valid."))
        return None
    await query.answer()
    return await _ask(update, context, steps[field], draft)


async def write_message(update: Update, context: BotContext) -> int:
    query = update.callback_query
    draft = await _draft(context)
    if draft is None:
        await query.answer(context._("That button is no longer valid."))
        return ConversationHandler.END
    await query.answer()
    async with typing(context, context.me.chat_id):
        rendered = await messages.render_for_inquiry(context.db, context.services.translator, draft, "inquiry", context.me.language)
    inquiry = await service.update_inquiry(context.db, context.me, draft.id, status=InquiryStatus.READY, message_zh=rendered.zh)
    assert inquiry is not None
    text = views.supplier_message(
        context._, rendered.zh, rendered.lines, N_("Copy this message to the supplier in WeChat or Aliwangwang:")
    )
    await reply(update, context, text, [[Button(context._("✅ I sent it"), f"inq:sent:{inquiry.id}")]])
    return ConversationHandler.END


async def mark_sent(update: Update, context: BotContext) -> None:
    query = update.callback_query
    inquiry_id = query.data.removeprefix("inq:sent:")
    inquiry = (
        await service.mark_sent(
            context.db, context.me, int(inquiry_id), context.services.clock.now(), context.services.settings.follow_up_hours
        )
        if inquiry_id.isdigit()
        else None
    )
    if inquiry is None:
        await query.answer(context._("That button is no longer valid."))
        return
    await query.answer()
    set_active_inquiry(context, inquiry.id)
    workspace = await service.get_workspace(context.db, context.me.workspace_id)
    hours = workspace.follow_up_hours or context.services.settings.follow_up_hours
    await remove_buttons(context, query.message)
    await reply(
        update,
        context,
        context._(
            "Waiting for the supplier's reply. When it comes, paste it here and I will translate it and pick out "
            "the facts. If nothing comes, I will remind you in {hours} hours with a follow-up message.",
            hours=f"{hours:g}",
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
    _ = context._
    summaries = await service.open_inquiries(context.db, context.me.workspace_id)
    draft = await service.current_draft(context.db, context.me)
    draft_line = (
        _("📝 Your unfinished draft: {product}. Send /inquiry to continue it.", product=draft.product or "—")
        if draft
        else None
    )
    if not summaries:
        await reply(update, context, draft_line or _("No open inquiries. Start one with /inquiry."))
        return
    lines = [_("<b>Open inquiries</b>, the one waiting longest first:")]
    buttons = []
    for number, summary in enumerate(summaries[:20], start=1):
        lines.append(
            _(
                "{number}. {product} — {supplier}: {answered} of {total} answered ({status})",
                number=number,
                product=summary.inquiry.product or "—",
                supplier=summary.supplier_name or _("no supplier"),
                answered=summary.answered,
                total=summary.total,
                status=_(views.STATUS_LABELS[InquiryStatus(summary.inquiry.status)]),
            )
        )
        buttons.append(Button(str(number), f"inq:view:{summary.inquiry.id}"))
    if draft_line:
        lines += ["", draft_line]
    await reply(update, context, "\n".join(lines), grid(buttons, 5))


def handlers() -> list:
    text = TYPED_TEXT
    checklist_buttons = [
        CallbackQueryHandler(toggle_question, pattern=r"^inq:q:"),
        CallbackQueryHandler(ask_own_question, pattern=r"^inq:addq$"),
        CallbackQueryHandler(checklist_done, pattern=r"^inq:qdone$"),
    ]
    conversation = Flow(
        "inquiry",
        entry_points=[CommandHandler("inquiry", start_inquiry), CallbackQueryHandler(start_for_supplier, pattern=r"^inq:new:")],
        states={
            RESUME: [CallbackQueryHandler(resume_choice, pattern=r"^inq:(resume|restart)$")],
            SUPPLIER: [MessageHandler(text, supplier_text), CallbackQueryHandler(supplier_button, pattern=r"^inq:sup:")],
            PRODUCT: [MessageHandler(text, product_text)],
            QUANTITY: [MessageHandler(text, quantity_text)],
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
