"""The workspace's audit log: who did what, when. Written in the same unit of work as the change it records,
so the log and the data never disagree; read by the team's admins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import AuditEvent, User
from bot.db.session import Database
from bot.domain.workspaces import Permission, require
from bot.services.accounts import Actor


def audit(session: AsyncSession, workspace_id: int, user_id: int | None, action: str, subject: str, detail: str | None = None) -> None:
    session.add(AuditEvent(workspace_id=workspace_id, user_id=user_id, action=action, subject=subject[:64], detail=detail))


def audit_by(session: AsyncSession, actor: Actor, action: str, subject: str, detail: str | None = None) -> None:
    audit(session, actor.workspace_id, actor.user_id, action, subject, detail)


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    who: str | None  # None: Telegram (the bot removed or added, the group upgraded)
    action: str
    subject: str
    detail: str | None


async def recent(database: Database, actor: Actor, limit: int = 30) -> list[AuditLine]:
    """The latest entries, newest first; for the owner and admins. Raises NotAllowed for others."""
    require(actor.workspace_kind, actor.role, Permission.MANAGE)
    async with database.session() as session:
        rows = await session.execute(
            select(AuditEvent, User.first_name)
            .outerjoin(User, User.id == AuditEvent.user_id)
            .where(AuditEvent.workspace_id == actor.workspace_id)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
        return [AuditLine(event.at, name, event.action, event.subject, event.detail) for event, name in rows]
