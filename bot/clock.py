"""The bot's idea of time.

`now()` is the calendar time reminders compare against; tests and the sandbox move it forward. `monotonic()`
and `sleep()` are the time the send pace waits on: a `VirtualClock` makes them instant, so tests check the
pace without waiting for it.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta


class Clock:
    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(seconds, 0.0))


class VirtualClock(Clock):
    """Monotonic time that moves only when something sleeps: a wait of a minute takes no time at all, and
    whoever reads this clock (the pace, the Bot API emulator's flood control) sees the minute pass."""

    def __init__(self) -> None:
        super().__init__()
        self._monotonic = 1000.0

    def monotonic(self) -> float:
        return self._monotonic

    async def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._monotonic += seconds
        await asyncio.sleep(0)
