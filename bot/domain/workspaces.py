"""Workspaces and roles: a private chat is a personal workspace, a group chat is a team workspace."""

from __future__ import annotations

from enum import StrEnum


class WorkspaceKind(StrEnum):
    PERSONAL = "personal"
    TEAM = "team"


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"


def kind_for_chat(chat_type: str) -> WorkspaceKind:
    return WorkspaceKind.PERSONAL if chat_type == "private" else WorkspaceKind.TEAM


def role_for_new_member(kind: WorkspaceKind, is_first_member: bool, is_chat_admin: bool) -> Role:
    """The person who opens a personal workspace owns it; in a team the first member and the group's own
    admins lead, everyone else is a member."""
    if kind is WorkspaceKind.PERSONAL or is_first_member:
        return Role.OWNER
    return Role.ADMIN if is_chat_admin else Role.MEMBER


def can_manage(kind: WorkspaceKind, role: Role) -> bool:
    """Who may change a workspace's settings, default checklist and templates."""
    return kind is WorkspaceKind.PERSONAL or role in (Role.OWNER, Role.ADMIN)
