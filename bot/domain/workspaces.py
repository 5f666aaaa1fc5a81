"""Workspaces, roles and the one permission policy every service checks.

A private chat is a personal workspace: its owner may do everything. A group chat is a team workspace: its
owner and admins follow the group's Telegram creator and administrators and manage the team's shared setup
(defaults, the forwarder's address, shared questions, message templates, trade terms, members' roles) and
approve payments; a member is a buyer (works with the team's suppliers, inquiries, replies and orders) unless an
admin makes them an approver (a buyer who also approves payments) or a viewer (sees everything, changes nothing).
"""

from __future__ import annotations

from enum import StrEnum


class WorkspaceKind(StrEnum):
    PERSONAL = "personal"
    TEAM = "team"


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    APPROVER = "approver"
    MEMBER = "member"  # a buyer
    VIEWER = "viewer"


class Permission(StrEnum):
    WORK = "work"  # suppliers, inquiries, pasted replies, answers, orders
    APPROVE = "approve"  # payments over the team's limit
    MANAGE = "manage"  # the workspace's settings, shared questions, templates, trade terms and members' roles


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OWNER: frozenset(Permission),
    Role.ADMIN: frozenset(Permission),
    Role.APPROVER: frozenset({Permission.WORK, Permission.APPROVE}),
    Role.MEMBER: frozenset({Permission.WORK}),
    Role.VIEWER: frozenset(),
}
# The roles an admin gives; owner and admin follow Telegram.
ASSIGNABLE_ROLES = (Role.MEMBER, Role.APPROVER, Role.VIEWER)


class NotAllowed(Exception):
    """The acting person's role does not give them this permission here."""

    def __init__(self, permission: Permission) -> None:
        super().__init__(f"not allowed: {permission}")
        self.permission = permission


def allows(kind: WorkspaceKind, role: Role, permission: Permission) -> bool:
    return kind is WorkspaceKind.PERSONAL or permission in ROLE_PERMISSIONS[role]


def require(kind: WorkspaceKind, role: Role, permission: Permission) -> None:
    if not allows(kind, role, permission):
        raise NotAllowed(permission)


def kind_for_chat(chat_type: str) -> WorkspaceKind:
    return WorkspaceKind.PERSONAL if chat_type == "private" else WorkspaceKind.TEAM


def role_for_new_member(kind: WorkspaceKind, is_first_member: bool, telegram_status: str | None) -> Role:
    """The person who opens a personal workspace owns it. In a team, the group's creator owns it and its
    Telegram administrators are admins; when the bot cannot tell, the first member to show up leads."""
    if kind is WorkspaceKind.PERSONAL or telegram_status == "creator":
        return Role.OWNER
    if telegram_status == "administrator":
        return Role.ADMIN
    if telegram_status is None and is_first_member:
        return Role.OWNER
    return Role.MEMBER


def role_from_telegram(current: Role, telegram_status: str) -> Role:
    """A member's role after their status in the Telegram group changed: the creator owns, administrators are
    admins; someone who is no longer an administrator becomes a buyer; a role an admin gave is kept."""
    if telegram_status == "creator":
        return Role.OWNER
    if telegram_status == "administrator":
        return Role.ADMIN
    return Role.MEMBER if current in (Role.OWNER, Role.ADMIN) else current
