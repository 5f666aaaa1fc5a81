"""The send pace: what Telegram accepts, waited out per chat, with bounded retries.

python-telegram-bot hands every Bot API call to the application's rate limiter; this one keeps Telegram's
limits (a short burst then about a message a second per chat, 20 a minute per group, 30 a second overall)
and retries what the buyer must see on 429 (after `retry_after`), 5xx and timeouts. A wait only ever holds
the chat it is for: a 429 in one chat pauses that chat alone, and every wait goes through the injected
`Clock`, so tests run the real pace in no time.

PTB's own AIORateLimiter is not used: on a 429 it pauses every chat, and its limiters wait on wall time.
"""

from __future__ import annotations

import logging
from bisect import insort
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import BaseRateLimiter

from bot.clock import Clock

log = logging.getLogger(__name__)

# Calls that put something in a chat; chat actions ("typing…") are not messages and are never paced.
_PACED_PREFIXES = ("send", "edit", "copy", "forward")
_UNPACED = frozenset({"sendChatAction"})
# Updates are fetched by python-telegram-bot's own retry loop; these are never retried here.
_NOT_RETRIED = frozenset({"getUpdates", "setWebhook", "deleteWebhook", "close", "logOut"})
UNLIMITED = 10**9


@dataclass(frozen=True)
class Pace:
    chat_burst: int = 2
    chat_interval: float = 1.0  # seconds per message in one chat, after the burst
    group_per_minute: int = 20
    overall_per_second: int = 30
    retries: int = 4  # further attempts after a 429, a 5xx or a timeout
    backoff: float = 0.5  # the first wait after a 5xx or a timeout; doubled each time

    @classmethod
    def unlimited(cls) -> Pace:
        """No waiting between messages (a local Bot API server, a benchmark); retries stay."""
        return cls(chat_burst=UNLIMITED, chat_interval=0.0, group_per_minute=UNLIMITED, overall_per_second=UNLIMITED)


class _ChatBucket:
    """A burst, then one message per interval (the generic cell rate algorithm): `tat` is the theoretical
    arrival time of the next message."""

    __slots__ = ("tat",)

    def __init__(self) -> None:
        self.tat = float("-inf")

    def reserve(self, now: float, pace: Pace) -> float:
        tolerance = (pace.chat_burst - 1) * pace.chat_interval
        at = max(now, self.tat - tolerance)
        self.tat = max(self.tat, at) + pace.chat_interval
        return at

    def hold(self, until: float, pace: Pace) -> None:
        """Nothing more before `until` (Telegram said retry_after)."""
        self.tat = max(self.tat, until + (pace.chat_burst - 1) * pace.chat_interval)


class _Window:
    """At most `limit` messages in any `seconds`. Reservations are made in the order of the clock, so the
    times stay sorted."""

    __slots__ = ("limit", "seconds", "times")

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit, self.seconds = limit, seconds
        self.times: deque[float] = deque()

    def reserve(self, now: float) -> float:
        while self.times and self.times[0] <= now - self.seconds:
            self.times.popleft()
        at = now if len(self.times) < self.limit else max(now, self.times[-self.limit] + self.seconds)
        if self.times and at < self.times[-1]:
            insort(self.times, at)
        else:
            self.times.append(at)
        return at


class Pacer(BaseRateLimiter[int]):
    def __init__(self, clock: Clock | None = None, pace: Pace | None = None) -> None:
        self.clock = clock or Clock()
        self.pace = pace or Pace()
        self._chats: dict[int | str, _ChatBucket] = {}
        self._groups: dict[int | str, _Window] = {}
        self._overall = _Window(self.pace.overall_per_second, 1.0)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    def _bucket(self, chat_id: int | str) -> _ChatBucket:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            if len(self._chats) > 4096:  # forget chats whose pace has fully recovered
                now = self.clock.monotonic()
                self._chats = {key: b for key, b in self._chats.items() if b.tat > now}
                self._groups = {key: w for key, w in self._groups.items() if w.times and w.times[-1] > now - 60}
            bucket = self._chats[chat_id] = _ChatBucket()
        return bucket

    async def _wait_turn(self, chat_id: int | str) -> None:
        """Wait for the chat's own pace first, then for the group's and the overall limit at that moment."""
        await self._sleep_until(self._bucket(chat_id).reserve(self.clock.monotonic(), self.pace))
        now = self.clock.monotonic()
        at = self._overall.reserve(now)
        if _is_group(chat_id):
            group = self._groups.setdefault(chat_id, _Window(self.pace.group_per_minute, 60.0))
            at = max(at, group.reserve(now))
        await self._sleep_until(at)

    async def _sleep_until(self, at: float) -> None:
        wait = at - self.clock.monotonic()
        if wait > 0:  # most messages need no wait: not even a pass through the event loop
            await self.clock.sleep(wait)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat_id = data.get("chat_id")
        paced = chat_id is not None and endpoint.startswith(_PACED_PREFIXES) and endpoint not in _UNPACED
        retries = 0 if endpoint in _NOT_RETRIED else (rate_limit_args if rate_limit_args is not None else self.pace.retries)
        backoff = self.pace.backoff
        for attempt in range(retries + 1):
            if paced:
                await self._wait_turn(chat_id)  # type: ignore[arg-type]
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt == retries:
                    raise
                wait = _seconds(error.retry_after)
                log.info("%s in chat %s: flood control, retrying after %.1f s", endpoint, chat_id, wait)
                if paced:
                    self._bucket(chat_id).hold(self.clock.monotonic() + wait, self.pace)  # type: ignore[arg-type]
                else:
                    await self.clock.sleep(wait)
            except BadRequest:
                raise
            except NetworkError as error:  # 5xx, timeouts, connection errors
                if attempt == retries:
                    raise
                log.info("%s in chat %s failed (%s); retrying in %.1f s", endpoint, chat_id, error, backoff)
                await self.clock.sleep(backoff)
                backoff *= 2
        raise AssertionError("unreachable: the last attempt returns or raises")


def _is_group(chat_id: int | str) -> bool:
    return isinstance(chat_id, str) or chat_id < 0


def _seconds(retry_after: object) -> float:
    total = getattr(retry_after, "total_seconds", None)
    return float(total() if callable(total) else retry_after)  # type: ignore[arg-type]
