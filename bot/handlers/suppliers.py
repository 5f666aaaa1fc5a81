"""/supplier adds a supplier from a 1688 link or a name; /suppliers lists them; the card shows one.

Adding goes one tap at a time, every step skippable: seller type (→ commission for an agent) → contacts →
the trust signals read off the shop page → the card. The card's edit buttons run one part of the same
steps again. Each answer is one service call; the conversation position and the supplier being filled in are
stored with the reply, so a restart mid-way continues at the same step. Every supplier id that comes back
from a button is looked up in the actor's workspace.
"""

from __future__ import annotations

import re
from typing import Any

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
)

from bot.context import BotContext
from bot.domain.suppliers import Badge, LinkError, SellerType, parse_1688_link, trust_question
from bot.handlers.common import TYPED_TEXT, need_text_fallback, no_longer_valid, recall, remember, reply
from bot.handlers.flows import Flow
from bot.handlers.start import help_command
from bot.i18n import N_
from bot.services import suppliers as service
from bot.services.suppliers import SupplierView
from bot.telegram_io import Button, edit
from bot.views import common as common_views
from bot.views import suppliers as views
from bot.views.suppliers import CONTACT_STEPS, TRUST_STEPS

(LINK, NAME, SELLER_TYPE, COMMISSION, CONTACT, TRUST, BADGES) = range(7)
PER_PAGE = 10
MAX_NAME = 120
FLOW = "supplier_flow"  # memo: {"id": supplier id, "section": ..., "step": ...}
# The steps each part of the card runs; "add" is the whole walk after the link.
SECTIONS: dict[str, tuple[str, ...]] = {
    "add": ("seller_type", "commission", *CONTACT_STEPS, *TRUST_STEPS),
    "name": ("name",),
    "type": ("seller_type", "commission"),
    "contacts": CONTACT_STEPS,
    "trust": TRUST_STEPS,
}
STATE_OF_STEP = {"name": NAME, "seller_type": SELLER_TYPE, "commission": COMMISSION, "badges": BADGES}
SKIP_WORDS = {"skip", "-", "—"}


def _flow(context: BotContext) -> dict[str, Any] | None:
    return recall(context, FLOW)


def _applies(step: str, supplier: SupplierView) -> bool:
    """Steps that only make sense after another answer: an agent's commission, the industry average."""
    if step == "commission":
        return supplier.seller_type is SellerType.AGENT
    if step == "tx_industry_avg":
        return supplier.trust.tx_90d is not None
    return True


async def _show(update: Update, context: BotContext, html: str, buttons: list[list[Button]], *, expects_text: bool = False) -> None:
    """After a button press the question replaces the message that was answered, keeping the chat short;
    after typed text it comes as a new message."""
    query = update.callback_query
    if query is not None and query.message is not None:
        await edit(context, query.message, context.me.chat_id, html, buttons=buttons)
    else:
        await reply(update, context, html, buttons, expects_text=expects_text)


async def _ask(update: Update, context: BotContext, supplier: SupplierView, step: str, intro: str = "") -> int:
    """Show a step's question (after `intro`, if any) and return its conversation state."""
    remember(context, FLOW, {**(_flow(context) or {}), "id": supplier.id, "step": step})
    text, buttons, expects_text = views.step_prompt(context._, supplier, step, intro)
    if step == "name":
        await reply(update, context, text, expects_text=True)
    else:
        await _show(update, context, text, buttons, expects_text=expects_text)
    return STATE_OF_STEP.get(step, CONTACT if step in CONTACT_STEPS else TRUST)


async def _advance(update: Update, context: BotContext, supplier: SupplierView | None) -> int:
    """Ask the next step of the section, or show the finished card."""
    if supplier is None:
        return await _gone(update, context)
    flow = _flow(context) or {}
    steps = SECTIONS.get(flow.get("section", ""), ())
    step = flow.get("step")
    following = steps[steps.index(step) + 1 :] if step in steps else ()
    for candidate in following:
        if _applies(candidate, supplier):
            return await _ask(update, context, supplier, candidate)
    remember(context, FLOW, None)
    text, buttons = views.card(context._, supplier)
    await _show(update, context, "✅ " + context._("Saved.") + "\n\n" + text, buttons)
    return ConversationHandler.END


async def _flow_supplier(context: BotContext) -> SupplierView | None:
    """The supplier this user is filling in here."""
    flow = _flow(context)
    return await service.get_supplier(context.db, context.me, flow["id"]) if flow else None


