"""Runs the real bot against the emulator, fed from a script or from the terminal."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sqlalchemy.engine import make_url
from telegram import Update
from telegram.ext import Application

from bot.clock import Clock, VirtualClock
from bot.sandbox.chat import SandboxChat
from bot.sandbox.emulator import BotApiEmulator

if TYPE_CHECKING:
    from bot.config import Settings

SANDBOX_TOKEN = "7000000001:SANDBOX-local-token-not-valid-on-telegram"
QUIT_COMMAND = "/quit"
FORWARD_COMMAND = "/forward "
# A job due this soon (such as a short batching delay) counts as the bot still answering.
JOB_HORIZON = dt.timedelta(seconds=2)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
ApplicationFactory = Callable[["Settings"], AnyApplication]


async def run_sandbox(
    settings: Settings,
    *,
    script: Iterable[str] | None,
    out: TextIO,
    interactive: bool,
    application_factory: ApplicationFactory | None = None,
) -> int:
    """Plays a script (or the terminal's lines) against the bot; returns the exit status.

    In script mode the status is 1 when Telegram would have refused a call or the bot's
    error handler recorded an error. `application_factory` defaults to the real bot's
    `bot.app.build_application`.
    """
    # A script checks Telegram's pace without waiting for it: the bot's pace and the emulator's flood control
    # share a virtual clock. At the terminal, time is real.
    clock = Clock() if interactive else VirtualClock()
    emulator = BotApiEmulator(
        SANDBOX_TOKEN, first_update_id=await _next_update_id(settings), strict_rate_limits=True, clock=clock.monotonic
    )
    await emulator.start()
    factory = application_factory or _real_application_factory(clock)
    bot_runner = _BotRunner(_sandbox_settings(settings, emulator), factory)
    try:
        await bot_runner.start()
        # A script needs no pause to read: the bot says when it is busy, so a short quiet spell is enough.
        chat = SandboxChat(
            emulator, on_reset=bot_runner.reset, on_later=bot_runner.later, bot_busy=bot_runner.is_busy,
            quiet=0.15 if interactive else 0.02,
        )  # fmt: skip
        if interactive and sys.stdin.isatty():
            await _converse(chat, out, bot_runner)
            return 0
        lines = script if script is not None else sys.stdin
        return await _play_script(chat, lines, out, bot_runner)
    finally:
        await bot_runner.stop()
        await emulator.stop()


async def _next_update_id(settings: Settings) -> int:
    """The bot skips update ids it has handled before, and the sandbox keeps its database between runs:
    number this run's updates after the last run's."""
    from bot.db.session import Database
    from bot.pipeline.inbox import Inbox

    database = Database(settings.database_url)
    try:
        await database.upgrade()
        return await Inbox(database).last_update_id(int(SANDBOX_TOKEN.split(":")[0])) + 1
    finally:
        await database.dispose()


def _sandbox_settings(settings: Settings, emulator: BotApiEmulator) -> Settings:
    return dataclasses.replace(
        settings,
        telegram_token=SANDBOX_TOKEN,
        telegram_base_url=emulator.base_url,
        telegram_base_file_url=emulator.base_file_url,
    )


async def _play_script(
    chat: SandboxChat, lines: Iterable[str], out: TextIO, bot_runner: _BotRunner
) -> int:
    for group in _line_groups(lines):
        _print_lines(out, await chat.send_lines(group) + _new_error_lines(bot_runner))
    problems = chat.problems() + bot_runner.errors()
    if problems:
        _print_lines(out, ["", "Problems:"] + [f"  {problem}" for problem in problems])
        return 1
    return 0


def _line_groups(lines: Iterable[str]) -> Iterator[list[str]]:
    """The script's lines to play, one at a time, except /forward lines in a row: those go together, as
    several messages forwarded at once do, and the bot reads them as one reply. Stops at /quit."""
    group: list[str] = []
    for raw_line in lines:
        line = raw_line.strip()
        if not line or line.startswith("#"):
            continue
        if line == QUIT_COMMAND:
            break
        if group and not (line.startswith(FORWARD_COMMAND) and group[-1].startswith(FORWARD_COMMAND)):
            yield group
            group = []
        group.append(line)
    if group:
        yield group


async def _converse(chat: SandboxChat, out: TextIO, bot_runner: _BotRunner) -> None:
    _print_lines(out, ["Chatting with the bot in the sandbox. /sandbox shows the commands."])
    while True:
        try:
            line = await _read_line(chat.prompt)
        except EOFError:
            return
        if line.strip() == QUIT_COMMAND:
            return
        _print_lines(out, await chat.send_line(line) + _new_error_lines(bot_runner))


def _new_error_lines(bot_runner: _BotRunner) -> list[str]:
    return [f"Problem: {error}" for error in bot_runner.take_new_errors()]


async def _read_line(prompt: str) -> str:
    """input() on a daemon thread: unlike asyncio.to_thread, Ctrl-C at the prompt can end
    the sandbox without waiting for the user to press Enter."""
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[str] = loop.create_future()

    def deliver(line: str | None, error: BaseException | None) -> None:
        if answer.done():
            return
        if error is not None:
            answer.set_exception(error)
        else:
            answer.set_result(line or "")

    def read() -> None:
        try:
            line = input(prompt)
        except (EOFError, OSError) as error:
            loop.call_soon_threadsafe(deliver, None, error)
        else:
            loop.call_soon_threadsafe(deliver, line, None)

    threading.Thread(target=read, name="sandbox-input", daemon=True).start()
    return await answer


def _print_lines(out: TextIO, lines: list[str]) -> None:
    for line in lines:
        print(line, file=out)
    out.flush()


class _BotRunner:
    """Owns the bot's Application: starts it polling, stops it, restarts it on /reset."""

    def __init__(self, settings: Settings, factory: ApplicationFactory) -> None:
        self._settings = settings
        self._factory = factory
        self._application: AnyApplication | None = None
        self._earlier_errors: list[str] = []
        self._errors_taken = 0

    async def start(self) -> None:
        application = self._factory(self._settings)
        await application.initialize()
        # run_polling() calls these hooks itself; an application started by hand calls them like this.
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        assert application.updater is not None
        # Same update types as the real bot asks for when it polls Telegram.
        await application.updater.start_polling(
            poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES
        )
        self._application = application

    async def stop(self) -> None:
        application, self._application = self._application, None
        if application is None:
            return
        self._earlier_errors += _recorded_errors(application)
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)

    async def reset(self) -> str:
        await self.stop()
        wiped = _delete_sqlite_database(self._settings.database_url)
        await self.start()
        if wiped:
            return "the bot's database was wiped and the bot restarted"
        return "the bot restarted; only a SQLite database file can be wiped, so its data is kept"

    async def later(self, hours: float) -> str:
        """Move the bot's clock forward, then look for due reminders at once."""
        application = self._application
        services = application.bot_data.get("services") if application else None
        if application is None or services is None:
            return "this bot has no clock to move"
        services.clock.advance(dt.timedelta(hours=hours))
        if application.job_queue is not None:
            for job in application.job_queue.get_jobs_by_name("reminders"):
                await job.run(application)
        return f"the bot's clock moved {hours:g} hours forward"

    def is_busy(self) -> bool:
        """Whether the bot is still working on something the emulator cannot see yet: the bot says so itself
        when it can (`bot_data["busy"]`), else its queue, updates in progress and jobs due soon tell."""
        application = self._application
        if application is None:
            return False
        busy = application.bot_data.get("busy")
        if busy is not None and busy():
            return True
        if (
            application.update_queue.qsize()
            or application.update_processor.current_concurrent_updates
            or application.bot_data.get("jobs_running", 0)
        ):
            return True
        if application.job_queue is None:
            return False
        now = dt.datetime.now(dt.UTC)
        return any(
            job.next_t is not None and job.next_t - now <= JOB_HORIZON
            for job in application.job_queue.jobs()
        )

    def errors(self) -> list[str]:
        current = _recorded_errors(self._application) if self._application else []
        return self._earlier_errors + current

    def take_new_errors(self) -> list[str]:
        """The errors recorded since the previous call."""
        errors = self.errors()
        new, self._errors_taken = errors[self._errors_taken :], len(errors)
        return new


def _real_application_factory(clock: Clock) -> ApplicationFactory:
    # Imported on use: the sandbox itself must not depend on the whole bot being importable.
    from bot.app import build_application

    return lambda settings: build_application(settings, clock=clock)


def _recorded_errors(application: AnyApplication) -> list[str]:
    errors = application.bot_data.get("errors", [])
    return [f"the bot's error handler caught: {error!r}" for error in errors]


def _delete_sqlite_database(database_url: str) -> bool:
    """Removes the SQLite file behind the URL, so the restarted bot migrates a fresh one.
    An in-memory database starts fresh anyway; other databases are left alone."""
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite"):
        return False
    if url.database in (None, "", ":memory:"):
        return True
    database = Path(url.database)
    for suffix in ("", "-wal", "-shm", "-journal"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    return True
