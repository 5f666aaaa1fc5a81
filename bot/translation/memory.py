"""Translation memory: every translation a provider made, so the same text is never sent twice.

A small in-process LRU sits in front of the `translation_memory` table. Entries are keyed by provider, languages,
source-text hash and glossary version; a lookup takes any provider's entry, preferring the chain's order.
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from bot.db.models import TranslationMemoryEntry
from bot.db.session import Database

log = logging.getLogger(__name__)

DEFAULT_LRU_SIZE = 2048
_UNIQUE_KEY = ("provider", "source_lang", "target_lang", "text_hash", "glossary_version")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class MemoryKey:
    source_lang: str
    target_lang: str
    text_hash: str
    glossary_version: str


@dataclass(frozen=True)
class Remembered:
    provider: str
    translated_text: str


class TranslationMemory:
    def __init__(self, database: Database, lru_size: int = DEFAULT_LRU_SIZE) -> None:
        self.database = database
        self.lru_size = lru_size
        self._recent: OrderedDict[MemoryKey, Remembered] = OrderedDict()

    async def recall(self, key: MemoryKey, source_text: str, preferred: Sequence[str]) -> Remembered | None:
        """A stored translation of `source_text`, from the first provider of `preferred` that has one."""
        hit = self.recall_recent(key)
        if hit is not None:
            return hit
        try:
            hit = await self._recall_stored(key, source_text, preferred)
        except (SQLAlchemyError, OSError):
            log.warning("translation memory lookup failed; translating afresh", exc_info=True)
            return None
        if hit is not None:
            self._keep(key, hit)
        return hit

    def recall_recent(self, key: MemoryKey) -> Remembered | None:
        hit = self._recent.get(key)
        if hit is not None:
            self._recent.move_to_end(key)
        return hit

    async def remember(self, key: MemoryKey, source_text: str, provider: str, translated_text: str) -> None:
        """Store a fresh translation; a concurrent store of the same entry is ignored, not an error."""
        self._keep(key, Remembered(provider, translated_text))
        insert = sqlite_insert if self.database.is_sqlite else postgresql_insert
        statement = (
            insert(TranslationMemoryEntry)
            .values(
                provider=provider,
                source_lang=key.source_lang,
                target_lang=key.target_lang,
                text_hash=key.text_hash,
                glossary_version=key.glossary_version,
                source_text=source_text,
                translated_text=translated_text,
            )
            .on_conflict_do_nothing(index_elements=list(_UNIQUE_KEY))
        )
        try:
            async with self.database.session() as session:
                await session.execute(statement)
        except (SQLAlchemyError, OSError):
            log.warning("could not store a translation in memory", exc_info=True)

    def forget_recent(self) -> None:
        """Empty the in-process cache (the database keeps its entries)."""
        self._recent.clear()

    async def _recall_stored(self, key: MemoryKey, source_text: str, preferred: Sequence[str]) -> Remembered | None:
        query = select(
            TranslationMemoryEntry.provider, TranslationMemoryEntry.source_text, TranslationMemoryEntry.translated_text
        ).where(
            TranslationMemoryEntry.source_lang == key.source_lang,
            TranslationMemoryEntry.target_lang == key.target_lang,
            TranslationMemoryEntry.text_hash == key.text_hash,
            TranslationMemoryEntry.glossary_version == key.glossary_version,
        )
        async with self.database.session() as session:
            rows = (await session.execute(query)).all()
        candidates = [row for row in rows if row.source_text == source_text]
        if not candidates:
            return None
        rank = {provider: index for index, provider in enumerate(preferred)}
        best = min(candidates, key=lambda row: (rank.get(row.provider, len(rank)), row.provider))
        return Remembered(best.provider, best.translated_text)

    def _keep(self, key: MemoryKey, remembered: Remembered) -> None:
        self._recent[key] = remembered
        self._recent.move_to_end(key)
        while len(self._recent) > self.lru_size:
            self._recent.popitem(last=False)
