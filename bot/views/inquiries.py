"""Inquiries on screen: each step's question while writing one, the summary, the list of open ones, an
inquiry's card with its answers, its progress and next steps, and the reminder when a supplier is silent."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain import checklist
from bot.domain.answers import DealBreaker, Flag
from bot.domain.inquiries import COMMON_CERTIFICATIONS, COUNTRIES, COUNTRY_BY_CODE, OPEN_STATUSES, InquiryStatus
from bot.i18n import N_, Markup, Translator
from bot.services.inquiries import Draft, InquiryCard, OpenInquiries
from bot.services.results import InquiryView
from bot.telegram_io import Button, escape, grid
from bot.views.common import STATUS_LABELS, describe_fact, flag_text, quantity_text, question_label

(RESUME, SUPPLIER, PRODUCT, QUANTITY, DESTINATION, CURRENCY, CHECKLIST, OWN_QUESTION, SUMMARY, FORWARDER, CERTIFICATES) = range(11)
GROUP_REPLY_HINT = N_("<i>To type an answer in this group, reply to this message.</i>")


def name_of(_: Translator, inquiry: InquiryView) -> str:
    return inquiry.product or _("inquiry #{id}", id=inquiry.id)


def next_step(inquiry: InquiryView) -> int:
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


def step_prompt(_: Translator, step: int, draft: Draft, *, group: bool) -> tuple[str, list[list[Button]], bool]:
    """A step's question, its buttons, and whether it waits for typed text (a force-reply in a group)."""
    inquiry, settings = draft.inquiry, draft.settings
    buttons: list[list[Button]] = []
    expects_text = False
    if step == SUPPLIER:
        buttons = [[Button(f"🏭 {s.name[:40]}", f"inq:sup:{s.id}")] for s in draft.suppliers]
        buttons.append([Button(_("Skip: no supplier yet"), "inq:sup:none")])
        if draft.suppliers:
            text = _("<b>New inquiry</b> (1/6)\nWhich supplier? Paste their 1688 link, type their name, or pick one:")
        else:
            text = _("<b>New inquiry</b> (1/6)\nWhich supplier? Paste their 1688 link or type their name.")
        expects_text = group
    elif step == PRODUCT:
        text = _("<b>Product</b> (2/6)\nWhat product? A few words, its 1688 link, and the variant (colour, size, model) if it matters.")
        expects_text = True
    elif step == QUANTITY:
        text = _("<b>Quantity</b> (3/6)\nHow many do you want? For example <code>500</code> or <code>1,000 pcs</code>.")
        expects_text = True
    elif step == DESTINATION:
        codes = [c.code for c in COUNTRIES[:10]]
        default = settings.destination_country
        if default in codes:
            codes.remove(default)
        if default:
            codes.insert(0, default)
        buttons = grid([Button(_(COUNTRY_BY_CODE[code].name), f"inq:dst:{code}") for code in codes], 3)
        text = _("<b>Destination</b> (4/6)\nWhere will the goods go? Pick a country or type its name.")
        expects_text = group
    elif step == CURRENCY:
        country = COUNTRY_BY_CODE.get(inquiry.destination_country or "")
        preferred = [code for code in (settings.currency, country.currency if country else None, "USD", "CNY") if code]
        codes = list(dict.fromkeys(preferred + ["SGD", "AUD", "NZD", "HKD", "MYR"]))[:8]
        text = _("<b>Currency</b> (5/6)\nWhich currency do you want to compare prices in?")
        buttons = grid([Button(code, f"inq:cur:{code}") for code in codes], 4)
    elif step == CHECKLIST:
        text, buttons = checklist_prompt(_, draft)
    elif step == CERTIFICATES:
        text, buttons = certificates_prompt(_, inquiry)
        expects_text = group
    elif step == FORWARDER:
        text = _(
            "<b>Forwarder</b>\nYou ask about shipping to your freight forwarder in China. Send the address of its "
            "warehouse (in Chinese, as the forwarder gave it) and I put it in the message; I keep it for next time."
        )
        buttons = [[Button(_("Skip ⏭"), "inq:fwd:skip")]]
        expects_text = group
    else:
        text, buttons = summary(_, draft)
    if expects_text and buttons:
        # A keyboard and a force-reply cannot share a message; with privacy mode on, the bot only sees replies.
        text += "\n" + _(GROUP_REPLY_HINT)
    return text, buttons, expects_text and not buttons


