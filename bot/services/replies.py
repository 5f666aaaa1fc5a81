"""Supplier replies pasted by buyers and the answers they give, scoped to the acting workspace.

The messages a buyer pastes in a row are read together as one batch. Until then they wait in the update
inbox, which keeps their updates open until the batch's answer went out: a restart reads them again. Reading a
batch (storing it, its facts, the inquiry it goes to, the answers proposed, the follow-up moved on) is one unit
of work, and reading it again after a restart stores and proposes nothing twice. Answers found wait for the
buyer's confirmation unless the workspace confirms automatically.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import contains_eager

from bot.db.models import Answer, Inquiry, SupplierReply
from bot.db.session import Database, dialect_insert
from bot.domain import checklist
from bot.domain.answers import (
    AnswerStatus,
    Flag,
    contradicts,
    deal_breakers,
    evidence_for,
    propose_answers,
    tiers_from_minimum,
)
from bot.domain.inquiries import OPEN_STATUSES, InquiryStatus, clean_product, status_for_progress
from bot.domain.workspaces import WorkspaceKind
from bot.extraction import ExtractionResult, extract
from bot.extraction.numbered import numbered_answers
from bot.extraction.result import MANUAL, Fact, Moq
from bot.services.accounts import Actor, actor_for, require_work
from bot.services.results import (
    AnswerRow,
    AnswerView,
    InquiryView,
    answer_view,
    inquiry_progress,
    inquiry_view,
    progress_of,
)
from bot.services.workspaces import default_questions_of, load_questions, load_workspace

MAX_REPLY_CHARS = 20000
ATTACH_CHOICES = 6

# Statements of the hot path, built once (building one costs about as much as running it on SQLite).
_ANSWERS = Answer.__table__
_INSERT_ANSWERS = insert(_ANSWERS).returning(*_ANSWERS.c)
_RECORDED_ANSWERS = select(*_ANSWERS.c).where(
    _ANSWERS.c.inquiry_id == bindparam("inquiry_id"), _ANSWERS.c.status == AnswerStatus.CONFIRMED
)
_WAITING_AND_OTHERS = select(
    select(func.count())
    .select_from(_ANSWERS)
    .where(_ANSWERS.c.inquiry_id == bindparam("inquiry_id"), _ANSWERS.c.status == AnswerStatus.PENDING)
    .scalar_subquery(),
    select(Inquiry.id)
    .where(
        Inquiry.workspace_id == bindparam("workspace_id"),
        Inquiry.status.in_(OPEN_STATUSES),
        Inquiry.id != bindparam("inquiry_id"),
    )
    .exists(),
)


@dataclass(frozen=True)
class Pasted:
    """A message the buyer pasted, waiting to be read with the ones pasted right after it."""

    message_id: int
    text: str
    inquiry_id: int | None  # the inquiry the buyer opened or picked for replies
    update_id: int | None = None  # the update that brought it: done once the batch's answer went out
    likely_id: int | None = None  # the inquiry the buyer last marked sent: first among the choices


@dataclass(frozen=True)
class PendingBatch:
    """Messages one person pasted in a chat, read as one."""

    actor: Actor
    messages: tuple[Pasted, ...]

    @property
    def head(self) -> Pasted:
        """The first message: the batch's translation and facts are kept on it."""
        return self.messages[0]

    @property
    def text(self) -> str:
        return "\n".join(message.text[:MAX_REPLY_CHARS] for message in self.messages)


async def pending_batch(database: Database, chat_id: int, user_id: int, default_language: str) -> PendingBatch | None:
    """Messages stored by an earlier version and never read, to read now."""
    actor = await actor_for(database, user_id, chat_id, default_language)
    async with database.session() as session:
        rows = list(
            (
                await session.execute(
                    select(SupplierReply)
                    .where(
                        SupplierReply.chat_id == chat_id,
                        SupplierReply.created_by == user_id,
                        SupplierReply.processed_at.is_(None),
                    )
                    .order_by(SupplierReply.message_id)
                )
            ).scalars()
        )
    if actor is None or not rows:
        return None
    return PendingBatch(actor, tuple(Pasted(row.message_id, row.text, row.inquiry_id) for row in rows))


