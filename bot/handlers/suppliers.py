"""/supplier adds a supplier from a 1688 link or a name; /suppliers lists them; the card shows one.

Adding goes one tap at a time, every step skippable: seller type (→ commission for an agent) → contacts →
the trust signals read off the shop page → the card. The card's edit buttons run one part of the same
steps again. Each answer is written to the supplier row before the reply, and the conversation position and
the supplier being filled in are persisted, so a restart mid-way continues at the same step. Every supplier
id that comes back from a button is looked up in the actor's workspace.
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
from bot.db.models import Supplier
from bot.domain.suppliers import (
    TRUST_QUESTIONS,
    AnswerKind,
    Badge,
    LinkError,
    SellerType,
    TrustQuestion,
    TrustSignals,
    parse_1688_link,
    trust_question,
    trust_score,
)
from bot.handlers import views
from bot.handlers.common import TYPED_TEXT, need_text_fallback, recall, remember, reply
from bot.handlers.flows import Flow
from bot.handlers.start import help_command
from bot.i18n import N_, Translator
from bot.services import suppliers as service
from bot.telegram_io import Button, edit, escape, grid

(LINK, NAME, SELLER_TYPE, COMMISSION, CONTACT, TRUST, BADGES) = range(7)
PER_PAGE = 10
MAX_NAME = 120
FLOW = "supplier_flow"  # chat_data: user id -> {"id": supplier id, "section": ..., "step": ...}

CONTACT_STEPS = ("wechat", "aliwangwang", "phone")
TRUST_STEPS = tuple(question.key for question in TRUST_QUESTIONS)
# The steps each part of the card runs; "add" is the whole walk after the link.
SECTIONS: dict[str, tuple[str, ...]] = {
    "add": ("seller_type", "commission", *CONTACT_STEPS, *TRUST_STEPS),
    "name": ("name",),
    "type": ("seller_type", "commission"),
    "contacts": CONTACT_STEPS,
    "trust": TRUST_STEPS,
}
SELLER_TYPE_BUTTONS = {
    SellerType.WHOLESALER: N_("Wholesaler"),
    SellerType.BRAND: N_("Brand owner or distributor"),
    SellerType.FACTORY: N_("Factory (usually higher MOQ)"),
    SellerType.AGENT: N_("Sourcing agent"),
}
COMMISSION_PICKS = ("1", "2", "3")
CONTACT_PROMPTS = {
    "wechat": N_("<b>Contacts</b> (1/3)\nThe supplier's WeChat ID? Type it, or skip."),
    "aliwangwang": N_("<b>Contacts</b> (2/3)\nTheir Aliwangwang (阿里旺旺) name? Type it, or skip."),
    "phone": N_("<b>Contacts</b> (3/3)\nTheir phone number? Type it with the country code, like <code>+86 138 0000 0000</code>, or skip."),
}
CONTACT_ERRORS = {
    "wechat": N_("A WeChat ID is 2 to 64 characters. Type it again, or skip."),
    "aliwangwang": N_("An Aliwangwang name is 2 to 64 characters. Type it again, or skip."),
    "phone": N_("That does not look like a phone number: use digits, spaces, + and -. Type it again, or skip."),
}
TRUST_EXAMPLES = {
    "years_on_1688": N_("Pick one or type it, like <code>3</code> or <code>6 months</code>."),
    "response_rate": N_("Pick one or type it, like <code>95%</code>."),
    "return_rate": N_("Pick one or type it, like <code>25%</code>."),
    "rating": N_("Pick one or type it, like <code>4.8</code>."),
    "tx_90d": N_("Pick one or type it, like <code>1,200</code> or <code>1.2万</code>."),
    "tx_industry_avg": N_("Pick one or type it, like <code>800</code>."),
}
TRUST_ERRORS = {
    AnswerKind.NUMBER: N_("I could not read a number there. Type one, like <code>3</code>, or skip."),
    AnswerKind.PERCENT: N_("Type a percentage from 0 to 100, like <code>95%</code>, or skip."),
    AnswerKind.RATING: N_("Type a rating from 0 to 5, like <code>4.8</code>, or skip."),
}
SKIP_WORDS = {"skip", "-", "—"}


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------


def _number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _seller_type(supplier: Supplier) -> SellerType | None:
    try:
        return SellerType(supplier.seller_type) if supplier.seller_type else None
    except ValueError:
        return None


def _score_line(_: Translator, supplier: Supplier) -> str:
    report = trust_score(TrustSignals.from_dict(supplier.trust or {}))
    if not report.contributions:
        return _("trust not checked yet")
    return _("trust {score}/100", score=report.score)


def card(_: Translator, supplier: Supplier) -> tuple[str, list[list[Button]]]:
    """The supplier card: who they are, how to reach them, and the trust score with its reasons."""
    lines = [_("🏭 <b>{name}</b>", name=supplier.name)]
    if supplier.archived:
        lines.append(_("🗄 Archived: hidden from /suppliers and /inquiry."))
    if supplier.url:
        lines.append(escape(supplier.url))
    seller_type = _seller_type(supplier)
    if seller_type is None:
        lines.append(_("Seller type: not set"))
    else:
        lines.append(_("Seller type: {type}\n<i>{hint}</i>", type=_(seller_type.label), hint=_(seller_type.hint)))
        if seller_type is SellerType.AGENT and supplier.agent_commission_pct is not None:
            lines.append(_("Commission: {percent}%", percent=_number(float(supplier.agent_commission_pct))))
    contacts = [
        _(label, value=value)
        for label, value in (
            (N_("WeChat: {value}"), supplier.wechat),
            (N_("Aliwangwang: {value}"), supplier.aliwangwang),
            (N_("Phone: {value}"), supplier.phone),
        )
        if value
    ]
    lines.extend(contacts or [_("Contacts: none yet")])

    report = trust_score(TrustSignals.from_dict(supplier.trust or {}))
    lines += ["", _("<b>Trust score: {score} / 100</b>", score=report.score)]
    for contribution in report.contributions:
        lines.append(
            _(
                "• {signal} — {points} of {max} points",
                signal=_(contribution.signal_msgid, **contribution.params),
                points=contribution.points,
                max=contribution.max_points,
            )
        )
    lines += ["⚠️ " + _(note.msgid, **note.params) for note in report.warnings]
    lines += [_("❔ {signal}: unknown", signal=_(signal)) for signal in report.unknown]
    if report.unknown:
        lines.append(_("<i>Unknown signals add no points, so a low score can simply mean not checked yet.</i>"))
    sid = supplier.id
    buttons = [
        *([[Button(_("✉️ Ask this supplier"), f"inq:new:{sid}")]] if not supplier.archived else []),
        [Button(_("✏️ Name"), f"sup:edit:name:{sid}"), Button(_("✏️ Seller type"), f"sup:edit:type:{sid}")],
        [Button(_("✏️ Contacts"), f"sup:edit:contacts:{sid}"), Button(_("✏️ Trust signals"), f"sup:edit:trust:{sid}")],
        [
            Button(_("♻️ Unarchive"), f"sup:unarch:{sid}")
            if supplier.archived
            else Button(_("🗄 Archive"), f"sup:arch:{sid}"),
            Button(_("◀ All suppliers"), f"sup:list:{int(supplier.archived)}:0"),
        ],
    ]
    return "\n".join(lines), buttons


async def supplier_list(context: BotContext, *, archived: bool, page: int) -> tuple[str, list[list[Button]]]:
    _ = context._
    found = await service.suppliers_page(
        context.db, context.me.workspace_id, archived=archived, page=page, per_page=PER_PAGE
    )
    if archived:
        header = _("<b>Archived suppliers</b> ({count})", count=found.archived_count)
    else:
        header = _("<b>Your suppliers</b> ({count}), newest first", count=found.current_count)
    lines = [header]
    if not found.suppliers:
        lines.append(
            _("None archived.") if archived else _("None yet. Send /supplier with a 1688 link or a name to add one.")
        )
    numbers = []
    for number, supplier in enumerate(found.suppliers, start=found.first_number):
        seller_type = _seller_type(supplier)
        lines.append(
            _(
                "{number}. <b>{name}</b> · {type} · {score}",
                number=number,
                name=supplier.name[:60],
                type=_(seller_type.label) if seller_type else _("type not set"),
                score=_score_line(_, supplier),
            )
        )
        numbers.append(Button(str(number), f"sup:view:{supplier.id}"))
    if found.pages > 1:
        lines.append(_("Page {page} of {pages}", page=found.page + 1, pages=found.pages))
    if found.suppliers:
        lines.append(_("Tap a number to open the supplier's card."))
    buttons = grid(numbers, 5)
    flag = int(archived)
    paging = []
    if found.page > 0:
        paging.append(Button("◀", f"sup:list:{flag}:{found.page - 1}"))
    if found.page < found.pages - 1:
        paging.append(Button("▶", f"sup:list:{flag}:{found.page + 1}"))
    if paging:
        buttons.append(paging)
    if archived:
        buttons.append([Button(_("◀ Current suppliers"), "sup:list:0:0")])
    elif found.archived_count:
        buttons.append([Button(_("🗄 Show archived ({count})", count=found.archived_count), "sup:list:1:0")])
    return "\n".join(lines), buttons


# ---------------------------------------------------------------------------
# The steps
# ---------------------------------------------------------------------------


def _flow(context: BotContext) -> dict[str, Any] | None:
    return recall(context, FLOW)


def _set_flow(context: BotContext, flow: dict[str, Any] | None) -> None:
    remember(context, FLOW, flow)


def _applies(step: str, supplier: Supplier) -> bool:
    """Steps that only make sense after another answer: an agent's commission, the industry average."""
    if step == "commission":
        return supplier.seller_type == SellerType.AGENT.value
    if step == "tx_industry_avg":
        return (supplier.trust or {}).get("tx_90d") is not None
    return True


