"""A circuit breaker per provider, so a provider that is down costs nothing until it has had time to recover."""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import Enum

Clock = Callable[[], float]

DEFAULT_FAILURE_THRESHOLD = 3
DEFAULT_COOLDOWN_SECONDS = 60.0


class BreakerState(Enum):
    CLOSED = "closed"  # calls go through
    OPEN = "open"  # calls are skipped until the cooldown has passed
    HALF_OPEN = "half-open"  # one trial call decides: closed again, or open for another cooldown


class CircuitBreaker:
    def __init__(
        self,
        failure_threshold: int = DEFAULT_FAILURE_THRESHOLD,
        cooldown: float = DEFAULT_COOLDOWN_SECONDS,
        clock: Clock = time.monotonic,
    ) -> None:
        self.failure_threshold = failure_threshold
        self.cooldown = cooldown
        self.clock = clock
        self.consecutive_failures = 0
        self._opened_at: float | None = None
        self._trial_started_at: float | None = None

    @property
    def state(self) -> BreakerState:
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self.clock() - self._opened_at < self.cooldown:
            return BreakerState.OPEN
        return BreakerState.HALF_OPEN

    def allows_call(self) -> bool:
        """True if a call may go out now; in half-open state only one trial at a time is let through."""
        state = self.state
        if state is BreakerState.CLOSED:
            return True
        if state is BreakerState.OPEN:
            return False
        now = self.clock()
        # A trial whose caller vanished (cancelled) must not keep the provider shut forever.
        if self._trial_started_at is not None and now - self._trial_started_at < self.cooldown:
            return False
        self._trial_started_at = now
        return True

    def record_success(self) -> None:
        self.consecutive_failures = 0
        self._opened_at = None
        self._trial_started_at = None

    def record_failure(self, open_now: bool = False) -> None:
        self.consecutive_failures += 1
        was_trial = self._opened_at is not None
        if open_now or was_trial or self.consecutive_failures >= self.failure_threshold:
            self._opened_at = self.clock()
            self._trial_started_at = None