async def batches_waiting(database: Database) -> list[tuple[int, int]]:
    """(chat id, user id) of everyone with pasted messages not answered yet (after a restart)."""
    async with database.session() as session:
        rows = await session.execute(
            select(SupplierReply.chat_id, SupplierReply.created_by).where(SupplierReply.processed_at.is_(None)).distinct()
        )
        return [(chat_id, user_id) for chat_id, user_id in rows]


@dataclass(frozen=True)
class Attached:
    """A reply tied to an inquiry: the answers it gave and where the inquiry stands."""

    inquiry: InquiryView
    answers: list[AnswerView]
    progress: checklist.Progress
    question_texts: dict[str, str]
    conflicts: dict[int, AnswerView] = field(default_factory=dict)  # a waiting answer's id -> the recorded one it contradicts
    flags: list[Flag] = field(default_factory=list)  # deal-breakers in what is recorded or waiting
    not_understood: tuple[str, ...] = ()  # the reply's words no rule could place
    waiting: int = 0  # answers of the inquiry still waiting for ✓, this reply's included
    replaced: list[AnswerView] = field(default_factory=list)  # recorded answers a typed one replaced
    reply_id: int | None = None  # the reply these answers came from
    movable: bool = False  # other inquiries are open: the reply can be moved to one


@dataclass(frozen=True)
class BatchRead:
    reply_id: int
    facts: ExtractionResult
    attached: Attached | None  # read against the inquiry the buyer picked, or the only one waiting
    open_inquiries: list[InquiryView]  # otherwise, where it could go (the most likely first)
    team: bool  # teammates may want it in their own language


async def read_batch(
    database: Database, batch: PendingBatch, translation: str | None, *, now: datetime
) -> BatchRead:
    """Keep the batch's translation and facts, and when the buyer had an open inquiry, attach the batch to it
    with the answers it gives. Reading it again (after a restart before its answer went out) proposes nothing
    twice."""
    actor = batch.actor
    async with database.session() as session:
        inquiry = await _open_inquiry(session, actor, batch.head.inquiry_id)
        if inquiry is None:
            waiting = await _waiting_inquiries(session, actor)
            inquiry = waiting[0] if len(waiting) == 1 else None  # only one supplier is expected to answer: no need to ask
        # "1. 可以 2. 不退不换": answers by number are read against the numbered questions last sent
        facts, numbering = _read_by_numbering(batch.text, inquiry)
        head = {"translation": translation, "facts": facts.to_dict(), "inquiry_id": inquiry.id if inquiry else None}
        stored = [
            await _stored(database, session, actor, message, now, head if index == 0 else {})
            for index, message in enumerate(batch.messages)
        ]
        head_id, fresh = stored[0]
        if len(stored) > 1:
            followers = [reply_id for reply_id, _fresh in stored[1:]]
            await session.execute(update(SupplierReply).where(SupplierReply.id.in_(followers)).values(batch_id=head_id))
        attached = (
            await _attach(session, actor, head_id, facts, batch.text, inquiry, fresh=fresh, numbering=numbering)
            if inquiry
            else None
        )
        choices = [] if attached else await _choices(session, actor, batch.head.likely_id)
        return BatchRead(head_id, facts, attached, choices, actor.workspace_kind is WorkspaceKind.TEAM)


async def _stored(
    database: Database, session: AsyncSession, actor: Actor, message: Pasted, now: datetime, fields: dict[str, object]
) -> tuple[int, bool]:
    """The message's row and whether it is new: stored now, or found (read before, and the bot stopped before
    answering), with `fields` in either case."""
    values = {
        "workspace_id": actor.workspace_id,
        "chat_id": actor.chat_id,
        "message_id": message.message_id,
        "text": message.text[:MAX_REPLY_CHARS],
        "created_by": actor.user_id,
        "created_at": now,
        "processed_at": now,
        **{"facts": {}, **fields},
    }
    # A plain row, no ORM bookkeeping on this hot path; the statement is built once per dialect and set of columns.
    inserted = await session.execute(_store_reply(database.is_sqlite, tuple(values)), values)
    reply_id = inserted.scalar()
    if reply_id is not None:
        return int(reply_id), True
    found = await session.execute(
        select(SupplierReply.id).where(SupplierReply.chat_id == actor.chat_id, SupplierReply.message_id == message.message_id)
    )
    reply_id = found.scalar_one()
    await session.execute(update(SupplierReply).where(SupplierReply.id == reply_id).values(processed_at=now, **fields))
    return int(reply_id), False


