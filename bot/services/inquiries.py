"""Inquiries, their drafts, workspace defaults, custom questions and follow-up reminders, scoped to a workspace.

Every function takes the acting workspace (and user where drafts are concerned) and never returns another
workspace's rows: ids that come from users are checked here, not trusted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Answer, CustomQuestion, Inquiry, Reminder, Supplier, TemplateOverride, Workspace
from bot.db.session import Database
from bot.domain import checklist
from bot.domain.answers import AnswerStatus
from bot.domain.inquiries import OPEN_STATUSES, InquiryStatus
from bot.extraction.numbered import numbered_questions
from bot.services.accounts import Actor

FOLLOW_UP = "follow_up"


async def get_workspace(database: Database, workspace_id: int) -> Workspace:
    async with database.session() as session:
        workspace = await session.get(Workspace, workspace_id)
        assert workspace is not None
        return workspace


async def update_workspace(database: Database, workspace_id: int, **fields: object) -> Workspace:
    async with database.session() as session:
        workspace = await session.get(Workspace, workspace_id)
        assert workspace is not None
        for name, value in fields.items():
            setattr(workspace, name, value)
        return workspace


async def default_questions(database: Database, workspace_id: int) -> list[str]:
    """The questions a new inquiry of this workspace starts with (its own questions deleted since are dropped)."""
    workspace = await get_workspace(database, workspace_id)
    customs = {question.id for question in await custom_questions(database, workspace_id)}
    return checklist.validate_keys(workspace.default_checklist or checklist.default_checklist(), customs)


async def current_draft(database: Database, actor: Actor) -> Inquiry | None:
    """The actor's unfinished inquiry in this workspace; teammates never see it."""
    async with database.session() as session:
        return (
            await session.execute(
                select(Inquiry)
                .where(
                    Inquiry.workspace_id == actor.workspace_id,
                    Inquiry.created_by == actor.user_id,
                    Inquiry.status == InquiryStatus.DRAFT,
                )
                .order_by(Inquiry.id.desc())
                .limit(1)
            )
        ).scalar_one_or_none()


async def new_draft(database: Database, actor: Actor, questions: Sequence[str]) -> Inquiry:
    """Start a new draft, discarding the actor's previous one in this workspace (one draft at a time)."""
    async with database.session() as session:
        await session.execute(
            update(Inquiry)
            .where(
                Inquiry.workspace_id == actor.workspace_id,
                Inquiry.created_by == actor.user_id,
                Inquiry.status == InquiryStatus.DRAFT,
            )
            .values(status=InquiryStatus.CLOSED)
        )
        inquiry = Inquiry(
            workspace_id=actor.workspace_id,
            created_by=actor.user_id,
            status=InquiryStatus.DRAFT,
            questions=list(questions),
        )
        session.add(inquiry)
        await session.flush()
        return inquiry


async def _scoped(session: AsyncSession, actor: Actor, inquiry_id: int) -> Inquiry | None:
    """An inquiry of the actor's workspace; a draft only for the one who writes it."""
    inquiry = await session.get(Inquiry, inquiry_id)
    if inquiry is None or inquiry.workspace_id != actor.workspace_id:
        return None
    if inquiry.status == InquiryStatus.DRAFT and inquiry.created_by != actor.user_id:
        return None
    return inquiry


async def get_inquiry(database: Database, actor: Actor, inquiry_id: int) -> Inquiry | None:
    async with database.session() as session:
        return await _scoped(session, actor, inquiry_id)


async def update_inquiry(database: Database, actor: Actor, inquiry_id: int, **fields: object) -> Inquiry | None:
    async with database.session() as session:
        inquiry = await _scoped(session, actor, inquiry_id)
        if inquiry is None:
            return None
        for name, value in fields.items():
            setattr(inquiry, name, value)
        return inquiry


async def mark_sent(
    database: Database, actor: Actor, inquiry_id: int, now: datetime, follow_up_hours: float
) -> Inquiry | None:
    """The buyer sent the message: wait for the reply and schedule one follow-up reminder.

    Pressing the button twice (or a redelivered press) changes nothing the second time.
    """
    async with database.session() as session:
        inquiry = await _scoped(session, actor, inquiry_id)
        if inquiry is None or inquiry.status != InquiryStatus.READY:
            return inquiry
        inquiry.status = InquiryStatus.AWAITING_REPLY
        inquiry.sent_at = now
        inquiry.asked_zh = numbered_questions(inquiry.message_zh or "")
        workspace = await session.get(Workspace, actor.workspace_id)
        assert workspace is not None
        session.add(
            Reminder(
                workspace_id=actor.workspace_id,
                chat_id=workspace.chat_id,
                inquiry_id=inquiry.id,
                kind=FOLLOW_UP,
                due_at=now + timedelta(hours=workspace.follow_up_hours or follow_up_hours),
            )
        )
        return inquiry


async def reschedule_follow_up(
    database: Database, inquiry_id: int, due_at: datetime, sent_message_zh: str | None = None
) -> None:
    """Replace the inquiry's pending follow-up with one at `due_at`; `sent_message_zh` is a follow-up the
    buyer just sent, whose numbering the supplier's next answers will use."""
    async with database.session() as session:
        inquiry = await session.get(Inquiry, inquiry_id)
        if inquiry is None:
            return
        if sent_message_zh is not None:
            inquiry.asked_zh = numbered_questions(sent_message_zh)
        await session.execute(
            update(Reminder)
            .where(Reminder.inquiry_id == inquiry_id, Reminder.sent_at.is_(None), Reminder.cancelled.is_(False))
            .values(cancelled=True)
        )
        workspace = await session.get(Workspace, inquiry.workspace_id)
        assert workspace is not None
        session.add(
            Reminder(
                workspace_id=inquiry.workspace_id,
                chat_id=workspace.chat_id,
                inquiry_id=inquiry_id,
                kind=FOLLOW_UP,
                due_at=due_at,
            )
        )


