"""Inquiries: the draft one buyer writes, the message sent, follow-ups, closing, and the reminders that
chase a silent supplier. One function per thing a buyer does, one unit of work each.

Everything is scoped to the acting workspace: an inquiry id from a button is checked here, a draft is seen
only by the one who writes it, and status changes go through `bot.domain.inquiries.advance`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Answer, Inquiry, Reminder, SupplierReply
from bot.db.session import Database
from bot.domain import checklist
from bot.domain.answers import AnswerStatus, Flag, deal_breakers
from bot.domain.inquiries import (
    COMMON_CERTIFICATIONS,
    COUNTRY_BY_CODE,
    CURRENCIES,
    OPEN_STATUSES,
    InquiryStatus,
    advance,
    product_key,
    reopened_status,
    with_certifications,
)
from bot.domain.suppliers import SupplierLink
from bot.domain.workspaces import Permission, allows
from bot.extraction.numbered import numbered_questions
from bot.services.accounts import ACTIVE_WORKSPACES, Actor, actor_in, in_chat_language, require_work
from bot.services.audit import audit_by
from bot.services.results import (
    InquiryView,
    answer_view,
    confirmed_answers,
    inquiry_progress,
    inquiry_view,
    progress_of,
)
from bot.services.suppliers import SupplierView, current_suppliers, find_or_add, scoped, supplier_view
from bot.services.workspaces import (
    WorkspaceSettings,
    default_questions_of,
    find_or_add_question,
    load_questions,
    load_workspace,
    settings_in,
)

FOLLOW_UP = "follow_up"
SUPPLIER_CHOICES = 6  # suppliers offered as buttons on the first step


@dataclass(frozen=True)
class Draft:
    """A draft with what its next prompt needs: the workspace's defaults and questions, and the suppliers to
    pick from."""

    inquiry: InquiryView
    settings: WorkspaceSettings
    suppliers: tuple[SupplierView, ...]


async def _draft_row(session: AsyncSession, actor: Actor) -> Inquiry | None:
    """The actor's unfinished inquiry in this workspace; teammates never see it."""
    found = await session.execute(
        select(Inquiry)
        .where(
            Inquiry.workspace_id == actor.workspace_id,
            Inquiry.created_by == actor.user_id,
            Inquiry.status == InquiryStatus.DRAFT,
        )
        .order_by(Inquiry.id.desc())
        .limit(1)
    )
    return found.scalar_one_or_none()


async def _draft(session: AsyncSession, actor: Actor, row: Inquiry) -> Draft:
    await session.flush()
    return Draft(
        inquiry=await inquiry_view(session, row),
        settings=await settings_in(session, actor),
        suppliers=tuple(await current_suppliers(session, actor, SUPPLIER_CHOICES)),
    )


async def current_draft(database: Database, actor: Actor) -> Draft | None:
    async with database.session() as session:
        row = await _draft_row(session, actor)
        return await _draft(session, actor, row) if row else None


async def start_draft(
    database: Database, actor: Actor, supplier_id: int | None = None, *, same_as: int | None = None
) -> Draft | None:
    """A new draft with the workspace's default questions (and the supplier, for "Ask this supplier"), or, with
    `same_as`, that inquiry's product, quantity, destination, currency and questions for another supplier (the
    comparison grows); the actor's previous draft is closed. None when the supplier or inquiry is not one of the
    workspace's."""
    require_work(actor)
    async with database.session() as session:
        if supplier_id is not None:
            supplier = await scoped(session, actor, supplier_id)
            if supplier is None or supplier.archived:
                return None
        model = await _scoped(session, actor, same_as) if same_as is not None else None
        if same_as is not None and (model is None or model.status == InquiryStatus.DRAFT):
            return None
        previous = await _draft_row(session, actor)
        if previous is not None:
            previous.status = advance(previous.status, InquiryStatus.CLOSED)
        workspace = await load_workspace(session, actor.workspace_id)
        questions = await load_questions(session, actor.workspace_id)
        row = Inquiry(
            workspace_id=actor.workspace_id,
            created_by=actor.user_id,
            status=InquiryStatus.DRAFT,
            questions=default_questions_of(workspace, questions),
            supplier_id=supplier_id,
        )
        if model is not None:
            for name in ("product", *_SAME_FIELDS):
                setattr(row, name, getattr(model, name))
            row.reached_summary = True
        session.add(row)
        return await _draft(session, actor, row)