@functools.cache
def _store_reply(sqlite: bool, columns: tuple[str, ...]) -> Any:
    table = SupplierReply.__table__
    return dialect_insert(sqlite, table).values({column: bindparam(column) for column in columns}).on_conflict_do_nothing().returning(table.c.id)


_OPEN_INQUIRY = (
    select(Inquiry).join(Inquiry.workspace).options(contains_eager(Inquiry.workspace)).where(Inquiry.id == bindparam("id"))
)


async def _open_inquiry(session: AsyncSession, actor: Actor, inquiry_id: int | None) -> Inquiry | None:
    """An open inquiry of the actor's workspace, loaded with its workspace (one query for both)."""
    if inquiry_id is None:
        return None
    inquiry = await session.scalar(_OPEN_INQUIRY, {"id": inquiry_id})
    if inquiry is None or inquiry.workspace_id != actor.workspace_id or inquiry.status not in OPEN_STATUSES:
        return None
    return inquiry


async def _waiting_inquiries(session: AsyncSession, actor: Actor) -> list[Inquiry]:
    """The workspace's inquiries sent to a supplier and still open, the most recently sent first."""
    rows = await session.execute(
        select(Inquiry)
        .where(
            Inquiry.workspace_id == actor.workspace_id,
            Inquiry.status.in_((InquiryStatus.AWAITING_REPLY, InquiryStatus.ANSWERED)),
        )
        .order_by(Inquiry.sent_at.desc(), Inquiry.id.desc())
        .limit(ATTACH_CHOICES + 1)
    )
    return list(rows.scalars())


async def _choices(session: AsyncSession, actor: Actor, likely_id: int | None, but: int | None = None) -> list[InquiryView]:
    """Where a reply could go, the most likely first: the inquiry last marked sent, then the others waiting for a
    reply (the most recently sent first), then the other open ones."""
    rows = await session.execute(
        select(Inquiry)
        .where(Inquiry.workspace_id == actor.workspace_id, Inquiry.status.in_(OPEN_STATUSES), Inquiry.id != (but or 0))
        .order_by(Inquiry.updated_at.desc(), Inquiry.id.desc())
        .limit(ATTACH_CHOICES * 2)
    )
    waiting = (InquiryStatus.AWAITING_REPLY, InquiryStatus.ANSWERED)
    ranked = sorted(
        rows.scalars(),
        key=lambda row: (row.id != likely_id, row.status not in waiting, -(row.sent_at or row.created_at).timestamp()),
    )
    return [await inquiry_view(session, row) for row in ranked[:ATTACH_CHOICES]]


async def _batch_text(session: AsyncSession, head: SupplierReply) -> str:
    rows = await session.execute(
        select(SupplierReply.text)
        .where(or_(SupplierReply.id == head.id, SupplierReply.batch_id == head.id))
        .order_by(SupplierReply.message_id)
    )
    return "\n".join(rows.scalars())


async def _attach(
    session: AsyncSession,
    actor: Actor,
    reply_id: int,
    facts: ExtractionResult,
    text: str,
    inquiry: Inquiry,
    *,
    fresh: bool = False,
    numbering: Sequence[str] = (),
) -> Attached:
    """Tie a batch to an inquiry and propose its facts as answers (once: a second time proposes nothing new),
    confirming them at once when the workspace says so. A `fresh` reply (stored just now) has no answers yet.
    The follow-up reminder counts from the latest reply (the reminder sweep looks)."""
    existing: Sequence[AnswerRow] = (
        []
        if fresh
        else list((await session.execute(select(Answer).where(Answer.reply_id == reply_id).order_by(Answer.id))).scalars())
    )
    if not existing:
        proposals = [
            {
                "inquiry_id": inquiry.id,
                "question_key": proposal.question_key,
                "field": proposal.fact.field,
                "value": {"value": proposal.fact.to_json()},
                "status": AnswerStatus.PENDING,
                "reply_id": reply_id,
                "evidence": evidence_for(text, proposal.fact, numbering),
            }
            for proposal in propose_answers(facts, inquiry.questions)
        ]
        if proposals:  # one statement for them all, as plain rows: no ORM bookkeeping on this hot path
            rows = await session.execute(_INSERT_ANSWERS, proposals)
            existing = sorted(rows, key=lambda row: row.id)  # as the answers of a reply are listed everywhere
        if existing and (await load_workspace(session, actor.workspace_id)).auto_confirm:
            confirmed = []
            for row in existing:
                answer = await session.get_one(Answer, row.id)
                await _confirm(session, actor, answer, inquiry, replace_recorded=False)
                confirmed.append(answer)
            existing = confirmed
    return await _attached(session, actor, inquiry, existing, facts.not_understood, reply_id=reply_id)