def own_question_prompt(_: Translator) -> str:
    return _("Type your question in your own words; I will put it into Chinese. For example: <i>Can you print our logo on the box?</i>")


def checklist_prompt(_: Translator, draft: Draft, *, closed: bool = False) -> tuple[str, list[list[Button]]]:
    """The questions to tick; `closed` once Done was pressed (the list stays, without its buttons)."""
    chosen = set(draft.inquiry.questions)
    text = _(
        "<b>Questions</b> (6/6)\nTap to tick or untick what to ask the supplier ({count} chosen). "
        "Add your own question if something is missing, then press Done.",
        count=len(chosen),
    )
    if closed:
        return text, []

    def toggle(key: str, label: str) -> list[Button]:
        ticked = key in chosen
        return [Button(("✅ " if ticked else "⬜ ") + label, f"inq:q:{int(not ticked)}:{key}")]

    rows = [toggle(q.key, _(q.label_msgid)) for q in checklist.BUILTIN_QUESTIONS]
    rows += [
        toggle(question.key, question.text[:50])
        for question in draft.settings.questions
        if question.shared or question.key in chosen
    ]
    rows.append([Button(_("➕ Add my own question"), "inq:addq"), Button(_("Done ✔"), "inq:qdone")])
    return text, rows


def certificates_prompt(_: Translator, inquiry: InquiryView) -> tuple[str, list[list[Button]]]:
    text = _(
        "<b>Certificates</b>\nWhich certificates does your market need? Tick them or type others (like "
        "<code>SIRIM, PSB</code>), then press Done. With none ticked I ask which certificates the product has."
    )
    chosen = set(inquiry.certifications_needed)
    codes = list(dict.fromkeys([*COMMON_CERTIFICATIONS, *inquiry.certifications_needed]))
    buttons = grid(
        [Button(("✅ " if code in chosen else "") + code, f"inq:cert:{int(code not in chosen)}:{code}") for code in codes], 4
    )
    return text, [*buttons, [Button(_("Done ✔"), "inq:certdone")]]


def summary(_: Translator, draft: Draft) -> tuple[str, list[list[Button]]]:
    inquiry = draft.inquiry
    country = COUNTRY_BY_CODE.get(inquiry.destination_country or "")
    texts = draft.settings.question_texts()
    labels = [question_label(key, texts, _) for key in inquiry.questions]
    text = _(
        "<b>Your inquiry</b>\n"
        "Supplier: {supplier}\nProduct: {product}\nQuantity: {quantity}\nDestination: {destination}\n"
        "Currency: {currency}\nQuestions ({count}):\n{questions}",
        supplier=inquiry.supplier_name or _("not chosen yet"),
        product=inquiry.product or "—",
        quantity=quantity_text(inquiry, _),
        destination=_(country.name) if country else "—",
        currency=inquiry.currency or "—",
        count=len(inquiry.questions),
        questions=Markup("\n".join(f"• {escape(label)}" for label in labels) or "—"),
    )
    if checklist.CERTIFICATIONS in inquiry.questions and inquiry.certifications_needed:
        text += "\n" + _("Certificates to ask about: {codes}", codes=", ".join(inquiry.certifications_needed))
    if checklist.FORWARDER_SHIPPING in inquiry.questions:
        text += "\n" + _(
            "Forwarder address: {address} (change it in /settings)", address=inquiry.forwarder_address or _("not set")
        )
    text += "\n\n" + _("Change anything with the buttons, or write the message.")
    buttons = [
        [Button(_("Supplier"), "inq:edit:supplier"), Button(_("Product"), "inq:edit:product"), Button(_("Quantity"), "inq:edit:quantity")],
        [Button(_("Destination"), "inq:edit:destination"), Button(_("Currency"), "inq:edit:currency"), Button(_("Questions"), "inq:edit:questions")],
        [Button(_("✍️ Write the message"), "inq:write")],
    ]
    return text, buttons


