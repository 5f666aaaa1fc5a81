from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.db.models import TranslationMemoryEntry
from bot.db.session import Database
from bot.translation.memory import MemoryKey, TranslationMemory, text_hash


def key_for(text: str, target: str = "en") -> MemoryKey:
    return MemoryKey("zh", target, text_hash(text), "v")


async def stored_rows(database: Database) -> int:
    async with database.session() as session:
        return int((await session.execute(select(func.count()).select_from(TranslationMemoryEntry))).scalar_one())


async def test_concurrent_stores_of_one_entry_keep_one_row_without_errors(
    database: Database, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    databases = [Database(database_url) for _ in range(6)]
    try:
        memories = [TranslationMemory(each) for each in databases]
        with caplog.at_level(logging.WARNING, logger="bot.translation.memory"):
            await asyncio.gather(*(memory.remember(key_for("你好"), "你好", "google", "Hello") for memory in memories))
    finally:
        for each in databases:
            await each.dispose()
    assert caplog.records == []
    assert await stored_rows(database) == 1


async def test_a_text_with_the_same_hash_but_other_words_is_not_a_hit(database: Database) -> None:
    memory = TranslationMemory(database)
    await memory.remember(key_for("你好"), "你好", "google", "Hello")
    memory.forget_recent()
    assert await memory.recall(key_for("你好"), "您好", ["google"]) is None


async def test_the_lru_forgets_the_oldest_but_the_database_remembers(database: Database) -> None:
    memory = TranslationMemory(database, lru_size=2)
    for text in ("一", "二", "三"):
        await memory.remember(key_for(text), text, "google", f"en {text}")
    assert memory.recall_recent(key_for("一")) is None
    assert memory.recall_recent(key_for("三")) is not None
    recalled = await memory.recall(key_for("一"), "一", ["google"])
    assert recalled is not None and recalled.translated_text == "en 一"


async def test_a_broken_memory_does_not_break_translation(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    unmigrated = Database(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    try:
        memory = TranslationMemory(unmigrated)
        with caplog.at_level(logging.WARNING, logger="bot.translation.memory"):
            await memory.remember(key_for("你好"), "你好", "google", "Hello")
            memory.forget_recent()
            assert await memory.recall(key_for("你好"), "你好", ["google"]) is None
    finally:
        await unmigrated.dispose()
    assert len(caplog.records) == 2