# What another inquiry for the same product carries over: all but the supplier and what was sent.
_SAME_FIELDS = ("quantity", "unit", "destination_country", "currency", "questions", "certifications_needed", "forwarder_address")
Change = Callable[[AsyncSession, Inquiry], Awaitable[bool]]


async def _change_draft(database: Database, actor: Actor, change: Change) -> Draft | None:
    """Apply `change` to the actor's draft in one unit of work; None when there is no draft, or the change
    refuses (returns False)."""
    require_work(actor)
    async with database.session() as session:
        row = await _draft_row(session, actor)
        if row is None or not await change(session, row):
            return None
        return await _draft(session, actor, row)


async def choose_supplier(database: Database, actor: Actor, supplier_id: int | None) -> Draft | None:
    async def change(session: AsyncSession, row: Inquiry) -> bool:
        if supplier_id is not None and await scoped(session, actor, supplier_id) is None:
            return False
        row.supplier_id = supplier_id
        return True

    return await _change_draft(database, actor, change)


@dataclass(frozen=True)
class SupplierChosen:
    draft: Draft
    supplier: SupplierView
    created: bool


async def supplier_from_text(database: Database, actor: Actor, name: str, link: SupplierLink | None) -> SupplierChosen | None:
    """A supplier typed or pasted as a link on the first step: found among the workspace's, or added."""
    require_work(actor)
    async with database.session() as session:
        row = await _draft_row(session, actor)
        if row is None:
            return None
        supplier, created = await find_or_add(session, actor, name, link)
        row.supplier_id = supplier.id
        return SupplierChosen(await _draft(session, actor, row), supplier_view(supplier), created)


def _setter(**fields: object) -> Change:
    async def change(session: AsyncSession, row: Inquiry) -> bool:
        for name, value in fields.items():
            setattr(row, name, value)
        return True

    return change


async def set_product(database: Database, actor: Actor, product: str) -> Draft | None:
    return await _change_draft(database, actor, _setter(product=product))


async def set_quantity(database: Database, actor: Actor, quantity: int, unit: str | None) -> Draft | None:
    return await _change_draft(database, actor, _setter(quantity=quantity, unit=unit))


async def _with_default(database: Database, actor: Actor, field: str, value: str) -> Draft | None:
    """Destination and currency: the first answers become the workspace's defaults, for those who may set
    them."""

    async def change(session: AsyncSession, row: Inquiry) -> bool:
        setattr(row, field, value)
        workspace = await load_workspace(session, actor.workspace_id)
        if getattr(workspace, field) is None and allows(actor.workspace_kind, actor.role, Permission.MANAGE):
            setattr(workspace, field, value)
        return True

    return await _change_draft(database, actor, change)


async def set_destination(database: Database, actor: Actor, code: str) -> Draft | None:
    return await _with_default(database, actor, "destination_country", code) if code in COUNTRY_BY_CODE else None


async def set_currency(database: Database, actor: Actor, code: str) -> Draft | None:
    return await _with_default(database, actor, "currency", code) if code in CURRENCIES else None


async def set_question(database: Database, actor: Actor, key: str, on: bool) -> Draft | None:
    """Tick or untick a question (the button says which, so a repeated press changes nothing more)."""

    async def change(session: AsyncSession, row: Inquiry) -> bool:
        known = {question.id for question in await load_questions(session, actor.workspace_id)}
        if checklist.validate_keys([key], known) != [key]:
            return False
        if (key in row.questions) != on:
            row.questions = checklist.toggle(row.questions, key)
        return True

    return await _change_draft(database, actor, change)


