"""Supplier replies on screen: the translation a buyer can trust, the facts found, where the reply goes, and
the answers it gave with their buttons."""

from __future__ import annotations

from bot.domain.answers import AnswerStatus
from bot.extraction import ExtractionResult
from bot.i18n import N_, Markup, Translator
from bot.services.replies import Attached, BatchRead
from bot.services.results import AnswerView, InquiryView
from bot.telegram_io import Button, escape
from bot.translation.service import FAILURE_TURNED_OFF, Translation
from bot.extraction.result import MANUAL
from bot.views.common import describe_fact, flag_text, original_quote, question_label, question_number
from bot.views.inquiries import name_of, progress_view

MARKS = {AnswerStatus.CONFIRMED: "✅", AnswerStatus.REJECTED: "✖️", AnswerStatus.SUPERSEDED: "↩️", AnswerStatus.PENDING: "❔"}


def translation_html(_: Translator, translation: Translation, heading: str) -> str:
    """A translation a buyer can trust: the text, a warning if a number was lost, jargon explained, and
    the original one tap away. `heading` is HTML."""
    parts = [heading]
    if translation.ok:
        parts.append(escape(translation.text))
    else:
        parts.append("⚠️ " + _(translation.failure_reason or N_("Translation is unavailable right now; showing the original.")))
    check = translation.number_check
    if translation.ok and check is not None and not check.ok:
        numbers = ", ".join(dict.fromkeys(translation.original[m.start : m.end] for m in check.source_numbers))
        parts.append(_("⚠️ Some numbers may have been lost or changed in translation. The original says: {numbers}", numbers=numbers))
    if translation.glossary_notes:
        notes = "\n".join(
            _("• {term}: {meaning}", term=note.term_zh, meaning=note.meaning) + (f" ({escape(_(note.note))})" if note.note else "")
            for note in translation.glossary_notes[:12]
        )
        parts.append(_("<b>Trade terms</b>") + "\n" + notes)
    if not translation.ok or translation.text != translation.original:  # a Chinese reader needs it once only
        parts.append(_("Original:") + original_quote(translation.original))
    return "\n\n".join(parts)


def translation_buttons(_: Translator, read: BatchRead, translation: Translation) -> list[list[Button]]:
    """A failed translation can be tried again later; in a team each member can read it in their language."""
    if not translation.ok and translation.failure_reason != FAILURE_TURNED_OFF:
        return [[Button(_("🔄 Translate again"), f"rep:tr:{read.reply_id}")]]
    if read.team:
        return [[Button(_("🌐 In my language"), f"rep:tr:{read.reply_id}")]]
    return []


def facts_found(_: Translator, facts: ExtractionResult) -> str:
    found = facts.facts()
    text = (
        _("<b>Facts found</b>") + "\n" + "\n".join("• " + describe_fact(fact, _) for fact in found)
        if found
        else _("I found no facts (MOQ, prices, lead time…) in this message.")
    )
    return text + not_understood(_, facts.not_understood)


def not_understood(_: Translator, words: tuple[str, ...]) -> str:
    """The reply's clauses with a number no rule could place, for the buyer to read themselves."""
    if not words:
        return ""
    listed = "\n".join(_("• “{words}”", words=clause[:120]) for clause in words[:6])
    return "\n\n" + _("<b>Not understood</b> (check these in the original):") + "\n" + listed


def inquiry_choices(_: Translator, reply_id: int, inquiries: list[InquiryView]) -> list[list[Button]]:
    """A button per inquiry a reply could go to, naming product and supplier."""
    return [
        [Button("📎 " + _choice_label(_, inquiry), f"rep:att:{reply_id}:{inquiry.id}")] for inquiry in inquiries
    ]


def _choice_label(_: Translator, inquiry: InquiryView) -> str:
    product = name_of(_, inquiry)[:28]
    return f"{product} — {inquiry.supplier_name[:24]}" if inquiry.supplier_name else product


def move_choices(_: Translator, reply_id: int, inquiries: list[InquiryView]) -> tuple[str, list[list[Button]]]:
    if not inquiries:
        return _("No other inquiry is open to move it to."), []
    return _("Which inquiry is this reply for? Its answers move there."), inquiry_choices(_, reply_id, inquiries)


