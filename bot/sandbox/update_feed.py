"""The queue of updates waiting for the bot, handed out by getUpdates or pushed to a webhook."""

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.sandbox.api_request import ApiError, bad_request

_LOGGER = logging.getLogger(__name__)

# Telegram leaves these out unless the bot asks for them in allowed_updates.
OPT_IN_UPDATE_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
DEFAULT_UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
MAX_UPDATES_PER_CALL = 100
WEBHOOK_ATTEMPTS = 4
WEBHOOK_FIRST_RETRY_DELAY = 0.1
WEBHOOK_TIMEOUT = 10.0
SECRET_TOKEN_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass
class Webhook:
    url: str
    secret_token: str | None
    max_connections: int
    allowed_updates: list[str] | None
    last_error_date: int | None = None
    last_error_message: str | None = None


class UpdateFeed:
    """Pending updates with Telegram's offset, long-poll and webhook semantics."""

    def __init__(self, first_update_id: int = 1) -> None:
        self._pending: list[dict[str, Any]] = []
        self._sent: dict[int, dict[str, Any]] = {}  # every update pushed, for redelivery
        self._next_update_id = first_update_id
        self._allowed_types: frozenset[str] = DEFAULT_UPDATE_TYPES
        # Ids of updates the bot has not been handed yet.
        self._not_handed_over: set[int] = set()
        self._changed = asyncio.Event()
        self._poll_generation = 0
        self._closed = False
        self.webhook: Webhook | None = None
        self._delivery_task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None
        self.last_handover = time.monotonic()

    @property
    def waiting_for_bot(self) -> bool:
        """Updates the bot has not confirmed yet. A polling bot confirms a batch (with the next offset) only
        once it has queued it, so an update handed over but still being parsed counts as waiting."""
        return bool(self._pending)

    @property
    def pending_count(self) -> int:
        return len(self._pending)

    def push(self, update_type: str, payload: dict[str, Any]) -> int | None:
        """Queues an update; None when the bot's allowed_updates leave this type out."""
        if update_type not in self._allowed_types:
            return None
        update_id = self._next_update_id
        self._next_update_id += 1
        update = self._sent[update_id] = {"update_id": update_id, update_type: payload}
        self._pending.append(update)
        self._not_handed_over.add(update_id)
        self._notify()
        return update_id

    def redeliver(self, update_id: int) -> None:
        update = dict(self._sent[update_id])
        self._pending.append(update)
        self._not_handed_over.add(update_id)
        self._notify()

    async def get_updates(
        self, offset: int | None, limit: int | None, timeout: float, allowed: Any
    ) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        self._set_allowed_types(allowed)
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # a long poll still waiting is superseded by this one
        self._confirm(offset)
        if limit is None or not 1 <= limit <= MAX_UPDATES_PER_CALL:
            limit = MAX_UPDATES_PER_CALL
        deadline = asyncio.get_running_loop().time() + max(timeout, 0.0)
        while True:
            if self.webhook is not None:
                raise ApiError(409, "Conflict: terminated by setWebhook request")
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            remaining = deadline - asyncio.get_running_loop().time()
            if self._pending or remaining <= 0 or self._closed:
                batch = self._pending[:limit]
                self._hand_over(batch)
                return batch
            await self._wait_for_change(remaining)

    def _set_allowed_types(self, allowed: Any) -> None:
        if allowed is None:
            return
        if not isinstance(allowed, list) or not all(isinstance(item, str) for item in allowed):
            raise bad_request("can't parse allowed updates JSON object")
        known = DEFAULT_UPDATE_TYPES | OPT_IN_UPDATE_TYPES
        chosen = frozenset(item for item in allowed if item in known)
        self._allowed_types = chosen or DEFAULT_UPDATE_TYPES

    def _confirm(self, offset: int | None) -> None:
        if not offset:
            return
        if offset < 0:
            confirmed = self._pending[:offset]
        else:
            # A redelivered update below the offset is handed over once more before it counts as confirmed.
            confirmed = [
                update
                for update in self._pending
                if update["update_id"] < offset and update["update_id"] not in self._not_handed_over
            ]
        self._forget(confirmed)

    def _forget(self, updates: list[dict[str, Any]]) -> None:
        for update in updates:
            self._pending.remove(update)
            self._not_handed_over.discard(update["update_id"])

    def _hand_over(self, updates: list[dict[str, Any]]) -> None:
        if updates:
            self._not_handed_over.difference_update(update["update_id"] for update in updates)
            self.last_handover = time.monotonic()

    def drop_pending(self) -> None:
        self._forget(list(self._pending))

    def _notify(self) -> None:
        # Waiters hold the old event, which stays set; new waiters get a fresh one.
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_for_change(self, timeout: float | None) -> None:
        changed = self._changed
        try:
            await asyncio.wait_for(changed.wait(), timeout)
        except TimeoutError:
            pass

    async def set_webhook(self, webhook: Webhook, drop_pending_updates: bool) -> None:
        self._set_allowed_types(webhook.allowed_updates)
        await self.delete_webhook(drop_pending_updates)
        self.webhook = webhook
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=WEBHOOK_TIMEOUT))
        self._delivery_task = asyncio.create_task(self._deliver_while_set(webhook))
        self._notify()  # an active long poll now conflicts with the webhook

    async def delete_webhook(self, drop_pending_updates: bool) -> None:
        if drop_pending_updates:
            self.drop_pending()
        self.webhook = None
        if self._delivery_task is not None:
            self._delivery_task.cancel()
            await asyncio.gather(self._delivery_task, return_exceptions=True)
            self._delivery_task = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    def webhook_info(self) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": self.pending_count,
        }
        webhook = self.webhook
        if webhook is None:
            return info
        info.update(url=webhook.url, max_connections=webhook.max_connections)
        info["ip_address"] = "127.0.0.1"
        if webhook.allowed_updates is not None:
            info["allowed_updates"] = webhook.allowed_updates
        if webhook.last_error_date is not None:
            info["last_error_date"] = webhook.last_error_date
            info["last_error_message"] = webhook.last_error_message
        return info

    async def _deliver_while_set(self, webhook: Webhook) -> None:
        while self.webhook is webhook and not self._closed:
            if not self._pending:
                await self._wait_for_change(None)
                continue
            update = self._pending[0]
            await self._deliver_with_retries(webhook, update)
            if update in self._pending:
                self._pending.remove(update)
            self._hand_over([update])

    async def _deliver_with_retries(self, webhook: Webhook, update: dict[str, Any]) -> bool:
        for attempt in range(WEBHOOK_ATTEMPTS):
            error = await self._post(webhook, update)
            if error is None:
                return True
            webhook.last_error_date = int(time.time())
            webhook.last_error_message = error
            _LOGGER.info("Webhook delivery of update %s failed: %s", update["update_id"], error)
            if attempt + 1 < WEBHOOK_ATTEMPTS:
                await asyncio.sleep(WEBHOOK_FIRST_RETRY_DELAY * 2**attempt)
        return False

    async def _post(self, webhook: Webhook, update: dict[str, Any]) -> str | None:
        """Posts one update; returns Telegram's wording of the failure, or None on success."""
        assert self._session is not None
        headers = {SECRET_TOKEN_HEADER: webhook.secret_token} if webhook.secret_token else {}
        try:
            async with self._session.post(webhook.url, json=update, headers=headers) as response:
                if 200 <= response.status < 300:
                    return None
                return f"Wrong response from the webhook: {response.status} {response.reason}"
        except TimeoutError:
            return "Read timeout expired"
        except aiohttp.ClientError as error:
            return f"Connection failed: {error}"

    async def close(self) -> None:
        self._closed = True
        self._notify()
        await self.delete_webhook(drop_pending_updates=False)
