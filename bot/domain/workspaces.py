"""Workspaces, roles and the one permission policy every service checks.

A private chat is a personal workspace: its owner may do everything. A group chat is a team workspace: every
member works with the team's suppliers, inquiries and replies; the workspace's shared setup (defaults, the
forwarder's address, shared questions, message templates, trade terms) is for its owner and admins.
"""

from __future__ import annotations

from enum import StrEnum


class WorkspaceKind(StrEnum):
    PERSONAL = "personal"
    TEAM = "team"


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"


class Permission(StrEnum):
    WORK = "work"  # suppliers, inquiries, pasted replies, answers
    MANAGE = "manage"  # the workspace's settings, shared questions, templates and trade terms


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OWNER: frozenset(Permission),
    Role.ADMIN: frozenset(Permission),
    Role.MEMBER: frozenset({Permission.WORK}),
}


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