def where_it_goes(_: Translator, read: BatchRead) -> tuple[str, list[list[Button]]]:
    """Several inquiries wait for replies, or none was picked: which one is it for?"""
    buttons = inquiry_choices(_, read.reply_id, read.open_inquiries)
    buttons.append([Button(_("➕ Start a new inquiry from it"), f"rep:new:{read.reply_id}")])
    text = facts_found(_, read.facts) + "\n\n" + (
        _("Which inquiry is this reply for? Attach it and I will record the answers.")
        if read.open_inquiries
        else _("You have no open inquiry; start one from this reply to keep its answers.")
    )
    return text, buttons


def attached_note(_: Translator, inquiry: InquiryView) -> str:
    return _("Attached to {product}. Replies you paste next go there too.", product=name_of(_, inquiry))


def answers(_: Translator, attached: Attached) -> tuple[str, list[list[Button]]]:
    """The answers found in one reply, each under its question's number, with what they contradict and the
    deal-breakers they raise; buttons per answer and for them all; then the inquiry's progress and next steps."""
    inquiry = attached.inquiry
    lines = [
        _(
            "<b>Answers for {product}</b> — {supplier}",
            product=name_of(_, inquiry),
            supplier=inquiry.supplier_name or _("no supplier"),
        )
    ]
    lines += [flag_text(flag, inquiry, _) for flag in attached.flags]
    buttons: list[list[Button]] = []
    confirmable = 0
    for answer in attached.answers:
        number = question_number(inquiry, answer.question_key)
        label = question_label(answer.question_key, attached.question_texts, _)
        line = f"{MARKS[answer.status]} {number}. {escape(label)}: {describe_fact(answer.fact, _)}"
        clash = attached.conflicts.get(answer.id)
        if clash is not None:
            line += "\n    " + _(
                "⚠️ recorded: {recorded} → now: {new}",
                recorded=Markup(describe_fact(clash.fact, _)),
                new=Markup(describe_fact(answer.fact, _)),
            )
        if answer.evidence:
            line += "\n    " + _("<i>from: “{words}”</i>", words=answer.evidence)
        lines.append(line)
        if answer.status != AnswerStatus.PENDING:
            continue
        if clash is not None:
            buttons.append(
                [
                    Button(_("{number}: use the new one", number=number), f"ans:use:{answer.id}"),
                    Button(_("{number}: keep recorded", number=number), f"ans:keep:{answer.id}"),
                ]
            )
            continue
        confirmable += 1
        buttons.append(
            [
                Button(_("✓ {number} right", number=number), f"ans:ok:{answer.id}"),
                Button(_("✎ edit"), f"ans:ed:{answer.id}"),
                Button(_("✗ wrong"), f"ans:no:{answer.id}"),
            ]
        )
    if confirmable > 1:
        every = f"ans:all:{attached.reply_id}" if attached.reply_id is not None else f"ans:alli:{inquiry.id}"
        buttons.append([Button(_("✓ All correct"), every)])
    if attached.movable:
        buttons.append([Button(_("↪ Not this inquiry? Move the reply"), f"rep:mv:{attached.reply_id}")])
    if not attached.answers:
        lines.append(_("Nothing in this message answers the questions you asked."))
    progress_text, progress_buttons = progress_view(_, inquiry, attached.progress, attached.flags, attached.waiting)
    return "\n".join(lines) + not_understood(_, attached.not_understood) + "\n\n" + progress_text, buttons + progress_buttons


def conflict(_: Translator, recorded: AnswerView, new: AnswerView) -> tuple[str, list[list[Button]]]:
    text = _(
        "This contradicts what is recorded. Which is right?\n\nRecorded: {recorded}\nNew: {new}",
        recorded=Markup(describe_fact(recorded.fact, _)),
        new=Markup(describe_fact(new.fact, _)),
    )
    return text, [[Button(_("Keep recorded"), f"ans:keep:{new.id}"), Button(_("Use the new one"), f"ans:use:{new.id}")]]


def typed_answer_recorded(_: Translator, text: str, attached: Attached) -> tuple[str, list[list[Button]]]:
    progress_text, buttons = progress_view(_, attached.inquiry, attached.progress, attached.flags, attached.waiting)
    lines = [_("Recorded: {text}", text=text)]
    lines += [
        _("⚠️ recorded: {recorded} → now: “{new}”", recorded=Markup(describe_fact(old.fact, _)), new=text)
        for old in attached.replaced
        if old.fact.field != MANUAL or str(old.fact.value) != text
    ]
    return "\n".join(lines) + "\n" + progress_text, buttons
