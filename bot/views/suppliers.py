"""Suppliers on screen: the card with its trust score and reasons, the list, and each step's question."""

from __future__ import annotations

from bot.domain.suppliers import TRUST_QUESTIONS, AnswerKind, Badge, SellerType, TrustQuestion, trust_question, trust_score
from bot.i18n import N_, Translator
from bot.services.suppliers import SupplierPage, SupplierView
from bot.telegram_io import Button, escape, grid

CONTACT_STEPS = ("wechat", "aliwangwang", "phone")
TRUST_STEPS = tuple(question.key for question in TRUST_QUESTIONS)
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


def number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _score_line(_: Translator, supplier: SupplierView) -> str:
    report = trust_score(supplier.trust)
    if not report.contributions:
        return _("trust not checked yet")
    return _("trust {score}/100", score=report.score)


def card(_: Translator, supplier: SupplierView) -> tuple[str, list[list[Button]]]:
    """The supplier card: who they are, how to reach them, and the trust score with its reasons."""
    lines = [_("🏭 <b>{name}</b>", name=supplier.name)]
    if supplier.archived:
        lines.append(_("🗄 Archived: hidden from /suppliers and /inquiry."))
    if supplier.url:
        lines.append(escape(supplier.url))
    seller_type = supplier.seller_type
    if seller_type is None:
        lines.append(_("Seller type: not set"))
    else:
        lines.append(_("Seller type: {type}\n<i>{hint}</i>", type=_(seller_type.label), hint=_(seller_type.hint)))
        if seller_type is SellerType.AGENT and supplier.agent_commission_pct is not None:
            lines.append(_("Commission: {percent}%", percent=number(float(supplier.agent_commission_pct))))
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

    report = trust_score(supplier.trust)
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
            Button(_("♻️ Unarchive"), f"sup:unarch:{sid}") if supplier.archived else Button(_("🗄 Archive"), f"sup:arch:{sid}"),
            Button(_("◀ All suppliers"), f"sup:list:{int(supplier.archived)}:0"),
        ],
    ]
    return "\n".join(lines), buttons


def supplier_list(_: Translator, found: SupplierPage, *, archived: bool) -> tuple[str, list[list[Button]]]:
    if archived:
        header = _("<b>Archived suppliers</b> ({count})", count=found.archived_count)
    else:
        header = _("<b>Your suppliers</b> ({count}), newest first", count=found.current_count)
    lines = [header]
    if not found.suppliers:
        lines.append(_("None archived.") if archived else _("None yet. Send /supplier with a 1688 link or a name to add one."))
    numbers = []
    for position, supplier in enumerate(found.suppliers, start=found.first_number):
        lines.append(
            _(
                "{number}. <b>{name}</b> · {type} · {score}",
                number=position,
                name=supplier.name[:60],
                type=_(supplier.seller_type.label) if supplier.seller_type else _("type not set"),
                score=_score_line(_, supplier),
            )
        )
        numbers.append(Button(str(position), f"sup:view:{supplier.id}"))
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


def answer_button(supplier: SupplierView, step: str, value: str, label: str) -> Button:
    return Button(label, f"sup:a:{supplier.id}:{step}:{value}")


def _skip(_: Translator, supplier: SupplierView, step: str) -> Button:
    return answer_button(supplier, step, "skip", _("Skip ⏭"))


def _badge_rows(_: Translator, supplier: SupplierView) -> list[list[Button]]:
    chosen = supplier.trust.badges or frozenset()
    rows = [
        [
            answer_button(
                supplier,
                "badges",
                ("-" if badge in chosen else "+") + badge.value,
                ("✅ " if badge in chosen else "⬜ ") + _(badge.label),
            )
        ]
        for badge in Badge
    ]
    rows.append([answer_button(supplier, "badges", "done", _("Done ✔")), _skip(_, supplier, "badges")])
    return rows


def choice_label(question: TrustQuestion, choice: float | Badge) -> str:
    assert not isinstance(choice, Badge)
    label = number(choice)
    return f"{label}%" if question.kind is AnswerKind.PERCENT else label


def _current(supplier: SupplierView, step: str) -> str | None:
    """The answer already given for a step, shown when editing."""
    if step in CONTACT_STEPS:
        return getattr(supplier, step)  # type: ignore[no-any-return]
    if step == "commission" and supplier.agent_commission_pct is not None:
        return f"{number(float(supplier.agent_commission_pct))}%"
    question = trust_question(step)
    value = getattr(supplier.trust, step, None)
    if question is None or question.kind is AnswerKind.BADGES or value is None:
        return None  # ticked badges show on their buttons
    return choice_label(question, float(value))


def step_prompt(_: Translator, supplier: SupplierView, step: str, intro: str = "") -> tuple[str, list[list[Button]], bool]:
    """A step's question (after `intro`), its buttons, and whether it expects typed text."""
    now = _current(supplier, step)
    suffix = "\n" + _("Now: {value}", value=now) if now else ""
    if step == "name":
        return _("<b>Name</b>\nType the new name for {name}.", name=supplier.name), [], True
    if step == "seller_type":
        hints = "\n".join(f"• <b>{escape(_(kind.label))}</b>: {escape(_(kind.hint))}" for kind in SellerType)
        text = intro + _("<b>Seller type</b>\nWhat kind of seller is {name}?", name=supplier.name) + "\n" + hints
        buttons = [[answer_button(supplier, step, kind.value, _(label))] for kind, label in SELLER_TYPE_BUTTONS.items()]
        return text, [*buttons, [_skip(_, supplier, step)]], False
    if step == "commission":
        text = _(
            "<b>Commission</b>\nWhat commission does this agent charge, in percent? Agents typically charge 1-3%. "
            "Pick one or type it, like <code>2.5%</code>."
        )
        picks = [answer_button(supplier, step, value, f"{value}%") for value in COMMISSION_PICKS]
        return text + suffix, [picks, [_skip(_, supplier, step)]], True
    if step in CONTACT_STEPS:
        return _(CONTACT_PROMPTS[step]) + suffix, [[_skip(_, supplier, step)]], True
    question = trust_question(step)
    assert question is not None
    header = _(
        "<b>Trust signals</b> ({number}/{total}), from the supplier's 1688 shop page",
        number=TRUST_STEPS.index(step) + 1,
        total=len(TRUST_STEPS),
    )
    if question.kind is AnswerKind.BADGES:
        return header + "\n" + _(question.prompt_msgid), _badge_rows(_, supplier), False
    text = header + "\n" + _(question.prompt_msgid) + "\n" + _(TRUST_EXAMPLES[step]) + suffix
    picks = [answer_button(supplier, step, str(choice), choice_label(question, choice)) for choice in question.choices]
    return text, [*grid(picks, 3), [_skip(_, supplier, step)]], True
