"""/tr and /search through a faked translator, and /settings for a workspace and a team."""

from __future__ import annotations

import re
from urllib.parse import unquote

from tests.e2e.conftest import Harness, text_of
from tests.fakes import FakeGoogle


async def test_tr_goes_both_ways_and_keeps_numbers_honest(bot: Harness, google: FakeGoogle):
    ana = bot.user("Ana")
    into_english = text_of(await bot.say(ana, "/tr 起订量100个，现货"))
    assert "MOQ" in into_english and "100" in into_english and "起订量100个，现货" in into_english
    assert "Trade terms" in into_english  # jargon explained
    into_chinese = text_of(await bot.say(ana, "/tr Can you ship 500 pcs to Singapore?"))
    assert "In Chinese" in into_chinese and "【中】" in into_chinese
    assert "/tr" in text_of(await bot.say(ana, "/tr"))  # how to use it
    calls = len(google.sent)
    await bot.say(ana, "/tr 起订量100个，现货")
    assert len(google.sent) == calls  # the same text is never sent twice


async def test_tr_replying_to_a_message_translates_that_message(bot: Harness):
    ana = bot.user("Ana")
    chat = bot.emulator.private_chat(ana)
    bot.emulator.send_text(ana, chat, "Hello there")
    await bot.settle()
    pasted = next(m.message_id for m in bot.emulator.history(chat) if m.text == "Hello there")
    answer = text_of(await bot.say(ana, "/tr", reply_to_message_id=pasted))
    assert "【中】Hello there" in answer


async def test_tr_warns_when_a_number_is_lost(bot: Harness, google: FakeGoogle, monkeypatch):
    from tests import fakes

    original = fakes.phrase_translate
    monkeypatch.setattr(fakes, "phrase_translate", lambda text: re.sub(r"\d", "", original(text)))
    answer = text_of(await bot.say(bot.user("Ana"), "/tr 这个杯子要100个"))
    assert "numbers may have been lost" in answer and "100" in answer


async def test_translation_down_keeps_the_original_and_says_so(bot: Harness, google: FakeGoogle):
    google.status = 503
    answer = text_of(await bot.say(bot.user("Ana"), "/tr 起订量100个，现货"))
    assert "unavailable" in answer and "起订量100个，现货" in answer


async def test_search_gives_chinese_keywords_filters_and_a_1688_link(bot: Harness):
    ana = bot.user("Ana")
    answer = await bot.say(ana, "/search stainless steel bottle")
    text = text_of(answer)
    assert "【中】stainless steel bottle" in text and "起订量" in text and "实力商家" in text
    url = answer[-1].inline_keyboard[0][0]["url"]
    assert url.startswith("https://s.1688.com/") and "stainless" in unquote(url, encoding="gbk")


async def test_search_with_translation_down_still_uses_the_chinese_words_typed(bot: Harness, google: FakeGoogle):
    google.status = 503
    answer = await bot.say(bot.user("Ana"), "/search 蓝牙耳机 wireless earbuds")
    assert "only the Chinese words" in text_of(answer)
    url = answer[-1].inline_keyboard[0][0]["url"]
    assert unquote(url.split("keywords=")[1], encoding="gbk") == "蓝牙耳机"
    refused = text_of(await bot.say(bot.user("Ben"), "/search wireless earbuds"))
    assert "cannot find the Chinese keywords" in refused


async def test_settings_are_kept_and_offered_as_defaults(bot: Harness):
    ana = bot.user("Ana")
    assert "Settings" in text_of(await bot.say(ana, "/settings"))
    await bot.press(ana, "Destination")
    await bot.press(ana, "Australia")
    await bot.press(ana, "Forwarder address")
    assert "Saved the forwarder address" in text_of(await bot.say(ana, "广东省广州市白云区石井街道28号A仓 李先生 13800138000"))
    await bot.press(ana, "Follow-up delay")
    shown = text_of(await bot.press(ana, "48 h"))
    assert "Australia" in shown and "48" in shown and "白云区" in shown
    await bot.press(ana, "Message templates")
    await bot.press(ana, "First inquiry")
    refused = text_of(await bot.say(ana, "您好！\n我想买{{ qty }}个\n{% for q in question_lines %}{{ q }}\n{% endfor %}"))
    assert "Line 2" in refused
    saved = text_of(await bot.say(ana, "您好！我想买{{ quantity }}{{ unit_zh }}。\n{% for q in question_lines %}{{ q }}\n{% endfor %}"))
    assert "Saved" in saved
    await bot.press(ana, "Done")
    # A new inquiry offers the workspace's destination first and uses its own template.
    await bot.say(ana, "/inquiry")
    await bot.press(ana, "Skip")
    await bot.say(ana, "Bamboo boards")
    await bot.say(ana, "200")
    assert bot.buttons(bot.emulator.private_chat(ana))[0] == "Australia"


async def test_only_admins_change_a_teams_settings(bot: Harness):
    ana, ben = bot.user("Ana"), bot.user("Ben")
    group = bot.emulator.add_group("Buyers", added_by=ana)
    bot.emulator.add_member(group, ben)
    await bot.settle()
    await bot.say(ana, "/settings", chat=group)  # the group's creator leads the team
    assert "Destination" in " ".join(bot.buttons(group))
    ana_menu = bot.emulator.last_message(group).message_id
    member_view = text_of(await bot.say(ben, "/settings", chat=group))
    assert "Only the group's admins" in member_view
    await bot.press_data(ben, ana_menu, "set:dst", chat=group)
    await bot.press_data(ben, ana_menu, "set:dst:SG", chat=group)
    assert len(bot.notices()) == 2
    assert "Destination: not set" in text_of(await bot.say(ana, "/settings", chat=group))


async def test_a_workspaces_own_trade_terms_are_kept_and_explained(bot: Harness):
    ana = bot.user("Ana")
    await bot.say(ana, "/settings")
    await bot.press(ana, "Trade terms")
    await bot.press(ana, "Add a term")
    assert "equals sign" in text_of(await bot.say(ana, "wholesale price"))  # not a term line
    saved = text_of(await bot.say(ana, "拿货价 = trade price"))
    assert "Saved 拿货价" in saved and "拿货价 = trade price" in saved
    answer = text_of(await bot.say(ana, "/tr 拿货价多少"))
    assert "trade price" in answer and "拿货价" in answer
    ben = bot.user("Ben")
    assert "trade price" not in text_of(await bot.say(ben, "/tr 拿货价多少"))  # another workspace's terms stay theirs
    await bot.say(ana, "/settings")
    await bot.press(ana, "Trade terms")
    assert "None yet" in text_of(await bot.press(ana, "🗑 拿货价"))