def _is_skip(context: BotContext, text: str) -> bool:
    word = text.strip().casefold()
    return word in SKIP_WORDS or word == context._("skip").casefold()


def _typed(update: Update) -> str:
    return update.effective_message.text or ""  # type: ignore[union-attr]


# ---------------------------------------------------------------------------
# Handlers
# ---------------------------------------------------------------------------


async def start_add(update: Update, context: BotContext) -> int:
    """`/supplier` asks for the link; `/supplier <link or name>` takes it at once."""
    parts = _typed(update).split(None, 1)
    if len(parts) == 2:
        return await _add_from_text(update, context, parts[1])
    remember(context, FLOW, None)
    await reply(
        update,
        context,
        context._("<b>New supplier</b>\nPaste the supplier's 1688 link (a product or their shop), or type their name."),
        expects_text=True,
    )
    return LINK


async def link_text(update: Update, context: BotContext) -> int:
    return await _add_from_text(update, context, _typed(update))


async def _add_from_text(update: Update, context: BotContext, text: str) -> int:
    _ = context._
    try:
        link = parse_1688_link(text)
    except LinkError as error:
        again = _("Paste another 1688 link, or type the supplier's name.")
        await reply(update, context, "⚠️ " + _(error.reason_msgid) + "\n" + again, expects_text=True)
        return LINK
    name = " ".join(text.split())
    if link is not None:
        name = common_views.supplier_name_for_link(link, _)
    elif not 2 <= len(name) <= MAX_NAME:
        await reply(
            update, context, _("Paste the supplier's 1688 link, or type their name (2 to {limit} characters).", limit=MAX_NAME), expects_text=True
        )
        return LINK
    added = await service.add_supplier(context.db, context.me, name, link)
    if not added.created:
        remember(context, FLOW, None)
        text, buttons = views.card(_, added.supplier)
        await reply(update, context, _("{name} is already in your suppliers.", name=added.supplier.name) + "\n\n" + text, buttons)
        return ConversationHandler.END
    remember(context, FLOW, {"id": added.supplier.id, "section": "add", "step": None})
    intro = _("🏭 Added <b>{name}</b>. A few quick questions; skip any you cannot answer.", name=added.supplier.name)
    return await _ask(update, context, added.supplier, "seller_type", intro=intro + "\n\n")


async def start_edit(update: Update, context: BotContext) -> int | None:
    """A card's ✏️ button: run that part of the steps again."""
    query = update.callback_query
    match = re.fullmatch(r"sup:edit:(name|type|contacts|trust):(\d{1,12})", query.data or "")  # type: ignore[union-attr]
    supplier = await service.get_supplier(context.db, context.me, int(match.group(2))) if match else None
    if supplier is None:
        await no_longer_valid(update, context)
        return None
    await query.answer()  # type: ignore[union-attr]
    section = match.group(1)  # type: ignore[union-attr]
    remember(context, FLOW, {"id": supplier.id, "section": section, "step": None})
    return await _ask(update, context, supplier, SECTIONS[section][0])


async def step_button(update: Update, context: BotContext) -> int | None:
    """Any answer button of a step: valid only for this user's current supplier and step."""
    query = update.callback_query
    flow = _flow(context)
    match = re.fullmatch(r"sup:a:(\d{1,12}):(\w{1,20}):([\w.+-]{1,24})", query.data or "")  # type: ignore[union-attr]
    if flow is None or match is None or int(match.group(1)) != flow["id"] or match.group(2) != flow["step"]:
        await no_longer_valid(update, context)
        return None
    supplier_id, step, value = flow["id"], match.group(2), match.group(3)
    saved: SupplierView | None
    if value == "skip":
        saved = await service.get_supplier(context.db, context.me, supplier_id)
    elif step == "seller_type" and value in {kind.value for kind in SellerType}:
        saved = await service.set_seller_type(context.db, context.me, supplier_id, SellerType(value))
    elif step == "commission" and value in views.COMMISSION_PICKS:
        saved = await service.update_supplier(context.db, context.me, supplier_id, agent_commission_pct=service.parse_commission(value))
    elif step == "badges":
        return await _badge(update, context, supplier_id, value)
    elif (question := trust_question(step)) is not None and question.parse is not None and (parsed := question.parse(value)) is not None:
        saved = await service.set_trust_signal(context.db, context.me, supplier_id, step, parsed)
    else:
        await no_longer_valid(update, context)
        return None
    await query.answer()  # type: ignore[union-attr]
    return await _advance(update, context, saved)