def resume_prompt(_: Translator, draft: Draft) -> tuple[str, list[list[Button]]]:
    return (
        _("You have an unfinished inquiry ({product}). Continue it or start over?", product=draft.inquiry.product or _("no product yet")),
        [[Button(_("Continue"), "inq:resume"), Button(_("Start over"), "inq:restart")]],
    )


def open_list(_: Translator, found: OpenInquiries) -> tuple[str, list[list[Button]]]:
    draft_line = (
        _("📝 Your unfinished draft: {product}. Send /inquiry to continue it.", product=found.draft.product or "—")
        if found.draft
        else None
    )
    closed_row = [[Button(_("🗄 Closed inquiries ({count})", count=found.closed), "inq:closed")]] if found.closed else []
    if not found.summaries:
        return draft_line or _("No open inquiries. Start one with /inquiry."), closed_row
    lines = [_("<b>Open inquiries</b>, the one waiting longest first:")]
    buttons = []
    for number, summary_ in enumerate(found.summaries[:20], start=1):
        line = _(
            "{number}. {product} — {supplier}: {answered} of {total} answered ({status})",
            number=number,
            product=summary_.inquiry.product or "—",
            supplier=summary_.inquiry.supplier_name or _("no supplier"),
            answered=summary_.answered,
            total=summary_.total,
            status=status_label(_, summary_.inquiry, summary_.answered, summary_.waiting),
        )
        if summary_.waiting:
            line += " " + _("· {count} to check ✓", count=summary_.waiting)
        lines.append(line)
        buttons.append(Button(str(number), f"inq:view:{summary_.inquiry.id}"))
    if draft_line:
        lines += ["", draft_line]
    return "\n".join(lines), grid(buttons, 5) + closed_row


def status_label(_: Translator, inquiry: InquiryView, answered: int, waiting: int) -> str:
    """Where an inquiry stands, following its replies: a reply in with answers to check is no longer "waiting"."""
    if inquiry.status == InquiryStatus.AWAITING_REPLY and waiting:
        return _("reply in, answers to check")
    if inquiry.status == InquiryStatus.AWAITING_REPLY and answered:
        return _("partly answered")
    return _(STATUS_LABELS[inquiry.status])


def waiting_note(_: Translator, inquiry: InquiryView, waiting: Sequence[str]) -> str:
    """The questions left out of a follow-up because their answers wait for the buyer's ✓."""
    if not waiting:
        return ""
    numbers = ", ".join(str(inquiry.questions.index(key) + 1) for key in waiting if key in inquiry.questions)
    return _("Not asked again: the supplier answered {numbers}; those answers wait for your ✓.", numbers=numbers)


def closed_list(_: Translator, inquiries: list[InquiryView]) -> tuple[str, list[list[Button]]]:
    if not inquiries:
        return _("No closed inquiries."), []
    lines = [_("<b>Closed inquiries</b>, the latest first (open one to see its answers or reopen it):")]
    buttons = []
    for number, inquiry in enumerate(inquiries, start=1):
        label = f"{name_of(_, inquiry)} — {inquiry.supplier_name or _('no supplier')}"
        lines.append(f"{number}. {escape(label)}")
        buttons.append(Button(str(number), f"inq:view:{inquiry.id}"))
    return "\n".join(lines), grid(buttons, 5)


def close_question(_: Translator, inquiry: InquiryView) -> tuple[str, list[list[Button]]]:
    text = _(
        "Close {product}? Its answers are kept, reminders stop, and you can reopen it from /inquiries.",
        product=name_of(_, inquiry),
    )
    return text, [[Button(_("🗄 Yes, close it"), f"inq:closey:{inquiry.id}"), Button(_("Keep it open"), f"inq:view:{inquiry.id}")]]


