"""Where each person is in each chat: one flow and step at a time, and what the flows keep for them.

Every flow (python-telegram-bot ConversationHandler, see `bot.handlers.flows`) reads and writes its position
through a `FlowPositions` view of this one store, so starting a flow moves the person out of any other.
Changes made during an update's turn are saved with the turn's replies, before they are sent; the pipeline
loads a person's conversation before the flows look at the update.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Conversation, utcnow
from bot.db.session import Database
from bot.pipeline.turn import ConversationKey, current_turn

log = logging.getLogger(__name__)
CACHED = 20_000  # conversations kept in memory; older unchanged ones are read again when needed


@dataclass
class ConversationState:
    flow: str | None = None
    step: int | None = None
    memo: dict[str, Any] = field(default_factory=dict)


class ConversationStore:
    def __init__(self, database: Database) -> None:
        self.database = database
        self._states: OrderedDict[ConversationKey, ConversationState] = OrderedDict()
        self._background: set[asyncio.Task[None]] = set()

    async def load(self, key: ConversationKey) -> ConversationState:
        state = self._states.get(key)
        if state is not None:
            self._states.move_to_end(key)
            return state
        async with self.database.session() as session:
            row = await session.get(Conversation, key)
        state = ConversationState(row.flow, row.step, dict(row.memo or {})) if row else ConversationState()
        self._states.setdefault(key, state)
        self._trim()
        return self._states[key]

    def cached(self, key: ConversationKey) -> ConversationState | None:
        return self._states.get(key)

    def move(self, key: ConversationKey, flow: str | None, step: int | None) -> None:
        state = self._states.setdefault(key, ConversationState())
        state.flow, state.step = (flow, step) if step is not None else (None, None)
        self._changed(key)

    def remember(self, key: ConversationKey, name: str, value: Any) -> None:
        """Keep (or with None, forget) `value` under `name` for this person in this chat."""
        state = self._states.setdefault(key, ConversationState())
        if value is None:
            state.memo.pop(name, None)
        else:
            state.memo[name] = value
        self._changed(key)

    def recall(self, key: ConversationKey, name: str) -> Any:
        state = self._states.get(key)
        return state.memo.get(name) if state else None

    def view(self, flow: str) -> FlowPositions:
        return FlowPositions(self, flow)

    def _changed(self, key: ConversationKey) -> None:
        turn = current_turn.get()
        if turn is not None:
            turn.moved.add(key)
            return
        # Outside an update (a scheduled job): saved at once, in the background.
        task = asyncio.get_running_loop().create_task(self._save_alone([key]))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _save_alone(self, keys: Iterable[ConversationKey]) -> None:
        try:
            async with self.database.session() as session:
                await self.save(session, keys)
        except Exception:
            log.exception("could not save conversations %s", list(keys))

    async def save(self, session: AsyncSession, keys: Iterable[ConversationKey]) -> None:
        for key in keys:
            state = self._states.get(key)
            if state is None:
                continue
            row = await session.get(Conversation, key)
            if row is None:
                session.add(Conversation(chat_id=key[0], user_id=key[1], flow=state.flow, step=state.step, memo=dict(state.memo)))
            else:
                row.flow, row.step, row.memo, row.updated_at = state.flow, state.step, dict(state.memo), utcnow()

    def forget(self, keys: Iterable[ConversationKey]) -> None:
        """Drop what memory holds (a failed turn's changes); the next update reads the stored state."""
        for key in keys:
            self._states.pop(key, None)

    def _trim(self) -> None:
        while len(self._states) > CACHED:
            self._states.popitem(last=False)


class FlowPositions:
    """One flow's view of the store, shaped as the mapping ConversationHandler keeps its positions in: the
    flow sees a person's step only while that person is in this flow."""

    def __init__(self, store: ConversationStore, flow: str) -> None:
        self.store = store
        self.flow = flow

    def get(self, key: ConversationKey, default: Any = None) -> Any:
        state = self.store.cached(key)
        return state.step if state is not None and state.flow == self.flow else default

    def __contains__(self, key: object) -> bool:
        return self.get(key) is not None  # type: ignore[arg-type]

    def __getitem__(self, key: ConversationKey) -> int:
        step = self.get(key)
        if step is None:
            raise KeyError(key)
        return step  # type: ignore[no-any-return]

    def __setitem__(self, key: ConversationKey, step: int) -> None:
        self.store.move(key, self.flow, step)

    def __delitem__(self, key: ConversationKey) -> None:
        if key in self:
            self.store.move(key, None, None)

    def pop(self, key: ConversationKey, default: Any = None) -> Any:
        step = self.get(key, default)
        del self[key]
        return step
