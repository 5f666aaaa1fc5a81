"""All settings in one typed object, read from the environment and an optional `.env` file.

A bad setting raises `ConfigError` naming it; the command line turns that into one line and exit code 2.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from dotenv import dotenv_values

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_BASE_FILE_URL = "https://api.telegram.org/file/bot"
UI_LANGUAGES = ("en", "zh_CN")
TRANSLATION_PROVIDERS = ("google", "mymemory", "libre", "deepl", "microsoft", "baidu")
LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
_TOKEN_RE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{20,}$")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class ConfigError(Exception):
    """A setting is missing or invalid; `setting` names it for the one-line message."""

    def __init__(self, setting: str, problem: str) -> None:
        super().__init__(f"{setting}: {problem}")
        self.setting = setting
        self.problem = problem


ECB_DAILY_RATES = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"


@dataclass(frozen=True)
class Settings:
    telegram_token: str | None
    telegram_base_url: str = DEFAULT_BASE_URL
    telegram_base_file_url: str = DEFAULT_BASE_FILE_URL
    data_dir: Path = Path("data")
    database_url: str = "sqlite+aiosqlite:///data/sourcing-bot.db"
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    log_level: str = "INFO"
    default_language: str = "en"
    follow_up_hours: float = 24.0
    reminder_sweep_seconds: float = 60.0
    reply_batch_seconds: float = 1.0
    translator_chain: tuple[str, ...] = ("google", "mymemory")
    translate_timeout: float = 8.0
    libretranslate_url: str | None = None
    libretranslate_api_key: str | None = None
    deepl_api_key: str | None = None
    microsoft_translator_key: str | None = None
    microsoft_translator_region: str | None = None
    baidu_appid: str | None = None
    baidu_appkey: str | None = None
    ecb_rates_url: str | None = None  # the central bank's daily rates; None: not fetched (a team sets its own)

    def __repr__(self) -> str:
        # The token must never reach a log line, even through a repr of the settings.
        return f"Settings(database_url={self.database_url!r}, data_dir={str(self.data_dir)!r}, webhook={bool(self.webhook_url)})"


def _language(value: str, setting: str) -> str:
    from bot.i18n import normalize_language

    language = normalize_language(value)
    if language is None:
        raise ConfigError(setting, f"unknown language {value!r}; use one of {', '.join(UI_LANGUAGES)}")
    return language


def _positive_float(value: str, setting: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ConfigError(setting, f"expected a number of seconds or hours, got {value!r}") from None
    if not number > 0 or number > 10_000:
        raise ConfigError(setting, f"must be a positive number, got {value!r}")
    return number


def _http_url(value: str, setting: str) -> str:
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(setting, f"expected an http(s) URL, got {value!r}")
    return value


def _database_url(value: str, setting: str) -> str:
    if value.startswith(("postgres://", "postgresql://")):
        value = "postgresql+asyncpg://" + value.split("://", 1)[1]
    if value.startswith("sqlite://") and not value.startswith("sqlite+aiosqlite://"):
        value = "sqlite+aiosqlite://" + value.split("://", 1)[1]
    if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
        raise ConfigError(setting, "expected sqlite+aiosqlite://... or postgresql+asyncpg://...")
    return value


def _translator_chain(value: str, setting: str) -> tuple[str, ...]:
    names = tuple(name.strip().lower() for name in value.split(",") if name.strip())
    if names == ("none",):
        return ()
    if not names:
        raise ConfigError(setting, "name at least one provider, or 'none'")
    unknown = [name for name in names if name not in TRANSLATION_PROVIDERS]
    if unknown:
        raise ConfigError(setting, f"unknown provider {unknown[0]!r}; use {', '.join(TRANSLATION_PROVIDERS)} or none")
    return names


def load_settings(environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")) -> Settings:
    """Build settings from a `.env` file overlaid by the real environment (the environment wins)."""
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)

    def get(name: str) -> str | None:
        value = values.get(name)
        return value.strip() if value is not None and value.strip() else None

    token = get("TELEGRAM_BOT_TOKEN")
    if token is not None and not _TOKEN_RE.match(token):
        raise ConfigError("TELEGRAM_BOT_TOKEN", "does not look like a BotFather token (digits:letters)")

    data_dir = Path(get("SOURCING_DATA_DIR") or "data")
    database_url = _database_url(
        get("DATABASE_URL") or f"sqlite+aiosqlite:///{data_dir / 'sourcing-bot.db'}", "DATABASE_URL"
    )

    base_url = get("TELEGRAM_BASE_URL")
    base_file_url = get("TELEGRAM_BASE_FILE_URL")
    if base_url is not None:
        _http_url(base_url, "TELEGRAM_BASE_URL")
        if base_file_url is None:
            # python-telegram-bot's form ends in /bot; files live under /file/bot on the same server.
            root = base_url[: -len("/bot")] if base_url.endswith("/bot") else base_url.rstrip("/")
            base_file_url = root + "/file/bot"
    if base_file_url is not None:
        _http_url(base_file_url, "TELEGRAM_BASE_FILE_URL")

    webhook_url = get("WEBHOOK_URL")
    if webhook_url is not None:
        _http_url(webhook_url, "WEBHOOK_URL")
    webhook_secret = get("WEBHOOK_SECRET")
    if webhook_secret is not None and not _SECRET_RE.match(webhook_secret):
        raise ConfigError("WEBHOOK_SECRET", "use 1 to 256 characters of A-Z, a-z, 0-9, _ and -")
    port_text = get("WEBHOOK_PORT") or "8443"
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ConfigError("WEBHOOK_PORT", f"expected a port number, got {port_text!r}")

    log_level = (get("LOG_LEVEL") or "INFO").upper()
    if log_level not in LOG_LEVELS:
        raise ConfigError("LOG_LEVEL", f"use one of {', '.join(LOG_LEVELS)}")

    libre_url = get("LIBRETRANSLATE_URL")
    if libre_url is not None:
        _http_url(libre_url, "LIBRETRANSLATE_URL")
    chain = _translator_chain(get("TRANSLATOR") or "google,mymemory", "TRANSLATOR")
    needs = {
        "libre": ("LIBRETRANSLATE_URL",),
        "deepl": ("DEEPL_API_KEY",),
        "microsoft": ("MICROSOFT_TRANSLATOR_KEY",),
        "baidu": ("BAIDU_APPID", "BAIDU_APPKEY"),
    }
    for provider in chain:
        for setting in needs.get(provider, ()):
            if get(setting) is None:
                raise ConfigError(setting, f"required when TRANSLATOR includes {provider}")

    ecb_rates_url = get("ECB_RATES_URL") or ECB_DAILY_RATES
    if ecb_rates_url.lower() == "none":
        ecb_rates_url = None
    else:
        _http_url(ecb_rates_url, "ECB_RATES_URL")

    return Settings(
        telegram_token=token,
        telegram_base_url=base_url or DEFAULT_BASE_URL,
        telegram_base_file_url=base_file_url or DEFAULT_BASE_FILE_URL,
        data_dir=data_dir,
        database_url=database_url,
        webhook_url=webhook_url,
        webhook_secret=webhook_secret,
        webhook_listen=get("WEBHOOK_LISTEN") or "127.0.0.1",
        webhook_port=int(port_text),
        log_level=log_level,
        default_language=_language(get("DEFAULT_LANGUAGE") or "en", "DEFAULT_LANGUAGE"),
        follow_up_hours=_positive_float(get("FOLLOW_UP_HOURS") or "24", "FOLLOW_UP_HOURS"),
        reminder_sweep_seconds=_positive_float(get("REMINDER_SWEEP_SECONDS") or "60", "REMINDER_SWEEP_SECONDS"),
        reply_batch_seconds=_positive_float(get("REPLY_BATCH_SECONDS") or "1", "REPLY_BATCH_SECONDS"),
        translator_chain=chain,
        translate_timeout=_positive_float(get("TRANSLATE_TIMEOUT") or "8", "TRANSLATE_TIMEOUT"),
        libretranslate_url=libre_url,
        libretranslate_api_key=get("LIBRETRANSLATE_API_KEY"),
        deepl_api_key=get("DEEPL_API_KEY"),
        microsoft_translator_key=get("MICROSOFT_TRANSLATOR_KEY"),
        microsoft_translator_region=get("MICROSOFT_TRANSLATOR_REGION"),
        baidu_appid=get("BAIDU_APPID"),
        baidu_appkey=get("BAIDU_APPKEY"),
        ecb_rates_url=ecb_rates_url,
    )
