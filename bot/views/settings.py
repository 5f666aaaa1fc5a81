"""A workspace's settings on screen: the menu, its choices, the questions and trade terms."""

from __future__ import annotations

from bot.domain import checklist
from bot.domain.inquiries import COUNTRIES, COUNTRY_BY_CODE, CURRENCIES
from bot.domain.orders import APPROVAL_LIMITS
from bot.i18n import Translator, available_languages, language_name
from bot.services.glossary import TermView
from bot.services.workspaces import FOLLOW_UP_CHOICES, WorkspaceSettings
from bot.supplier_messages import KINDS, placeholders
from bot.telegram_io import Button, escape, grid
from bot.views.common import money

BACK = "set:back"


def menu(_: Translator, settings: WorkspaceSettings, default_hours: float) -> tuple[str, list[list[Button]]]:
    country = COUNTRY_BY_CODE.get(settings.destination_country or "")
    text = _(
        "<b>Settings</b>\nDestination: {destination}\nCurrency: {currency}\nForwarder address: {forwarder}\n"
        "Follow-up reminder after: {hours} hours\nConfirm found answers automatically: {auto}\n"
        "Payments an admin approves first: {approval}\n"
        "Default questions: {questions}\nYour own questions: {own}",
        destination=_(country.name) if country else _("not set"),
        currency=settings.currency or _("not set"),
        forwarder=settings.forwarder_address or _("not set"),
        hours=f"{settings.follow_up_hours or default_hours:g}",
        auto=_("yes") if settings.auto_confirm else _("no"),
        approval=_("over {amount}", amount=money(settings.payment_approval_over, "CNY")) if settings.payment_approval_over else _("none"),
        questions=len(settings.default_questions),
        own=len(settings.shared_questions),
    )
    if settings.team:
        language = language_name(settings.group_language) if settings.group_language else _("not set")
        text += "\n" + _("Group language: {language}", language=language)
    if not settings.can_manage:
        return text + "\n\n" + _("Only the group's admins can change these."), []
    buttons = [
        [Button(_("Destination"), "set:dst"), Button(_("Currency"), "set:cur")],
        [Button(_("Forwarder address"), "set:fwd"), Button(_("Follow-up delay"), "set:fu")],
        [Button(_("Auto-confirm on/off"), f"set:auto:{int(not settings.auto_confirm)}"), Button(_("Default questions"), "set:chk")],
        [Button(_("Own questions"), "set:myq"), Button(_("Message templates"), "set:tpl")],
        [Button(_("Trade terms"), "set:terms"), Button(_("Payment approval"), "set:apr")],
        *([[Button(_("Group language"), "set:glang")]] if settings.team else []),
        [Button(_("Done"), "set:done")],
    ]
    return text, buttons


def destinations(_: Translator) -> tuple[str, list[list[Button]]]:
    return _("Default destination:"), grid([Button(_(c.name), f"set:dst:{c.code}") for c in COUNTRIES], 3)


def currencies(_: Translator) -> tuple[str, list[list[Button]]]:
    return _("Default currency:"), grid([Button(c, f"set:cur:{c}") for c in CURRENCIES], 4)


def group_languages(_: Translator) -> tuple[str, list[list[Button]]]:
    buttons = grid([Button(language_name(code), f"set:glang:{code}") for code in available_languages()], 2)
    buttons.append([Button(_("The bot's default"), "set:glang:0")])
    return _("Which language should I use for messages to the whole group (reminders, news)?"), buttons


def approval_limits(_: Translator) -> tuple[str, list[list[Button]]]:
    buttons = grid([Button(money(limit, "CNY"), f"set:apr:{limit}") for limit in APPROVAL_LIMITS], 3)
    buttons.append([Button(_("No approval"), "set:apr:0")])
    return _("Payments over how much wait for an admin's approval before anyone pays?"), buttons


def follow_up_delays(_: Translator) -> tuple[str, list[list[Button]]]:
    buttons = [[Button(_("{hours} h", hours=h), f"set:fu:{h}") for h in FOLLOW_UP_CHOICES]]
    return _("Remind me to follow up when a supplier is silent for:"), buttons


def default_questions(_: Translator, settings: WorkspaceSettings) -> tuple[str, list[list[Button]]]:
    chosen = set(settings.default_questions)

    def toggle(key: str, label: str) -> list[Button]:
        ticked = key in chosen
        return [Button(("✅ " if ticked else "⬜ ") + label, f"set:q:{int(not ticked)}:{key}")]

    rows = [toggle(q.key, _(q.label_msgid)) for q in checklist.BUILTIN_QUESTIONS]
    rows += [toggle(q.key, q.text[:50]) for q in settings.shared_questions]
    rows.append([Button(_("◀ Back"), BACK)])
    return _("Questions every new inquiry starts with:"), rows


def own_questions(_: Translator, settings: WorkspaceSettings) -> tuple[str, list[list[Button]]]:
    lines = [_("<b>Your own questions</b>")]
    lines += [
        f"{n}. {escape(q.text)}\n    {escape(q.text_zh or _('(no Chinese yet)'))}"
        for n, q in enumerate(settings.shared_questions, start=1)
    ]
    if not settings.shared_questions:
        lines.append(_("None yet."))
    return "\n".join(lines), [[Button(_("➕ Add a question"), "set:addq")], [Button(_("◀ Back"), BACK)]]


def terms(_: Translator, found: list[TermView], note: str | None = None) -> tuple[str, list[list[Button]]]:
    lines = [note] if note else []
    lines.append(_("<b>Your trade terms</b>: kept as they are through translation, and explained to everyone here."))
    lines += [f"• {escape(term.term_zh)} = {escape(term.meaning)}" for term in found] or [_("None yet.")]
    buttons = [[Button("🗑 " + term.term_zh[:40], f"set:delterm:{term.id}")] for term in found[:20]]  # labels are plain text
    buttons += [[Button(_("➕ Add a term"), "set:addterm")], [Button(_("◀ Back"), BACK)]]
    return "\n".join(lines), buttons


def template_kinds(_: Translator) -> tuple[str, list[list[Button]]]:
    buttons = [[Button(_(kind.label_msgid), f"set:tpl:{kind.key}")] for kind in KINDS]
    return _("Which message do you want to write your own way?"), buttons + [[Button(_("◀ Back"), BACK)]]


def template_prompt(_: Translator, kind: str, current: str | None) -> tuple[str, list[list[Button]]]:
    names = ", ".join(f"{{{{ {name} }}}}" for name in placeholders(kind))
    text = _(
        "Send your own Chinese text for this message. You can use these placeholders: {names}\n\n"
        "Current text: {current}\n\nOr /cancel to keep it.",
        names=names,
        current=current or _("the built-in one"),
    )
    return text, [[Button(_("Use the built-in text again"), f"set:tplr:{kind}")]] if current else []
