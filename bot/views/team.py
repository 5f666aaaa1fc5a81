"""The team on screen: its members with their roles, and for admins the buttons that change a member's role."""

from __future__ import annotations

from bot.domain.workspaces import ASSIGNABLE_ROLES, Permission, Role, allows
from bot.i18n import N_, Translator
from bot.services.accounts import Actor
from bot.services.audit import AuditLine
from bot.services.exports import Exportable
from bot.services.teams import Assignable, Choice, MemberView, Movable
from bot.telegram_io import Button, escape, grid

ROLE_NAMES = {
    Role.OWNER: N_("owner"),
    Role.ADMIN: N_("admin"),
    Role.APPROVER: N_("approver"),
    Role.MEMBER: N_("buyer"),
    Role.VIEWER: N_("viewer"),
}
ROLE_HELP = N_(
    "Owner and admins follow the group's Telegram admins: they manage the team's settings and roles and approve "
    "payments. Buyers work with suppliers, inquiries and orders; approvers also approve payments; viewers see "
    "everything and change nothing."
)
MAX_SHOWN = 30


def team(_: Translator, members: list[MemberView], me: Actor) -> tuple[str, list[list[Button]]]:
    lines = [_("<b>The team</b> ({count})", count=len(members))]
    for member in members[:MAX_SHOWN]:
        handle = f" @{member.username}" if member.username else ""
        lines.append(_("• {name}{handle} — {role}", name=member.name, handle=handle, role=_(ROLE_NAMES[member.role])))
    lines += ["", _(ROLE_HELP)]
    if not allows(me.workspace_kind, me.role, Permission.MANAGE):
        return "\n".join(lines), []
    buttons = []
    for member in members[:MAX_SHOWN]:
        if member.role not in ASSIGNABLE_ROLES:
            continue
        buttons.append([
            Button(("✓ " if member.role is role else "") + f"{member.name[:16]}: " + _(ROLE_NAMES[role]), f"team:role:{member.user_id}:{role.value}")
            for role in ASSIGNABLE_ROLES
        ])  # fmt: skip
    return "\n".join(lines), buttons


def export_choice(_: Translator, found: list[Exportable]) -> tuple[str, list[list[Button]]]:
    buttons = [
        [Button(_.plain(N_("🗄 {title} (archived)"), title=item.title) if item.archived else item.title if item.team else _.plain(N_("Your own")), f"exp:{item.workspace_id}")]
        for item in found
    ]
    return _("Whose data do you want? Your own, or a team you run:"), buttons


def audit_log(_: Translator, lines: list[AuditLine]) -> str:
    if not lines:
        return _("Nothing recorded yet.")
    shown = [_("<b>Who did what</b>, the latest first:")]
    for line in lines:
        who = escape(line.who) if line.who else _("Telegram")
        detail = f" — {escape(line.detail)}" if line.detail else ""
        shown.append(f"{line.at:%Y-%m-%d %H:%M} {who}: {escape(line.action)} · {escape(line.subject)}{detail}")
    return "\n".join(shown)


def workspace_choice(_: Translator, choices: list[Choice]) -> tuple[str, list[list[Button]]]:
    if len(choices) == 1:
        return _("You work for your own workspace here. Join a team with an invite link from its admin (/invite in the team's group)."), []
    buttons = [
        [Button(("✓ " if choice.acting else "") + (choice.title if choice.workspace_id else _.plain(N_("Your own"))), f"ws:{choice.workspace_id or 'own'}")]
        for choice in choices
    ]
    return _("Which workspace do you work for in this chat? A supplier message forwarded here is read for it."), buttons


def assignables(_: Translator, items: list[Assignable]) -> tuple[str, list[list[Button]]]:
    if not items:
        return _("Nothing open to give to a teammate: no sent inquiries or open orders."), []
    lines = [_("<b>Who owns what</b>: pick one to give it to a teammate.")]
    buttons = []
    for number, item in enumerate(items, start=1):
        what = _("inquiry") if item.kind == "i" else _("order")
        lines.append(_("{number}. {what} {title} — {owner}", number=number, what=what, title=item.title, owner=item.owner))
        buttons.append(Button(str(number), f"asg:{item.kind}:{item.id}"))
    return "\n".join(lines), grid(buttons, 5)


def assign_to(_: Translator, item: Assignable, members: list[MemberView]) -> tuple[str, list[list[Button]]]:
    workers = [member for member in members if member.role is not Role.VIEWER]
    buttons = grid([Button(("✓ " if member.name == item.owner else "") + member.name[:24], f"asg:{item.kind}:{item.id}:{member.user_id}") for member in workers], 2)
    return _("Who should own {title}?", title=item.title), buttons


def movables(_: Translator, items: list[Movable]) -> tuple[str, list[list[Button]]]:
    if not items:
        return _("Nothing of yours to move yet: no sent inquiries or suppliers."), []
    lines = [_("<b>Bring into a team</b>: pick an inquiry (it brings its answers, replies and orders) or a supplier (with every inquiry about it).")]
    buttons = []
    for number, item in enumerate(items, start=1):
        what = _("inquiry") if item.kind == "i" else _("supplier")
        lines.append(_("{number}. {what} {title}", number=number, what=what, title=item.title))
        buttons.append(Button(str(number), f"mv:{item.kind}:{item.id}"))
    return "\n".join(lines), grid(buttons, 5)


def move_to(_: Translator, item: Movable, teams: list[Choice]) -> tuple[str, list[list[Button]]]:
    buttons = [[Button(team.title, f"mv:{item.kind}:{item.id}:{team.workspace_id}")] for team in teams]
    return _("Which team should {title} go to?", title=item.title), buttons