def _button(supplier: Supplier, step: str, value: str, label: str) -> Button:
    return Button(label, f"sup:a:{supplier.id}:{step}:{value}")


def _skip(_: Translator, supplier: Supplier, step: str) -> Button:
    return _button(supplier, step, "skip", _("Skip ⏭"))


def _badge_rows(_: Translator, supplier: Supplier) -> list[list[Button]]:
    chosen = set((supplier.trust or {}).get("badges") or [])
    rows = [
        [_button(supplier, "badges", badge.value, ("✅ " if badge.value in chosen else "⬜ ") + _(badge.label))]
        for badge in Badge
    ]
    rows.append([_button(supplier, "badges", "done", _("Done ✔")), _skip(_, supplier, "badges")])
    return rows


def _current(supplier: Supplier, step: str) -> str | None:
    """The answer already given for a step, shown when editing."""
    if step in CONTACT_STEPS:
        return getattr(supplier, step)
    if step == "commission" and supplier.agent_commission_pct is not None:
        return f"{_number(float(supplier.agent_commission_pct))}%"
    question = trust_question(step)
    value = (supplier.trust or {}).get(step)
    if question is None or question.kind is AnswerKind.BADGES or value is None:
        return None  # ticked badges show on their buttons
    return _choice_label(question, float(value))