def progress_view(
    _: Translator, inquiry: InquiryView, progress: checklist.Progress, flags: Sequence[Flag] = (), waiting: int = 0
) -> tuple[str, list[list[Button]]]:
    """How far the inquiry is and what to do next; deal-breakers change the next steps."""
    text = _("{answered} of {total} answered.", answered=progress.answered, total=progress.total)
    if waiting:
        text += " " + _("{count} found answers wait for your ✓.", count=waiting)
    if progress.open_keys:
        return text, [[Button(_("✍️ Draft the follow-up"), f"inq:fu:{inquiry.id}")]]
    text += " " + _("Everything you asked is answered. Next step?")
    kinds = {flag.kind for flag in flags}
    buttons = []
    if DealBreaker.NO_EXPORT in kinds:
        # A sample asked to be sent abroad would be refused: it goes to a forwarder in China, like the order.
        text += "\n" + _("They don't ship abroad: give them your forwarder's address in China (/settings) for samples and the order.")
    else:
        buttons.append([Button(_("🧪 Order a sample"), f"ord:smp:{inquiry.id}")])
    buttons += [
        [Button(_("💬 Negotiate the price"), f"inq:neg:{inquiry.id}")],
        [Button(_("📋 Show all answers"), f"inq:view:{inquiry.id}")],
    ]
    return text, buttons


def card(_: Translator, found: InquiryCard) -> tuple[str, list[list[Button]]]:
    """An inquiry with each question answered or open, and what to do next."""
    inquiry = found.inquiry
    lines = [
        _(
            "<b>{product}</b> — {supplier}\n{quantity} · {status}",
            product=name_of(_, inquiry),
            supplier=inquiry.supplier_name or _("no supplier"),
            quantity=quantity_text(inquiry, _),
            status=status_label(_, inquiry, found.progress.answered, found.waiting),
        )
    ]
    lines += [flag_text(flag, inquiry, _) for flag in found.flags]
    for number, key in enumerate(inquiry.questions, start=1):
        label = question_label(key, found.question_texts, _)
        recorded = found.recorded.get(key)
        if recorded:
            lines.append(f"✅ {number}. {escape(label)}: " + "; ".join(describe_fact(answer.fact, _) for answer in recorded))
        else:
            lines.append(f"❔ {number}. {escape(label)}")
    buttons: list[list[Button]] = []
    if inquiry.status in OPEN_STATUSES:
        lines.append("\n" + _("Paste the supplier's replies here and I will record them against this inquiry."))
        progress_text, progress_buttons = progress_view(_, inquiry, found.progress, found.flags, found.waiting)
        lines.append(progress_text)
        if found.waiting:
            buttons.append([Button(_("☑️ Check the {count} answers waiting", count=found.waiting), f"inq:wait:{inquiry.id}")])
        buttons += [row for row in progress_buttons if not (row[0].data or "").startswith("inq:view:")]
        buttons += [
            [Button("✍️ " + question_label(key, found.question_texts, _)[:40], f"inq:recq:{inquiry.id}:{key}")]
            for key in found.progress.open_keys[:6]
        ]
        if "price_tiers" in found.recorded:
            buttons.append([Button(_("⚖️ Compare quotes, costed to the door"), f"cmp:{inquiry.id}:cost")])
        if inquiry.sent_at is not None:
            buttons.append([Button(_("➕ Ask another supplier the same"), f"inq:same:{inquiry.id}")])
        buttons.append([Button(_("🗄 Close this inquiry"), f"inq:close:{inquiry.id}")])
    elif inquiry.status == InquiryStatus.CLOSED:
        buttons.append([Button(_("♻️ Reopen"), f"inq:reopen:{inquiry.id}")])
    return "\n".join(lines), buttons


def reminder(_: Translator, found: InquiryCard) -> tuple[str, list[list[Button]]]:
    inquiry = found.inquiry
    text = _(
        "⏰ <b>Still waiting</b> on {supplier} about {product}: {open} of {total} questions have no answer yet. "
        "If the supplier replied, paste it here; otherwise send them the follow-up.",
        supplier=inquiry.supplier_name or _("the supplier"),
        product=inquiry.product or f"#{inquiry.id}",
        open=len(found.progress.open_keys),
        total=found.progress.total,
    )
    return text, [
        [Button(_("✍️ Draft the follow-up"), f"inq:fu:{inquiry.id}")],
        [Button(_("📋 Show the inquiry"), f"inq:view:{inquiry.id}"), Button(_("🗄 Close it"), f"inq:close:{inquiry.id}")],
    ]

