"""Update pipeline figures: the bot against a bare python-telegram-bot echo bot, on the same Bot API emulator,
in the same run, with 50 users at once.

    .venv/bin/python benchmarks/bench_pipeline.py [--users 50] [--rounds 20] [--postgres postgresql+asyncpg://user@host/db]

Each bot runs in a process of its own, polling the emulator over HTTP; the emulator and the users live in this
process. Every user sends a message, waits for the answer, and sends the next (50 conversations at once), so
the figures are replies per second and the time to the first reply. Both bots run without the send pace
(Telegram's ~1 message a second per chat and 30 a second overall would cap both at 30/s): the figures are
what the update pipeline itself costs.

Cases: `/help` (the bot stores the update, finds the person, replies, marks the update done); a pasted
supplier reply (translation cached, facts read, answers proposed against an open inquiry; the bot answers with
two messages, the echo bot with one). Printed too: SQL statements per update and CPU per update in the bot's
process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench_translation import local_google, throwaway_database
from sqlalchemy import event

from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.world import ApiCall

TOKEN = "123456789:BENCH-token-for-the-emulator-only"
PACED_SECONDS = 10.0
REPLY = "亲，起订量100个。100-499个 12元，500个以上10元。现货，3天发货，支持7天无理由退换，可以发国外"


# ---------------------------------------------------------------------------
# The bots, each in its own process
# ---------------------------------------------------------------------------


def run_echo_bot(base_url: str) -> None:
    """The bare python-telegram-bot bot: every text message is sent back."""
    from telegram import Update
    from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await context.bot.send_message(update.effective_chat.id, update.effective_message.text or "")  # type: ignore[union-attr]

    application = ApplicationBuilder().token(TOKEN).base_url(base_url).concurrent_updates(256).build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_polling(poll_interval=0, timeout=10, stop_signals=(signal.SIGTERM,))


def run_sourcing_bot(base_url: str, database_url: str, stats_path: str) -> None:
    """The bot as `sourcing-bot run` builds it, without the send pace; counts its SQL statements."""
    from bot.app import build_application, inbox_queue
    from bot.config import Settings
    from bot.pipeline.pace import Pace

    settings = Settings(
        telegram_token=TOKEN,
        telegram_base_url=base_url,
        database_url=database_url,
        translator_chain=("google",),
        reply_batch_seconds=0.001,  # read each pasted reply at once: the users here wait for each answer
        log_level="WARNING",
    )
    application = build_application(settings, pace=Pace.unlimited())
    statements = [0]
    event.listen(
        application.bot_data["services"].database.engine.sync_engine,
        "before_cursor_execute",
        lambda *_args: statements.__setitem__(0, statements[0] + 1),
    )
    updates = [0]
    queue = inbox_queue(application)
    finish = queue.finish

    def counted_finish(update_id: int) -> Any:
        updates[0] += 1
        return finish(update_id)

    queue.finish = counted_finish  # type: ignore[method-assign]

    def write_stats() -> None:
        Path(stats_path).write_text(json.dumps({"statements": statements[0], "updates": updates[0]}))

    signal.signal(signal.SIGUSR1, lambda *_args: write_stats())
    with local_google():
        application.run_polling(poll_interval=0, timeout=10, stop_signals=(signal.SIGTERM,))


# ---------------------------------------------------------------------------
# The users, in this process
# ---------------------------------------------------------------------------


@dataclass
class Timings:
    first_reply: list[float] = field(default_factory=list)  # seconds from a user's message to the bot's first answer
    elapsed: float = 0.0
    messages: int = 0

    @property
    def per_second(self) -> float:
        return self.messages / self.elapsed if self.elapsed else 0.0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.first_reply)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else float("nan")


class Waiter:
    """Resolves a chat's future when the bot sends the n-th message there since the user wrote."""

    def __init__(self, emulator: BotApiEmulator) -> None:
        self.waiting: dict[int, tuple[int, asyncio.Future[float], list[float]]] = {}
        emulator.listeners.append(self.seen)

    def seen(self, call: ApiCall) -> None:
        if call.method != "sendMessage" or call.status != 200:
            return
        chat_id = int(call.params.get("chat_id", 0))
        entry = self.waiting.get(chat_id)
        if entry is None:
            return
        needed, future, times = entry
        times.append(time.perf_counter())
        if len(times) >= needed and not future.done():
            future.set_result(times[0])

    def expect(self, chat_id: int, messages: int) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiting[chat_id] = (messages, future, [])
        return future