async def _show(update: Update, context: BotContext, html: str, buttons: list[list[Button]], *, expects_text: bool = False) -> None:
    """After a button press the question replaces the message that was answered, keeping the chat short;
    after typed text it comes as a new message."""
    query = update.callback_query
    if query is not None and query.message is not None:
        await edit(context, query.message, update.effective_chat.id, html, buttons=buttons)  # type: ignore[union-attr]
    else:
        await reply(update, context, html, buttons, expects_text=expects_text)


async def _ask(update: Update, context: BotContext, supplier: Supplier, step: str, intro: str = "") -> int:
    """Show a step's question (after `intro`, if any) and return its conversation state."""
    _ = context._
    _set_flow(context, {**(_flow(context) or {}), "id": supplier.id, "step": step})
    now = _current(supplier, step)
    suffix = "\n" + _("Now: {value}", value=now) if now else ""
    if step == "name":
        await reply(update, context, _("<b>Name</b>\nType the new name for {name}.", name=supplier.name), expects_text=True)
        return NAME
    if step == "seller_type":
        hints = "\n".join(f"• <b>{escape(_(kind.label))}</b>: {escape(_(kind.hint))}" for kind in SellerType)
        text = intro + _("<b>Seller type</b>\nWhat kind of seller is {name}?", name=supplier.name) + "\n" + hints
        buttons = [[_button(supplier, step, kind.value, _(label))] for kind, label in SELLER_TYPE_BUTTONS.items()]
        await _show(update, context, text, [*buttons, [_skip(_, supplier, step)]])
        return SELLER_TYPE
    if step == "commission":
        text = _(
            "<b>Commission</b>\nWhat commission does this agent charge, in percent? Agents typically charge 1-3%. "
            "Pick one or type it, like <code>2.5%</code>."
        )
        picks = [_button(supplier, step, value, f"{value}%") for value in COMMISSION_PICKS]
        await _show(update, context, text + suffix, [picks, [_skip(_, supplier, step)]], expects_text=True)
        return COMMISSION
    if step in CONTACT_STEPS:
        await _show(update, context, _(CONTACT_PROMPTS[step]) + suffix, [[_skip(_, supplier, step)]], expects_text=True)
        return CONTACT
    question = trust_question(step)
    assert question is not None
    number = TRUST_STEPS.index(step) + 1
    header = _("<b>Trust signals</b> ({number}/{total}), from the supplier's 1688 shop page", number=number, total=len(TRUST_STEPS))
    if question.kind is AnswerKind.BADGES:
        await _show(update, context, header + "\n" + _(question.prompt_msgid), _badge_rows(_, supplier))
        return BADGES
    text = header + "\n" + _(question.prompt_msgid) + "\n" + _(TRUST_EXAMPLES[step]) + suffix
    picks = [_button(supplier, step, str(choice), _choice_label(question, choice)) for choice in question.choices]
    await _show(update, context, text, [*grid(picks, 3), [_skip(_, supplier, step)]], expects_text=True)
    return TRUST