async def _attached(
    session: AsyncSession,
    actor: Actor,
    inquiry: Inquiry,
    answers: Sequence[AnswerRow],
    not_understood: tuple[str, ...] = (),
    replaced: Sequence[AnswerRow] = (),
    reply_id: int | None = None,
) -> Attached:
    """A reply's answers with what they contradict among the recorded ones and the deal-breakers they raise."""
    await session.flush()
    own = any(checklist.custom_id(key) is not None for key in inquiry.questions)
    questions = await load_questions(session, actor.workspace_id) if own else []
    views = [answer_view(answer) for answer in answers]
    confirmed = list(await session.execute(_RECORDED_ANSWERS, {"inquiry_id": inquiry.id}))
    recorded = [answer_view(row) for row in confirmed]
    standing = recorded + [answer for answer in views if answer.status == AnswerStatus.PENDING]
    progress = inquiry_progress(inquiry, [(row.question_key, row.field, row.value) for row in confirmed])
    stats = {"inquiry_id": inquiry.id, "workspace_id": actor.workspace_id}
    waiting, others = (await session.execute(_WAITING_AND_OTHERS, stats)).one()
    conflicts = {}
    for answer in views:
        if answer.status != AnswerStatus.PENDING:
            continue
        clash = next(
            (old for old in recorded if old.question_key == answer.question_key and contradicts(old.fact, answer.fact)), None
        )
        if clash is not None:
            conflicts[answer.id] = clash
    flags = deal_breakers(
        [answer.fact for answer in standing],
        quantity=inquiry.quantity,
        certifications_needed=inquiry.certifications_needed,
        asked=inquiry.questions,
    )
    movable = reply_id is not None and bool(others)
    return Attached(
        await inquiry_view(session, inquiry),
        views,
        progress,
        {checklist.custom_key(question.id): question.text for question in questions},
        conflicts,
        flags,
        not_understood,
        int(waiting or 0),
        [answer_view(answer) for answer in replaced],
        reply_id,
        movable,
    )


async def _attach_read(
    session: AsyncSession, actor: Actor, head: SupplierReply, inquiry: Inquiry
) -> Attached:
    """A batch read earlier, attached now (the buyer picked where it goes)."""
    text = await _batch_text(session, head)
    facts, numbering = _read_by_numbering(text, inquiry)
    head.inquiry_id, head.facts = inquiry.id, facts.to_dict()
    return await _attach(session, actor, head.id, facts, text, inquiry, numbering=numbering)


def _read_by_numbering(text: str, inquiry: Inquiry | None) -> tuple[ExtractionResult, Sequence[str]]:
    """The reply's facts, answers by number read against the questions the supplier was sent; when a follow-up
    was drafted and not marked sent, against its numbering if that reads more of the reply as answers."""
    sent = list(inquiry.asked_zh) if inquiry is not None else []
    facts = extract(text, sent)
    if inquiry is None or not inquiry.drafted_zh or not numbered_answers(text, inquiry.drafted_zh):
        return facts, sent
    drafted = extract(text, inquiry.drafted_zh)
    answered = len(propose_answers(facts, inquiry.questions))
    if len(propose_answers(drafted, inquiry.questions)) > answered:
        return drafted, list(inquiry.drafted_zh)
    return facts, sent


