"""Updates reach the bot as Telegram delivers them: getUpdates offsets, long polls, webhooks."""

import asyncio
import time

import httpx
import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import BadRequest, Conflict
from telegram.ext import Application, MessageHandler, filters

from bot.sandbox.emulator import BotApiEmulator

TOKEN = "123456789:TEST-token"


@pytest.fixture
async def emulator():
    emulator = BotApiEmulator(TOKEN)
    await emulator.start()
    yield emulator
    await emulator.stop()


@pytest.fixture
async def bot(emulator):
    async with Bot(TOKEN, base_url=emulator.base_url) as bot:
        yield bot


@pytest.fixture
async def alice(emulator):
    return emulator.add_user("Alice")


class WebhookReceiver:
    """A local web server standing in for the bot's webhook endpoint."""

    def __init__(self, failures_before_success: int = 0) -> None:
        self.received: list[tuple[dict, str | None]] = []
        self.attempts = 0
        self._failures_left = failures_before_success
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def _receive(self, request: web.Request) -> web.Response:
        self.attempts += 1
        if self._failures_left > 0:
            self._failures_left -= 1
            return web.Response(status=500)
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        self.received.append((await request.json(), secret))
        return web.Response(text="ok")

    async def __aenter__(self) -> "WebhookReceiver":
        app = web.Application()
        app.router.add_post("/hook", self._receive)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/hook"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()


def texts(updates) -> list[str]:
    return [update.message.text for update in updates]


async def test_updates_stay_until_an_offset_confirms_them(emulator, bot, alice):
    for text in ("one", "two", "three"):
        emulator.send_text(alice, alice, text)

    first_look = await bot.get_updates()
    second_look = await bot.get_updates()
    after_first = await bot.get_updates(offset=first_look[1].update_id)
    after_all = await bot.get_updates(offset=first_look[-1].update_id + 1)
    again_from_start = await bot.get_updates()

    assert texts(first_look) == texts(second_look) == ["one", "two", "three"]
    assert texts(after_first) == ["two", "three"]
    assert after_all == () and again_from_start == ()


async def test_negative_offset_keeps_only_the_latest_updates(emulator, bot, alice):
    for text in ("one", "two", "three"):
        emulator.send_text(alice, alice, text)

    latest = await bot.get_updates(offset=-1)
    remaining = await bot.get_updates()

    assert texts(latest) == texts(remaining) == ["three"]


async def test_limit_caps_the_batch_and_out_of_range_means_100(emulator, bot, alice):
    for number in range(105):
        emulator.send_text(alice, alice, str(number))

    assert len(await bot.get_updates(limit=2)) == 2
    assert len(await bot.get_updates(limit=0)) == 100
    assert len(await bot.get_updates(limit=500)) == 100


async def test_long_poll_returns_as_soon_as_an_update_arrives(emulator, bot, alice):
    async def write_soon() -> None:
        await asyncio.sleep(0.1)
        emulator.send_text(alice, alice, "hello")

    started = time.monotonic()
    writing = asyncio.create_task(write_soon())
    updates = await bot.get_updates(timeout=5)
    await writing

    assert texts(updates) == ["hello"]
    assert time.monotonic() - started < 2


async def test_long_poll_without_updates_waits_for_the_timeout(bot):
    started = time.monotonic()

    updates = await bot.get_updates(timeout=0.3)

    assert updates == ()
    assert time.monotonic() - started >= 0.29


async def test_a_second_bot_instance_ends_the_first_ones_poll_with_a_conflict(emulator, bot):
    first = asyncio.create_task(bot.get_updates(timeout=3))
    await asyncio.sleep(0.05)

    async with Bot(TOKEN, base_url=emulator.base_url) as second_instance:
        second = await second_instance.get_updates(timeout=0)

    assert second == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await first