def _choice_label(question: TrustQuestion, choice: float | Badge) -> str:
    assert not isinstance(choice, Badge)
    label = _number(choice)
    return f"{label}%" if question.kind is AnswerKind.PERCENT else label


async def _advance(update: Update, context: BotContext, supplier: Supplier) -> int:
    """Ask the next step of the section, or show the finished card."""
    flow = _flow(context) or {}
    steps = SECTIONS.get(flow.get("section", ""), ())
    step = flow.get("step")
    following = steps[steps.index(step) + 1 :] if step in steps else ()
    for candidate in following:
        if _applies(candidate, supplier):
            return await _ask(update, context, supplier, candidate)
    _set_flow(context, None)
    text, buttons = card(context._, supplier)
    await _show(update, context, "✅ " + context._("Saved.") + "\n\n" + text, buttons)
    return ConversationHandler.END


async def _flow_supplier(update: Update, context: BotContext) -> Supplier | None:
    """The supplier this user is filling in here; None (and they are told) when it is gone."""
    flow = _flow(context)
    supplier = await service.get_supplier(context.db, context.me.workspace_id, flow["id"]) if flow else None
    if supplier is None:
        await _gone(update, context)
    return supplier


def _is_skip(context: BotContext, text: str) -> bool:
    word = text.strip().casefold()
    return word in SKIP_WORDS or word == context._("skip").casefold()


# ---------------------------------------------------------------------------
# Handlers
# ---------------------------------------------------------------------------


async def start_add(update: Update, context: BotContext) -> int:
    """`/supplier` asks for the link; `/supplier <link or name>` takes it at once."""
    parts = (update.effective_message.text or "").split(None, 1)  # type: ignore[union-attr]
    if len(parts) == 2:
        return await _add_from_text(update, context, parts[1])
    _set_flow(context, None)
    await reply(
        update,
        context,
        context._("<b>New supplier</b>\nPaste the supplier's 1688 link (a product or their shop), or type their name."),
        expects_text=True,
    )
    return LINK


