"""Faults: kill -9 at the worst moments, the same update twice, 429 and 500 from the Bot API, the database going
away under the bot, and two teammates pressing the same button at once. Nothing is lost, nothing is doubled, and
every button shown still works afterwards."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.db.models import Answer, InboxUpdate, Reminder, Supplier
from bot.db.session import Database
from bot.domain.answers import AnswerStatus
from bot.sandbox.emulator import BotApiEmulator
from tests.builders import actor_of, sent_inquiry
from tests.conftest import wipe
from tests.e2e.conftest import TOKEN, Harness, text_of

REPLY = "亲，起订量100个。100-499个 12元，500个以上10元。现货，3天发货"


class BotProcess:
    """`sourcing-bot run` in a process of its own, on the test database, polling the emulator."""

    def __init__(self, emulator: BotApiEmulator, database_url: str, directory: Path) -> None:
        keep = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG", "PYTHONPATH")}
        self.environment = {
            **keep,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": emulator.base_url,
            "DATABASE_URL": database_url,
            "SOURCING_DATA_DIR": str(directory),
            "TRANSLATOR": "none",
            "REPLY_BATCH_SECONDS": "0.05",
        }
        self.directory = directory
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", env=self.environment, cwd=self.directory,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )

    async def kill(self) -> None:
        """kill -9: no clean-up of any kind."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(self.process.wait(), timeout=20)


