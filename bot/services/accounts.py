"""Users, workspaces and memberships: who is talking, in which workspace, in which language.

The actor of every update is looked up once and then kept in memory (per database), so a busy chat costs
no query for it; changing a person's language or role here forgets what was kept.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Membership, User, Workspace
from bot.db.session import Database
from bot.domain.workspaces import Permission, Role, WorkspaceKind, kind_for_chat, require, role_for_new_member
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


@dataclass(frozen=True)
class Resolved:
    actor: Actor
    joined: bool  # the person's membership was created just now


_Seen = tuple[str, str | None, str | None]  # what Telegram said of the person: name, username, language
_known: weakref.WeakKeyDictionary[Database, dict[tuple[int, int], tuple[Actor, _Seen]]] = weakref.WeakKeyDictionary()
KNOWN_LIMIT = 50_000


def _forget(database: Database, user_id: int, chat_id: int | None = None) -> None:
    known = _known.get(database, {})
    for key in [key for key in known if key[0] == user_id and chat_id in (None, key[1])]:
        del known[key]


# Workspaces the bot still serves: a group that removed the bot is archived, its reminders held until it is back.
ACTIVE_WORKSPACES = select(Workspace.id).where(Workspace.archived_at.is_(None))


def require_work(actor: Actor) -> None:
    """Changing the workspace's suppliers, inquiries, replies and orders: not for a team's viewers. Raises
    NotAllowed."""
    require(actor.workspace_kind, actor.role, Permission.WORK)


def forget_user(database: Database, user_id: int) -> None:
    """Everything kept of the person's actors: their workspace or role changed."""
    _forget(database, user_id)


def forget_workspace(database: Database, workspace_id: int) -> None:
    """Everyone's kept actor in a workspace that was archived, restored or whose members changed."""
    known = _known.get(database, {})
    for key in [key for key, (actor, _seen) in known.items() if actor.workspace_id == workspace_id]:
        del known[key]


def forget_chat(database: Database, chat_id: int) -> None:
    """Everyone's kept actor in a chat whose workspace or roles changed."""
    known = _known.get(database, {})
    for key in [key for key in known if key[1] == chat_id]:
        del known[key]


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
) -> Resolved:
    """Find (in memory, else with one query) or create the user, the chat's workspace and the membership, in
    one unit of work. A new team member starts as a member; `set_role_from_chat` gives them their Telegram
    role."""
    seen = (first_name, username, telegram_language)
    known = _known.setdefault(database, {})
    kept = known.get((user_id, chat_id))
    if kept is not None and kept[1] == seen:
        return Resolved(kept[0], joined=False)
    if len(known) > KNOWN_LIMIT:
        known.clear()
    async with database.session() as session:
        row = await _member_row(session, user_id, chat_id)
        if row is not None:
            user, workspace, membership = row
            if (user.first_name, user.username, user.telegram_language) != seen:
                user.first_name, user.username, user.telegram_language = seen
            actor = _actor(user, workspace, membership, chat_id, default_language)
            known[(user_id, chat_id)] = (actor, seen)
            return Resolved(actor, joined=False)
        kind = kind_for_chat(chat_type)
        user = await session.get(User, user_id)
        if user is None:
            user = User(id=user_id, first_name=first_name, username=username, telegram_language=telegram_language)
            session.add(user)
        else:
            user.first_name, user.username, user.telegram_language = first_name, username, telegram_language
        workspace = (await session.execute(select(Workspace).where(Workspace.chat_id == chat_id))).scalar_one_or_none()
        if workspace is None:
            try:
                async with session.begin_nested():  # another update may make it at the same moment
                    workspace = Workspace(chat_id=chat_id, kind=kind.value, title=chat_title or first_name)
                    session.add(workspace)
            except IntegrityError:
                workspace = (await session.execute(select(Workspace).where(Workspace.chat_id == chat_id))).scalar_one()
                # Made meanwhile (a group's upgrade moved its team here): the person may be a member already.
                row = await _member_row(session, user_id, chat_id)
                if row is not None:
                    actor = _actor(row[0], row[1], row[2], chat_id, default_language)
                    known[(user_id, chat_id)] = (actor, seen)
                    return Resolved(actor, joined=False)
        first = (
            await session.execute(select(Membership.id).where(Membership.workspace_id == workspace.id).limit(1))
        ).first() is None
        membership = Membership(workspace_id=workspace.id, user_id=user_id, role=role_for_new_member(kind, first, None).value)
        session.add(membership)
        actor = _actor(user, workspace, membership, chat_id, default_language)
    known[(user_id, chat_id)] = (actor, seen)
    return Resolved(actor, joined=True)


