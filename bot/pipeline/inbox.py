"""The inbox: every update is stored before Telegram is told it arrived, and marked done once answered.

python-telegram-bot puts each update it receives on the application's update queue, and only then tells
Telegram: polling, with the next getUpdates, whose offset moves past the batch; a webhook, with the answer to
Telegram's POST. `InboxQueue.put` hands the update to the inbox; `InboxBot.get_updates` waits until the batch
is stored before asking for more, and a webhook's put waits for its own update. So after a kill -9 at any
moment the restarted bot finds every update Telegram considers delivered. A redelivered update (same id) is
stored already and goes no further.

Writes are grouped (`GroupWriter`): a busy bot stores a poll's worth of updates, or marks a crowd of them
done, in one transaction.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, Update
from telegram.ext import ExtBot

from bot.db.group_commit import GroupWriter
from bot.db.models import InboxUpdate, utcnow
from bot.db.session import Database

log = logging.getLogger(__name__)
STORE_TIMEOUT = 5.0  # seconds: a database that does not answer is treated as down
KEEP_DONE = timedelta(days=7)  # long after Telegram would redeliver anything
DATABASE_DOWN = (SQLAlchemyError, OSError, TimeoutError)


class Inbox:
    def __init__(self, database: Database) -> None:
        self.database = database
        self._stores: GroupWriter[tuple[int, Update], bool] = GroupWriter(self._store_group)
        self._dones: GroupWriter[tuple[int, int], None] = GroupWriter(self._done_group)

    def store(self, bot_id: int, update: Update) -> asyncio.Future[bool]:
        """Resolves True when stored anew, False when the id was stored before (a redelivery)."""
        return self._stores.submit((bot_id, update))

    async def stored(self) -> None:
        await self._stores.idle()

    async def _store_group(self, items: list[tuple[int, Update]]) -> list[bool]:
        table = InboxUpdate.__table__
        now = utcnow()
        rows = [
            {"bot_id": bot_id, "update_id": update_.update_id, "payload": update_.to_dict(), "received_at": now}
            for bot_id, update_ in items
        ]
        async with asyncio.timeout(STORE_TIMEOUT), self.database.session() as session:
            inserted = await session.execute(  # one statement for the group; ids stored before come back absent
                self.database.insert(table).on_conflict_do_nothing().returning(table.c.bot_id, table.c.update_id), rows
            )
            new = {(row.bot_id, row.update_id) for row in inserted}
        fresh = []
        for bot_id, update_ in items:  # the same update twice in one group (a webhook retry): fresh once
            key = (bot_id, update_.update_id)
            fresh.append(key in new)
            new.discard(key)
        return fresh

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

    async def done(self, bot_id: int, *update_ids: int) -> None:
        await asyncio.gather(*(self._dones.submit((bot_id, update_id)) for update_id in update_ids))

    async def _done_group(self, items: list[tuple[int, int]]) -> list[None]:
        by_bot: dict[int, list[int]] = {}
        for bot_id, update_id in items:
            by_bot.setdefault(bot_id, []).append(update_id)
        async with self.database.session() as session:
            for bot_id, update_ids in by_bot.items():
                await session.execute(
                    update(InboxUpdate)
                    .where(InboxUpdate.bot_id == bot_id, InboxUpdate.update_id.in_(update_ids))
                    .values(done_at=utcnow(), payload=None, outbox=None)
                )
        return [None] * len(items)

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


@dataclass
class Entry:
    """An update on its way: whether it got stored (resolves when known), and the replies written for it
    before a restart (then only those are left to deliver)."""

    stored: asyncio.Future[bool]
    outbox: list[dict[str, Any]] | None = None


class InboxQueue(asyncio.Queue[object]):
    """The application's update queue, handing each update to the inbox as it is queued.

    `unfinished` counts updates accepted and not yet finished by the pipeline: the bot is idle when it is 0.
    While the bot polls, `InboxBot.get_updates` holds the acknowledgement until the batch is stored; a webhook's
    put (`wait_for_store`) holds Telegram's answer until its own update is.
    """

    def __init__(self, inbox: Inbox) -> None:
        super().__init__()
        self.inbox = inbox
        self.bot: Bot | None = None  # set once the bot knows who it is (before any update arrives)
        self.entries: dict[int, Entry] = {}
        self.unfinished = 0
        self.wait_for_store = True

    async def put(self, item: object) -> None:
        if not isinstance(item, Update):
            await super().put(item)
            return
        assert self.bot is not None, "updates arrive only after the application is initialised"
        stored = self.inbox.store(self.bot.id, item)
        if self.wait_for_store:
            await asyncio.wait([stored])
        if stored.done() and not stored.exception() and not stored.result():
            log.info("update %s was received before; not handling it again", item.update_id)
            return
        self._accept(item, Entry(stored))
        await super().put(item)

    def _accept(self, update_: Update, entry: Entry) -> None:
        self.entries[update_.update_id] = entry
        self.unfinished += 1

    async def recover(self) -> int:
        """Queue what was stored and not done when the bot last stopped; returns how many."""
        assert self.bot is not None
        rows = await self.inbox.pending(self.bot.id)
        for row in rows:
            if row.payload is None:
                continue
            stored: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
            stored.set_result(True)
            update_ = Update.de_json(row.payload, self.bot)
            self._accept(update_, Entry(stored, outbox=row.outbox))
            self.put_nowait(update_)
        return len(rows)

    def finish(self, update_id: int) -> Entry | None:
        self.unfinished -= 1
        return self.entries.pop(update_id, None)


async def outcome_of(entry: Entry) -> bool | None:
    """True: stored now; False: a redelivery of a stored update; None: not stored (the database is down)."""
    try:
        return await entry.stored
    except DATABASE_DOWN as error:
        log.warning("an update could not be stored (%s); handling it from memory", error)
        return None


class InboxBot(ExtBot[None]):
    """The Bot API client. Asking for updates acknowledges the ones fetched before: that waits until they
    are stored."""

    _inbox_queue: InboxQueue | None = None

    def attach(self, queue: InboxQueue) -> None:
        self._inbox_queue = queue

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        queue = self._inbox_queue
        if queue is not None:
            queue.wait_for_store = False  # polling: this gate holds the acknowledgement instead
            await queue.inbox.stored()
        return await super().get_updates(*args, **kwargs)
