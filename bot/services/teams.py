"""Team workspaces over their life: the bot added, removed and added back (the data kept, archived meanwhile),
a group upgraded to a supergroup (a new chat id, the same team), members and their roles."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    Answer,
    Conversation,
    CustomQuestion,
    Inquiry,
    Invite,
    Membership,
    Order,
    Reminder,
    Supplier,
    SupplierReply,
    User,
    Workspace,
)
from bot.db.session import Database
from bot.domain import checklist
from bot.domain.inquiries import OPEN_STATUSES
from bot.domain.orders import OPEN_ORDER_STATUSES
from bot.domain.suppliers import SupplierLink
from bot.domain.workspaces import (
    ASSIGNABLE_ROLES,
    ROLE_PERMISSIONS,
    Permission,
    Role,
    WorkspaceKind,
    require,
    role_from_telegram,
)
from bot.services.accounts import Actor, forget_chat, forget_user, forget_workspace, require_work
from bot.services.audit import audit, audit_by
from bot.services.suppliers import find_or_add


@dataclass(frozen=True)
class Restored:
    was_archived: bool
    suppliers: int
    inquiries: int
    orders: int
    language: str | None = None  # the group's language setting

    @property
    def is_new(self) -> bool:
        """Nothing kept yet: a new team to greet (an upgraded group's team has its data already)."""
        return not (self.was_archived or self.suppliers or self.inquiries or self.orders)


async def archive_team(database: Database, chat_id: int, *, now: datetime) -> bool:
    """The bot was removed from the group: its workspace is archived, nothing deleted. False when the chat has
    no team workspace."""
    async with database.session() as session:
        workspace = await _team(session, chat_id)
        if workspace is None:
            return False
        workspace.archived_at = workspace.archived_at or now
        audit(session, workspace.id, None, "bot removed", workspace.title or str(chat_id))
        archived = workspace.id
    forget_workspace(database, archived)  # nobody keeps working in it from a private chat
    return True


async def restore_team(database: Database, chat_id: int) -> Restored:
    """The bot is (back) in the group: an archived workspace comes back with everything it held."""
    async with database.session() as session:
        workspace = await _team(session, chat_id)
        if workspace is None:
            return Restored(False, 0, 0, 0)
        was_archived = workspace.archived_at is not None
        workspace.archived_at = None
        if was_archived:
            audit(session, workspace.id, None, "bot added back", workspace.title or str(chat_id))

        async def count(model: type[Supplier] | type[Inquiry] | type[Order]) -> int:
            found = await session.scalar(select(func.count()).select_from(model).where(model.workspace_id == workspace.id))
            return int(found or 0)

        restored = Restored(was_archived, await count(Supplier), await count(Inquiry), await count(Order), workspace.language)
    if was_archived:
        forget_workspace(database, workspace.id)
    return restored


async def migrate_team(database: Database, old_chat_id: int, new_chat_id: int) -> bool:
    """The group became a supergroup with a new chat id: the team's workspace moves to it with its members,
    reminders and where each person is in a flow. Telegram's two service messages (one in each chat) may be
    handled in either order, and either may have made an empty workspace for its chat first: the team's
    original workspace (the older) is kept, the other folded into it."""
    async with database.session() as session:
        old = await _team(session, old_chat_id)
        new = await _team(session, new_chat_id)
        if old is None or (new is not None and new.id == old.id):
            return False
        kept, extra = (old, new) if new is None or old.created_at <= new.created_at else (new, old)
        if extra is not None:
            known = set(await session.scalars(select(Membership.user_id).where(Membership.workspace_id == kept.id)))
            for membership in (await session.execute(select(Membership).where(Membership.workspace_id == extra.id))).scalars():
                if membership.user_id not in known:
                    session.add(Membership(workspace_id=kept.id, user_id=membership.user_id, role=membership.role))
            await session.execute(update(Reminder).where(Reminder.workspace_id == extra.id).values(workspace_id=kept.id))
            await session.delete(extra)
            await session.flush()
        if kept.chat_id != new_chat_id:
            kept.chat_id = new_chat_id
            audit(session, kept.id, None, "group upgraded", f"chat {old_chat_id} → {new_chat_id}")
        await session.execute(update(Reminder).where(Reminder.chat_id == old_chat_id).values(chat_id=new_chat_id))
        await session.execute(delete(Conversation).where(Conversation.chat_id == new_chat_id))
        await session.execute(update(Conversation).where(Conversation.chat_id == old_chat_id).values(chat_id=new_chat_id))
    forget_chat(database, old_chat_id)
    forget_chat(database, new_chat_id)
    return True


async def _team(session: AsyncSession, chat_id: int) -> Workspace | None:
    workspace = await session.scalar(select(Workspace).where(Workspace.chat_id == chat_id).with_for_update())
    return workspace if workspace is not None and workspace.kind == WorkspaceKind.TEAM else None


@dataclass(frozen=True)
class MemberView:
    user_id: int
    name: str
    username: str | None
    role: Role


async def team_members(database: Database, actor: Actor) -> list[MemberView]:
    """The workspace's members, owner and admins first."""
    async with database.session() as session:
        rows = await session.execute(
            select(Membership, User).join(User, User.id == Membership.user_id).where(Membership.workspace_id == actor.workspace_id)
        )
        members = [MemberView(user.id, user.first_name, user.username, Role(membership.role)) for membership, user in rows]
    order = list(Role)
    return sorted(members, key=lambda member: (order.index(member.role), member.name.lower()))


async def set_member_role(database: Database, actor: Actor, user_id: int, role: Role) -> MemberView | None:
    """An admin makes a member a buyer, an approver or a viewer. Owners and admins follow the group's Telegram
    administrators, so they are not changed here. Raises NotAllowed for anyone but an admin; None when the
    person is not a member, or is an owner or admin."""
    require(actor.workspace_kind, actor.role, Permission.MANAGE)
    if role not in ASSIGNABLE_ROLES:
        return None
    async with database.session() as session:
        found = (
            await session.execute(
                select(Membership, User)
                .join(User, User.id == Membership.user_id)
                .where(Membership.workspace_id == actor.workspace_id, Membership.user_id == user_id)
                .with_for_update(of=Membership)
            )
        ).first()
        if found is None or Role(found[0].role) not in ASSIGNABLE_ROLES:
            return None
        membership, user = found
        membership.role = role.value
        audit_by(session, actor, "role changed", user.first_name, role.value)
    forget_user(database, user.id)  # in the group and in a private chat working for the team
    return MemberView(user.id, user.first_name, user.username, role)


async def follow_telegram_status(database: Database, chat_id: int, user_id: int, telegram_status: str) -> Role | None:
    """A member was promoted, demoted or left in the Telegram group: their role follows (an owner or admin who
    is no longer one becomes a buyer; a buyer, approver or viewer keeps their role). Someone who left or was
    removed is no longer in the team (what they did stays). None when nothing changed."""
    if telegram_status in ("left", "kicked"):
        return Role.VIEWER if await remove_member(database, chat_id, user_id) else None
    async with database.session() as session:
        found = (
            await session.execute(
                select(Membership)
                .join(Workspace, Workspace.id == Membership.workspace_id)
                .where(Workspace.chat_id == chat_id, Membership.user_id == user_id)
                .with_for_update(of=Membership)
            )
        ).scalar_one_or_none()
        if found is None:
            return None
        role = role_from_telegram(Role(found.role), telegram_status)
        if role is Role(found.role):
            return None
        found.role = role.value
    forget_user(database, user_id)
    return role


async def remove_member(database: Database, chat_id: int, user_id: int) -> bool:
    """The person left the team's group or was removed: they leave the team too (in their private chat they work
    for their own workspace again). False when they were not in it."""
    async with database.session() as session:
        found = (
            await session.execute(
                select(Membership).join(Workspace, Workspace.id == Membership.workspace_id).where(Workspace.chat_id == chat_id, Membership.user_id == user_id)
            )
        ).scalar_one_or_none()
        if found is None:
            return False
        user = await session.get(User, user_id)
        audit(session, found.workspace_id, None, "left the team", user.first_name if user else str(user_id))
        await session.delete(found)
    forget_user(database, user_id)
    return True


INVITE_VALID_FOR = timedelta(days=7)


async def create_invite(database: Database, actor: Actor, *, now: datetime) -> str:
    """A single-use link token into the actor's team, valid for a week. Raises NotAllowed for anyone but an
    admin."""
    require(actor.workspace_kind, actor.role, Permission.MANAGE)
    token = secrets.token_urlsafe(12)
    async with database.session() as session:
        session.add(Invite(token=token, workspace_id=actor.workspace_id, created_by=actor.user_id, expires_at=now + INVITE_VALID_FOR))
        audit_by(session, actor, "invite made", f"expires {(now + INVITE_VALID_FOR):%Y-%m-%d}")
    return token


class InviteResult(StrEnum):
    JOINED = "joined"
    ALREADY = "already"  # a member already: the link stays unused for someone else
    USED = "used"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Joined:
    result: InviteResult
    team: str | None = None


async def join_by_invite(database: Database, user_id: int, token: str, *, now: datetime) -> Joined:
    """The person who opened an invite link joins the team as a buyer and acts for it in their private chat.
    A link works once, until it expires."""
    async with database.session() as session:
        invite = await session.get(Invite, token, with_for_update=True) if re.fullmatch(r"[A-Za-z0-9_-]{8,32}", token) else None
        if invite is None:
            return Joined(InviteResult.UNKNOWN)
        workspace = await session.get(Workspace, invite.workspace_id)
        if workspace is None or workspace.archived_at is not None:
            return Joined(InviteResult.UNKNOWN)
        member = await session.scalar(select(Membership).where(Membership.workspace_id == workspace.id, Membership.user_id == user_id))
        if member is not None:
            return Joined(InviteResult.ALREADY, workspace.title)
        if invite.used_at is not None:
            return Joined(InviteResult.USED, workspace.title)
        if invite.expires_at <= now:
            return Joined(InviteResult.EXPIRED, workspace.title)
        invite.used_by, invite.used_at = user_id, now
        session.add(Membership(workspace_id=workspace.id, user_id=user_id, role=Role.MEMBER.value))
        user = await session.get(User, user_id)
        if user is not None:
            user.acting_workspace_id = workspace.id
        audit(session, workspace.id, user_id, "joined by invite", user.first_name if user else str(user_id))
    forget_user(database, user_id)
    return Joined(InviteResult.JOINED, workspace.title)


@dataclass(frozen=True)
class Choice:
    workspace_id: int | None  # None: the person's own workspace
    title: str
    acting: bool


async def workspace_choices(database: Database, user_id: int) -> list[Choice]:
    """Where the person can act from their private chat: their own workspace and each team they belong to."""
    async with database.session() as session:
        user = await session.get(User, user_id)
        rows = await session.execute(
            select(Workspace)
            .join(Membership, Membership.workspace_id == Workspace.id)
            .where(Membership.user_id == user_id, Workspace.kind == WorkspaceKind.TEAM, Workspace.archived_at.is_(None))
            .order_by(Workspace.title)
        )
        acting = user.acting_workspace_id if user else None
        teams = [Choice(workspace.id, workspace.title, workspace.id == acting) for workspace in rows.scalars()]
    own_acting = not any(choice.acting for choice in teams)
    return [Choice(None, "", own_acting), *teams]


async def act_for(database: Database, user_id: int, workspace_id: int | None) -> Choice | None:
    """From now on the person's private chat works for this team (None: their own workspace). None when they
    don't belong to it."""
    async with database.session() as session:
        user = await session.get(User, user_id)
        if user is None:
            return None
        if workspace_id is None:
            user.acting_workspace_id = None
            chosen = Choice(None, "", True)
        else:
            workspace = await session.scalar(
                select(Workspace)
                .join(Membership, Membership.workspace_id == Workspace.id)
                .where(Workspace.id == workspace_id, Membership.user_id == user_id, Workspace.kind == WorkspaceKind.TEAM, Workspace.archived_at.is_(None))
            )
            if workspace is None:
                return None
            user.acting_workspace_id = workspace.id
            chosen = Choice(workspace.id, workspace.title, True)
    forget_user(database, user_id)
    return chosen


@dataclass(frozen=True)
class GroupChat:
    chat_id: int
    language: str | None  # the group's language setting; None: the bot's default


async def group_of(database: Database, actor: Actor) -> GroupChat | None:
    """The team's group chat, when the actor works for a team from elsewhere (their private chat); None when
    they act in the group itself or for their own workspace."""
    if actor.workspace_kind is not WorkspaceKind.TEAM:
        return None
    async with database.session() as session:
        workspace = await session.get(Workspace, actor.workspace_id)
    if workspace is None or workspace.chat_id == actor.chat_id or workspace.archived_at is not None:
        return None
    return GroupChat(workspace.chat_id, workspace.language)


@dataclass(frozen=True)
class Assignable:
    kind: str  # "i": an inquiry, "o": an order
    id: int
    title: str
    owner: str  # the teammate who owns it: the one it was given to, else the one who made it


async def assignables(database: Database, actor: Actor, limit: int = 30) -> list[Assignable]:
    """The workspace's open inquiries and orders with their owners, for /assign."""
    async with database.session() as session:
        members = await session.execute(
            select(User.id, User.first_name).join(Membership, Membership.user_id == User.id).where(Membership.workspace_id == actor.workspace_id)
        )
        names = {user_id: name for user_id, name in members}
        inquiries = await session.execute(
            select(Inquiry)
            .where(Inquiry.workspace_id == actor.workspace_id, Inquiry.status.in_(OPEN_STATUSES), Inquiry.sent_at.is_not(None))
            .order_by(Inquiry.id.desc())
            .limit(limit)
        )
        orders = await session.execute(
            select(Order).where(Order.workspace_id == actor.workspace_id, Order.status.in_(OPEN_ORDER_STATUSES)).order_by(Order.id.desc()).limit(limit)
        )
        found = [
            Assignable("i", row.id, row.product or "—", names.get(row.assignee_id or row.created_by, "—")) for row in inquiries.scalars()
        ]
        found += [
            Assignable("o", row.id, f"#{row.id} {row.product}", names.get(row.assignee_id or row.created_by, "—")) for row in orders.scalars()
        ]
    return found


async def assign(database: Database, actor: Actor, kind: str, item_id: int, user_id: int) -> tuple[Assignable, MemberView] | None:
    """Give an open inquiry ("i") or order ("o") of the workspace to a teammate who can work on it. None when the
    item or the person is not this workspace's, or the person is a viewer. Raises NotAllowed for viewers."""
    require_work(actor)
    model = {"i": Inquiry, "o": Order}.get(kind)
    if model is None:
        return None
    async with database.session() as session:
        row = await session.get(model, item_id, with_for_update=True)
        found = (
            await session.execute(
                select(Membership, User).join(User, User.id == Membership.user_id).where(Membership.workspace_id == actor.workspace_id, Membership.user_id == user_id)
            )
        ).first()
        if row is None or row.workspace_id != actor.workspace_id or found is None or Role(found[0].role) is Role.VIEWER:
            return None
        membership, user = found
        row.assignee_id = user.id
        title = (row.product or "—") if kind == "i" else f"#{row.id} {row.product}"
        audit_by(session, actor, "assigned", title, user.first_name)
        return Assignable(kind, row.id, title, user.first_name), MemberView(user.id, user.first_name, user.username, Role(membership.role))


@dataclass(frozen=True)
class Movable:
    kind: str  # "i": an inquiry, "s": a supplier
    id: int
    title: str


async def movables(database: Database, actor: Actor, limit: int = 30) -> list[Movable]:
    """What the person can move from their own workspace into a team: their inquiries (drafts aside) and
    suppliers."""
    if actor.workspace_kind is not WorkspaceKind.PERSONAL:
        return []
    async with database.session() as session:
        inquiries = await session.execute(
            select(Inquiry).where(Inquiry.workspace_id == actor.workspace_id, Inquiry.sent_at.is_not(None)).order_by(Inquiry.id.desc()).limit(limit)
        )
        found = [Movable("i", row.id, row.product or "—") for row in inquiries.scalars()]
        rows = await session.execute(select(Supplier).where(Supplier.workspace_id == actor.workspace_id, Supplier.archived.is_(False)).order_by(Supplier.id.desc()).limit(limit))
        found += [Movable("s", row.id, row.name) for row in rows.scalars()]
    return found


async def move_to_team(database: Database, actor: Actor, kind: str, item_id: int, team_id: int) -> tuple[Movable, str] | None:
    """Move an inquiry (with its answers, replies, orders and reminders; its supplier found or added in the team)
    or a supplier (with every inquiry about it) from the person's own workspace into a team they work in. The
    inquiries' own questions come along as the team's (not on its shared list). None when the item is not
    theirs or they can't work in that team."""
    if actor.workspace_kind is not WorkspaceKind.PERSONAL:
        return None
    async with database.session() as session:
        team = await session.get(Workspace, team_id)
        membership = await session.scalar(select(Membership).where(Membership.workspace_id == team_id, Membership.user_id == actor.user_id))
        if team is None or team.kind != WorkspaceKind.TEAM or team.archived_at is not None or membership is None:
            return None
        if Permission.WORK not in ROLE_PERMISSIONS[Role(membership.role)]:
            return None
        in_team = replace(actor, workspace_id=team.id, workspace_kind=WorkspaceKind.TEAM, role=Role(membership.role))
        if kind == "s":
            supplier = await session.get(Supplier, item_id, with_for_update=True)
            if supplier is None or supplier.workspace_id != actor.workspace_id:
                return None
            moved_supplier, _new = await find_or_add(session, in_team, supplier.name, _link_of(supplier))
            inquiries = list((await session.execute(select(Inquiry).where(Inquiry.workspace_id == actor.workspace_id, Inquiry.supplier_id == supplier.id))).scalars())
            title = supplier.name
            supplier.archived = True  # kept in the person's own list's archive: the team's copy is the live one
        else:
            inquiry = await session.get(Inquiry, item_id, with_for_update=True)
            if inquiry is None or inquiry.workspace_id != actor.workspace_id or inquiry.sent_at is None:
                return None
            supplier = await session.get(Supplier, inquiry.supplier_id) if inquiry.supplier_id else None
            moved_supplier = (await find_or_add(session, in_team, supplier.name, _link_of(supplier)))[0] if supplier else None
            inquiries, title = [inquiry], inquiry.product or "—"
        for inquiry in inquiries:
            await _move_inquiry(session, inquiry, team.id, moved_supplier.id if moved_supplier else None)
        audit_by(session, in_team, "moved in", title, f"{len(inquiries)} inquiries")
        team_title = team.title
    return Movable(kind, item_id, title), team_title


def _link_of(supplier: Supplier) -> SupplierLink | None:
    return SupplierLink(supplier.offer_id, supplier.shop, supplier.url or "") if (supplier.offer_id or supplier.shop) else None


async def _move_inquiry(session: AsyncSession, inquiry: Inquiry, team_id: int, supplier_id: int | None) -> None:
    """One inquiry and everything hanging on it into the team; its own questions copied as the team's."""
    renamed: dict[str, str] = {}
    for key in inquiry.questions:
        question_id = checklist.custom_id(key)
        original = await session.get(CustomQuestion, question_id) if question_id else None
        if original is not None and original.workspace_id == inquiry.workspace_id:
            copy = CustomQuestion(workspace_id=team_id, text=original.text, text_zh=original.text_zh, shared=False, created_by=original.created_by)
            session.add(copy)
            await session.flush()
            renamed[key] = checklist.custom_key(copy.id)
    if renamed:
        inquiry.questions = [renamed.get(key, key) for key in inquiry.questions]
        for old, new in renamed.items():
            await session.execute(update(Answer).where(Answer.inquiry_id == inquiry.id, Answer.question_key == old).values(question_key=new))
    old_workspace = inquiry.workspace_id
    inquiry.workspace_id, inquiry.supplier_id = team_id, supplier_id
    await session.execute(update(SupplierReply).where(SupplierReply.inquiry_id == inquiry.id).values(workspace_id=team_id))
    await session.execute(update(Reminder).where(Reminder.inquiry_id == inquiry.id, Reminder.workspace_id == old_workspace).values(workspace_id=team_id))
    orders = list((await session.execute(select(Order).where(Order.inquiry_id == inquiry.id, Order.workspace_id == old_workspace))).scalars())
    for order in orders:
        order.workspace_id, order.supplier_id = team_id, supplier_id
        await session.execute(update(Reminder).where(Reminder.order_id == order.id).values(workspace_id=team_id))
