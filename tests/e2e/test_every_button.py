"""A user who presses every button the bot ever showed them, in any order, long after the fact."""

from __future__ import annotations

import random

from tests.e2e.conftest import Harness
from tests.e2e.test_inquiries import walk_to_checklist

REPLY = "亲，起订量100个。100-499个 12元，500个以上10元。现货，3天发货，支持7天无理由退货，样品免费"


async def test_pressing_every_button_in_any_order_never_breaks_the_bot(bot: Harness):
    ana, ben = bot.user("Ana"), bot.user("Ben", language_code="zh")
    chat = bot.emulator.private_chat(ana)
    await bot.say(ana, "/supplier https://detail.1688.com/offer/623456789012.html")
    await bot.say(ana, "/cancel")
    await walk_to_checklist(bot, ana)
    await bot.press(ana, "Done")
    await bot.press(ana, "Write the message")
    await bot.press(ana, "I sent it")
    await bot.forward(ana, REPLY)
    await bot.settle()
    for command in ("/inquiries", "/suppliers", "/settings", "/guide", "/language"):
        await bot.say(ana, command)
    group = bot.emulator.add_group("Buyers", added_by=ana)
    bot.emulator.add_member(group, ben)
    await bot.settle()
    await bot.say(ana, "/inquiry", chat=group)
    await bot.say(ana, "/settings", chat=group)

    shuffled = random.Random(7)
    pressed = 0
    answered_before = _answered(bot)
    for round_ in range(2):
        for where, who in ((chat, ana), (group, ben), (group, ana)):
            presses = [(m.message_id, b["callback_data"]) for m in bot.emulator.messages(where) for b in m.buttons() if "callback_data" in b]
            shuffled.shuffle(presses)
            for message_id, data in presses[: 25 if round_ == 0 else 10]:
                await bot.press_data(who, message_id, data, chat=where)
                pressed += 1
            await bot.say(who, "/cancel", chat=where)
    assert bot.errors == []
    assert _answered(bot) - answered_before == pressed  # no button is left spinning
    assert "Ana" in " ".join(m.text or "" for m in await bot.say(ana, "/start"))  # in whichever language was picked


def _answered(bot: Harness) -> int:
    return sum(1 for call in bot.emulator.calls if call.method == "answerCallbackQuery")
