"""What services hand to handlers: typed, immutable views built from rows inside the unit of work, so no
handler ever touches an ORM row or the JSON a fact is stored as."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Answer, Inquiry, Supplier, Workspace
from bot.domain import checklist
from bot.domain.answers import AnswerStatus, answered_questions
from bot.domain.inquiries import InquiryStatus
from bot.extraction.result import Fact


@dataclass(frozen=True)
class InquiryView:
    id: int
    status: InquiryStatus
    created_by: int
    supplier_id: int | None
    supplier_name: str | None
    product: str | None
    quantity: int | None
    unit: str | None
    destination_country: str | None
    currency: str | None
    questions: tuple[str, ...]
    certifications_needed: tuple[str, ...]
    forwarder_address: str | None  # the inquiry's own, else the workspace's
    reached_summary: bool
    message_zh: str | None
    asked_zh: tuple[str, ...]  # the numbered questions of the last message sent
    sent_at: datetime | None
    last_asked_at: datetime | None  # the latest message to the supplier


async def inquiry_view(session: AsyncSession, row: Inquiry) -> InquiryView:
    supplier = await session.get(Supplier, row.supplier_id) if row.supplier_id is not None else None
    address = row.forwarder_address
    if address is None:
        workspace = await session.get(Workspace, row.workspace_id)
        address = workspace.forwarder_address if workspace else None
    return InquiryView(
        id=row.id,
        status=InquiryStatus(row.status),
        created_by=row.created_by,
        supplier_id=row.supplier_id,
        supplier_name=supplier.name if supplier else None,
        product=row.product,
        quantity=row.quantity,
        unit=row.unit,
        destination_country=row.destination_country,
        currency=row.currency,
        questions=tuple(row.questions),
        certifications_needed=tuple(row.certifications_needed),
        forwarder_address=address,
        reached_summary=row.reached_summary,
        message_zh=row.message_zh,
        asked_zh=tuple(row.asked_zh),
        sent_at=row.sent_at,
        last_asked_at=row.last_asked_at or row.sent_at,
    )


@dataclass(frozen=True)
class AnswerView:
    id: int
    inquiry_id: int
    question_key: str
    fact: Fact
    status: AnswerStatus
    evidence: str | None  # the words of the reply it came from
    reply_id: int | None


class AnswerRow(Protocol):
    """An answers row: the ORM object, or the plain row a bulk insert returns."""

    @property
    def id(self) -> int: ...
    @property
    def inquiry_id(self) -> int: ...
    @property
    def question_key(self) -> str: ...
    @property
    def field(self) -> str: ...
    @property
    def value(self) -> dict[str, Any]: ...
    @property
    def status(self) -> str: ...
    @property
    def evidence(self) -> str | None: ...
    @property
    def reply_id(self) -> int | None: ...


def answer_view(row: AnswerRow) -> AnswerView:
    fact = Fact.from_json(row.field, row.value.get("value"))
    assert fact is not None, f"answer {row.id} holds a fact"
    return AnswerView(row.id, row.inquiry_id, row.question_key, fact, AnswerStatus(row.status), row.evidence, row.reply_id)


async def confirmed_answers(session: AsyncSession, inquiry_ids: Iterable[int]) -> dict[int, list[Answer]]:
    """Confirmed answers per inquiry, oldest first."""
    wanted = list(inquiry_ids)
    if not wanted:
        return {}
    rows = await session.execute(
        select(Answer)
        .where(Answer.inquiry_id.in_(wanted), Answer.status == AnswerStatus.CONFIRMED)
        .order_by(Answer.id)
    )
    found: dict[int, list[Answer]] = {}
    for row in rows.scalars():
        found.setdefault(row.inquiry_id, []).append(row)
    return found


async def progress_of(session: AsyncSession, inquiry: Inquiry) -> checklist.Progress:
    await session.flush()
    rows = await session.execute(
        select(Answer.question_key, Answer.field, Answer.value).where(
            Answer.inquiry_id == inquiry.id, Answer.status == AnswerStatus.CONFIRMED
        )
    )
    return inquiry_progress(inquiry, [(key, field, value) for key, field, value in rows])


def inquiry_progress(inquiry: Inquiry, confirmed: Iterable[tuple[str, str, dict[str, Any]]]) -> checklist.Progress:
    """How far an inquiry's questions are answered, from its confirmed answers (question key, field, stored value)."""
    facts = [(key, fact) for key, field, value in confirmed if (fact := Fact.from_json(field, value.get("value")))]
    return checklist.progress(inquiry.questions, answered_questions(facts, inquiry.certifications_needed))
