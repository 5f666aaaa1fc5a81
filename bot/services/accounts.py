"""Users, workspaces and memberships: who is talking, in which workspace, in which language."""

from __future__ import annotations

from dataclasses import dataclass
from sqlalchemy import select

from bot.db.models import Membership, User, Workspace
from bot.db.session import Database
from bot.domain.workspaces import Role, WorkspaceKind, kind_for_chat, role_for_new_member
from bot.i18n import normalize_language


@dataclass(frozen=True)
class Actor:
    """The person behind one update and the workspace they act in."""

    user_id: int
    chat_id: int
    workspace_id: int
    workspace_kind: WorkspaceKind
    role: Role
    language: str


async def resolve_actor(
    database: Database,
    *,
    user_id: int,
    first_name: str,
    username: str | None,
    telegram_language: str | None,
    chat_id: int,
    chat_type: str,
    chat_title: str | None,
    default_language: str,
) -> Actor:
    """Find or create the user, the chat's workspace and the membership, in one unit of work."""
    kind = kind_for_chat(chat_type)
    async with database.session() as session:
        user = await session.get(User, user_id)
        if user is None:
            user = User(id=user_id, first_name=first_name, username=username, telegram_language=telegram_language)
            session.add(user)
        elif (user.first_name, user.username, user.telegram_language) != (first_name, username, telegram_language):
            user.first_name, user.username, user.telegram_language = first_name, username, telegram_language
        workspace = (await session.execute(select(Workspace).where(Workspace.chat_id == chat_id))).scalar_one_or_none()
        if workspace is None:
            workspace = Workspace(chat_id=chat_id, kind=kind.value, title=chat_title or first_name)
            session.add(workspace)
            await session.flush()
        membership = (
            await session.execute(
                select(Membership).where(Membership.workspace_id == workspace.id, Membership.user_id == user_id)
            )
        ).scalar_one_or_none()
        if membership is None:
            first = (
                await session.execute(select(Membership.id).where(Membership.workspace_id == workspace.id).limit(1))
            ).first() is None
            membership = Membership(
                workspace_id=workspace.id, user_id=user_id, role=role_for_new_member(kind, first, False).value
            )
            session.add(membership)
        language = (
            normalize_language(user.language) or normalize_language(telegram_language) or default_language
        )
        return Actor(
            user_id=user_id,
            chat_id=chat_id,
            workspace_id=workspace.id,
            workspace_kind=WorkspaceKind(workspace.kind),
            role=Role(membership.role),
            language=language,
        )


async def set_language(database: Database, user_id: int, language: str) -> None:
    async with database.session() as session:
        user = await session.get(User, user_id)
        if user is not None:
            user.language = language


async def actor_for(database: Database, user_id: int, chat_id: int, default_language: str) -> Actor | None:
    """The actor of a stored user in a stored chat, for work done later (jobs, reminders, batches)."""
    async with database.session() as session:
        row = (
            await session.execute(
                select(User, Workspace, Membership)
                .join(Membership, Membership.user_id == User.id)
                .join(Workspace, Workspace.id == Membership.workspace_id)
                .where(User.id == user_id, Workspace.chat_id == chat_id)
            )
        ).first()
        if row is None:
            return None
        user, workspace, membership = row
        return Actor(
            user_id=user.id,
            chat_id=chat_id,
            workspace_id=workspace.id,
            workspace_kind=WorkspaceKind(workspace.kind),
            role=Role(membership.role),
            language=normalize_language(user.language) or normalize_language(user.telegram_language) or default_language,
        )
