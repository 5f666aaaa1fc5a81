"""python-telegram-bot persistence kept in the bot's own database as JSON rows (no pickle files).

Conversation positions and per-user/per-chat data survive a restart. python-telegram-bot calls the update
methods on its own schedule (`update_interval`, one second here) and once more on a clean stop.
"""

from __future__ import annotations

import json
from copy import deepcopy
from typing import Any

from sqlalchemy import select
from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import ConversationDict

from bot.db.models import PersistedState
from bot.db.session import Database

USER_DATA = "user_data"
CHAT_DATA = "chat_data"
CONVERSATION_PREFIX = "conv:"


class DatabasePersistence(BasePersistence[dict[str, Any], dict[str, Any], dict[str, Any]]):
    def __init__(self, database: Database, update_interval: float = 1.0) -> None:
        super().__init__(
            store_data=PersistenceInput(bot_data=False, chat_data=True, user_data=True, callback_data=False),
            update_interval=update_interval,
        )
        self.database = database

    async def _load(self, namespace: str) -> dict[str, dict[str, Any]]:
        # python-telegram-bot loads persisted data before post_init runs: the schema must be there first.
        await self.database.upgrade()
        async with self.database.session() as session:
            rows = await session.execute(select(PersistedState).where(PersistedState.namespace == namespace))
            return {row.key: row.data for row in rows.scalars()}

    async def _save(self, namespace: str, key: str, data: dict[str, Any] | None) -> None:
        async with self.database.session() as session:
            row = await session.get(PersistedState, (namespace, key))
            if data is None:
                if row is not None:
                    await session.delete(row)
            elif row is None:
                session.add(PersistedState(namespace=namespace, key=key, data=data))
            elif row.data != data:
                row.data = data

    async def get_user_data(self) -> dict[int, dict[str, Any]]:
        return {int(key): data for key, data in (await self._load(USER_DATA)).items()}

    async def get_chat_data(self) -> dict[int, dict[str, Any]]:
        return {int(key): data for key, data in (await self._load(CHAT_DATA)).items()}

    async def get_bot_data(self) -> dict[str, Any]:
        return {}

    async def get_callback_data(self) -> None:
        return None

    async def get_conversations(self, name: str) -> ConversationDict:
        rows = await self._load(CONVERSATION_PREFIX + name)
        return {tuple(json.loads(key)): data["state"] for key, data in rows.items()}

    async def update_conversation(self, name: str, key: tuple[int | str, ...], new_state: object | None) -> None:
        await self._save(
            CONVERSATION_PREFIX + name, json.dumps(list(key)), None if new_state is None else {"state": new_state}
        )

    async def update_user_data(self, user_id: int, data: dict[str, Any]) -> None:
        await self._save(USER_DATA, str(user_id), deepcopy(data) or None)

    async def update_chat_data(self, chat_id: int, data: dict[str, Any]) -> None:
        await self._save(CHAT_DATA, str(chat_id), deepcopy(data) or None)

    async def update_bot_data(self, data: dict[str, Any]) -> None:
        """Bot data is not persisted: it only holds this process's own state."""

    async def update_callback_data(self, data: Any) -> None:
        """Buttons carry their own short references; nothing to store."""

    async def drop_chat_data(self, chat_id: int) -> None:
        await self._save(CHAT_DATA, str(chat_id), None)

    async def drop_user_data(self, user_id: int) -> None:
        await self._save(USER_DATA, str(user_id), None)

    async def refresh_user_data(self, user_id: int, user_data: dict[str, Any]) -> None:
        """In-memory data is the source of truth while the bot runs."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[str, Any]) -> None:
        """In-memory data is the source of truth while the bot runs."""

    async def refresh_bot_data(self, bot_data: dict[str, Any]) -> None:
        """Bot data is not persisted."""

    async def flush(self) -> None:
        """Every update is written as it comes; nothing is buffered."""

