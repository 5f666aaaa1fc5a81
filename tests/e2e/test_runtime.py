"""The bot as a process: the command line, configuration errors, SIGTERM, webhook mode."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import httpx
import pytest
from telegram import Update

from bot.app import build_application
from bot.config import Settings
from bot.sandbox.emulator import BotApiEmulator
from tests.conftest import wipe
from tests.e2e.conftest import TOKEN, text_of


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "bot.cli", *args]


def _environment(tmp_path: Path, **values: str) -> dict[str, str]:
    keep = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG", "PYTHONPATH")}
    return {**keep, "SOURCING_DATA_DIR": str(tmp_path / "data"), "TRANSLATOR": "none", **values}


async def _run(args: list[str], env: dict[str, str], cwd: Path, stdin: bytes = b"") -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        *args, env=env, cwd=cwd, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(stdin), timeout=60)
    return process.returncode or 0, out.decode(), err.decode()


@pytest.mark.parametrize(
    ("values", "setting"),
    [
        ({}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_PORT": "http"}, "WEBHOOK_PORT"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "TRANSLATOR": "google,babelfish"}, "TRANSLATOR"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "TRANSLATOR": "deepl"}, "DEEPL_API_KEY"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "TRANSLATE_TIMEOUT": "-1"}, "TRANSLATE_TIMEOUT"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "DEFAULT_LANGUAGE": "klingon"}, "DEFAULT_LANGUAGE"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "DATABASE_URL": "postgresql+asyncpg://nobody@127.0.0.1:1/none"}, "DATABASE_URL"),
    ],
)
async def test_a_bad_setting_is_one_line_naming_it_and_exit_code_2(tmp_path: Path, values: dict[str, str], setting: str):
    code, _out, err = await _run(_command("run"), _environment(tmp_path, **values), tmp_path)
    assert code == 2
    assert err.strip().count("\n") == 0 and setting in err
    assert "Traceback" not in err and TOKEN not in err


async def test_version_and_help(tmp_path: Path):
    code, out, _err = await _run(_command("--version"), _environment(tmp_path), tmp_path)
    assert code == 0 and "sourcing-bot" in out
    code, out, _err = await _run(_command("--help"), _environment(tmp_path), tmp_path)
    assert code == 0 and "sandbox" in out and "extract" in out


async def test_db_upgrade_creates_the_schema(tmp_path: Path):
    database = tmp_path / "fresh.db"
    env = _environment(tmp_path, DATABASE_URL=f"sqlite+aiosqlite:///{database}")
    code, _out, err = await _run(_command("db", "upgrade"), env, tmp_path)
    assert code == 0, err
    assert database.stat().st_size > 0


async def test_extract_prints_the_facts_as_json(tmp_path: Path):
    code, out, _err = await _run(_command("extract"), _environment(tmp_path), tmp_path, "起订量100个，3天发货".encode())
    assert code == 0 and '"moq"' in out and '"quantity": 100' in out


async def test_run_answers_stops_on_sigterm_and_comes_back_with_its_data(tmp_path: Path, wall_clock_emulator: BotApiEmulator):
    emulator = wall_clock_emulator
    env = _environment(
        tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=emulator.base_url, LOG_LEVEL="DEBUG"
    )
    ana = emulator.add_user("Ana")
    chat = emulator.private_chat(ana)

    async def start() -> tuple[asyncio.subprocess.Process, asyncio.Task[bytes]]:
        process = await asyncio.create_subprocess_exec(
            *_command("run"), env=env, cwd=tmp_path, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
        )
        # DEBUG logs are many: read them while the bot runs, or a full pipe would stall it.
        return process, asyncio.create_task(process.stderr.read())  # type: ignore[union-attr]

    process, logs = await start()
    emulator.send_text(ana, chat, "/start")
    assert "1688" in (await emulator.wait_for_message(chat, timeout=30)).text
    emulator.send_text(ana, chat, "/inquiry")
    await emulator.wait_for_message(chat, lambda m: "Which supplier" in (m.text or ""), timeout=10)
    process.send_signal(signal.SIGTERM)
    await asyncio.wait_for(process.wait(), timeout=10)
    err = (await logs).decode()
    assert process.returncode == 0
    assert TOKEN not in err and TOKEN.split(":")[1] not in err
    assert "sendMessage" in err  # DEBUG logs did show the requests, redacted

    process, logs = await start()
    emulator.send_text(ana, chat, "Guangzhou Bags Co")  # still in the inquiry: this is the supplier's name
    answer = await emulator.wait_for_message(chat, lambda m: "Guangzhou" in (m.text or ""), timeout=30)
    assert "Product" in answer.text
    process.send_signal(signal.SIGINT)
    await asyncio.wait_for(process.wait(), timeout=10)
    await logs
    assert process.returncode == 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_webhook_mode_checks_the_secret(emulator: BotApiEmulator, settings: Settings, database_url: str):
    port = _free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    application = build_application(settings)
    await application.initialize()
    await application.post_init(application)  # type: ignore[misc]
    await application.start()
    await application.updater.start_webhook(  # type: ignore[union-attr]
        listen="127.0.0.1", port=port, url_path="telegram", webhook_url=url, secret_token="s3cret-value",
        allowed_updates=Update.ALL_TYPES,
    )
    try:
        assert emulator.webhook_url == url
        ana = emulator.add_user("Ana")
        chat = emulator.private_chat(ana)
        emulator.send_text(ana, chat, "/help")
        assert "/inquiry" in text_of([await emulator.wait_for_message(chat, timeout=10)])
        async with httpx.AsyncClient() as client:
            forged = await client.post(url, json={"update_id": 1}, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"})
        assert forged.status_code == 403
    finally:
        await application.updater.stop()  # type: ignore[union-attr]
        await application.stop()
        await application.shutdown()
        await application.post_shutdown(application)  # type: ignore[misc]
        await wipe(database_url)