async def exchange(
    emulator: BotApiEmulator, waiter: Waiter, user: dict[str, Any], text: str, answers: int, timings: Timings
) -> None:
    """The user sends `text` and waits for the whole answer; the time to its first message is kept."""
    chat = emulator.private_chat(user)
    answered = waiter.expect(chat["id"], answers)
    sent = time.perf_counter()
    emulator.send_text(user, chat, text)
    first = await asyncio.wait_for(answered, timeout=60)
    timings.first_reply.append(first - sent)
    timings.messages += 1


async def conversations(
    emulator: BotApiEmulator, waiter: Waiter, users: list[dict[str, Any]], rounds: int, text: str, answers: int
) -> Timings:
    timings = Timings()

    async def converse(user: dict[str, Any]) -> None:
        for _ in range(rounds):
            await exchange(emulator, waiter, user, text, answers, timings)

    started = time.perf_counter()
    await asyncio.gather(*(converse(user) for user in users))
    timings.elapsed = time.perf_counter() - started
    return timings


async def paced(
    emulator: BotApiEmulator, waiter: Waiter, users: list[dict[str, Any]], seconds: float, text: str, answers: int
) -> Timings:
    """Every user sends a message a second (each at their own moment), as people do: the time to the first
    reply when the bot is busy but not flooded."""
    timings = Timings()
    rng = random.Random(7)

    async def converse(user: dict[str, Any]) -> None:
        await asyncio.sleep(rng.random())
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            sent = time.perf_counter()
            await exchange(emulator, waiter, user, text, answers, timings)
            await asyncio.sleep(max(0.0, 1.0 - (time.perf_counter() - sent)))

    started = time.perf_counter()
    await asyncio.gather(*(converse(user) for user in users))
    timings.elapsed = time.perf_counter() - started
    return timings


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Row:
    bot: str
    case: str
    load: str
    timings: Timings
    cpu_ms_per_update: float
    statements_per_update: float | None