async def add_own_question(database: Database, actor: Actor, text: str, text_zh: str | None) -> Draft | None:
    """The buyer's own question, ticked on the draft. An admin's (or a personal workspace's) question joins
    the workspace's list; a team member's stays with this inquiry."""
    require_work(actor)

    async def change(session: AsyncSession, row: Inquiry) -> bool:
        shared = allows(actor.workspace_kind, actor.role, Permission.MANAGE)
        question = await find_or_add_question(session, actor, text, text_zh, shared=shared)
        key = checklist.custom_key(question.id)
        if key not in row.questions:
            row.questions = checklist.toggle(row.questions, key)
        return True

    return await _change_draft(database, actor, change)


async def set_certificate(database: Database, actor: Actor, code: str, on: bool) -> Draft | None:
    """Raises InputError past the limit of certificates."""

    async def change(session: AsyncSession, row: Inquiry) -> bool:
        chosen = list(row.certifications_needed)
        if code not in COMMON_CERTIFICATIONS and code not in chosen:
            return False
        row.certifications_needed = (
            with_certifications(chosen, [code]) if on else [other for other in chosen if other != code]
        )
        return True

    return await _change_draft(database, actor, change)


async def add_certificates(database: Database, actor: Actor, codes: list[str]) -> Draft | None:
    """Certificates the buyer typed; raises InputError past the limit."""

    async def change(session: AsyncSession, row: Inquiry) -> bool:
        row.certifications_needed = with_certifications(list(row.certifications_needed), codes)
        return True

    return await _change_draft(database, actor, change)


async def set_forwarder_address(database: Database, actor: Actor, address: str) -> Draft | None:
    """The forwarder's address, asked the first time an inquiry asks about shipping to it: the workspace
    keeps it when the actor may set its defaults; otherwise this inquiry does."""

    async def change(session: AsyncSession, row: Inquiry) -> bool:
        if allows(actor.workspace_kind, actor.role, Permission.MANAGE):
            (await load_workspace(session, actor.workspace_id)).forwarder_address = address
        else:
            row.forwarder_address = address
        return True

    return await _change_draft(database, actor, change)


async def reach_summary(database: Database, actor: Actor) -> Draft | None:
    return await _change_draft(database, actor, _setter(reached_summary=True))


async def write_message(database: Database, actor: Actor, draft_id: int, message_zh: str) -> InquiryView | None:
    """The draft becomes a message ready to send."""
    require_work(actor)
    async with database.session() as session:
        row = await _draft_row(session, actor)
        if row is None or row.id != draft_id:
            return None
        row.status = advance(row.status, InquiryStatus.READY)
        row.message_zh = message_zh
        return await inquiry_view(session, row)


async def _scoped(session: AsyncSession, actor: Actor, inquiry_id: int, *, lock: bool = False) -> Inquiry | None:
    """An inquiry of the actor's workspace; a draft only for the one who writes it."""
    row = await session.get(Inquiry, inquiry_id, with_for_update=lock)
    if row is None or row.workspace_id != actor.workspace_id:
        return None
    if row.status == InquiryStatus.DRAFT and row.created_by != actor.user_id:
        return None
    return row


async def sent_inquiry(database: Database, actor: Actor, inquiry_id: int) -> InquiryView | None:
    """An inquiry of the workspace that went beyond its draft (for the buttons of a sent one)."""
    async with database.session() as session:
        row = await _scoped(session, actor, inquiry_id)
        if row is None or row.status == InquiryStatus.DRAFT:
            return None
        return await inquiry_view(session, row)


async def _follow_up_hours(session: AsyncSession, workspace_id: int, default_hours: float) -> float:
    workspace = await load_workspace(session, workspace_id)
    return workspace.follow_up_hours or default_hours


