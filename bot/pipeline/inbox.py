"""The inbox: every update is stored before Telegram is told it arrived, and marked done once answered.

python-telegram-bot puts each update it receives on the application's update queue, and only then tells
Telegram (polling: the next getUpdates moves the offset past it; webhook: the answer to Telegram's POST).
`InboxQueue.put` stores the update first, so after a kill -9 at any moment the restarted bot finds it. A
redelivered update (same id) is stored already and goes no further.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, Update

from bot.db.models import InboxUpdate, utcnow
from bot.db.session import Database

log = logging.getLogger(__name__)
STORE_TIMEOUT = 5.0  # seconds: a database that does not answer is treated as down
KEEP_DONE = timedelta(days=7)  # long after Telegram would redeliver anything


class Stored(enum.Enum):
    NEW = "new"
    DUPLICATE = "duplicate"  # the same update id came before: a redelivery
    UNSTORED = "unstored"  # the database is down: handled from memory (it apologises), not kept


@dataclass
class Entry:
    """What the pipeline knows of an update on its way: whether it is stored, and the replies written for it
    before a restart (then only those are left to deliver)."""

    stored: bool
    outbox: list[dict[str, Any]] | None = None


class Inbox:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def store(self, bot_id: int, update: Update) -> Stored:
        try:
            async with asyncio.timeout(STORE_TIMEOUT), self.database.session() as session:
                inserted = await session.execute(
                    self.database.insert(InboxUpdate)
                    .values(bot_id=bot_id, update_id=update.update_id, payload=update.to_dict(), received_at=utcnow())
                    .on_conflict_do_nothing()
                )
        except (SQLAlchemyError, OSError, TimeoutError) as error:
            log.warning("could not store update %s (%s); handling it from memory", update.update_id, error)
            return Stored.UNSTORED
        return Stored.NEW if inserted.rowcount else Stored.DUPLICATE  # type: ignore[attr-defined]

    async def pending(self, bot_id: int) -> list[InboxUpdate]:
        """Updates stored and not done (the bot stopped before answering them), oldest first."""
        async with self.database.session() as session:
            rows = await session.execute(
                select(InboxUpdate)
                .where(InboxUpdate.bot_id == bot_id, InboxUpdate.done_at.is_(None))
                .order_by(InboxUpdate.update_id)
            )
            return list(rows.scalars())

    async def applied(self, session: AsyncSession, bot_id: int, update_id: int, outbox: list[dict[str, Any]]) -> None:
        """In the turn's own transaction: the update is handled; these replies are what is left to do."""
        await session.execute(
            update(InboxUpdate)
            .where(InboxUpdate.bot_id == bot_id, InboxUpdate.update_id == update_id)
            .values(outbox=outbox)
        )

    async def done(self, bot_id: int, update_id: int) -> None:
        async with self.database.session() as session:
            await session.execute(
                update(InboxUpdate)
                .where(InboxUpdate.bot_id == bot_id, InboxUpdate.update_id == update_id)
                .values(done_at=utcnow(), payload=None, outbox=None)
            )

    async def forget_old(self) -> None:
        async with self.database.session() as session:
            await session.execute(
                delete(InboxUpdate).where(InboxUpdate.done_at.is_not(None), InboxUpdate.done_at < utcnow() - KEEP_DONE)
            )

    async def last_update_id(self, bot_id: int) -> int:
        """The newest update id stored for this bot (0 if none)."""
        async with self.database.session() as session:
            newest = await session.scalar(
                select(InboxUpdate.update_id)
                .where(InboxUpdate.bot_id == bot_id)
                .order_by(InboxUpdate.update_id.desc())
                .limit(1)
            )
            return int(newest or 0)


class InboxQueue(asyncio.Queue[object]):
    """The application's update queue, storing each update in the inbox before it is queued.

    `unfinished` counts updates accepted and not yet finished by the pipeline: the bot is idle when it is 0.
    """

    def __init__(self, inbox: Inbox) -> None:
        super().__init__()
        self.inbox = inbox
        self.bot: Bot | None = None  # set once the bot knows who it is (before any update arrives)
        self.entries: dict[int, Entry] = {}
        self.unfinished = 0

    async def put(self, item: object) -> None:
        if isinstance(item, Update):
            assert self.bot is not None, "updates arrive only after the application is initialised"
            stored = await self.inbox.store(self.bot.id, item)
            if stored is Stored.DUPLICATE:
                log.info("update %s was received before; not handling it again", item.update_id)
                return
            self._accept(item, Entry(stored=stored is Stored.NEW))
        await super().put(item)

    def _accept(self, update: Update, entry: Entry) -> None:
        self.entries[update.update_id] = entry
        self.unfinished += 1

    async def recover(self) -> int:
        """Queue what was stored and not done when the bot last stopped; returns how many."""
        assert self.bot is not None
        rows = await self.inbox.pending(self.bot.id)
        for row in rows:
            if row.payload is None:
                continue
            update = Update.de_json(row.payload, self.bot)
            self._accept(update, Entry(stored=True, outbox=row.outbox))
            self.put_nowait(update)
        return len(rows)

    def finish(self, update_id: int) -> Entry | None:
        self.unfinished -= 1
        return self.entries.pop(update_id, None)
