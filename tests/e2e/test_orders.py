"""Orders end to end: from an accepted quote through confirmation, payment and shipping to closed, every move
stored once, an impossible one refused."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from bot.db.models import Order, OrderEvent, Payment
from bot.sandbox.world import tiny_png
from tests.e2e.conftest import Harness, text_of
from tests.e2e.test_quotes import QUESTIONS, offers_recorded

OFFER = "起订量100个，100-499个12元，500个以上10元，一箱200个，外箱60*40*35cm，毛重12kg，交期15天"


async def accepted_quote(bot: Harness, user) -> None:
    await offers_recorded(bot, user, {"Yiwu Cups": OFFER}, product="Glass cups")
    await bot.say(user, "/compare")
    await bot.press(user, "1: accept")


async def order_through(bot: Harness, user, *steps: str) -> None:
    """An order started from the accepted quote and moved on by pressing each of `steps` on its card."""
    await accepted_quote(bot, user)
    await bot.press(user, "start the order")
    for step in steps:
        await bot.press(user, step)


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
    sent = len(bot.emulator.calls)
    await bot.later(timedelta(days=4))
    texts = [str(c.params.get("text")) for c in bot.emulator.calls[sent:] if c.method == "sendMessage"]
    assert not any("No tracking number yet" in text for text in texts)  # it came: the reminder stopped


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
    await order_through(bot, ana, "Supplier confirmed", "Ready to pay")
    chat = bot.emulator.private_chat(ana)
    await bot.press(ana, "Add the payment receipt")
    assert "A photo or a PDF" in text_of(await bot.say(ana, "here it is"))  # text is not a receipt
    bot.emulator.send_photo(ana, chat, data=tiny_png())
    await bot.settle()
    assert "Payment receipt kept" in bot.last_text(chat)
    async with bot.services.database.session() as session:
        kept = await session.scalar(select(Order.payment_proof_file_id))
    assert kept is not None and bot.emulator.stored_file(kept).data == tiny_png()  # the photo the buyer sent


def card_message(bot: Harness, user):
    """The newest order card in the user's chat, as it is now (cards are edited in place)."""
    chat = bot.emulator.private_chat(user)
    return next(m for m in reversed(bot.emulator.messages(chat)) if "Order #" in (m.text or ""))


def card_shown(bot: Harness, user) -> str:
    return card_message(bot, user).text or ""


async def test_a_deposit_then_the_balance_each_recorded_with_its_due_date_and_shipping_waits_for_the_balance(bot: Harness):
    ana = bot.user("Ana")
    await order_through(bot, ana, "Supplier confirmed", "Bank transfer", "Ready to pay", "Deposit paid")
    assert "A deposit is more than nothing and less than the whole order (¥5,400)" in text_of(await bot.say(ana, "6000"))
    assert "Send the deposit as an amount or a share" in text_of(await bot.say(ana, "half-ish"))
    card = text_of(await bot.say(ana, "30% balance in 20 days"))
    assert "💰 Paid ¥1,620 (30%), deposit" in card and "Balance to pay: ¥3,780, due 2026-" in card
    message = text_of(await bot.press(ana, "Message for the supplier"))
    assert "我已经通过银行转账付了定金" in message and "金额：1620元" in message and "请查收，并安排生产" in message
    await bot.press(ana, "I sent it")
    await bot.press(ana, "I sent it")  # twice: kept once
    assert last_alert(bot) == "Already marked as sent."
    await bot.press(ana, "In production")
    assert "Ready to ship" not in str(card_message(bot, ana).reply_markup)
    order_id = (await _order(bot)).id
    await bot.press_data(ana, bot.emulator.last_message(bot.emulator.private_chat(ana)).message_id,
                         f"ord:go:{order_id}:in_production:ready_to_ship")  # fmt: skip
    assert last_alert(bot) == "The balance (尾款) is still to pay: record it first."
    sent = len(bot.emulator.calls)
    await bot.later(timedelta(days=20, hours=1))
    reminders = [str(c.params.get("text")) for c in bot.emulator.calls[sent:] if c.method == "sendMessage"]
    assert any(text.startswith("⏰ The balance (尾款) is due today") for text in reminders)
    chat = bot.emulator.private_chat(ana)
    first_sent = next(m for m in bot.emulator.messages(chat) if any("I sent it" in b["text"] for b in m.buttons()) and "定金" in (m.text or ""))
    await bot.press(ana, "Balance paid")
    assert "(paid)" in card_shown(bot, ana) and "💰 Paid ¥3,780, balance" in card_shown(bot, ana)
    assert "Balance paid" not in str(card_message(bot, ana).reply_markup)
    await bot.press_data(ana, card_message(bot, ana).message_id, f"ord:full:{order_id}:paid")  # a stale press
    assert last_alert(bot) == "An order can't go that way from where it is."
    events = await _count_events(bot)
    await bot.press_data(ana, first_sent.message_id, first_sent.buttons()[0]["callback_data"])  # the deposit's, again
    assert last_alert(bot) == "Already marked as sent." and await _count_events(bot) == events
    assert "我已经通过银行转账付了尾款" in text_of(await bot.press(ana, "Message for the supplier"))
    async with bot.services.database.session() as session:
        payments = list((await session.execute(select(Payment).order_by(Payment.id))).scalars())
    assert [(p.kind, p.amount, p.currency) for p in payments] == [("deposit", 1620, "CNY"), ("balance", 3780, "CNY")]
    assert sum(p.amount for p in payments) == Decimal(5400)
    await bot.press(ana, "Ready to ship")  # once paid, production done: shipping is next, not production again
    assert "(ready to ship)" in card_shown(bot, ana)


