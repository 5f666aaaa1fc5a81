"""Starting and stopping the bot: the real one, the sandbox, and database upgrades."""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
import sys
from pathlib import Path
from urllib.parse import urlparse

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.error import InvalidToken, NetworkError

from bot.app import build_application
from bot.config import ConfigError, Settings
from bot.db.session import Database
from bot.logs import redact, setup_logging


async def upgrade_database(settings: Settings) -> int:
    """Apply pending migrations; an unreachable or broken database is a DATABASE_URL problem."""
    database = Database(settings.database_url)
    try:
        await database.upgrade()
    except (SQLAlchemyError, OSError) as error:
        reason = redact(str(error).splitlines()[0] if str(error) else type(error).__name__)
        raise ConfigError("DATABASE_URL", f"cannot open the database ({reason})") from None
    finally:
        await database.dispose()
    return 0


def run_bot(settings: Settings) -> int:
    """Run until SIGINT or SIGTERM, then stop cleanly (exit code 0)."""
    setup_logging(settings.log_level, secrets=(settings.telegram_token, settings.webhook_secret))
    asyncio.run(upgrade_database(settings))
    application = build_application(settings)
    try:
        if settings.webhook_url:
            application.run_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=urlparse(settings.webhook_url).path.lstrip("/"),
                webhook_url=settings.webhook_url,
                secret_token=settings.webhook_secret or secrets.token_urlsafe(32),
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES, timeout=10)
    except InvalidToken:
        raise ConfigError("TELEGRAM_BOT_TOKEN", "rejected by the Bot API (check it with @BotFather)") from None
    except NetworkError as error:
        raise ConfigError("TELEGRAM_BASE_URL", f"cannot reach the Bot API ({redact(str(error))})") from None
    return 0


def sandbox_settings(settings: Settings) -> Settings:
    """The sandbox keeps its own database in the data dir, apart from a real bot's, and fetches no exchange rates
    (it stays on this machine; /rates sets them)."""
    return dataclasses.replace(
        settings, database_url=f"sqlite+aiosqlite:///{Path(settings.data_dir) / 'sandbox.db'}", ecb_rates_url=None
    )


def run_sandbox(settings: Settings, script: str | None) -> int:
    from bot.sandbox.runner import run_sandbox as run

    setup_logging("WARNING", stream=sys.stderr)
    settings = sandbox_settings(settings)
    if script is not None:
        try:
            lines = Path(script).read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise ConfigError("--script", f"cannot read {script}: {error.strerror}") from None
        return asyncio.run(run(settings, script=lines, out=sys.stdout, interactive=False))
    if not sys.stdin.isatty():
        return asyncio.run(run(settings, script=sys.stdin.read().splitlines(), out=sys.stdout, interactive=False))
    return asyncio.run(run(settings, script=None, out=sys.stdout, interactive=True))