async def _scoped_reply(session: AsyncSession, actor: Actor, reply_id: int) -> SupplierReply | None:
    """The first message of a read batch, of the actor's workspace."""
    reply = await session.get(SupplierReply, reply_id)
    if reply is None or reply.workspace_id != actor.workspace_id or reply.batch_id not in (None, reply.id):
        return None
    return reply


async def attach(
    database: Database, actor: Actor, reply_id: int, inquiry_id: int
) -> Attached | None:
    """The buyer says which inquiry a reply is for, or moves it to another: the answers it gave the first one
    are taken back there (its progress follows) and proposed again to the new one."""
    require_work(actor)
    async with database.session() as session:
        head = await _scoped_reply(session, actor, reply_id)
        inquiry = await _open_inquiry(session, actor, inquiry_id)
        if head is None or inquiry is None:
            return None
        if head.inquiry_id not in (None, inquiry.id):
            await _detach(session, head)
        return await _attach_read(session, actor, head, inquiry)


async def _detach(session: AsyncSession, head: SupplierReply) -> None:
    answers = list((await session.execute(select(Answer).where(Answer.reply_id == head.id))).scalars())
    for answer in answers:
        await session.delete(answer)
    await session.flush()
    previous = await session.get(Inquiry, head.inquiry_id) if head.inquiry_id is not None else None
    if previous is not None:
        await _follow_progress(session, previous)


async def move_choices(database: Database, actor: Actor, reply_id: int) -> tuple[int, list[InquiryView]] | None:
    """The other open inquiries a read reply could be moved to."""
    async with database.session() as session:
        head = await _scoped_reply(session, actor, reply_id)
        if head is None:
            return None
        return head.id, await _choices(session, actor, None, but=head.inquiry_id)


async def attach_to_new_inquiry(
    database: Database, actor: Actor, reply_id: int, *, now: datetime
) -> Attached | None:
    """A conversation the buyer began outside the bot: a new inquiry, already sent, with the workspace's default
    questions, and the reply attached to it. Pressing again returns the same inquiry."""
    require_work(actor)
    async with database.session() as session:
        head = await _scoped_reply(session, actor, reply_id)
        if head is None:
            return None
        inquiry = await _open_inquiry(session, actor, head.inquiry_id)
        if inquiry is None:
            workspace = await load_workspace(session, actor.workspace_id)
            inquiry = Inquiry(
                workspace_id=actor.workspace_id,
                created_by=actor.user_id,
                status=InquiryStatus.AWAITING_REPLY,
                questions=default_questions_of(workspace, await load_questions(session, actor.workspace_id)),
                sent_at=now,
                last_asked_at=now,
            )
            session.add(inquiry)
            await session.flush()
        return await _attach_read(session, actor, head, inquiry)


async def name_product(database: Database, actor: Actor, inquiry_id: int, product: str) -> InquiryView | None:
    """The product of an inquiry started from a reply, named by the buyer. Raises InputError for a name that is
    too short or too long."""
    require_work(actor)
    name = clean_product(product)
    async with database.session() as session:
        inquiry = await _open_inquiry(session, actor, inquiry_id)
        if inquiry is None:
            return None
        inquiry.product = name
        return await inquiry_view(session, inquiry)


async def batch_text(database: Database, actor: Actor, reply_id: int) -> str | None:
    """The whole pasted text of a read reply, to translate again."""
    async with database.session() as session:
        head = await _scoped_reply(session, actor, reply_id)
        return await _batch_text(session, head) if head else None


@dataclass(frozen=True)
class Decision:
    answer: AnswerView
    conflict_with: AnswerView | None  # a recorded answer the new one contradicts; nothing changed yet
    of_same_reply: Attached  # all the answers the reply gave, as they stand now
    changed: bool = True  # False: it was decided before (a second press, or a teammate's)


async def _scoped_answer(session: AsyncSession, actor: Actor, answer_id: int) -> tuple[Answer, Inquiry] | None:
    answer = await session.get(Answer, answer_id, with_for_update=True)
    if answer is None:
        return None
    inquiry = await session.get(Inquiry, answer.inquiry_id)
    if inquiry is None or inquiry.workspace_id != actor.workspace_id or inquiry.status == InquiryStatus.DRAFT:
        return None
    return answer, inquiry