async def seller_type_text(update: Update, context: BotContext) -> int | None:
    _ = context._
    text = _typed(update).strip().casefold()
    flow = _flow(context) or {}
    if _is_skip(context, text):
        return await _advance(update, context, await _flow_supplier(context))
    for kind, button_label in views.SELLER_TYPE_BUTTONS.items():
        if text in {kind.value, kind.label.casefold(), _(kind.label).casefold(), _(button_label).casefold()}:
            return await _advance(update, context, await service.set_seller_type(context.db, context.me, flow.get("id", 0), kind))
    await use_buttons(update, context)
    return None


async def commission_text(update: Update, context: BotContext) -> int | None:
    text = _typed(update)
    if _is_skip(context, text):
        return await _advance(update, context, await _flow_supplier(context))
    percent = service.parse_commission(text)
    if percent is None:
        await reply(
            update,
            context,
            context._(
                "A commission is more than 0% and at most {limit}%; agents typically charge 1-3%. "
                "Type a number like <code>2</code> or <code>2.5%</code>, or skip.",
                limit=int(service.MAX_COMMISSION_PCT),
            ),
            expects_text=True,
        )
        return None
    return await _save(update, context, agent_commission_pct=percent)


async def contact_text(update: Update, context: BotContext) -> int | None:
    step = (_flow(context) or {}).get("step")
    text = _typed(update)
    if step not in CONTACT_STEPS or _is_skip(context, text):
        return await _advance(update, context, await _flow_supplier(context))
    value = service.clean_contact(step, text)
    if value is None:
        await reply(update, context, context._(views.CONTACT_ERRORS[step]), expects_text=True)
        return None
    return await _save(update, context, **{step: value})


async def name_text(update: Update, context: BotContext) -> int | None:
    text = _typed(update)
    if _is_skip(context, text):
        return await _advance(update, context, await _flow_supplier(context))
    name = " ".join(text.split())
    if not 2 <= len(name) <= MAX_NAME:
        await reply(update, context, context._("A name is 2 to {limit} characters. Type it again.", limit=MAX_NAME), expects_text=True)
        return None
    return await _save(update, context, name=name)


async def _save(update: Update, context: BotContext, **fields: Any) -> int:
    flow = _flow(context) or {}
    return await _advance(update, context, await service.update_supplier(context.db, context.me, flow.get("id", 0), **fields))


async def _gone(update: Update, context: BotContext) -> int:
    remember(context, FLOW, None)
    await reply(update, context, context._("That supplier is no longer here. See /suppliers, or add one with /supplier."))
    return ConversationHandler.END


async def trust_text(update: Update, context: BotContext) -> int | None:
    step = (_flow(context) or {}).get("step", "")
    question = trust_question(step)
    text = _typed(update)
    if question is None or question.parse is None or _is_skip(context, text):
        return await _advance(update, context, await _flow_supplier(context))
    parsed = question.parse(text)
    if parsed is None:
        await reply(update, context, context._(views.TRUST_ERRORS[question.kind]), expects_text=True)
        return None
    flow = _flow(context) or {}
    return await _advance(update, context, await service.set_trust_signal(context.db, context.me, flow.get("id", 0), step, parsed))


async def _badge(update: Update, context: BotContext, supplier_id: int, value: str) -> int | None:
    """+badge ticks, -badge unticks, done moves on (Done with nothing ticked is an answer: no badges)."""
    query = update.callback_query
    if value == "done":
        supplier = await service.get_supplier(context.db, context.me, supplier_id)
        if supplier is not None and supplier.trust.badges is None:
            supplier = await service.set_trust_signal(context.db, context.me, supplier_id, "badges", [])
        await query.answer()  # type: ignore[union-attr]
        return await _advance(update, context, supplier)
    badge = next((badge for badge in Badge if badge.value == value[1:]), None)
    saved = await service.set_badge(context.db, context.me, supplier_id, badge, value[0] == "+") if badge else None
    if saved is None:
        await no_longer_valid(update, context)
        return None
    await query.answer()  # type: ignore[union-attr]
    await _ask(update, context, saved, "badges")
    return None