async def _schedule_follow_up(session: AsyncSession, row: Inquiry, due_at: datetime) -> None:
    """The inquiry's one pending follow-up reminder, at `due_at`."""
    await session.execute(
        update(Reminder)
        .where(Reminder.inquiry_id == row.id, Reminder.sent_at.is_(None), Reminder.cancelled.is_(False))
        .values(cancelled=True)
    )
    workspace = await load_workspace(session, row.workspace_id)
    session.add(
        Reminder(workspace_id=row.workspace_id, chat_id=workspace.chat_id, inquiry_id=row.id, kind=FOLLOW_UP, due_at=due_at)
    )


@dataclass(frozen=True)
class Sent:
    inquiry: InquiryView
    follow_up_hours: float
    changed: bool = True  # False: it was marked sent before (a second press)


async def mark_sent(database: Database, actor: Actor, inquiry_id: int, *, now: datetime, default_hours: float) -> Sent | None:
    """The buyer sent the message: wait for the reply, with one follow-up reminder. A second press (or a
    redelivered one) changes nothing."""
    require_work(actor)
    async with database.session() as session:
        row = await _scoped(session, actor, inquiry_id, lock=True)
        if row is None or row.status == InquiryStatus.DRAFT:
            return None
        hours = await _follow_up_hours(session, row.workspace_id, default_hours)
        changed = row.status == InquiryStatus.READY
        if changed:
            audit_by(session, actor, "inquiry sent", f"inquiry #{row.id}", row.product)
            row.status = advance(row.status, InquiryStatus.AWAITING_REPLY)
            row.sent_at = row.last_asked_at = now
            row.asked_zh = numbered_questions(row.message_zh or "")
            await _schedule_follow_up(session, row, now + timedelta(hours=hours))
        return Sent(await inquiry_view(session, row), hours, changed)


async def follow_up_sent(
    database: Database, actor: Actor, inquiry_id: int, *, message_zh: str | None, now: datetime, default_hours: float
) -> Sent | None:
    """The buyer sent the follow-up (or, with no `message_zh`, another message such as a price offer): a
    follow-up's numbering is what the supplier's next answers use, and the reminder starts again."""
    require_work(actor)
    async with database.session() as session:
        row = await _scoped(session, actor, inquiry_id, lock=True)
        if row is None or row.status not in OPEN_STATUSES:
            return None
        hours = await _follow_up_hours(session, row.workspace_id, default_hours)
        if message_zh is not None:
            row.asked_zh = numbered_questions(message_zh)
            row.drafted_zh = []
        row.last_asked_at = now
        await _schedule_follow_up(session, row, now + timedelta(hours=hours))
        return Sent(await inquiry_view(session, row), hours)


async def earlier_inquiry_for(database: Database, actor: Actor, product: str) -> InquiryView | None:
    """The latest inquiry sent about the same product (the same words, whatever the case), if any."""
    wanted = product_key(product)
    async with database.session() as session:
        rows = await session.execute(
            select(Inquiry)
            .where(Inquiry.workspace_id == actor.workspace_id, Inquiry.sent_at.is_not(None))
            .order_by(Inquiry.sent_at.desc())
            .limit(200)
        )
        found = next((row for row in rows.scalars() if product_key(row.product) == wanted), None)
        return await inquiry_view(session, found) if found else None


async def copy_from(database: Database, actor: Actor, inquiry_id: int) -> Draft | None:
    """The actor's draft takes an earlier inquiry's quantity, destination, currency and questions."""
    require_work(actor)
    async with database.session() as session:
        model = await _scoped(session, actor, inquiry_id)
        row = await _draft_row(session, actor)
        if model is None or row is None:
            return None
        for name in _SAME_FIELDS:
            setattr(row, name, getattr(model, name))
        row.reached_summary = True
        return await _draft(session, actor, row)


async def follow_up_drafted(database: Database, actor: Actor, inquiry_id: int, message_zh: str) -> None:
    """A follow-up was drafted: until it is marked sent, a reply numbered by it can still be read by it."""
    require_work(actor)
    async with database.session() as session:
        row = await _scoped(session, actor, inquiry_id, lock=True)
        if row is not None and row.status in OPEN_STATUSES:
            row.drafted_zh = numbered_questions(message_zh)


