"""Settings: defaults, .env files, and one clear complaint per bad setting."""

from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from bot.logs import redact

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def test_defaults_need_nothing():
    settings = load_settings({}, env_file=None)
    assert settings.telegram_token is None
    assert settings.database_url.startswith("sqlite+aiosqlite:///") and settings.database_url.endswith("data/sourcing-bot.db")
    assert settings.translator_chain == ("google", "mymemory")
    assert settings.default_language == "en"


def test_an_env_file_is_read_and_the_environment_wins(tmp_path: Path):
    env = tmp_path / ".env"
    env.write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nLOG_LEVEL=debug\nTRANSLATOR=none\n")
    settings = load_settings({"LOG_LEVEL": "WARNING"}, env_file=env)
    assert settings.telegram_token == TOKEN
    assert settings.log_level == "WARNING"
    assert settings.translator_chain == ()


def test_a_local_bot_api_base_url_gives_its_file_url():
    settings = load_settings({"TELEGRAM_BASE_URL": "http://127.0.0.1:8081/bot"}, env_file=None)
    assert settings.telegram_base_file_url == "http://127.0.0.1:8081/file/bot"


def test_postgres_urls_get_the_async_driver():
    settings = load_settings({"DATABASE_URL": "postgresql://u:p@db:5432/sourcing"}, env_file=None)
    assert settings.database_url == "postgresql+asyncpg://u:p@db:5432/sourcing"


@pytest.mark.parametrize(
    ("environ", "setting"),
    [
        ({"TELEGRAM_BOT_TOKEN": "12345"}, "TELEGRAM_BOT_TOKEN"),
        ({"WEBHOOK_URL": "ftp://x"}, "WEBHOOK_URL"),
        ({"WEBHOOK_SECRET": "has spaces"}, "WEBHOOK_SECRET"),
        ({"TRANSLATOR": "libre"}, "LIBRETRANSLATE_URL"),
        ({"TRANSLATOR": "baidu", "BAIDU_APPID": "1"}, "BAIDU_APPKEY"),
        ({"FOLLOW_UP_HOURS": "soon"}, "FOLLOW_UP_HOURS"),
        ({"TELEGRAM_BASE_URL": "127.0.0.1:8081"}, "TELEGRAM_BASE_URL"),
    ],
)
def test_each_bad_setting_is_named(environ, setting):
    with pytest.raises(ConfigError) as error:
        load_settings(environ, env_file=None)
    assert error.value.setting == setting


def test_the_token_never_shows_in_a_repr_or_a_log_line():
    settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN}, env_file=None)
    assert TOKEN not in repr(settings)
    line = f"HTTP Request: POST https://api.telegram.org/bot{TOKEN}/getMe"
    assert TOKEN not in redact(line) and "getMe" in redact(line)