async def use_buttons(update: Update, context: BotContext) -> None:
    await reply(update, context, context._("Please use the buttons above, or type skip."))


async def badges_text(update: Update, context: BotContext) -> int | None:
    if _is_skip(context, _typed(update)):
        return await _advance(update, context, await _flow_supplier(context))
    await use_buttons(update, context)
    return None


async def cancel(update: Update, context: BotContext) -> int:
    _ = context._
    supplier = await _flow_supplier(context)
    remember(context, FLOW, None)
    if supplier is not None:
        await reply(update, context, _("Stopped. {name} is kept with what you entered so far; see /suppliers.", name=supplier.name))
    else:
        await reply(update, context, _("Stopped. No supplier was added."))
    return ConversationHandler.END


# ---------------------------------------------------------------------------
# Outside the steps: the list, the card, archiving
# ---------------------------------------------------------------------------


async def list_command(update: Update, context: BotContext) -> None:
    found = await service.suppliers_page(context.db, context.me, archived=False, page=0, per_page=PER_PAGE)
    await reply(update, context, *views.supplier_list(context._, found, archived=False))


async def list_page(update: Update, context: BotContext) -> None:
    query = update.callback_query
    match = re.fullmatch(r"sup:list:([01]):(\d{1,4})", query.data or "")  # type: ignore[union-attr]
    if match is None:
        await no_longer_valid(update, context)
        return
    await query.answer()  # type: ignore[union-attr]
    archived = match.group(1) == "1"
    found = await service.suppliers_page(context.db, context.me, archived=archived, page=int(match.group(2)), per_page=PER_PAGE)
    text, buttons = views.supplier_list(context._, found, archived=archived)
    await edit(context, query.message, context.me.chat_id, text, buttons=buttons)  # type: ignore[union-attr]


async def view_card(update: Update, context: BotContext) -> None:
    query = update.callback_query
    match = re.fullmatch(r"sup:view:(\d{1,12})", query.data or "")  # type: ignore[union-attr]
    supplier = await service.get_supplier(context.db, context.me, int(match.group(1))) if match else None
    if supplier is None:
        await no_longer_valid(update, context)
        return
    await query.answer()  # type: ignore[union-attr]
    text, buttons = views.card(context._, supplier)
    await edit(context, query.message, context.me.chat_id, text, buttons=buttons)  # type: ignore[union-attr]


async def archive(update: Update, context: BotContext) -> None:
    query = update.callback_query
    match = re.fullmatch(r"sup:(arch|unarch):(\d{1,12})", query.data or "")  # type: ignore[union-attr]
    supplier = (
        await service.set_archived(context.db, context.me, int(match.group(2)), match.group(1) == "arch") if match else None
    )
    if supplier is None:
        await no_longer_valid(update, context)
        return
    await query.answer(context._("Archived.") if supplier.archived else context._("Back in your suppliers."))  # type: ignore[union-attr]
    text, buttons = views.card(context._, supplier)
    await edit(context, query.message, context.me.chat_id, text, buttons=buttons)  # type: ignore[union-attr]


def handlers() -> list:
    text = TYPED_TEXT
    answer = CallbackQueryHandler(step_button, pattern=r"^sup:a:")
    conversation = Flow(
        "supplier",
        entry_points=[CommandHandler("supplier", start_add), CallbackQueryHandler(start_edit, pattern=r"^sup:edit:")],
        states={
            LINK: [MessageHandler(text, link_text)],
            NAME: [MessageHandler(text, name_text)],
            SELLER_TYPE: [answer, MessageHandler(text, seller_type_text)],
            COMMISSION: [answer, MessageHandler(text, commission_text)],
            CONTACT: [answer, MessageHandler(text, contact_text)],
            TRUST: [answer, MessageHandler(text, trust_text)],
            BADGES: [answer, MessageHandler(text, badges_text)],
        },
        fallbacks=[
            CommandHandler("cancel", cancel),
            CommandHandler("help", help_command),
            need_text_fallback(),
        ],
        stopped=N_("Stopped adding the supplier. What you entered is kept; see /suppliers."),
    )
    return [
        conversation,
        CommandHandler("suppliers", list_command),
        CallbackQueryHandler(list_page, pattern=r"^sup:list:"),
        CallbackQueryHandler(view_card, pattern=r"^sup:view:"),
        CallbackQueryHandler(archive, pattern=r"^sup:(arch|unarch):"),
    ]
