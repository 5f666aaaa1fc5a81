"""End-to-end harness: the real Application, polling our Bot API emulator over HTTP, on the test database."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.ext import Application

from bot.app import build_application, is_busy
from bot.clock import Clock, VirtualClock
from bot.config import Settings
from bot.handlers.replies import reply_window
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.world import ChatMessage
from tests.conftest import wipe
from tests.fakes import FakeGoogle, fake_google

TOKEN = "123456789:TEST-token-for-the-emulator_abcdefgh"


class Harness:
    """Users talk to the bot as in Telegram; every step waits until the bot has finished answering."""

    def __init__(self, emulator: BotApiEmulator, settings: Settings, clock: Clock) -> None:
        self.emulator = emulator
        self.settings = settings
        self.clock = clock
        self.application: Application | None = None

    async def start(self) -> None:
        self.application = build_application(self.settings, clock=self.clock)
        await self.application.initialize()
        # run_polling() calls these hooks itself; an application started by hand calls them like this.
        await self.application.post_init(self.application)  # type: ignore[misc]
        await self.application.start()
        await self.application.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES)  # type: ignore[union-attr]
        await self.settle()

    async def stop(self) -> None:
        if self.application is None:
            return
        if self.application.updater.running:  # type: ignore[union-attr]
            await self.application.updater.stop()  # type: ignore[union-attr]
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()
        await self.application.post_shutdown(self.application)  # type: ignore[misc]
        self.application = None

    async def restart(self) -> None:
        """Stop the bot as a deployment would and start a new process' worth of it on the same database."""
        await self.stop()
        await self.start()

    @property
    def services(self) -> Any:
        assert self.application is not None
        return self.application.bot_data["services"]

    @property
    def errors(self) -> list[str]:
        assert self.application is not None
        return self.application.bot_data["errors"]

    def busy(self) -> bool:
        assert self.application is not None
        return is_busy(self.application)

    async def settle(self) -> None:
        """Wait until every update reached the bot and the bot finished answering all of them, reading pasted
        supplier messages at once instead of after the batching delay."""
        application = self.application
        assert application is not None
        window = reply_window(application)
        while True:
            await self.emulator.wait_idle(quiet=0, bot_busy=lambda: self.busy() and not window.only_waiting)
            if not window.busy:
                return
            await window.read_now()

    async def later(self, delta: timedelta) -> None:
        """Move the bot's clock forward and let it look for due reminders, as its periodic sweep would."""
        application = self.application
        assert application is not None and application.job_queue is not None
        self.services.clock.advance(delta)
        for job in application.job_queue.get_jobs_by_name("reminders"):
            await job.run(application)
        await self.settle()

    def user(self, name: str, language_code: str = "en") -> dict[str, Any]:
        return self.emulator.add_user(name, language_code=language_code)

    def chat_of(self, user: dict[str, Any], chat: Any = None) -> Any:
        return chat if chat is not None else self.emulator.private_chat(user)

    def _seq(self, chat: Any) -> int:
        messages = self.emulator.messages(chat)
        return max((message.changed_seq for message in messages), default=0)

    def _new_since(self, chat: Any, seq: int) -> list[ChatMessage]:
        return [message for message in self.emulator.messages(chat) if message.changed_seq > seq]

    async def say(self, user: dict[str, Any], text: str, chat: Any = None, **kwargs: Any) -> list[ChatMessage]:
        """The user writes; returns the bot messages sent or edited in answer."""
        chat = self.chat_of(user, chat)
        before = self._seq(chat)
        self.emulator.send_text(user, chat, text, **kwargs)
        await self.settle()
        return self._new_since(chat, before)

    async def forward(self, user: dict[str, Any], text: str, chat: Any = None, from_name: str = "Supplier") -> list[ChatMessage]:
        chat = self.chat_of(user, chat)
        before = self._seq(chat)
        self.emulator.forward_text(user, chat, text, from_name)
        await self.settle()
        return self._new_since(chat, before)

    async def press(self, user: dict[str, Any], label: str, chat: Any = None) -> list[ChatMessage]:
        """Press the button whose label contains `label` on the newest bot message that has one."""
        chat = self.chat_of(user, chat)
        for message in reversed(self.emulator.messages(chat)):
            for button in message.buttons():
                if label in button.get("text", "") and "callback_data" in button:
                    return await self.press_data(user, message.message_id, button["callback_data"], chat)
        raise AssertionError(f"no button with {label!r}; last message: {self.last_text(chat)!r}")

    async def press_data(self, user: dict[str, Any], message_id: int, data: str, chat: Any = None) -> list[ChatMessage]:
        chat = self.chat_of(user, chat)
        before = self._seq(chat)
        self.emulator.press_button(user, chat, message_id, data)
        await self.settle()
        return self._new_since(chat, before)

    def last_text(self, chat: Any) -> str:
        message = self.emulator.last_message(chat)
        return message.text or message.caption or "" if message else ""

    def buttons(self, chat: Any) -> list[str]:
        for message in reversed(self.emulator.messages(chat)):
            if message.buttons():
                return [button["text"] for button in message.buttons()]
        return []

    def notices(self) -> list[str]:
        """Texts of the little notices shown on button presses (answerCallbackQuery)."""
        return [call.params.get("text", "") for call in self.emulator.calls if call.method == "answerCallbackQuery" and call.params.get("text")]


