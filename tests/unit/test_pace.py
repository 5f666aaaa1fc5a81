"""The send pace on a virtual clock: Telegram's limits kept, a 429 holding only its own chat, 5xx retried.

Sends are awaited one after another, so the virtual clock reads exactly when each went out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from telegram.error import BadRequest, NetworkError, RetryAfter

from bot.clock import VirtualClock
from bot.pipeline.pace import Pace, Pacer

GROUP = -100123


def recorder(clock: VirtualClock, sent: list[tuple[Any, float]], failures: dict[Any, list[Exception]] | None = None) -> Callable:
    async def call(chat_id: Any) -> bool:
        pending = (failures or {}).get(chat_id)
        if pending:
            raise pending.pop(0)
        sent.append((chat_id, clock.monotonic()))
        return True

    return call


async def send(pacer: Pacer, call: Callable, chat_id: Any, endpoint: str = "sendMessage") -> Any:
    return await pacer.process_request(call, (chat_id,), {}, endpoint, {"chat_id": chat_id}, None)


async def test_a_chat_gets_a_short_burst_then_one_message_a_second():
    clock = VirtualClock()
    sent: list[tuple[Any, float]] = []
    pacer = Pacer(clock, Pace())
    start = clock.monotonic()
    for _ in range(5):
        await send(pacer, recorder(clock, sent), 42)
    assert [round(at - start, 3) for _chat, at in sent] == [0, 0, 1, 2, 3]


async def test_a_group_gets_at_most_twenty_messages_a_minute():
    clock = VirtualClock()
    sent: list[tuple[Any, float]] = []
    pacer = Pacer(clock, Pace())
    for _ in range(25):
        await send(pacer, recorder(clock, sent), GROUP)
    times = [at for _chat, at in sent]
    assert all(later - earlier >= 60 - 1e-9 for earlier, later in zip(times, times[20:], strict=False))


async def test_all_chats_together_get_at_most_thirty_messages_a_second():
    clock = VirtualClock()
    sent: list[tuple[Any, float]] = []
    pacer = Pacer(clock, Pace())
    for chat in range(1, 46):
        await send(pacer, recorder(clock, sent), chat)
    times = [at for _chat, at in sent]
    assert all(later - earlier >= 1 - 1e-9 for earlier, later in zip(times, times[30:], strict=False))


async def test_flood_control_in_one_chat_holds_that_chat_and_no_other():
    clock = VirtualClock()
    sent: list[tuple[Any, float]] = []
    pacer = Pacer(clock, Pace())
    call = recorder(clock, sent, {1: [RetryAfter(30)]})
    start = clock.monotonic()
    await send(pacer, call, 1)  # refused once, then sent after 30 s
    waited = clock.monotonic() - start
    before = clock.monotonic()
    await send(pacer, call, 2)
    assert waited >= 30 and clock.monotonic() == before
    assert [chat for chat, _at in sent] == [1, 2]


async def test_server_errors_and_timeouts_are_retried_a_few_times_then_raised():
    clock = VirtualClock()
    sent: list[tuple[Any, float]] = []
    pacer = Pacer(clock, Pace(retries=3))
    flaky = recorder(clock, sent, {7: [NetworkError("Internal Server Error (500)")] * 2, 8: [NetworkError("502")] * 4})
    assert await send(pacer, flaky, 7) is True
    with pytest.raises(NetworkError):
        await send(pacer, flaky, 8)
    refused = recorder(clock, sent, {9: [BadRequest("message is too long")]})
    with pytest.raises(BadRequest):  # our mistake: trying again would not help
        await send(pacer, refused, 9)


async def test_typing_and_reading_updates_are_never_paced():
    clock = VirtualClock()
    sent: list[tuple[Any, float]] = []
    pacer = Pacer(clock, Pace())
    start = clock.monotonic()
    for _ in range(10):
        await send(pacer, recorder(clock, sent), 42, endpoint="sendChatAction")
    assert clock.monotonic() == start