async def link_text(update: Update, context: BotContext) -> int:
    return await _add_from_text(update, context, update.effective_message.text or "")  # type: ignore[union-attr]


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
        name = views.supplier_name_for_link(link, _)
    elif not 2 <= len(name) <= MAX_NAME:
        await reply(
            update, context, _("Paste the supplier's 1688 link, or type their name (2 to {limit} characters).", limit=MAX_NAME), expects_text=True
        )
        return LINK
    supplier, created = await service.add_supplier(
        context.db,
        context.me,
        name=name,
        offer_id=link.offer_id if link else None,
        shop=link.shop if link else None,
        url=link.url if link else None,
    )
    if not created:
        _set_flow(context, None)
        text, buttons = card(_, supplier)
        await reply(update, context, _("{name} is already in your suppliers.", name=supplier.name) + "\n\n" + text, buttons)
        return ConversationHandler.END
    _set_flow(context, {"id": supplier.id, "section": "add", "step": None})
    intro = _("🏭 Added <b>{name}</b>. A few quick questions; skip any you cannot answer.", name=supplier.name)
    return await _ask(update, context, supplier, "seller_type", intro=intro + "\n\n")


async def start_edit(update: Update, context: BotContext) -> int | None:
    """A card's ✏️ button: run that part of the steps again."""
    query = update.callback_query
    match = re.fullmatch(r"sup:edit:(name|type|contacts|trust):(\d{1,12})", query.data or "")
    supplier = await service.get_supplier(context.db, context.me.workspace_id, int(match.group(2))) if match else None
    if supplier is None:
        await query.answer(context._("That button is no longer valid."))
        return None
    await query.answer()
    section = match.group(1)  # type: ignore[union-attr]
    _set_flow(context, {"id": supplier.id, "section": section, "step": None})
    return await _ask(update, context, supplier, SECTIONS[section][0])


async def step_button(update: Update, context: BotContext) -> int | None:
    """Any answer button of a step: valid only for this user's current supplier and step."""
    query = update.callback_query
    flow = _flow(context)
    match = re.fullmatch(r"sup:a:(\d{1,12}):(\w{1,20}):([\w.]{1,20})", query.data or "")
    if flow is None or match is None or int(match.group(1)) != flow["id"] or match.group(2) != flow["step"]:
        await query.answer(context._("That button is no longer valid."))
        return None
    supplier = await service.get_supplier(context.db, context.me.workspace_id, flow["id"])
    if supplier is None:
        await query.answer(context._("That button is no longer valid."))
        _set_flow(context, None)
        return ConversationHandler.END
    step, value = match.group(2), match.group(3)
    if value == "skip":
        await query.answer()
        return await _advance(update, context, supplier)
    if step == "seller_type":
        return await _seller_type_chosen(update, context, supplier, value)
    if step == "commission":
        return await _commission(update, context, supplier, value)
    if step == "badges":
        return await _badge(update, context, supplier, value)
    return await _trust_answer(update, context, supplier, step, value)


async def _seller_type_chosen(update: Update, context: BotContext, supplier: Supplier, value: str) -> int | None:
    query = update.callback_query
    if value not in {kind.value for kind in SellerType}:
        await query.answer(context._("That button is no longer valid."))
        return None
    await query.answer()
    return await _save_seller_type(update, context, supplier, SellerType(value))


async def _save_seller_type(update: Update, context: BotContext, supplier: Supplier, kind: SellerType) -> int:
    # A commission only belongs to an agent; any other type drops it.
    commission = supplier.agent_commission_pct if kind is SellerType.AGENT else None
    saved = await service.update_supplier(
        context.db, context.me.workspace_id, supplier.id, seller_type=kind.value, agent_commission_pct=commission
    )
    if saved is None:
        return await _gone(update, context)
    return await _advance(update, context, saved)