async def _recorded(session: AsyncSession, inquiry_id: int, question_key: str, but: int | None = None) -> list[Answer]:
    rows = await session.execute(
        select(Answer).where(
            Answer.inquiry_id == inquiry_id,
            Answer.question_key == question_key,
            Answer.status == AnswerStatus.CONFIRMED,
            Answer.id != (but or 0),
        )
    )
    return list(rows.scalars())


async def _confirm(session: AsyncSession, actor: Actor, answer: Answer, inquiry: Inquiry, *, replace_recorded: bool) -> Answer | None:
    """Confirm a proposed answer; returns the recorded answer it contradicts (and changes nothing) unless the
    buyer picked the new one."""
    new = Fact.from_json(answer.field, answer.value.get("value"))
    assert new is not None
    conflicting = []
    for old in await _recorded(session, inquiry.id, answer.question_key, but=answer.id):
        old_fact = Fact.from_json(old.field, old.value.get("value"))
        if old_fact is not None and contradicts(old_fact, new):
            conflicting.append(old)
    if conflicting and not replace_recorded:
        return conflicting[0]
    for old in conflicting:
        old.status = AnswerStatus.SUPERSEDED
    answer.status, answer.decided_by = AnswerStatus.CONFIRMED, actor.user_id
    if isinstance(new.value, Moq):
        await _tiers_from_minimum(session, inquiry.id, new.value)
    await session.flush()
    await _follow_progress(session, inquiry)
    return None


async def _tiers_from_minimum(session: AsyncSession, inquiry_id: int, moq: Moq) -> None:
    """A new minimum order leaves no recorded price tier below it."""
    for row in await _recorded(session, inquiry_id, "price_tiers"):
        fact = Fact.from_json(row.field, row.value.get("value"))
        if fact is None or fact.field != "price_tiers":
            continue
        tiers = tiers_from_minimum(fact.value, moq.quantity)  # type: ignore[arg-type]
        if tiers != fact.value:
            row.value = {"value": Fact("price_tiers", tiers).to_json()}


async def _follow_progress(session: AsyncSession, inquiry: Inquiry) -> None:
    progress = await progress_of(session, inquiry)
    inquiry.status = status_for_progress(inquiry.status, progress.complete)


async def decide(
    database: Database, actor: Actor, answer_id: int, *, confirm: bool, replace_recorded: bool = False
) -> Decision | None:
    """Confirm or reject a proposed answer. Confirming one that contradicts a recorded answer changes nothing
    and returns the conflict, unless `replace_recorded` says the buyer picked the new one. An answer decided
    before stays as it is."""
    require_work(actor)
    async with database.session() as session:
        found = await _scoped_answer(session, actor, answer_id)
        if found is None:
            return None
        answer, inquiry = found
        conflict = None
        changed = answer.status == AnswerStatus.PENDING
        if changed and not confirm:
            answer.status, answer.decided_by = AnswerStatus.REJECTED, actor.user_id
            await session.flush()
            await _follow_progress(session, inquiry)
        elif changed:
            conflict = await _confirm(session, actor, answer, inquiry, replace_recorded=replace_recorded)
        siblings = (
            list((await session.execute(select(Answer).where(Answer.reply_id == answer.reply_id).order_by(Answer.id))).scalars())
            if answer.reply_id is not None
            else [answer]
        )
        head = await session.get(SupplierReply, answer.reply_id) if answer.reply_id is not None else None
        unplaced = ExtractionResult.from_dict(head.facts).not_understood if head is not None else ()
        return Decision(
            answer_view(answer),
            answer_view(conflict) if conflict else None,
            await _attached(session, actor, inquiry, siblings, unplaced, reply_id=answer.reply_id),
            changed,
        )


async def confirm_all(database: Database, actor: Actor, reply_id: int) -> Attached | None:
    """"All correct": every answer of the reply still waiting is confirmed, except those contradicting a recorded
    answer, which wait for the buyer to pick one."""
    require_work(actor)
    async with database.session() as session:
        head = await _scoped_reply(session, actor, reply_id)
        inquiry = await _open_inquiry(session, actor, head.inquiry_id) if head else None
        if head is None or inquiry is None:
            return None
        answers = await _confirm_waiting(session, actor, inquiry, Answer.reply_id == reply_id)
        unplaced = ExtractionResult.from_dict(head.facts).not_understood
        return await _attached(session, actor, inquiry, answers, unplaced, reply_id=reply_id)


