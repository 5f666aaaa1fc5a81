"""Orders end to end: from an accepted quote through confirmation, payment and shipping to closed, every move
stored once, an impossible one refused."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.db.models import Order, OrderEvent
from bot.sandbox.world import tiny_png
from tests.e2e.conftest import Harness, text_of
from tests.e2e.test_quotes import offers_recorded

OFFER = "起订量100个，100-499个12元，500个以上10元，一箱200个，外箱60*40*35cm，毛重12kg，交期15天"


async def accepted_quote(bot: Harness, user) -> None:
    await offers_recorded(bot, user, {"Yiwu Cups": OFFER}, product="Glass cups")
    await bot.say(user, "/compare")
    await bot.press(user, "1: accept")


def last_alert(bot: Harness) -> str:
    answers = [call for call in bot.emulator.calls if call.method == "answerCallbackQuery"]
    return str(answers[-1].params.get("text", "")) if answers else ""


async def test_an_order_walks_from_the_quote_to_closed_with_its_messages(bot: Harness):
    ana = bot.user("Ana")
    await accepted_quote(bot, ana)
    card = text_of(await bot.press(ana, "start the order"))
    assert "Order #" in card and "Glass cups — Yiwu Cups: 450 × ¥12.00 (to confirm with the supplier)" in card
    assert "Goods: ¥5,400" in card
    message = text_of(await bot.press(ana, "Message for the supplier"))
    assert "数量：450件" in message and "单价：12元" in message and "总价：5400元" in message  # in Chinese, to copy
    chat = bot.emulator.private_chat(ana)
    for step, status in (
        ("Supplier confirmed", "confirmed by the supplier"),
        ("Ready to pay", "awaiting payment"),
        ("Paid in full", "paid"),
        ("In production", "in production"),
        ("Ready to ship", "ready to ship"),
        ("Sent to the forwarder", "on the way to the forwarder"),
        ("Shipped abroad", "shipped abroad"),
        ("Delivered", "delivered"),
        ("Close", "closed"),
    ):
        await bot.press(ana, step)
        shown = next(m.text or "" for m in reversed(bot.emulator.messages(chat)) if "Order #" in (m.text or ""))
        assert f"({status})" in shown, step  # the card itself moves on
    async with bot.services.database.session() as session:
        assert await session.scalar(select(func.count()).select_from(OrderEvent)) == 10  # made, then nine moves
    assert "closed" in text_of(await bot.say(ana, "/orders"))


async def test_a_double_press_moves_once_and_a_forged_jump_is_refused(bot: Harness):
    ana = bot.user("Ana")
    await accepted_quote(bot, ana)
    card = (await bot.press(ana, "start the order"))[-1]
    confirm = next(button["callback_data"] for button in card.buttons() if "Supplier confirmed" in button["text"])
    chat = bot.emulator.private_chat(ana)
    bot.emulator.press_button(ana, chat, card.message_id, confirm)
    bot.emulator.press_button(ana, chat, card.message_id, confirm)
    await bot.settle()
    assert last_alert(bot) == "Already moved on."
    order_id = confirm.split(":")[2]
    await bot.press_data(ana, card.message_id, f"ord:go:{order_id}:confirmed:paid")  # skipping payment
    assert last_alert(bot) == "An order can't go that way from where it is."
    async with bot.services.database.session() as session:
        assert await session.scalar(select(func.count()).select_from(OrderEvent)) == 2
    assert "(confirmed by the supplier)" in text_of(await bot.say(ana, "/orders"))
    again = text_of(await bot.press(ana, "1"))
    assert "Order #" in again


async def test_payment_methods_follow_the_buyers_country_and_tracking_is_recognised(bot: Harness):
    ana = bot.user("Ana")
    await accepted_quote(bot, ana)  # to Singapore: Cross-border Pay is open
    card = text_of(await bot.press(ana, "start the order"))
    assert "Cross-border Pay is not open" not in card
    await bot.press(ana, "Supplier confirmed")
    steps = text_of(await bot.press(ana, "1688 Cross-border Pay"))
    assert "Paying with 1688 Cross-border Pay" in steps and "CNH" in steps and "Alipay" in steps
    chat = bot.emulator.private_chat(ana)
    card = next(m.text or "" for m in reversed(bot.emulator.messages(chat)) if "Order #" in (m.text or ""))
    assert "Paying by: 💳 1688 Cross-border Pay" in card
    for step in ("Ready to pay", "Paid in full", "Ready to ship", "Sent to the forwarder"):
        await bot.press(ana, step)
    await bot.press(ana, "Add the tracking number")
    tracked = text_of(await bot.say(ana, "lx 123 456 789 cn"))
    assert "Tracking: LX123456789CN (China Post / ePacket)" in tracked


async def test_order_reminders_fire_after_a_restart_once_and_stop_when_the_order_moves_on(bot: Harness):
    ana = bot.user("Ana")
    await accepted_quote(bot, ana)
    await bot.press(ana, "start the order")

    def reminders() -> list[str]:  # as sent: pressing a button on a reminder turns it into the card
        sent = [str(call.params.get("text", "")) for call in bot.emulator.calls if call.method == "sendMessage"]
        return [text for text in sent if text.startswith("⏰")]

    await bot.restart()
    await bot.later(timedelta(days=1))
    assert reminders() == []  # not due yet
    await bot.later(timedelta(days=1, minutes=1))
    assert len(reminders()) == 1 and "has not confirmed the order yet" in reminders()[0]
    await bot.later(timedelta(hours=1))
    assert len(reminders()) == 1  # sent once
    await bot.press(ana, "Supplier confirmed")  # on the reminder's card
    await bot.press(ana, "Ready to pay")
    await bot.later(timedelta(days=3, minutes=1))
    assert len(reminders()) == 2 and "Payment is due" in reminders()[1]
    await bot.press(ana, "Paid in full")
    await bot.later(timedelta(days=30))
    assert len(reminders()) == 2  # paid: no payment reminder again, and no other is due in this status


async def test_a_payment_receipt_photo_is_kept_with_the_order(bot: Harness):
    ana = bot.user("Ana")
    await accepted_quote(bot, ana)
    await bot.press(ana, "start the order")
    for step in ("Supplier confirmed", "Ready to pay"):
        await bot.press(ana, step)
    chat = bot.emulator.private_chat(ana)
    await bot.press(ana, "Add the payment receipt")
    assert "A photo or a PDF" in text_of(await bot.say(ana, "here it is"))  # text is not a receipt
    bot.emulator.send_photo(ana, chat, data=tiny_png())
    await bot.settle()
    assert "Payment receipt kept" in bot.last_text(chat)
    async with bot.services.database.session() as session:
        kept = await session.scalar(select(Order.payment_proof_file_id))
    assert kept is not None and bot.emulator.stored_file(kept).data == tiny_png()  # the photo the buyer sent