def _actor(user: User, workspace: Workspace, membership: Membership, chat_id: int, default_language: str) -> Actor:
    return Actor(
        user_id=user.id,
        chat_id=chat_id,
        workspace_id=workspace.id,
        workspace_kind=WorkspaceKind(workspace.kind),
        role=Role(membership.role),
        language=normalize_language(user.language) or normalize_language(user.telegram_language) or default_language,
    )


async def set_role_from_chat(database: Database, actor: Actor, telegram_status: str, *, first_member: bool) -> Actor:
    """A team member's role from their status in the Telegram group (creator, administrator, member)."""
    role = role_for_new_member(actor.workspace_kind, first_member, telegram_status)
    if role is actor.role:
        return actor
    async with database.session() as session:
        membership = (
            await session.execute(
                select(Membership).where(Membership.workspace_id == actor.workspace_id, Membership.user_id == actor.user_id)
            )
        ).scalar_one()
        membership.role = role.value
    _forget(database, actor.user_id, actor.chat_id)
    return replace(actor, role=role)


async def set_language(database: Database, user_id: int, language: str) -> None:
    async with database.session() as session:
        user = await session.get(User, user_id)
        if user is not None:
            user.language = language
    _forget(database, user_id)


async def actor_in(
    session: AsyncSession, user_id: int, chat_id: int, default_language: str, workspace_id: int | None = None
) -> Actor | None:
    """The actor of a stored user in a stored chat, for work done later (jobs, reminders, batches). With
    `workspace_id` (a reminder's), the person as a member of that workspace, whichever one they work for in the
    chat now; None when they no longer belong to it."""
    if workspace_id is None:
        row = await _member_row(session, user_id, chat_id)
    else:
        found = await session.execute(
            select(User, Workspace, Membership)
            .join(Membership, Membership.user_id == User.id)
            .join(Workspace, Workspace.id == Membership.workspace_id)
            .where(User.id == user_id, Workspace.id == workspace_id)
        )
        row = found.first()  # type: ignore[assignment]
    return _actor(*row, chat_id, default_language) if row is not None else None  # type: ignore[misc]


async def _member_row(session: AsyncSession, user_id: int, chat_id: int) -> tuple[User, Workspace, Membership] | None:
    """The person, the workspace they act in from this chat, and their membership in it. In their private chat
    that is the team they chose with /workspace (while they still belong to it and it is not archived), else
    their own."""
    found = select(User, Workspace, Membership).join(Membership, Membership.user_id == User.id).join(Workspace, Workspace.id == Membership.workspace_id)
    if chat_id == user_id:  # a private chat's id is the person's
        acting = await session.execute(
            found.where(
                User.id == user_id, Workspace.id == User.acting_workspace_id, Workspace.kind == WorkspaceKind.TEAM,
                Workspace.archived_at.is_(None),
            )
        )  # fmt: skip
        row = acting.first()
        if row is not None:
            return tuple(row)  # type: ignore[return-value]
    row = (await session.execute(found.where(User.id == user_id, Workspace.chat_id == chat_id))).first()
    return tuple(row) if row is not None else None  # type: ignore[return-value]


async def in_chat_language(session: AsyncSession, actor: Actor) -> Actor:
    """The actor as the chat should be spoken to: a team's group in the group's language when one is set
    (reminders and news go to everyone there), a private chat in the person's own."""
    if actor.workspace_kind is not WorkspaceKind.TEAM:
        return actor
    workspace = await session.get(Workspace, actor.workspace_id)
    if workspace is None or workspace.chat_id != actor.chat_id or not workspace.language:
        return actor
    return replace(actor, language=workspace.language)


async def actor_for(database: Database, user_id: int, chat_id: int, default_language: str) -> Actor | None:
    kept = _known.get(database, {}).get((user_id, chat_id))
    if kept is not None:
        return kept[0]
    async with database.session() as session:
        return await actor_in(session, user_id, chat_id, default_language)