async def seller_type_text(update: Update, context: BotContext) -> int | None:
    _ = context._
    supplier = await _flow_supplier(update, context)
    if supplier is None:
        return ConversationHandler.END
    text = (update.effective_message.text or "").strip().casefold()  # type: ignore[union-attr]
    if _is_skip(context, text):
        return await _advance(update, context, supplier)
    for kind, button_label in SELLER_TYPE_BUTTONS.items():
        if text in {kind.value, kind.label.casefold(), _(kind.label).casefold(), _(button_label).casefold()}:
            return await _save_seller_type(update, context, supplier, kind)
    await use_buttons(update, context)
    return None


async def _commission(update: Update, context: BotContext, supplier: Supplier, value: str) -> int | None:
    query = update.callback_query
    percent = service.parse_commission(value) if value in COMMISSION_PICKS else None
    if percent is None:
        await query.answer(context._("That button is no longer valid."))
        return None
    await query.answer()
    return await _save(update, context, supplier, agent_commission_pct=percent)


async def commission_text(update: Update, context: BotContext) -> int | None:
    supplier = await _flow_supplier(update, context)
    if supplier is None:
        return ConversationHandler.END
    text = update.effective_message.text or ""  # type: ignore[union-attr]
    if _is_skip(context, text):
        return await _advance(update, context, supplier)
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
    return await _save(update, context, supplier, agent_commission_pct=percent)


async def contact_text(update: Update, context: BotContext) -> int | None:
    supplier = await _flow_supplier(update, context)
    if supplier is None:
        return ConversationHandler.END
    step = (_flow(context) or {}).get("step")
    text = update.effective_message.text or ""  # type: ignore[union-attr]
    if step not in CONTACT_STEPS or _is_skip(context, text):
        return await _advance(update, context, supplier)
    value = service.clean_contact(step, text)
    if value is None:
        await reply(update, context, context._(CONTACT_ERRORS[step]), expects_text=True)
        return None
    return await _save(update, context, supplier, **{step: value})


async def name_text(update: Update, context: BotContext) -> int | None:
    supplier = await _flow_supplier(update, context)
    if supplier is None:
        return ConversationHandler.END
    text = update.effective_message.text or ""  # type: ignore[union-attr]
    if _is_skip(context, text):
        return await _advance(update, context, supplier)
    name = " ".join(text.split())
    if not 2 <= len(name) <= MAX_NAME:
        await reply(update, context, context._("A name is 2 to {limit} characters. Type it again.", limit=MAX_NAME), expects_text=True)
        return None
    return await _save(update, context, supplier, name=name)


async def _save(update: Update, context: BotContext, supplier: Supplier, **fields: Any) -> int:
    saved = await service.update_supplier(context.db, context.me.workspace_id, supplier.id, **fields)
    if saved is None:
        return await _gone(update, context)
    return await _advance(update, context, saved)


async def _gone(update: Update, context: BotContext) -> int:
    _set_flow(context, None)
    await reply(update, context, context._("That supplier is no longer here. See /suppliers, or add one with /supplier."))
    return ConversationHandler.END


async def _trust_answer(update: Update, context: BotContext, supplier: Supplier, step: str, value: str) -> int | None:
    query = update.callback_query
    question = trust_question(step)
    parsed = question.parse(value) if question is not None and question.parse is not None else None
    if parsed is None:
        await query.answer(context._("That button is no longer valid."))
        return None
    await query.answer()
    return await _save_signal(update, context, supplier, step, parsed)


async def trust_text(update: Update, context: BotContext) -> int | None:
    supplier = await _flow_supplier(update, context)
    if supplier is None:
        return ConversationHandler.END
    step = (_flow(context) or {}).get("step", "")
    question = trust_question(step)
    text = update.effective_message.text or ""  # type: ignore[union-attr]
    if question is None or question.parse is None or _is_skip(context, text):
        return await _advance(update, context, supplier)
    parsed = question.parse(text)
    if parsed is None:
        await reply(update, context, context._(TRUST_ERRORS[question.kind]), expects_text=True)
        return None
    return await _save_signal(update, context, supplier, step, parsed)


