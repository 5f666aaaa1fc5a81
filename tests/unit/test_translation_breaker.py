from __future__ import annotations

from bot.translation.breaker import BreakerState, CircuitBreaker


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_opens_after_the_threshold_of_consecutive_failures() -> None:
    breaker = CircuitBreaker(failure_threshold=3, cooldown=60, clock=FakeClock())
    breaker.record_failure()
    breaker.record_failure()
    assert breaker.allows_call()
    breaker.record_failure()
    assert breaker.state is BreakerState.OPEN and not breaker.allows_call()


def test_a_success_resets_the_count() -> None:
    breaker = CircuitBreaker(failure_threshold=2, cooldown=60, clock=FakeClock())
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    assert breaker.state is BreakerState.CLOSED


def test_a_serious_failure_opens_at_once() -> None:
    breaker = CircuitBreaker(failure_threshold=5, cooldown=60, clock=FakeClock())
    breaker.record_failure(open_now=True)
    assert not breaker.allows_call()


def test_half_open_lets_one_trial_through_and_its_result_decides() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=1, cooldown=60, clock=clock)
    breaker.record_failure()
    clock.now += 59
    assert not breaker.allows_call()
    clock.now += 1
    assert breaker.state is BreakerState.HALF_OPEN
    assert breaker.allows_call()
    assert not breaker.allows_call(), "only one trial at a time"
    breaker.record_failure()
    assert breaker.state is BreakerState.OPEN
    clock.now += 60
    assert breaker.allows_call()
    breaker.record_success()
    assert breaker.state is BreakerState.CLOSED and breaker.allows_call() and breaker.allows_call()


def test_a_trial_whose_caller_vanished_does_not_block_forever() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=1, cooldown=60, clock=clock)
    breaker.record_failure()
    clock.now += 60
    assert breaker.allows_call()
    clock.now += 60
    assert breaker.allows_call()
