"""A workspace's own trade terms, which translation protects and explains like the built-in glossary."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from bot.db.models import GlossaryTerm
from bot.db.session import Database
from bot.domain.inquiries import InputError
from bot.domain.workspaces import Permission, require
from bot.i18n import N_
from bot.services.accounts import Actor
from bot.translation.glossary import forget_glossary

_TERM_LINE = re.compile(r"^\s*(?P<zh>[^=:：＝\-–—]+?)\s*[=:：＝\-–—]+\s*(?P<meaning>.+?)\s*$")
_HAN = re.compile(r"[\u3400-\u9fff]")
MAX_TERM = 20
MAX_MEANING = 100


def parse_term(text: str) -> tuple[str, str]:
    """"起批价 = wholesale price" (or with ':' or '-') -> ("起批价", "wholesale price")."""
    match = _TERM_LINE.match(text)
    if not match or not _HAN.search(match.group("zh")):
        raise InputError(N_("Send the Chinese term, an equals sign and its meaning, e.g. <code>起批价 = wholesale price</code>."))
    zh, meaning = match.group("zh").strip(), match.group("meaning").strip()
    if len(zh) > MAX_TERM or len(meaning) > MAX_MEANING:
        raise InputError(N_("Keep the term under {term} characters and its meaning under {meaning}."), term=MAX_TERM, meaning=MAX_MEANING)
    return zh, meaning


@dataclass(frozen=True)
class TermView:
    id: int
    term_zh: str
    meaning: str


async def workspace_terms(database: Database, actor: Actor) -> list[TermView]:
    async with database.session() as session:
        query = select(GlossaryTerm).where(GlossaryTerm.workspace_id == actor.workspace_id).order_by(GlossaryTerm.term_zh)
        return [TermView(term.id, term.term_zh, term.meaning) for term in (await session.execute(query)).scalars()]


async def save_term(database: Database, actor: Actor, term_zh: str, meaning: str) -> None:
    """Add a term, or give an existing one its new meaning."""
    require(actor.workspace_kind, actor.role, Permission.MANAGE)
    async with database.session() as session:
        existing = (
            await session.execute(
                select(GlossaryTerm).where(GlossaryTerm.workspace_id == actor.workspace_id, GlossaryTerm.term_zh == term_zh)
            )
        ).scalar_one_or_none()
        if existing is None:
            session.add(GlossaryTerm(workspace_id=actor.workspace_id, term_zh=term_zh, meaning=meaning))
        else:
            existing.meaning = meaning
    forget_glossary(database, actor.workspace_id)


async def delete_term(database: Database, actor: Actor, term_id: int) -> bool:
    require(actor.workspace_kind, actor.role, Permission.MANAGE)
    async with database.session() as session:
        term = await session.get(GlossaryTerm, term_id)
        if term is None or term.workspace_id != actor.workspace_id:
            return False
        await session.delete(term)
    forget_glossary(database, actor.workspace_id)
    return True