async def _count_events(bot: Harness) -> int:
    async with bot.services.database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(OrderEvent)) or 0)


async def _order(bot: Harness) -> Order:
    async with bot.services.database.session() as session:
        found = await session.scalar(select(Order).order_by(Order.id.desc()))
    assert found is not None
    return found


async def test_a_payment_over_the_limit_waits_for_approval_in_the_buyers_own_workspace_too(bot: Harness):
    ana = bot.user("Ana")
    await bot.say(ana, "/settings")
    await bot.press(ana, "Payment approval")
    await bot.press(ana, "¥5,000")
    assert "Payments an admin approves first: over ¥5,000" in bot.last_text(bot.emulator.private_chat(ana))
    await bot.press(ana, "Done")
    await order_through(bot, ana, "Supplier confirmed", "Ready to pay")
    card = card_shown(bot, ana)
    assert "⏳ ¥5,400 is over the team's limit of ¥5,000" in card
    buttons = str(card_message(bot, ana).reply_markup)
    assert "Paid in full" not in buttons and "Deposit paid" not in buttons
    await bot.press(ana, "Approve paying ¥5,400")
    assert "✅ Payment approved on" in card_shown(bot, ana) and "payment approved" in card_shown(bot, ana)
    await bot.press(ana, "Paid in full")
    assert "(paid)" in card_shown(bot, ana)
    order = await _order(bot)
    assert order.approved_by == ana["id"] and order.approved_amount == Decimal(5400)


async def test_cancelling_asks_first_and_a_new_order_can_start_after(bot: Harness):
    ana = bot.user("Ana")
    await accepted_quote(bot, ana)
    await bot.press(ana, "start the order")
    first = (await _order(bot)).id
    asked = text_of(await bot.press(ana, "Cancel"))
    assert f"Cancel order #{first} (Glass cups)? This can't be undone" in asked
    await bot.press(ana, "Keep it")
    assert "(to confirm with the supplier)" in card_shown(bot, ana)
    await bot.press(ana, "Cancel")
    question = bot.emulator.last_message(bot.emulator.private_chat(ana))
    yes = next(b["callback_data"] for b in question.buttons() if "Yes, cancel it" in b["text"])
    await bot.press_data(ana, question.message_id, yes)
    await bot.press_data(ana, question.message_id, yes)  # twice
    assert last_alert(bot) == "Already moved on."
    assert "(cancelled)" in text_of(await bot.say(ana, "/orders"))
    await bot.say(ana, "/compare")
    await bot.press(ana, "start the order")
    assert (await _order(bot)).id != first  # a cancelled order does not hold the quote


async def test_a_dispute_takes_the_buyers_words_and_drafts_the_defect_claim_in_chinese(bot: Harness):
    ana = bot.user("Ana")
    await order_through(bot, ana, "Supplier confirmed", "Ready to pay", "Paid in full", "In production", "Ready to ship", "Shipped abroad", "Delivered")
    assert "What is wrong?" in text_of(await bot.press(ana, "Dispute"))
    assert "Describe the problem" in text_of(await bot.say(ana, "no"))
    card = text_of(await bot.say(ana, "30 pcs arrived cracked"))
    assert "(in dispute)" in card and "⚠️ The problem: 30 pcs arrived cracked" in card
    claim = text_of(await bot.press(ana, "Message for the supplier"))
    assert "有30件有问题" in claim and "but 30 pcs have a problem." in claim
    assert "问题是：" in claim and "可以补发或者退款吗" in claim
    await bot.press(ana, "I sent it")
    await bot.press(ana, "Close")
    assert "(closed)" in card_shown(bot, ana) and "sent the defect claim" in card_shown(bot, ana)