async def claim_due_reminders(database: Database, now: datetime) -> list[Reminder]:
    """Reminders that are due, marked sent in the same unit of work so a crash or a second sweep never
    sends one twice."""
    async with database.session() as session:
        due = list(
            (
                await session.execute(
                    select(Reminder)
                    .where(Reminder.due_at <= now, Reminder.sent_at.is_(None), Reminder.cancelled.is_(False))
                    .order_by(Reminder.due_at)
                    .limit(50)
                )
            ).scalars()
        )
        for reminder in due:
            reminder.sent_at = now
        return due


@dataclass(frozen=True)
class InquirySummary:
    inquiry: Inquiry
    supplier_name: str | None
    answered: int
    total: int


async def open_inquiries(database: Database, workspace_id: int) -> list[InquirySummary]:
    """Open inquiries of a workspace, the one waiting longest first."""
    async with database.session() as session:
        rows = (
            await session.execute(
                select(Inquiry, Supplier.name)
                .outerjoin(Supplier, Supplier.id == Inquiry.supplier_id)
                .where(Inquiry.workspace_id == workspace_id, Inquiry.status.in_(OPEN_STATUSES))
                .order_by(func.coalesce(Inquiry.sent_at, Inquiry.created_at), Inquiry.id)
            )
        ).all()
        answered = await answered_keys(database, [inquiry.id for inquiry, _ in rows], session=session)
    return [
        InquirySummary(inquiry, name, len(answered.get(inquiry.id, set()) & set(inquiry.questions)), len(inquiry.questions))
        for inquiry, name in rows
    ]


async def answered_keys(database: Database, inquiry_ids: Sequence[int], session=None) -> dict[int, set[str]]:  # type: ignore[no-untyped-def]
    """The checklist keys with a confirmed answer, per inquiry."""
    if not inquiry_ids:
        return {}
    query = select(Answer.inquiry_id, Answer.question_key).where(
        Answer.inquiry_id.in_(inquiry_ids), Answer.status == AnswerStatus.CONFIRMED
    )
    if session is None:
        async with database.session() as own:
            rows = (await own.execute(query)).all()
    else:
        rows = (await session.execute(query)).all()
    result: dict[int, set[str]] = {}
    for inquiry_id, key in rows:
        result.setdefault(inquiry_id, set()).add(key)
    return result


async def custom_questions(database: Database, workspace_id: int) -> list[CustomQuestion]:
    async with database.session() as session:
        return list(
            (
                await session.execute(
                    select(CustomQuestion).where(CustomQuestion.workspace_id == workspace_id).order_by(CustomQuestion.id)
                )
            ).scalars()
        )


async def add_custom_question(database: Database, actor: Actor, text: str, text_zh: str | None) -> CustomQuestion:
    async with database.session() as session:
        question = CustomQuestion(workspace_id=actor.workspace_id, text=text, text_zh=text_zh, created_by=actor.user_id)
        session.add(question)
        await session.flush()
        return question


async def template_override(database: Database, workspace_id: int, kind: str) -> str | None:
    async with database.session() as session:
        row = (
            await session.execute(
                select(TemplateOverride).where(TemplateOverride.workspace_id == workspace_id, TemplateOverride.kind == kind)
            )
        ).scalar_one_or_none()
        return row.body if row else None


async def save_template_override(database: Database, actor: Actor, kind: str, body: str | None) -> None:
    """Store (or with None, remove) the workspace's own Chinese text for one message kind."""
    async with database.session() as session:
        row = (
            await session.execute(
                select(TemplateOverride).where(
                    TemplateOverride.workspace_id == actor.workspace_id, TemplateOverride.kind == kind
                )
            )
        ).scalar_one_or_none()
        if body is None:
            if row is not None:
                await session.delete(row)
        elif row is None:
            session.add(TemplateOverride(workspace_id=actor.workspace_id, kind=kind, body=body, updated_by=actor.user_id))
        else:
            row.body, row.updated_by = body, actor.user_id


async def inquiry_from_reply(database: Database, actor: Actor, now: datetime) -> Inquiry:
    """An inquiry for a conversation the buyer began outside the bot: the message went out already, so it
    waits for replies with the workspace's default checklist."""
    questions = await default_questions(database, actor.workspace_id)
    async with database.session() as session:
        inquiry = Inquiry(
            workspace_id=actor.workspace_id,
            created_by=actor.user_id,
            status=InquiryStatus.AWAITING_REPLY,
            questions=questions,
            sent_at=now,
        )
        session.add(inquiry)
        await session.flush()
        return inquiry


async def close_inquiry(database: Database, actor: Actor, inquiry_id: int) -> Inquiry | None:
    """Close an open inquiry and drop its pending reminders."""
    async with database.session() as session:
        inquiry = await _scoped(session, actor, inquiry_id)
        if inquiry is None or inquiry.status == InquiryStatus.DRAFT:
            return None
        inquiry.status = InquiryStatus.CLOSED
        await session.execute(
            update(Reminder).where(Reminder.inquiry_id == inquiry_id, Reminder.sent_at.is_(None)).values(cancelled=True)
        )
        return inquiry


async def inquiry_by_id(database: Database, inquiry_id: int) -> Inquiry | None:
    """For the bot's own scheduled work only; anything a user names goes through `get_inquiry`."""
    async with database.session() as session:
        return await session.get(Inquiry, inquiry_id)