async def test_allowed_updates_filters_new_updates_and_persists(emulator, bot, alice):
    await bot.get_updates(allowed_updates=["callback_query"])

    message = emulator.send_text(alice, alice, "ignored")
    press = emulator.press_button(alice, alice, 1, "data")
    updates = await bot.get_updates()

    assert message is None
    assert [u.update_id for u in updates] == [press]
    assert updates[0].callback_query.data == "data"


async def test_webhook_receives_updates_with_the_secret_header(emulator, bot, alice):
    async with WebhookReceiver() as receiver:
        assert await bot.set_webhook(receiver.url, secret_token="s3cret_Token-1")
        emulator.send_text(alice, alice, "hi")
        await emulator.wait_idle(quiet=0.05, timeout=3)
        info = await bot.get_webhook_info()
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()
        assert emulator.webhook_url == receiver.url
        await bot.delete_webhook()

    assert [(update["message"]["text"], secret) for update, secret in receiver.received] == [
        ("hi", "s3cret_Token-1")
    ]
    assert (info.url, info.pending_update_count) == (receiver.url, 0)
    assert emulator.webhook_url is None
    assert await bot.get_updates() == ()


async def test_failed_webhook_deliveries_are_retried(emulator, bot, alice):
    async with WebhookReceiver(failures_before_success=2) as receiver:
        await bot.set_webhook(receiver.url)
        emulator.send_text(alice, alice, "hi")
        await emulator.wait_idle(quiet=0.05, timeout=5)
        info = await bot.get_webhook_info()
        await bot.delete_webhook()

    assert receiver.attempts == 3
    assert [update["message"]["text"] for update, _ in receiver.received] == ["hi"]
    assert "500" in info.last_error_message


async def test_setting_a_webhook_can_drop_pending_updates(emulator, bot, alice):
    emulator.send_text(alice, alice, "old news")

    async with WebhookReceiver() as receiver:
        await bot.set_webhook(receiver.url, drop_pending_updates=True)
        emulator.send_text(alice, alice, "fresh")
        await emulator.wait_idle(quiet=0.05, timeout=3)
        await bot.delete_webhook()

    assert [update["message"]["text"] for update, _ in receiver.received] == ["fresh"]


@pytest.mark.parametrize("secret", ["has space", "x" * 257, "ümlaut"])
async def test_refuses_a_malformed_secret_token(bot, secret):
    with pytest.raises(BadRequest, match="secret token"):
        await bot.set_webhook("http://127.0.0.1:9/hook", secret_token=secret)


async def test_delete_webhook_reports_whether_there_was_one(emulator):
    async with httpx.AsyncClient(base_url=f"{emulator.base_url}{TOKEN}/") as api:
        first = (await api.post("deleteWebhook")).json()

    assert first == {"ok": True, "result": True, "description": "Webhook is already deleted"}


async def test_wait_idle_times_out_when_nobody_fetches_updates(emulator, alice):
    emulator.send_text(alice, alice, "anyone?")

    with pytest.raises(TimeoutError, match="1 updates pending"):
        await emulator.wait_idle(timeout=0.2)


async def test_wait_idle_also_waits_while_the_bot_says_it_is_busy(emulator):
    busy_until = time.monotonic() + 0.3

    await emulator.wait_idle(quiet=0.05, bot_busy=lambda: time.monotonic() < busy_until)

    assert time.monotonic() >= busy_until


async def test_wait_idle_returns_once_a_polling_bot_has_answered(emulator, alice):
    async def answer_slowly(update, context) -> None:
        await asyncio.sleep(0.05)
        await update.message.reply_text("first")
        await asyncio.sleep(0.05)
        await update.message.reply_text("second")

    application = Application.builder().token(TOKEN).base_url(emulator.base_url).build()
    application.add_handler(MessageHandler(filters.TEXT, answer_slowly))
    async with application:
        await application.start()
        await application.updater.start_polling(poll_interval=0, timeout=1)
        emulator.send_text(alice, alice, "hi")
        await emulator.wait_idle(quiet=0.15, timeout=5)
        answers = [m.text for m in emulator.messages(alice)]
        await application.updater.stop()
        await application.stop()

    assert answers == ["first", "second"]