async def _save_signal(update: Update, context: BotContext, supplier: Supplier, step: str, value: float) -> int:
    saved = await service.set_trust_signal(context.db, context.me.workspace_id, supplier.id, step, value)
    if saved is None:
        return await _gone(update, context)
    return await _advance(update, context, saved)


async def _badge(update: Update, context: BotContext, supplier: Supplier, value: str) -> int | None:
    query = update.callback_query
    if value == "done":
        await query.answer()
        if (supplier.trust or {}).get("badges") is None:
            # Done with nothing ticked is an answer: the shop shows no badges.
            saved = await service.set_trust_signal(context.db, context.me.workspace_id, supplier.id, "badges", [])
            if saved is None:
                return await _gone(update, context)
            supplier = saved
        return await _advance(update, context, supplier)
    badge = next((badge for badge in Badge if badge.value == value), None)
    saved = await service.toggle_badge(context.db, context.me.workspace_id, supplier.id, badge) if badge else None
    if saved is None:
        await query.answer(context._("That button is no longer valid."))
        return None
    await query.answer()
    await _ask(update, context, saved, "badges")
    return None


async def use_buttons(update: Update, context: BotContext) -> None:
    await reply(update, context, context._("Please use the buttons above, or type skip."))


async def badges_text(update: Update, context: BotContext) -> int | None:
    supplier = await _flow_supplier(update, context)
    if supplier is None:
        return ConversationHandler.END
    if _is_skip(context, update.effective_message.text or ""):  # type: ignore[union-attr]
        return await _advance(update, context, supplier)
    await use_buttons(update, context)
    return None



async def cancel(update: Update, context: BotContext) -> int:
    _ = context._
    flow = _flow(context)
    supplier = await service.get_supplier(context.db, context.me.workspace_id, flow["id"]) if flow else None
    _set_flow(context, None)
    if supplier is not None:
        await reply(update, context, _("Stopped. {name} is kept with what you entered so far; see /suppliers.", name=supplier.name))
    else:
        await reply(update, context, _("Stopped. No supplier was added."))
    return ConversationHandler.END


# ---------------------------------------------------------------------------
# Outside the steps: the list, the card, archiving
# ---------------------------------------------------------------------------


async def list_command(update: Update, context: BotContext) -> None:
    text, buttons = await supplier_list(context, archived=False, page=0)
    await reply(update, context, text, buttons)


async def list_page(update: Update, context: BotContext) -> None:
    query = update.callback_query
    match = re.fullmatch(r"sup:list:([01]):(\d{1,4})", query.data or "")
    if match is None:
        await query.answer(context._("That button is no longer valid."))
        return
    await query.answer()
    text, buttons = await supplier_list(context, archived=match.group(1) == "1", page=int(match.group(2)))
    await edit(context, query.message, update.effective_chat.id, text, buttons=buttons)  # type: ignore[union-attr]


async def view_card(update: Update, context: BotContext) -> None:
    query = update.callback_query
    match = re.fullmatch(r"sup:view:(\d{1,12})", query.data or "")
    supplier = await service.get_supplier(context.db, context.me.workspace_id, int(match.group(1))) if match else None
    if supplier is None:
        await query.answer(context._("That button is no longer valid."))
        return
    await query.answer()
    text, buttons = card(context._, supplier)
    await edit(context, query.message, update.effective_chat.id, text, buttons=buttons)  # type: ignore[union-attr]


async def archive(update: Update, context: BotContext) -> None:
    query = update.callback_query
    match = re.fullmatch(r"sup:(arch|unarch):(\d{1,12})", query.data or "")
    supplier = (
        await service.update_supplier(context.db, context.me.workspace_id, int(match.group(2)), archived=match.group(1) == "arch")
        if match
        else None
    )
    if supplier is None:
        await query.answer(context._("That button is no longer valid."))
        return
    await query.answer(context._("Archived.") if supplier.archived else context._("Back in your suppliers."))
    text, buttons = card(context._, supplier)
    await edit(context, query.message, update.effective_chat.id, text, buttons=buttons)  # type: ignore[union-attr]


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
