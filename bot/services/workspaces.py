"""A workspace's setup: defaults, the forwarder's address, the questions inquiries start with, its own
questions and its own supplier message templates.

Everyone may read it; changing it needs `Permission.MANAGE` (always yours in a private chat; the owner's and
admins' in a team), checked here from the one policy in `bot.domain.workspaces`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import CustomQuestion, TemplateOverride, Workspace
from bot.db.session import Database
from bot.domain import checklist
from bot.domain.inquiries import COUNTRY_BY_CODE, CURRENCIES
from bot.domain.orders import APPROVAL_LIMITS
from bot.domain.workspaces import Permission, WorkspaceKind, allows, require
from bot.i18n import available_languages
from bot.services.accounts import Actor
from bot.services.audit import audit_by

FOLLOW_UP_CHOICES = (6, 12, 24, 48, 72)


@dataclass(frozen=True)
class QuestionView:
    key: str  # custom:<id>
    text: str  # in the buyer's words
    text_zh: str | None  # None while translation was down: the buyer's words go out as they are
    shared: bool  # on the workspace's list (a member's question stays with the inquiry it was asked in)


@dataclass(frozen=True)
class WorkspaceSettings:
    destination_country: str | None
    currency: str | None
    forwarder_address: str | None
    follow_up_hours: float | None  # None: the bot's FOLLOW_UP_HOURS
    auto_confirm: bool
    payment_approval_over: Decimal | None  # yuan; None: payments need no approval
    group_language: str | None  # a team's: what the bot says to the whole group
    default_questions: tuple[str, ...]
    questions: tuple[QuestionView, ...]  # the workspace's own questions, shared or not
    can_manage: bool
    team: bool = False

    @property
    def shared_questions(self) -> tuple[QuestionView, ...]:
        return tuple(question for question in self.questions if question.shared)

    def question_texts(self) -> dict[str, str]:
        return {question.key: question.text for question in self.questions}


async def load_workspace(session: AsyncSession, workspace_id: int) -> Workspace:
    workspace = await session.get(Workspace, workspace_id)
    assert workspace is not None, "an actor's workspace exists"
    return workspace


async def load_questions(session: AsyncSession, workspace_id: int) -> list[CustomQuestion]:
    rows = await session.execute(
        select(CustomQuestion).where(CustomQuestion.workspace_id == workspace_id).order_by(CustomQuestion.id)
    )
    return list(rows.scalars())


def question_view(question: CustomQuestion) -> QuestionView:
    return QuestionView(checklist.custom_key(question.id), question.text, question.text_zh, question.shared)


def default_questions_of(workspace: Workspace, questions: Iterable[CustomQuestion]) -> list[str]:
    """The questions a new inquiry starts with (own questions deleted or not shared are dropped)."""
    shared = {question.id for question in questions if question.shared}
    return checklist.validate_keys(workspace.default_checklist or checklist.default_checklist(), shared)


async def settings_in(session: AsyncSession, actor: Actor) -> WorkspaceSettings:
    workspace = await load_workspace(session, actor.workspace_id)
    questions = await load_questions(session, actor.workspace_id)
    return WorkspaceSettings(
        destination_country=workspace.destination_country,
        currency=workspace.currency,
        forwarder_address=workspace.forwarder_address,
        follow_up_hours=workspace.follow_up_hours,
        auto_confirm=workspace.auto_confirm,
        payment_approval_over=workspace.payment_approval_over,
        group_language=workspace.language,
        default_questions=tuple(default_questions_of(workspace, questions)),
        questions=tuple(question_view(question) for question in questions),
        can_manage=allows(actor.workspace_kind, actor.role, Permission.MANAGE),
        team=actor.workspace_kind is WorkspaceKind.TEAM,
    )


async def workspace_settings(database: Database, actor: Actor) -> WorkspaceSettings:
    async with database.session() as session:
        return await settings_in(session, actor)


async def _change(database: Database, actor: Actor, **fields: object) -> WorkspaceSettings:
    require(actor.workspace_kind, actor.role, Permission.MANAGE)
    async with database.session() as session:
        workspace = await load_workspace(session, actor.workspace_id)
        for name, value in fields.items():
            setattr(workspace, name, value)
        audit_by(session, actor, "settings changed", ", ".join(fields))
        await session.flush()
        return await settings_in(session, actor)


async def set_default_destination(database: Database, actor: Actor, code: str) -> WorkspaceSettings | None:
    return await _change(database, actor, destination_country=code) if code in COUNTRY_BY_CODE else None


async def set_default_currency(database: Database, actor: Actor, code: str) -> WorkspaceSettings | None:
    return await _change(database, actor, currency=code) if code in CURRENCIES else None


async def set_forwarder_address(database: Database, actor: Actor, address: str) -> WorkspaceSettings:
    return await _change(database, actor, forwarder_address=address)


async def set_follow_up_hours(database: Database, actor: Actor, hours: int) -> WorkspaceSettings | None:
    return await _change(database, actor, follow_up_hours=float(hours)) if hours in FOLLOW_UP_CHOICES else None


async def set_group_language(database: Database, actor: Actor, language: str) -> WorkspaceSettings | None:
    """What the bot says to the whole team's group (reminders, news) is in this language; "0": the bot's
    default. Only for a team."""
    if actor.workspace_kind is not WorkspaceKind.TEAM or (language != "0" and language not in available_languages()):
        return None
    return await _change(database, actor, language=None if language == "0" else language)


async def set_payment_approval(database: Database, actor: Actor, limit: str) -> WorkspaceSettings | None:
    """Payments over `limit` yuan wait for an admin's approval; "0" turns approval off."""
    if limit == "0":
        return await _change(database, actor, payment_approval_over=None)
    chosen = next((choice for choice in APPROVAL_LIMITS if str(choice) == limit), None)
    return await _change(database, actor, payment_approval_over=chosen) if chosen is not None else None