async def until(condition: Callable[[], Any], timeout: float = 20.0) -> None:
    """Wait for something a user (or the database) can see, never a fixed time."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = condition()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("the condition never came true")
        await asyncio.sleep(0.02)


async def _count(database: Database, query: Any) -> int:
    async with database.session() as session:
        return int(await session.scalar(query) or 0)


async def _all_done(database: Database) -> bool:
    """Every update the bot received is answered."""
    return await _count(database, select(func.count()).select_from(InboxUpdate).where(InboxUpdate.done_at.is_(None))) == 0


def _said(emulator: BotApiEmulator, chat: Any, words: str) -> int:
    return sum(words in (message.text or "") for message in emulator.messages(chat))


@pytest.fixture
async def process(wall_clock_emulator: BotApiEmulator, database_url: str, tmp_path: Path):
    await wipe(database_url)
    bot = BotProcess(wall_clock_emulator, database_url, tmp_path)
    yield bot
    await bot.stop()
    await wipe(database_url)


async def test_kill_9_right_after_a_step_leaves_the_next_step_working(
    process: BotProcess, wall_clock_emulator: BotApiEmulator, database_url: str
):
    emulator = wall_clock_emulator
    ana = emulator.add_user("Ana")
    chat = emulator.private_chat(ana)
    await process.start()
    emulator.send_text(ana, chat, "/inquiry")
    await emulator.wait_for_message(chat, lambda m: "Which supplier" in (m.text or ""), timeout=30)
    emulator.inject_delay("sendMessage", 2.0)  # the step is stored; its answer is on its way when the bot dies
    emulator.send_text(ana, chat, "Shenzhen Lights")
    await until(lambda: any(call.method == "sendMessage" and "Product" in str(call.params) for call in emulator.calls[-3:]))
    await process.kill()
    await process.start()
    database = Database(database_url)
    try:
        await until(lambda: _all_done(database))
        assert _said(emulator, chat, "Product") >= 1  # the answer the bot was sending, delivered once or twice
        emulator.send_text(ana, chat, "LED desk lamp")
        await emulator.wait_for_message(chat, lambda m: "How many" in (m.text or ""), timeout=20)
        assert await _count(database, select(func.count()).select_from(Supplier)) == 1
    finally:
        await database.dispose()


async def test_kill_9_with_updates_fetched_and_not_yet_handled_loses_none_of_them(
    process: BotProcess, wall_clock_emulator: BotApiEmulator, database_url: str
):
    emulator = wall_clock_emulator
    ana = emulator.add_user("Ana")
    chat = emulator.private_chat(ana)
    await process.start()
    emulator.send_text(ana, chat, "/start")
    await emulator.wait_for_message(chat, timeout=30)
    emulator.inject_delay("sendMessage", 2.0)  # the first answer hangs: the next updates wait in the chat's lane
    for command in ("/help", "/guide", "/inquiries"):
        emulator.send_text(ana, chat, command)
    # Telegram considers them delivered once the bot has asked for the updates after them.
    await until(lambda: emulator.pending_updates == 0)
    await process.kill()
    await process.start()
    database = Database(database_url)
    try:
        await until(lambda: _all_done(database))
        await until(lambda: _said(emulator, chat, "Open inquiries") + _said(emulator, chat, "No open inquiries") >= 1)
        assert _said(emulator, chat, "What I can do") >= 1 and _said(emulator, chat, "the guide") >= 1
    finally:
        await database.dispose()


async def test_kill_9_right_after_a_confirmation_records_it_once_and_the_other_buttons_work(
    process: BotProcess, wall_clock_emulator: BotApiEmulator, database_url: str
):
    emulator = wall_clock_emulator
    ana = emulator.add_user("Ana")
    chat = emulator.private_chat(ana)
    database = Database(database_url)
    try:
        await database.upgrade()
        actor = await actor_of(database, ana["id"])
        inquiry = await sent_inquiry(database, actor)
        await process.start()
        emulator.send_text(ana, chat, "/inquiries")
        await emulator.wait_for_message(chat, lambda m: "Open inquiries" in (m.text or ""), timeout=30)
        _press(emulator, ana, chat, "1")
        await emulator.wait_for_message(chat, lambda m: "Paste the supplier" in (m.text or ""), timeout=20)
        emulator.send_text(ana, chat, REPLY)
        await emulator.wait_for_message(chat, lambda m: "answered" in (m.text or ""), timeout=20)
        emulator.inject_delay("editMessageText", 2.0)
        _press(emulator, ana, chat, "3 right")
        await until(lambda: any(call.method == "editMessageText" for call in emulator.calls[-3:]))
        await process.kill()
        await process.start()
        await until(lambda: _all_done(database))
        _press(emulator, ana, chat, "4 right")
        await until(lambda: _all_done(database))
        await until(lambda: any("2 of" in (m.text or "") for m in emulator.messages(chat)))
        confirmed = select(func.count()).select_from(Answer).where(Answer.status == AnswerStatus.CONFIRMED)
        assert await _count(database, confirmed) == 2
        assert await _count(database, select(func.count()).select_from(Answer).where(Answer.inquiry_id == inquiry.id)) == 4
    finally:
        await database.dispose()


def _press(emulator: BotApiEmulator, user: dict[str, Any], chat: Any, label: str) -> None:
    for message in reversed(emulator.messages(chat)):
        for button in message.buttons():
            if label in button.get("text", "") and "callback_data" in button:
                emulator.press_button(user, chat, message.message_id, button["callback_data"])
                return
    raise AssertionError(f"no button {label!r}")


async def test_500_and_429_during_a_step_are_retried_not_apologised_for(harness: Harness):
    ana = harness.user("Ana")
    await harness.say(ana, "/inquiry")
    harness.emulator.inject_fault("sendMessage", status=500, times=2)
    answer = text_of(await harness.say(ana, "Shenzhen Lights"))
    assert "Product" in answer and "went wrong" not in answer
    harness.emulator.inject_fault("sendMessage", status=429, retry_after=3)
    assert "How many" in text_of(await harness.say(ana, "LED desk lamp"))
    assert harness.errors == []


async def test_a_500_after_a_pasted_reply_loses_nothing(bot: Harness):
    ana = bot.user("Ana")
    actor = await actor_of(bot.services.database, ana["id"])
    await sent_inquiry(bot.services.database, actor)
    await bot.say(ana, "/inquiries")
    await bot.press(ana, "1")
    bot.emulator.inject_fault("sendMessage", status=500, times=3)
    shown = text_of(await bot.say(ana, REPLY))
    assert "The supplier wrote" in shown and "MOQ: 100" in shown and "0 of" in shown
    assert await _all_done(bot.services.database)
    assert bot.errors == []


async def test_two_teammates_pressing_the_same_button_at_once_count_once(bot: Harness):
    ana, ben = bot.user("Ana"), bot.user("Ben")
    group = bot.emulator.add_group("Buyers", added_by=ana)
    bot.emulator.add_member(group, ben)
    await bot.settle()

    async def answer(text: str) -> None:  # privacy mode: typing in a group is replying to the bot
        await bot.say(ana, text, chat=group, reply_to_message_id=bot.emulator.last_message(group).message_id)

    await bot.say(ana, "/inquiry", chat=group)
    for text in ("Shenzhen Lights", "LED desk lamp", "500"):
        await answer(text)
    await bot.press(ana, "Singapore", chat=group)
    await bot.press(ana, "SGD", chat=group)
    await bot.press(ana, "Done", chat=group)
    await bot.press(ana, "Write the message", chat=group)
    sent = next(m for m in reversed(bot.emulator.messages(group)) if any("I sent it" in b["text"] for b in m.buttons()))
    data = next(b["callback_data"] for b in sent.buttons() if "I sent it" in b["text"])
    bot.emulator.press_button(ana, group, sent.message_id, data)
    bot.emulator.press_button(ben, group, sent.message_id, data)
    await bot.settle()
    assert _said(bot.emulator, group, "Waiting for the supplier") == 1
    async with bot.services.database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Reminder)) == 1
    bot.emulator.send_text(ana, group, REPLY, reply_to_message_id=bot.emulator.last_message(group).message_id)
    await bot.settle()
    answers = next(m for m in reversed(bot.emulator.messages(group)) if any("3 right" in b["text"] for b in m.buttons()))
    first = next(b["callback_data"] for b in answers.buttons() if "3 right" in b["text"])
    bot.emulator.press_button(ana, group, answers.message_id, first)
    bot.emulator.press_button(ben, group, answers.message_id, first)
    await bot.settle()
    async with bot.services.database.session() as session:
        confirmed = await session.scalar(select(func.count()).select_from(Answer).where(Answer.status == AnswerStatus.CONFIRMED))
    assert confirmed == 1
    refreshed = next(m for m in bot.emulator.messages(group) if m.message_id == answers.message_id)
    assert "1 of" in (refreshed.text or "")
    assert bot.errors == []


class DatabaseLink:
    """A TCP link between the bot and PostgreSQL that the test can cut and restore: to the bot it is the
    database going down (connections reset, new ones refused) and coming back."""

    def __init__(self, port: int = 5432) -> None:
        self.target = port
        self.port = 0
        self.server: asyncio.base_events.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._connect, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()
        for writer in list(self.writers):
            writer.transport.abort()
        self.writers.clear()

    async def _connect(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.target)
        self.writers |= {writer, upstream_writer}

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                sink.transport.abort()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="a database server to restart: PostgreSQL runs only")
async def test_the_database_going_away_gets_one_short_apology_per_update_and_the_bot_recovers_by_itself(
    emulator: BotApiEmulator, settings, database_url: str, pace_clock
):
    from sqlalchemy.engine import make_url

    from tests.e2e.conftest import with_settings

    link = DatabaseLink(make_url(database_url).port or 5432)
    await link.start()
    through_link = make_url(database_url).set(port=link.port).render_as_string(hide_password=False)
    await wipe(database_url)
    harness = Harness(emulator, with_settings(settings, database_url=through_link), pace_clock)
    await harness.start()
    try:
        ana = harness.user("Ana")
        chat = emulator.private_chat(ana)
        assert "Which supplier" in text_of(await harness.say(ana, "/inquiry"))
        await link.cut()
        for _ in range(2):
            answer = await harness.say(ana, "Shenzhen Lights")
            assert [m.text for m in answer] == ["I can't reach my records right now. Please try again in a moment."]
        await link.start()
        assert "Added supplier Shenzhen Lights" in text_of(await harness.say(ana, "Shenzhen Lights"))  # the same step
        assert "How many" in text_of(await harness.say(ana, "LED desk lamp"))
        assert harness.errors == []
        assert _said(emulator, chat, "something went wrong") == 0
    finally:
        await harness.stop()
        await link.cut()
        await wipe(database_url)