async def close_inquiry(database: Database, actor: Actor, inquiry_id: int) -> InquiryView | None:
    """Close an open inquiry and drop its pending reminders."""
    require_work(actor)
    async with database.session() as session:
        row = await _scoped(session, actor, inquiry_id, lock=True)
        if row is None or row.status not in OPEN_STATUSES:
            return None
        row.status = advance(row.status, InquiryStatus.CLOSED)
        audit_by(session, actor, "inquiry closed", f"inquiry #{row.id}", row.product)
        await session.execute(
            update(Reminder).where(Reminder.inquiry_id == inquiry_id, Reminder.sent_at.is_(None)).values(cancelled=True)
        )
        return await inquiry_view(session, row)


async def reopen_inquiry(database: Database, actor: Actor, inquiry_id: int) -> InquiryCard | None:
    """A closed inquiry open again, as far as it had come; its answers were kept."""
    require_work(actor)
    async with database.session() as session:
        row = await _scoped(session, actor, inquiry_id, lock=True)
        if row is None or row.status != InquiryStatus.CLOSED:
            return None
        audit_by(session, actor, "inquiry reopened", f"inquiry #{row.id}", row.product)
        progress = await progress_of(session, row)
        row.status = advance(row.status, reopened_status(row.sent_at is not None, progress.complete))
        return await card_in(session, actor, row)


async def closed_inquiries(database: Database, actor: Actor, limit: int = 20) -> list[InquiryView]:
    """The workspace's closed inquiries, the most recently changed first."""
    async with database.session() as session:
        rows = await session.execute(
            select(Inquiry)
            .where(Inquiry.workspace_id == actor.workspace_id, Inquiry.status == InquiryStatus.CLOSED, Inquiry.message_zh.is_not(None))
            .order_by(Inquiry.updated_at.desc(), Inquiry.id.desc())
            .limit(limit)
        )
        return [await inquiry_view(session, row) for row in rows.scalars()]


@dataclass(frozen=True)
class InquirySummary:
    inquiry: InquiryView
    answered: int
    total: int
    waiting: int  # found answers waiting for the buyer's ✓


@dataclass(frozen=True)
class OpenInquiries:
    summaries: list[InquirySummary]  # the one waiting longest first
    draft: InquiryView | None  # the actor's own unfinished one
    closed: int  # how many were closed (they can be viewed and reopened)


async def open_inquiries(database: Database, actor: Actor) -> OpenInquiries:
    async with database.session() as session:
        rows = list(
            (
                await session.execute(
                    select(Inquiry)
                    .where(Inquiry.workspace_id == actor.workspace_id, Inquiry.status.in_(OPEN_STATUSES))
                    .order_by(func.coalesce(Inquiry.sent_at, Inquiry.created_at), Inquiry.id)
                )
            ).scalars()
        )
        answers = await confirmed_answers(session, [row.id for row in rows])
        waiting = dict(
            (
                await session.execute(
                    select(Answer.inquiry_id, func.count())
                    .where(Answer.inquiry_id.in_([row.id for row in rows]), Answer.status == AnswerStatus.PENDING)
                    .group_by(Answer.inquiry_id)
                )
            ).all()
        )
        summaries = []
        for row in rows:
            confirmed = [(answer.question_key, answer.field, answer.value) for answer in answers.get(row.id, [])]
            progress = inquiry_progress(row, confirmed)
            summaries.append(
                InquirySummary(await inquiry_view(session, row), progress.answered, progress.total, int(waiting.get(row.id, 0)))
            )
        draft = await _draft_row(session, actor)
        closed = await session.scalar(
            select(func.count())
            .select_from(Inquiry)
            .where(Inquiry.workspace_id == actor.workspace_id, Inquiry.status == InquiryStatus.CLOSED, Inquiry.message_zh.is_not(None))
        )
        return OpenInquiries(summaries, await inquiry_view(session, draft) if draft else None, int(closed or 0))