async def set_auto_confirm(database: Database, actor: Actor, on: bool) -> WorkspaceSettings:
    return await _change(database, actor, auto_confirm=on)


async def set_default_question(database: Database, actor: Actor, key: str, on: bool) -> WorkspaceSettings | None:
    """Tick or untick a question every new inquiry starts with; None for a key that is not this workspace's."""
    require(actor.workspace_kind, actor.role, Permission.MANAGE)
    async with database.session() as session:
        workspace = await load_workspace(session, actor.workspace_id)
        questions = await load_questions(session, actor.workspace_id)
        current = default_questions_of(workspace, questions)
        if checklist.validate_keys([key], {q.id for q in questions if q.shared}) != [key]:
            return None
        if (key in current) != on:
            workspace.default_checklist = checklist.toggle(current, key)
        await session.flush()
        return await settings_in(session, actor)


async def add_question(database: Database, actor: Actor, text: str, text_zh: str | None) -> QuestionView:
    """A question of the workspace's own, shared with everyone (admins, and anyone in a private chat)."""
    require(actor.workspace_kind, actor.role, Permission.MANAGE)
    async with database.session() as session:
        return question_view(await find_or_add_question(session, actor, text, text_zh, shared=True))


async def find_or_add_question(
    session: AsyncSession, actor: Actor, text: str, text_zh: str | None, *, shared: bool
) -> CustomQuestion:
    """The workspace's question with these words, or a new one (asking twice does not make two)."""
    for question in await load_questions(session, actor.workspace_id):
        if question.text.casefold() == text.casefold():
            question.shared = question.shared or shared
            question.text_zh = question.text_zh or text_zh
            return question
    question = CustomQuestion(
        workspace_id=actor.workspace_id, text=text, text_zh=text_zh, created_by=actor.user_id, shared=shared
    )
    session.add(question)
    await session.flush()
    return question


async def template_override(database: Database, workspace_id: int, kind: str) -> str | None:
    async with database.session() as session:
        row = await load_override(session, workspace_id, kind)
        return row.body if row else None


async def load_override(session: AsyncSession, workspace_id: int, kind: str) -> TemplateOverride | None:
    found = await session.execute(
        select(TemplateOverride).where(TemplateOverride.workspace_id == workspace_id, TemplateOverride.kind == kind)
    )
    return found.scalar_one_or_none()


async def save_template_override(database: Database, actor: Actor, kind: str, body: str | None) -> None:
    """Store (or with None, remove) the workspace's own Chinese text for one message kind."""
    require(actor.workspace_kind, actor.role, Permission.MANAGE)
    async with database.session() as session:
        row = await load_override(session, actor.workspace_id, kind)
        if body is None:
            if row is not None:
                await session.delete(row)
        elif row is None:
            session.add(TemplateOverride(workspace_id=actor.workspace_id, kind=kind, body=body, updated_by=actor.user_id))
        else:
            row.body, row.updated_by = body, actor.user_id
