"""Supplier replies pasted by buyers and the answers they give, scoped to the acting workspace.

A pasted message is stored at once (nothing lost if the bot stops before it is read); answers found in it
wait for the buyer's confirmation unless the workspace confirms automatically.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.db.models import Answer, Inquiry, SupplierReply
from bot.db.session import Database
from bot.domain.answers import FIELD_KEYWORDS, MANUAL_FIELD, AnswerStatus, contradicts, evidence_for, propose_answers
from bot.domain.inquiries import OPEN_STATUSES, InquiryStatus
from bot.extraction import extract
from bot.services.accounts import Actor


async def store_reply(
    database: Database, actor: Actor, *, message_id: int, text: str, inquiry_id: int | None
) -> SupplierReply | None:
    """Keep a pasted message; None when this message was stored already (a redelivered update)."""
    try:
        async with database.session() as session:
            if inquiry_id is not None:
                inquiry = await session.get(Inquiry, inquiry_id)
                if inquiry is None or inquiry.workspace_id != actor.workspace_id:
                    inquiry_id = None
            reply = SupplierReply(
                workspace_id=actor.workspace_id,
                inquiry_id=inquiry_id,
                chat_id=actor.chat_id,
                message_id=message_id,
                text=text,
                created_by=actor.user_id,
                facts={},
            )
            session.add(reply)
            await session.flush()
            return reply
    except IntegrityError:
        return None


async def unprocessed_replies(database: Database, chat_id: int, user_id: int | None = None) -> list[SupplierReply]:
    async with database.session() as session:
        query = select(SupplierReply).where(SupplierReply.chat_id == chat_id, SupplierReply.processed_at.is_(None))
        if user_id is not None:
            query = query.where(SupplierReply.created_by == user_id)
        return list((await session.execute(query.order_by(SupplierReply.message_id))).scalars())


async def chats_with_unprocessed_replies(database: Database) -> list[tuple[int, int]]:
    async with database.session() as session:
        rows = await session.execute(
            select(SupplierReply.chat_id, SupplierReply.created_by).where(SupplierReply.processed_at.is_(None)).distinct()
        )
        return [(chat_id, user_id) for chat_id, user_id in rows]


async def mark_processed(
    database: Database, reply_ids: Sequence[int], *, translation: str | None, facts: dict[str, Any], now: datetime
) -> None:
    async with database.session() as session:
        for index, reply_id in enumerate(reply_ids):
            reply = await session.get(SupplierReply, reply_id)
            if reply is not None:
                # The combined translation and facts live on the first message of a batch.
                reply.translation = translation if index == 0 else None
                reply.facts = facts if index == 0 else {}
                reply.processed_at = now


async def get_reply(database: Database, actor: Actor, reply_id: int) -> SupplierReply | None:
    async with database.session() as session:
        reply = await session.get(SupplierReply, reply_id)
        return reply if reply is not None and reply.workspace_id == actor.workspace_id else None


async def open_inquiries_for_attaching(database: Database, actor: Actor, limit: int = 6) -> list[Inquiry]:
    """Open inquiries of the workspace, the most recent first."""
    async with database.session() as session:
        return list(
            (
                await session.execute(
                    select(Inquiry)
                    .where(Inquiry.workspace_id == actor.workspace_id, Inquiry.status.in_(OPEN_STATUSES))
                    .order_by(Inquiry.updated_at.desc(), Inquiry.id.desc())
                    .limit(limit)
                )
            ).scalars()
        )


async def attach_and_propose(
    database: Database, actor: Actor, reply_id: int, inquiry_id: int, auto_confirm: bool
) -> list[Answer]:
    """Tie a processed reply to an inquiry and propose its facts as answers (once: pressing twice, or a
    redelivered press, proposes nothing new)."""
    async with database.session() as session:
        first = await session.get(SupplierReply, reply_id)
    batch_text = "\n".join(row.text for row in await batch_of(database, first)) if first is not None else ""
    async with database.session() as session:
        reply = await session.get(SupplierReply, reply_id)
        inquiry = await session.get(Inquiry, inquiry_id)
        if reply is None or inquiry is None or actor.workspace_id != reply.workspace_id or actor.workspace_id != inquiry.workspace_id:
            return []
        existing = list((await session.execute(select(Answer).where(Answer.reply_id == reply_id))).scalars())
        if existing:
            return existing
        reply.inquiry_id = inquiry_id
        facts = reply.facts
        if inquiry.asked_zh:  # "1. 可以 2. 不退不换": read the answers against the questions they answer
            facts = reply.facts = extract(batch_text, inquiry.asked_zh).to_dict()
        answers = []
        for proposal in propose_answers(facts, inquiry.questions):
            answer = Answer(
                inquiry_id=inquiry_id,
                question_key=proposal.question_key,
                field=proposal.field,
                value={"value": proposal.value},
                status=AnswerStatus.PENDING,
                reply_id=reply_id,
                evidence=evidence_for(batch_text, proposal.value, FIELD_KEYWORDS.get(proposal.field, ()), inquiry.asked_zh),
            )
            session.add(answer)
            answers.append(answer)
        await session.flush()
    if auto_confirm:
        for answer in answers:
            await decide(database, actor, answer.id, confirm=True)
        return await answers_by_ids(database, [a.id for a in answers])
    return answers


async def answers_by_ids(database: Database, ids: Sequence[int]) -> list[Answer]:
    async with database.session() as session:
        return list((await session.execute(select(Answer).where(Answer.id.in_(ids)).order_by(Answer.id))).scalars())


@dataclass(frozen=True)
class Decision:
    answer: Answer
    inquiry: Inquiry
    conflict_with: Answer | None = None  # a recorded answer the new one contradicts; nothing changed yet


async def _scoped_answer(session, actor: Actor, answer_id: int) -> tuple[Answer, Inquiry] | None:  # type: ignore[no-untyped-def]
    answer = await session.get(Answer, answer_id)
    if answer is None:
        return None
    inquiry = await session.get(Inquiry, answer.inquiry_id)
    if inquiry is None or inquiry.workspace_id != actor.workspace_id:
        return None
    return answer, inquiry


async def decide(
    database: Database, actor: Actor, answer_id: int, *, confirm: bool, replace_recorded: bool = False
) -> Decision | None:
    """Confirm or reject a proposed answer. Confirming one that contradicts a recorded answer changes
    nothing and returns the conflict, unless `replace_recorded` says the buyer picked the new one."""
    async with database.session() as session:
        found = await _scoped_answer(session, actor, answer_id)
        if found is None:
            return None
        answer, inquiry = found
        if not confirm:
            answer.status, answer.decided_by = AnswerStatus.REJECTED, actor.user_id
            return Decision(answer, inquiry)
        recorded = list(
            (
                await session.execute(
                    select(Answer).where(
                        Answer.inquiry_id == inquiry.id,
                        Answer.question_key == answer.question_key,
                        Answer.status == AnswerStatus.CONFIRMED,
                        Answer.id != answer.id,
                    )
                )
            ).scalars()
        )
        conflicting = [
            old for old in recorded if contradicts(old.field, old.value.get("value"), answer.field, answer.value.get("value"))
        ]
        if conflicting and not replace_recorded:
            return Decision(answer, inquiry, conflict_with=conflicting[0])
        for old in conflicting:
            old.status = AnswerStatus.SUPERSEDED
        answer.status, answer.decided_by = AnswerStatus.CONFIRMED, actor.user_id
        await session.flush()
        await _update_progress(session, inquiry)
        return Decision(answer, inquiry)


async def record_manual_answer(database: Database, actor: Actor, inquiry_id: int, question_key: str, text: str) -> Answer | None:
    """The buyer types an answer themselves (or corrects a found one): recorded as confirmed at once, and
    any earlier recorded answer to the question is superseded."""
    async with database.session() as session:
        inquiry = await session.get(Inquiry, inquiry_id)
        if inquiry is None or inquiry.workspace_id != actor.workspace_id or question_key not in inquiry.questions:
            return None
        for old in (
            await session.execute(
                select(Answer).where(
                    Answer.inquiry_id == inquiry_id,
                    Answer.question_key == question_key,
                    Answer.status == AnswerStatus.CONFIRMED,
                )
            )
        ).scalars():
            old.status = AnswerStatus.SUPERSEDED
        answer = Answer(
            inquiry_id=inquiry_id,
            question_key=question_key,
            field=MANUAL_FIELD,
            value={"value": text},
            status=AnswerStatus.CONFIRMED,
            decided_by=actor.user_id,
        )
        session.add(answer)
        await session.flush()
        await _update_progress(session, inquiry)
        return answer


async def _update_progress(session, inquiry: Inquiry) -> None:  # type: ignore[no-untyped-def]
    """An inquiry whose every question has a confirmed answer is answered."""
    confirmed = {
        key
        for (key,) in (
            await session.execute(
                select(Answer.question_key).where(Answer.inquiry_id == inquiry.id, Answer.status == AnswerStatus.CONFIRMED)
            )
        ).all()
    }
    if inquiry.status == InquiryStatus.AWAITING_REPLY and set(inquiry.questions) <= confirmed:
        inquiry.status = InquiryStatus.ANSWERED
    elif inquiry.status == InquiryStatus.ANSWERED and not set(inquiry.questions) <= confirmed:
        inquiry.status = InquiryStatus.AWAITING_REPLY


async def recorded_answers(database: Database, inquiry_id: int) -> dict[str, list[Answer]]:
    """Confirmed answers of an inquiry by question key."""
    async with database.session() as session:
        rows = (
            await session.execute(
                select(Answer)
                .where(Answer.inquiry_id == inquiry_id, Answer.status == AnswerStatus.CONFIRMED)
                .order_by(Answer.id)
            )
        ).scalars()
        result: dict[str, list[Answer]] = {}
        for answer in rows:
            result.setdefault(answer.question_key, []).append(answer)
        return result


async def scoped_answer(database: Database, actor: Actor, answer_id: int) -> Answer | None:
    async with database.session() as session:
        found = await _scoped_answer(session, actor, answer_id)
        return found[0] if found else None


async def answers_of_reply(database: Database, reply_id: int) -> list[Answer]:
    async with database.session() as session:
        return list((await session.execute(select(Answer).where(Answer.reply_id == reply_id).order_by(Answer.id))).scalars())


async def batch_of(database: Database, first: SupplierReply) -> list[SupplierReply]:
    """The messages read together with `first`: it and the ones stored right after it without their own
    translation."""
    async with database.session() as session:
        rows = list(
            (
                await session.execute(
                    select(SupplierReply)
                    .where(
                        SupplierReply.chat_id == first.chat_id,
                        SupplierReply.created_by == first.created_by,
                        SupplierReply.message_id >= first.message_id,
                    )
                    .order_by(SupplierReply.message_id)
                )
            ).scalars()
        )
    batch = rows[:1]
    for row in rows[1:]:
        if row.facts or row.translation is not None or row.processed_at != first.processed_at:
            break
        batch.append(row)
    return batch