@dataclass(frozen=True)
class InquiryCard:
    inquiry: InquiryView
    recorded: dict[str, list]  # question key -> its confirmed AnswerViews
    progress: checklist.Progress
    question_texts: dict[str, str]  # the workspace's own questions, in the buyer's words
    flags: list[Flag]  # deal-breakers among the recorded answers
    waiting: int  # found answers waiting for the buyer's ✓


async def card_in(session: AsyncSession, actor: Actor, row: Inquiry) -> InquiryCard:
    recorded: dict[str, list] = {}
    for answer in (await confirmed_answers(session, [row.id])).get(row.id, []):
        recorded.setdefault(answer.question_key, []).append(answer_view(answer))
    settings = await settings_in(session, actor)
    facts = [answer.fact for answers in recorded.values() for answer in answers]
    flags = deal_breakers(
        facts, quantity=row.quantity, certifications_needed=row.certifications_needed, asked=row.questions
    )
    waiting = await session.scalar(
        select(func.count()).select_from(Answer).where(Answer.inquiry_id == row.id, Answer.status == AnswerStatus.PENDING)
    )
    return InquiryCard(
        await inquiry_view(session, row),
        recorded,
        await progress_of(session, row),
        settings.question_texts(),
        flags,
        int(waiting or 0),
    )


async def inquiry_card(database: Database, actor: Actor, inquiry_id: int) -> InquiryCard | None:
    """An inquiry beyond its draft with its recorded answers and progress."""
    async with database.session() as session:
        row = await _scoped(session, actor, inquiry_id)
        if row is None or row.status == InquiryStatus.DRAFT:
            return None
        return await card_in(session, actor, row)


@dataclass(frozen=True)
class DueReminder:
    reminder_id: int
    chat_id: int
    actor: Actor  # the inquiry's writer, in the chat the reminder goes to
    card: InquiryCard


async def claim_due_reminders(
    database: Database, now: datetime, default_language: str, default_hours: float, limit: int = 50
) -> list[DueReminder]:
    """Reminders that are due, marked sent in the same unit of work so a crash or a second sweep never sends
    one twice. Reminders for inquiries no longer waiting are claimed and dropped; one whose supplier replied
    meanwhile waits again, from the latest reply."""
    async with database.session() as session:
        due = list(
            (
                await session.execute(
                    select(Reminder)
                    .where(
                        Reminder.inquiry_id.is_not(None),  # an order's reminders are the orders' sweep's
                        Reminder.due_at <= now,
                        Reminder.sent_at.is_(None),
                        Reminder.cancelled.is_(False),
                        Reminder.workspace_id.in_(ACTIVE_WORKSPACES),  # a removed bot reminds nobody
                    )
                    .order_by(Reminder.due_at)
                    .limit(limit)
                )
            ).scalars()
        )
        found = []
        for reminder in due:
            row = await session.get(Inquiry, reminder.inquiry_id) if reminder.inquiry_id else None
            if row is not None and row.status == InquiryStatus.AWAITING_REPLY:
                # A reply since the reminder was set: the silence counts from the latest one.
                latest = await session.scalar(select(func.max(SupplierReply.created_at)).where(SupplierReply.inquiry_id == row.id))
                waited = timedelta(hours=await _follow_up_hours(session, row.workspace_id, default_hours))
                if latest is not None and latest + waited > now:
                    reminder.due_at = latest + waited
                    continue
            reminder.sent_at = now
            if row is None or row.status != InquiryStatus.AWAITING_REPLY:
                continue
            actor = await actor_in(session, row.created_by, reminder.chat_id, default_language, reminder.workspace_id)
            if actor is not None:
                actor = await in_chat_language(session, actor)
                found.append(DueReminder(reminder.id, reminder.chat_id, actor, await card_in(session, actor, row)))
        return found
