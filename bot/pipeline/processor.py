"""The update pipeline: chats side by side, each chat's updates in order, every update's turn stored before
its replies go out.

python-telegram-bot hands each update to an update processor together with the coroutine that runs the
handlers. This one:

1. waits for the update's chat lane (one update of a chat at a time; other chats go on meanwhile), then
2. runs the handlers as a `Turn`: replies they write are queued, not sent;
3. stores the conversations the turn moved and its replies in one transaction (`Inbox.applied`);
4. delivers the replies (the pace retries 429s, 5xx and timeouts), and
5. marks the update done.

An update stored and applied before a crash is not handled again after the restart: its stored replies are
delivered. One stored and not applied is handled again from the start.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Hashable
from contextlib import asynccontextmanager
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import BaseUpdateProcessor

from bot.db.session import Database
from bot.pipeline.conversations import ConversationStore
from bot.pipeline.inbox import DATABASE_DOWN, Entry, Inbox, InboxQueue, outcome_of
from bot.pipeline.turn import Turn, current_turn, note_write
from bot.telegram_io import Operation, deliver, operation_from_json, operation_to_json

log = logging.getLogger(__name__)
# An update waiting for its chat's lane holds one of these, so the bound is generous: it only caps memory.
MAX_CONCURRENT_UPDATES = 4096


class Lanes:
    """One lane per key: holders of the same key go one after another, in the order they asked."""

    def __init__(self) -> None:
        self._locks: dict[Hashable, tuple[asyncio.Lock, list[int]]] = {}

    @asynccontextmanager
    async def hold(self, key: Hashable | None) -> AsyncIterator[None]:
        if key is None:
            yield
            return
        lock, users = self._locks.setdefault(key, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            async with lock:
                yield
        finally:
            users[0] -= 1
            if not users[0]:
                del self._locks[key]


def lane_of(update: object) -> Hashable | None:
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None


class UpdatePipeline(BaseUpdateProcessor):
    def __init__(self, database: Database, queue: InboxQueue, conversations: ConversationStore) -> None:
        super().__init__(MAX_CONCURRENT_UPDATES)
        self.database = database
        database.on_write.append(note_write)
        self.queue = queue
        self.inbox: Inbox = queue.inbox
        self.conversations = conversations
        self.lanes = Lanes()

    async def initialize(self) -> None:
        """Nothing to set up: the inbox queue is filled by the application's start-up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        update_id = update.update_id if isinstance(update, Update) else None
        entry = self.queue.entries.get(update_id) if update_id is not None else None
        try:
            async with self.lanes.hold(lane_of(update)):
                await self._run(update_id, coroutine, entry)
        finally:
            if update_id is not None and entry is not None:
                self.queue.finish(update_id)

    async def _run(self, update_id: int | None, coroutine: Awaitable[Any], entry: Entry | None) -> None:
        stored = await outcome_of(entry) if entry is not None else None
        if stored is False:
            coroutine.close()  # type: ignore[attr-defined]
            log.info("update %s was received before; not handling it again", update_id)
            return
        if entry is not None and entry.outbox is not None:
            coroutine.close()  # type: ignore[attr-defined]
            log.info("update %s was handled before a restart; delivering its replies", update_id)
            operations = [operation_from_json(item) for item in entry.outbox]
        else:
            turn = Turn(update_id or 0)
            token = current_turn.set(turn)
            try:
                await coroutine
            finally:
                current_turn.reset(token)
            operations = list(turn.outbox)
            await self._store(turn, bool(stored))
            if turn.kept_open and not turn.failed:
                stored = False  # whoever carries the work on marks the update done
        await self._deliver(update_id, operations, bool(stored))

    async def _store(self, turn: Turn, stored: bool) -> None:
        """The turn's moves and replies in one transaction, when it changed anything: a turn that only read can
        simply run again after a crash."""
        if turn.failed:
            self.conversations.forget(turn.moved)
        moved = () if turn.failed else tuple(turn.moved)
        if not moved and not turn.wrote:
            return
        try:
            async with self.database.session() as session:
                await self.conversations.save(session, moved)
                if stored:
                    outbox = [operation_to_json(operation) for operation in turn.outbox]
                    await self.inbox.applied(session, self._bot_id(), turn.update_id, outbox)
        except DATABASE_DOWN as error:
            log.warning("could not store the turn of update %s: %s", turn.update_id, error)

    async def _deliver(self, update_id: int | None, operations: list[Operation], stored: bool) -> None:
        try:
            await deliver(self.queue.bot, operations)  # type: ignore[arg-type]
        except TelegramError as error:
            # Kept in the inbox: the next start delivers them.
            log.error("could not deliver the replies to update %s: %s", update_id, error)
            return
        if update_id is None or not stored:
            return
        try:
            await self.inbox.done(self._bot_id(), update_id)
        except DATABASE_DOWN as error:
            log.warning("could not mark update %s done: %s", update_id, error)

    def _bot_id(self) -> int:
        assert self.queue.bot is not None
        return self.queue.bot.id