async def waiting_answers(database: Database, actor: Actor, inquiry_id: int, *, confirm: bool = False) -> Attached | None:
    """The answers of an inquiry still waiting for the buyer's ✓, from every reply; with `confirm`, all of them
    confirmed (those contradicting a recorded answer stay to be picked)."""
    if confirm:
        require_work(actor)
    async with database.session() as session:
        inquiry = await _open_inquiry(session, actor, inquiry_id)
        if inquiry is None:
            return None
        waiting = (Answer.inquiry_id == inquiry.id) & (Answer.status == AnswerStatus.PENDING)
        if confirm:
            answers = await _confirm_waiting(session, actor, inquiry, waiting)
        else:
            answers = list((await session.execute(select(Answer).where(waiting).order_by(Answer.id))).scalars())
        return await _attached(session, actor, inquiry, answers)


async def _confirm_waiting(session: AsyncSession, actor: Actor, inquiry: Inquiry, which: Any) -> list[Answer]:
    answers = list((await session.execute(select(Answer).where(which).order_by(Answer.id).with_for_update())).scalars())
    for answer in answers:
        if answer.status == AnswerStatus.PENDING:
            await _confirm(session, actor, answer, inquiry, replace_recorded=False)
    return answers


@dataclass(frozen=True)
class Question:
    """A question a buyer is about to answer in their own words."""

    inquiry_id: int
    key: str
    text: str | None  # the workspace's own question in the buyer's words; None for a built-in one
    answer_id: int | None  # the found answer being corrected, if any


async def _question(session: AsyncSession, actor: Actor, inquiry: Inquiry, key: str, answer_id: int | None) -> Question | None:
    if inquiry.workspace_id != actor.workspace_id or inquiry.status not in OPEN_STATUSES or key not in inquiry.questions:
        return None
    texts = {checklist.custom_key(q.id): q.text for q in await load_questions(session, actor.workspace_id)}
    return Question(inquiry.id, key, texts.get(key), answer_id)


async def open_question(database: Database, actor: Actor, inquiry_id: int, key: str) -> Question | None:
    async with database.session() as session:
        inquiry = await session.get(Inquiry, inquiry_id)
        return await _question(session, actor, inquiry, key, None) if inquiry else None


async def question_of_answer(database: Database, actor: Actor, answer_id: int) -> Question | None:
    async with database.session() as session:
        found = await _scoped_answer(session, actor, answer_id)
        return await _question(session, actor, found[1], found[0].question_key, answer_id) if found else None


async def record_typed_answer(
    database: Database, actor: Actor, inquiry_id: int, question_key: str, text: str, replacing: int | None
) -> Attached | None:
    """The buyer types an answer themselves (or corrects a found one, `replacing` its id): recorded as
    confirmed at once, any earlier recorded answer to the question superseded, the corrected one left out."""
    require_work(actor)
    async with database.session() as session:
        inquiry = await session.get(Inquiry, inquiry_id, with_for_update=True)
        if (
            inquiry is None
            or inquiry.workspace_id != actor.workspace_id
            or inquiry.status not in OPEN_STATUSES
            or question_key not in inquiry.questions
        ):
            return None
        replaced = await _recorded(session, inquiry_id, question_key)
        for old in replaced:
            old.status = AnswerStatus.SUPERSEDED
        if replacing is not None:
            corrected = await session.get(Answer, replacing)
            if corrected is not None and corrected.inquiry_id == inquiry_id:
                corrected.status, corrected.decided_by = AnswerStatus.REJECTED, actor.user_id
        answer = Answer(
            inquiry_id=inquiry_id,
            question_key=question_key,
            field=MANUAL,
            value={"value": text},
            status=AnswerStatus.CONFIRMED,
            decided_by=actor.user_id,
        )
        session.add(answer)
        await session.flush()
        await _follow_progress(session, inquiry)
        return await _attached(session, actor, inquiry, [answer], replaced=replaced)