async def test_a_supplier_that_does_not_ship_abroad_sends_to_the_forwarder_and_the_route_can_change(bot: Harness):
    ana = bot.user("Ana")
    offer = "我们不发国外，只发国内。" + OFFER
    await offers_recorded(bot, ana, {"Yiwu Cups": offer}, product="Glass cups", questions=["ships_abroad", *QUESTIONS])
    await bot.say(ana, "/compare")
    await bot.press(ana, "1: accept")
    card = text_of(await bot.press(ana, "start the order"))
    assert "through your forwarder · 3 cartons" in card
    for step in ("Supplier confirmed", "Ready to pay", "Paid in full", "In production", "Ready to ship"):
        await bot.press(ana, step)
    assert "Save your forwarder's address in /settings first." in text_of(await bot.press(ana, "Message for the supplier"))
    await bot.press(ana, "Sea freight")
    assert "Sea freight (" in card_shown(bot, ana) and "Expected at your door" in card_shown(bot, ana)
    await bot.press(ana, "Ship straight to me")
    assert "straight to you" in card_shown(bot, ana)
    buttons = str(card_message(bot, ana).reply_markup)
    assert "Message for the supplier" not in buttons and buttons.index("Shipped abroad") < buttons.index("Sent to the forwarder")


async def test_a_sample_is_an_order_of_its_own_at_the_sample_fee(bot: Harness):
    ana = bot.user("Ana")
    await offers_recorded(bot, ana, {"Yiwu Cups": OFFER + "，样品20元一个"}, product="Glass cups",
                          questions=["moq", "price_tiers", "samples"])  # fmt: skip
    await bot.say(ana, "/inquiries")
    await bot.press(ana, "1")
    await bot.press(ana, "Order a sample")
    assert "A sample order is 1 to 50 pieces" in text_of(await bot.say(ana, "500"))
    card = text_of(await bot.say(ana, "3"))
    assert "Sample order #" in card and "🧪 Sample: Glass cups — Yiwu Cups: 3 × ¥20.00" in card and "Goods: ¥60.00" in card
    message = text_of(await bot.press(ana, "Message for the supplier"))
    assert "样品数量：3件" in message
    await bot.say(ana, "/compare")
    await bot.press(ana, "1: accept")
    order = text_of(await bot.press(ana, "start the order"))
    assert order.startswith("Order #") and "450 ×" in order  # the bulk order is another order
    assert text_of(await bot.say(ana, "/orders")).count("Glass cups") == 2


async def test_a_price_offer_marked_sent_reads_the_suppliers_answer_against_the_inquiry(bot: Harness):
    ana = bot.user("Ana")
    await offers_recorded(bot, ana, {"Yiwu Cups": OFFER}, product="Glass cups")
    await bot.say(ana, "/compare")
    await bot.press(ana, "1: negotiate")
    await bot.say(ana, "11")
    assert "Paste the supplier's answer here" in text_of(await bot.press(ana, "I sent it"))
    answer = text_of(await bot.forward(ana, "450个的话最低11.5元"))
    assert "Glass cups — Yiwu Cups" in answer and "11.50" in answer


async def test_a_dispute_settled_puts_the_order_back_on_track(bot: Harness):
    ana = bot.user("Ana")
    await order_through(bot, ana, "Supplier confirmed", "Ready to pay", "Deposit paid")
    await bot.say(ana, "50%")
    await bot.press(ana, "Dispute")
    card = text_of(await bot.say(ana, "the supplier says the deposit has not arrived"))
    assert "(in dispute)" in card
    claim = text_of(await bot.press(ana, "Message for the supplier"))
    assert "出了问题" in claim and "我收到货了" not in claim  # not a defect claim: nothing has arrived
    buttons = str(card_message(bot, ana).reply_markup)
    assert "In production" in buttons and "Ready to ship" not in buttons  # half is still owed
    await bot.press(ana, "In production")
    shown = card_shown(bot, ana)
    assert "(in production)" in shown and "in dispute" in shown  # the dispute stays on the timeline
    async with bot.services.database.session() as session:
        steps = [(e.from_status, e.to_status) for e in (await session.execute(select(OrderEvent).order_by(OrderEvent.id))).scalars()]
    assert steps[-2:] == [("deposit_paid", "disputed"), ("disputed", "in_production")]