def text_of(messages: list[ChatMessage]) -> str:
    return "\n".join(message.text or message.caption or "" for message in messages)


@pytest.fixture
def pace_clock() -> VirtualClock:
    """The send pace's clock, shared by the bot and the emulator's flood control: the pace is checked, and
    never waited for."""
    return VirtualClock()


@pytest.fixture
async def emulator(pace_clock: VirtualClock) -> AsyncIterator[BotApiEmulator]:
    # Strict: more than about a message a second in a chat is refused with a 429, as Telegram does.
    emulator = BotApiEmulator(TOKEN, strict_rate_limits=True, clock=pace_clock.monotonic)
    await emulator.start()
    yield emulator
    await emulator.stop()


@pytest.fixture
async def wall_clock_emulator() -> AsyncIterator[BotApiEmulator]:
    """For a bot in another process, which paces itself by the wall clock: flood control measures the same."""
    emulator = BotApiEmulator(TOKEN, strict_rate_limits=True)
    await emulator.start()
    yield emulator
    await emulator.stop()


@pytest.fixture
def settings(emulator: BotApiEmulator, database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        telegram_token=TOKEN,
        telegram_base_url=emulator.base_url,
        telegram_base_file_url=emulator.base_file_url,
        data_dir=tmp_path,
        database_url=database_url,
        translator_chain=(),
        reminder_sweep_seconds=0.2,
    )


@pytest.fixture
async def harness(
    emulator: BotApiEmulator, settings: Settings, database_url: str, pace_clock: VirtualClock
) -> AsyncIterator[Harness]:
    await wipe(database_url)  # a fresh emulator numbers updates from 1 again: no earlier test's may linger
    harness = Harness(emulator, settings, pace_clock)
    await harness.start()
    yield harness
    await harness.stop()
    assert emulator.rejections() == [], "the bot sent something Telegram would reject"
    await wipe(database_url)


def with_settings(settings: Settings, **changes: Any) -> Settings:
    return dataclasses.replace(settings, **changes)


@pytest.fixture
def google() -> Iterator[FakeGoogle]:
    with fake_google() as fake:
        yield fake


@pytest.fixture
async def bot(
    emulator: BotApiEmulator, settings: Settings, database_url: str, google: FakeGoogle, pace_clock: VirtualClock
) -> AsyncIterator[Harness]:
    """The harness with translation on, through the faked Google."""
    await wipe(database_url)
    harness = Harness(emulator, with_settings(settings, translator_chain=("google",)), pace_clock)
    await harness.start()
    yield harness
    await harness.stop()
    assert emulator.rejections() == []
    await wipe(database_url)
