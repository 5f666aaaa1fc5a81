"""The bot's skeleton as users meet it: greeting, help, languages, junk of every kind, restarts."""

from __future__ import annotations

import io
import logging
import time

from bot.clock import Clock
from bot.logs import setup_logging
from tests.conftest import wipe
from tests.e2e.conftest import TOKEN, Harness, text_of, with_settings


async def test_start_greets_quickly_in_the_users_telegram_language(harness: Harness):
    mei = harness.user("Mei", language_code="zh-hans")
    ana = harness.user("Ana", language_code="en")
    started = time.monotonic()
    answer = await harness.say(ana, "/start")
    assert time.monotonic() - started < 1.0
    assert "1688" in text_of(answer) and "Ana" in text_of(answer)
    chinese = text_of(await harness.say(mei, "/start"))
    assert "供应商" in chinese and "Mei" in chinese


async def test_start_with_a_deep_link_payload(harness: Harness):
    ana = harness.user("Ana")
    assert "/guide" in text_of(await harness.say(ana, "/start guide"))
    unknown = text_of(await harness.say(ana, "/start no-such-thing"))
    assert "not one I know" in unknown


async def test_language_choice_survives_a_restart(harness: Harness):
    ana = harness.user("Ana")
    await harness.say(ana, "/language")
    answer = await harness.press(ana, "中文")
    assert "中文" in text_of(answer)
    await harness.restart()
    help_text = text_of(await harness.say(ana, "/help"))
    assert "供应商" in help_text


async def test_junk_of_every_kind_gets_a_short_helpful_answer(harness: Harness):
    ana = harness.user("Ana")
    chat = harness.emulator.private_chat(ana)
    before = len(harness.emulator.messages(chat))
    harness.emulator.send_sticker(ana, chat)
    harness.emulator.send_photo(ana, chat)
    await harness.settle()
    answers = harness.emulator.messages(chat)[before:]
    assert len(answers) == 2 and all("text" in (m.text or "") for m in answers)
    assert "can't read images yet" in (answers[1].text or "")
    assert "/help" in text_of(await harness.say(ana, "/frobnicate now"))
    assert "/inquiry" in text_of(await harness.say(ana, "asdf qwer <b>zx</b> & co"))
    giant = text_of(await harness.say(ana, "x" * 4096))
    assert giant
    assert harness.errors == []


async def test_stale_and_forged_buttons_are_refused_politely(harness: Harness):
    ana = harness.user("Ana")
    chat = harness.emulator.private_chat(ana)
    await harness.say(ana, "/start")
    message_id = harness.emulator.last_message(chat).message_id
    for data in ("lang:xx", "inq:sent:999999", "inq:q:moq", "sup:view:1", "garbage", "inq:sent:-1"):
        await harness.press_data(ana, message_id, data)
    assert len(harness.notices()) == 6
    assert all("no longer valid" in notice for notice in harness.notices())
    assert harness.errors == []


async def test_help_inside_a_conversation_keeps_the_step(harness: Harness):
    ana = harness.user("Ana")
    await harness.say(ana, "/inquiry")
    await harness.say(ana, "Shenzhen Lights")
    assert "Product" in harness.last_text(harness.emulator.private_chat(ana))
    assert "/inquiry" in text_of(await harness.say(ana, "/help"))
    answer = text_of(await harness.say(ana, "LED desk lamp, white"))
    assert "How many" in answer


async def test_cancel_leaves_and_says_so(harness: Harness):
    ana = harness.user("Ana")
    assert "nothing to cancel" in text_of(await harness.say(ana, "/cancel"))
    await harness.say(ana, "/inquiry")
    assert "Stopped" in text_of(await harness.say(ana, "/cancel"))
    assert "nothing to cancel" in text_of(await harness.say(ana, "/cancel"))


async def test_command_menus_for_private_chats_and_groups_in_each_language(harness: Harness):
    emulator = harness.emulator
    private_en = emulator.commands({"type": "all_private_chats"})
    groups_zh = emulator.commands({"type": "all_group_chats"}, "zh")
    assert {"inquiry", "help", "cancel", "language"} <= {c["command"] for c in private_en}
    assert "inquiry" in {c["command"] for c in groups_zh}
    assert any("供应商" in c["description"] for c in groups_zh)


async def test_rate_limited_sends_are_waited_out_not_dropped(harness: Harness):
    ana = harness.user("Ana")
    harness.emulator.inject_fault("sendMessage", status=429, retry_after=1)
    answer = await harness.say(ana, "/help")
    assert "/inquiry" in text_of(answer)
    assert harness.errors == []


async def test_a_redelivered_update_is_handled_once(harness: Harness):
    ana = harness.user("Ana")
    chat = harness.emulator.private_chat(ana)
    await harness.say(ana, "/start")
    before = len(harness.emulator.messages(chat))
    update_id = harness.emulator.send_text(ana, chat, "/help")
    await harness.settle()
    assert update_id is not None
    harness.emulator.redeliver(update_id)
    await harness.settle()
    assert len(harness.emulator.messages(chat)) == before + 1


async def test_the_token_never_reaches_the_logs(harness: Harness):
    stream = io.StringIO()
    handler = setup_logging("DEBUG", stream=stream, secrets=(TOKEN,))
    try:
        ana = harness.user("Ana")
        await harness.say(ana, "/start")
        await harness.say(ana, "/help")
    finally:
        logging.getLogger().removeHandler(handler)
        logging.getLogger().setLevel(logging.WARNING)
    logs = stream.getvalue()
    assert "sendMessage" in logs  # the HTTP client did log its requests
    assert TOKEN not in logs and TOKEN.split(":")[1] not in logs


async def test_a_team_group_gets_answers_for_each_member(harness: Harness):
    ana, ben = harness.user("Ana"), harness.user("Ben", language_code="zh")
    group = harness.emulator.add_group("Buyers", added_by=ana)
    harness.emulator.add_member(group, ben)
    await harness.settle()
    assert "Hello team" in text_of(harness.emulator.messages(group))  # greeted once, when added
    assert "/inquiry" in text_of(await harness.say(ana, "/help", chat=group))
    assert "供应商" in text_of(await harness.say(ben, "/help@sourcing_bot", chat=group))


async def test_the_real_pace_keeps_telegrams_limits_in_real_time(wall_clock_emulator, settings, database_url):
    """The one test on the wall clock: a burst, then about a message a second, and nothing refused."""
    emulator = wall_clock_emulator
    await wipe(database_url)
    real = Harness(emulator, with_settings(settings, telegram_base_url=emulator.base_url), Clock())  # type: ignore[arg-type]
    await real.start()
    try:
        ana = real.user("Ana")
        chat = emulator.private_chat(ana)
        for _ in range(5):
            emulator.send_text(ana, chat, "/help")
        await real.settle()
        sends = [call.time for call in emulator.calls if call.method == "sendMessage" and call.status == 200]
        assert len(sends) == 5 and emulator.rejections() == []
        assert sends[-1] - sends[0] >= 2.5  # two at once, then one a second
    finally:
        await real.stop()
        await wipe(database_url)