async def start_process(*args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(sys.executable, __file__, *args, stdout=asyncio.subprocess.DEVNULL)


async def stop_process(process: asyncio.subprocess.Process) -> None:
    process.send_signal(signal.SIGTERM)
    await asyncio.wait_for(process.wait(), timeout=30)


async def counted(process: asyncio.subprocess.Process, stats_path: Path | None) -> dict[str, int] | None:
    """The bot's own count of SQL statements and updates so far."""
    if stats_path is None:
        return None
    stats_path.unlink(missing_ok=True)
    process.send_signal(signal.SIGUSR1)
    while not stats_path.exists():
        await asyncio.sleep(0.01)
    return json.loads(stats_path.read_text())  # type: ignore[no-any-return]


async def measure(
    bot: str,
    case: str,
    load: str,
    process: asyncio.subprocess.Process,
    run: Callable[[], Awaitable[Timings]],
    stats_path: Path | None,
) -> Row:
    before, cpu_before = await counted(process, stats_path), cpu_seconds(process.pid)
    timings = await run()
    cpu = cpu_seconds(process.pid) - cpu_before
    after = await counted(process, stats_path)
    statements = None
    if before is not None and after is not None:
        statements = (after["statements"] - before["statements"]) / max(after["updates"] - before["updates"], 1)
    return Row(bot, case, load, timings, cpu / max(timings.messages, 1) * 1000, statements)


async def prepare_inquiries(database_url: str, users: list[dict[str, Any]]) -> None:
    """Every user has an inquiry sent to a supplier, open in their chat, as if they had walked /inquiry."""
    from bot.db.session import Database
    from bot.pipeline.conversations import ConversationStore
    from bot.services import inquiries
    from bot.services.accounts import resolve_actor

    database = Database(database_url)
    store = ConversationStore(database)
    try:
        for user in users:
            actor = (
                await resolve_actor(
                    database,
                    user_id=user["id"],
                    first_name=user["first_name"],
                    username=None,
                    telegram_language="en",
                    chat_id=user["id"],
                    chat_type="private",
                    chat_title=None,
                    default_language="en",
                )
            ).actor
            draft = await inquiries.start_draft(database, actor)
            assert draft is not None
            await inquiries.set_product(database, actor, "LED desk lamp")
            await inquiries.set_quantity(database, actor, 500, "pcs")
            await inquiries.set_destination(database, actor, "SG")
            await inquiries.set_currency(database, actor, "SGD")
            await inquiries.write_message(database, actor, draft.inquiry.id, "")
            await inquiries.mark_sent(database, actor, draft.inquiry.id, now=datetime.now(UTC), default_hours=24)
            key = (user["id"], user["id"])
            await store.load(key)
            store.remember(key, "active_inquiry", draft.inquiry.id)
        await asyncio.sleep(0.1)  # the store saves outside an update in the background
    finally:
        await database.dispose()


CASES = (("/help", "/help", 1), ("pasted supplier reply", REPLY, 2))  # (case, text, messages in the answer)


async def runs(
    bot: str,
    process: asyncio.subprocess.Process,
    emulator: BotApiEmulator,
    waiter: Waiter,
    users: list[dict[str, Any]],
    rounds: int,
    stats: Path | None,
) -> list[Row]:
    rows = []
    for case, text, answers in CASES:
        answers = answers if bot == "sourcing bot" else 1
        rows.append(
            await measure(
                bot, case, "all at once", process, lambda t=text, a=answers: conversations(emulator, waiter, users, rounds, t, a), stats
            )
        )
        rows.append(
            await measure(
                bot, case, "1 msg/s each", process, lambda t=text, a=answers: paced(emulator, waiter, users, PACED_SECONDS, t, a), stats
            )
        )
    return rows


async def bench(users_count: int, rounds: int, postgres: str | None) -> list[Row]:
    rows = []
    async with BotApiEmulator(TOKEN) as emulator:
        waiter = Waiter(emulator)
        users = [emulator.add_user(f"User {index}") for index in range(users_count)]
        base_url = emulator.base_url

        echo = await start_process("echo", base_url)
        await conversations(emulator, waiter, users, 2, "warm up", 1)
        rows += await runs("echo bot", echo, emulator, waiter, users, rounds, None)
        await stop_process(echo)

        async with throwaway_database(postgres) as database:
            url = database.url
            await database.dispose()
            await prepare_inquiries(url, users)
            with tempfile.TemporaryDirectory() as directory:
                stats = Path(directory) / "stats.json"
                ours = await start_process("bot", base_url, url, str(stats))
                await conversations(emulator, waiter, users, 2, "/help", 1)
                await conversations(emulator, waiter, users, 1, REPLY, 2)  # translates once, then from memory
                rows += await runs("sourcing bot", ours, emulator, waiter, users, rounds, stats)
                await stop_process(ours)
    return rows


def print_table(rows: list[Row], users: int, backend: str) -> None:
    print(f"Update pipeline benchmark — {users} users, {backend} database, emulator over HTTP on 127.0.0.1")
    print(
        f"{'bot':<14}{'case':<23}{'load':<14}{'replies/s':>10}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'CPU ms/update':>15}{'SQL/update':>12}"
    )
    for row in rows:
        statements = f"{row.statements_per_update:.1f}" if row.statements_per_update is not None else "—"
        print(
            f"{row.bot:<14}{row.case:<23}{row.load:<14}{row.timings.per_second:>10,.0f}{row.timings.percentile(0.5):>9.1f}"
            f"{row.timings.percentile(0.99):>9.1f}{row.cpu_ms_per_update:>15.2f}{statements:>12}"
        )
    by_case = {(row.case, row.bot): row for row in rows if row.load == "all at once"}
    for case, _text, _answers in CASES:
        ratio = by_case[(case, "sourcing bot")].timings.per_second / by_case[(case, "echo bot")].timings.per_second
        print(f"{case}: the sourcing bot answers at {ratio:.2f}× the echo bot's rate, all at once")
    print("(all at once: every user sends, waits for the whole answer, sends again; 1 msg/s each: "
          f"every user sends a message a second for {PACED_SECONDS:g} s.")
    print(" A pasted reply's answer is two messages (translation, answers); the echo bot's is one.)")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--postgres", default=None, help="a PostgreSQL server URL; a throwaway database is made on it")
    arguments = parser.parse_args()
    rows = await bench(arguments.users, arguments.rounds, arguments.postgres)
    print_table(rows, arguments.users, "PostgreSQL" if arguments.postgres else "SQLite")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "echo":
        run_echo_bot(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] == "bot":
        run_sourcing_bot(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        asyncio.run(main())
