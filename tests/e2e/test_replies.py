"""Supplier replies end to end: translate, pick out facts, confirm them against the checklist, chase the rest."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from bot.db.models import Inquiry
from bot.sandbox.emulator import BotApiEmulator
from tests import builders
from tests.builders import actor_of
from tests.e2e.conftest import Harness, text_of, with_settings
from tests.fakes import FakeGoogle

REPLY = "亲，起订量100个。100-499个 12元，500个以上10元。现货，3天发货"


async def sent_inquiry(bot: Harness, user, chat=None, questions=None, auto_confirm=False) -> None:
    """An inquiry already sent to the supplier, made through the services (the UI path is covered in
    test_inquiries), then opened from /inquiries so pasted replies go to it."""
    chat = bot.chat_of(user, chat)
    database = bot.services.database
    actor = await actor_of(database, user["id"], chat["id"], group=chat["type"] != "private")
    await builders.sent_inquiry(database, actor, questions=questions, auto_confirm=auto_confirm, now=bot.services.clock.now())
    await bot.say(user, "/inquiries", chat=chat)
    await bot.press(user, "1", chat=chat)


async def with_recorded_moq(bot: Harness, user) -> None:
    """A sent inquiry whose supplier said MOQ 100, confirmed (question 5 of the default checklist)."""
    await sent_inquiry(bot, user)
    await paste(bot, user, "起订量100个")
    await bot.press(user, "5 right")


async def open_card(bot: Harness, user) -> str:
    """The first inquiry's card, opened from /inquiries."""
    await bot.say(user, "/inquiries")
    return text_of(await bot.press(user, "1"))


async def paste(bot: Harness, user, text: str, chat=None, **kwargs) -> str:
    """Paste a supplier's message and wait for the batch to be read."""
    chat = bot.chat_of(user, chat)
    before = len(bot.emulator.messages(chat))
    bot.emulator.send_text(user, chat, text, **kwargs)
    await bot.settle()
    return text_of(bot.emulator.messages(chat)[before:])


async def test_a_pasted_reply_is_translated_and_its_facts_confirmed(bot: Harness):
    ana = bot.user("Ana")
    await sent_inquiry(bot, ana)
    shown = await paste(bot, ana, REPLY)
    assert "The supplier wrote" in shown and "MOQ" in shown  # translated, jargon kept
    assert REPLY in shown  # the original, one tap away
    assert "MOQ: 100" in shown and "100–499: ¥12" in shown and "500+: ¥10" in shown
    assert "Lead time: 3 days" in shown and "In stock" in shown
    assert "0 of" in shown  # nothing recorded before the buyer confirms
    answer = text_of(await bot.press(ana, "3 right"))  # each answer keeps its question's number
    assert "✅ 3. Delivery time" in answer and "1 of" in answer
    answer = text_of(await bot.press(ana, "✗ wrong"))
    assert "✖️" in answer and "1 of" in answer
    listing = text_of(await bot.say(ana, "/inquiries"))
    assert "1 of" in listing


async def test_a_contradicting_answer_is_shown_side_by_side(bot: Harness):
    ana = bot.user("Ana")
    await with_recorded_moq(bot, ana)
    shown = await paste(bot, ana, "不好意思，起订量是500个")
    assert "recorded: MOQ: 100 pcs → now: MOQ: 500 pcs" in shown  # at once, before any ✓
    await bot.press(ana, "use the new one")
    view = text_of(await bot.say(ana, "/inquiries"))
    assert "1 of" in view
    await bot.press(ana, "1")
    assert "MOQ: 500" in bot.last_text(bot.emulator.private_chat(ana))


async def test_an_answer_can_be_corrected_by_typing(bot: Harness):
    ana = bot.user("Ana")
    await sent_inquiry(bot, ana)
    await paste(bot, ana, "起订量100个")
    await bot.press(ana, "✎ edit")
    recorded = text_of(await bot.say(ana, "MOQ 200 if we mix two colours"))
    assert "Recorded" in recorded and "1 of" in recorded


async def test_the_follow_up_asks_only_what_is_open(bot: Harness):
    ana = bot.user("Ana")
    await with_recorded_moq(bot, ana)
    follow_up = text_of(await bot.press(ana, "Draft the follow-up"))
    assert "最少起订多少" not in follow_up  # MOQ is answered
    assert "单价多少" in follow_up  # the price is still open


async def test_a_reply_outside_an_inquiry_can_be_attached(bot: Harness):
    ana = bot.user("Ana")
    await sent_inquiry(bot, ana)
    ben = bot.user("Ben")
    shown = await paste(bot, ben, REPLY)
    assert "no open inquiry" in shown  # Ben's own workspace has none: Ana's is not his
    attached = text_of(await bot.press(ben, "Start a new inquiry"))
    assert "Attached" in attached and "MOQ: 100" in attached and "What product is this about?" in attached
    assert "Tell me the product in a few words" in text_of(await bot.say(ben, "x"))  # refused kindly, asked again
    named = text_of(await bot.say(ben, "Stainless steel water bottle"))
    assert "Named it Stainless steel water bottle" in named
    listing = text_of(await bot.say(ben, "/inquiries"))
    assert "Stainless steel water bottle" in listing


async def test_facts_are_found_even_when_every_translator_is_down(bot: Harness, google: FakeGoogle):
    google.status = 503
    ana = bot.user("Ana")
    await sent_inquiry(bot, ana)
    shown = await paste(bot, ana, REPLY)
    assert "unavailable" in shown and REPLY in shown
    assert "MOQ: 100" in shown
    google.status = 200
    again = text_of(await bot.press(ana, "Translate again"))
    assert "Translation for Ana" in again and "MOQ" in again and "unavailable" not in again


async def test_several_messages_in_a_row_are_read_as_one(bot: Harness):
    ana = bot.user("Ana")
    await sent_inquiry(bot, ana)
    chat = bot.emulator.private_chat(ana)
    before = len(bot.emulator.messages(chat))
    bot.emulator.forward_text(ana, chat, "起订量100个", "Supplier")
    bot.emulator.forward_text(ana, chat, "500个以上10元", "Supplier")
    await bot.emulator.wait_for_message(chat, lambda m: "answered" in (m.text or ""), timeout=5)
    await bot.settle()
    shown = text_of(bot.emulator.messages(chat)[before:])
    assert shown.count("The supplier wrote") == 1
    assert "MOQ: 100" in shown and "500+: ¥10" in shown


async def test_a_pasted_reply_survives_a_restart_before_it_is_read(bot: Harness, emulator: BotApiEmulator):
    ana = bot.user("Ana")
    await sent_inquiry(bot, ana)
    chat = emulator.private_chat(ana)
    bot.settings = with_settings(bot.settings, reply_batch_seconds=30)
    await bot.restart()
    emulator.send_text(ana, chat, "起订量100个")
    await bot.settle()
    await bot.restart()  # stopped before the batch was read: it is read on start
    message = await emulator.wait_for_message(chat, lambda m: "MOQ: 100" in (m.text or ""), timeout=5)
    assert "5 right" in str(message.reply_markup)


async def test_each_teammate_reads_the_reply_in_their_own_language(bot: Harness):
    ana, mei = bot.user("Ana"), bot.user("Mei", language_code="zh")
    group = bot.emulator.add_group("Buyers", added_by=ana)
    bot.emulator.add_member(group, mei)
    await bot.settle()
    await bot.say(ana, "/start", chat=group)
    # With privacy mode on, the bot sees a group message that replies to it.
    bot_message = bot.emulator.last_message(group).message_id
    shown = await paste(bot, ana, "起订量100个", chat=group, reply_to_message_id=bot_message)
    assert "MOQ: 100" in shown
    assert any("In my language" in button["text"] for m in bot.emulator.messages(group) for button in m.buttons())
    for_mei = text_of(await bot.press(mei, "In my language", chat=group))
    assert "Mei" in for_mei
    assert for_mei.count("起订量100个") == 1 and "原文" not in for_mei  # Chinese needs no translation, nor a copy


async def test_a_fully_answered_inquiry_offers_the_next_steps(bot: Harness):
    ana = bot.user("Ana")
    await sent_inquiry(bot, ana, questions=["moq", "price_tiers"], auto_confirm=True)
    shown = await paste(bot, ana, "起订量100个，500个以上10元")
    assert "2 of 2 answered" in shown and "Next step" in shown
    assert "(all answered)" in text_of(await bot.say(ana, "/inquiries"))
    await bot.press(ana, "Order a sample")
    assert "Sample order #1" in text_of(await bot.say(ana, "2"))
    assert "样品数量：2件" in text_of(await bot.press(ana, "Message for the supplier"))
    await bot.press(ana, "Negotiate the price")
    assert "price in yuan" in text_of(await bot.say(ana, "cheap please"))
    offer = text_of(await bot.say(ana, "¥9.5"))
    assert "9.50" in offer and "单价" in offer


async def test_answers_by_number_are_read_against_the_questions_sent(bot: Harness):
    from tests.e2e.test_inquiries import walk_to_checklist

    ana = bot.user("Ana")
    await walk_to_checklist(bot, ana)  # the default questions: abroad, returns, delivery, stock, MOQ, price
    await bot.press(ana, "Done")
    await bot.press(ana, "Write the message")
    await bot.press(ana, "I sent it")
    shown = await paste(bot, ana, "亲\n1. 可以的\n2. 不退不换\n3. 7天\n4. 没有\n5. 200个\n6. 12元")
    assert "Ships outside China: yes" in shown and "Returns: not accepted" in shown
    assert "Lead time: 7 days" in shown and "Not in stock" in shown
    assert "MOQ: 200" in shown and "200+: ¥12" in shown
    assert "“3. 7天”" in shown  # the answer it came from, with its number
    for _ in range(6):
        await bot.press(ana, "right")
    assert "6 of 6 answered" in text_of(bot.emulator.messages(bot.emulator.private_chat(ana))[-1:])


async def test_answers_to_a_follow_up_are_numbered_as_the_follow_up_was(bot: Harness):
    from tests.e2e.test_inquiries import walk_to_checklist

    ana = bot.user("Ana")
    await walk_to_checklist(bot, ana)
    await bot.press(ana, "Done")
    await bot.press(ana, "Write the message")
    await bot.press(ana, "I sent it")
    await paste(bot, ana, "1. 可以的 2. 不退不换 3. 7天 4. 有现货")
    for _ in range(4):
        await bot.press(ana, "right")
    follow_up = text_of(await bot.press(ana, "Draft the follow-up"))
    assert "1. 最少起订多少" in follow_up and "2. 买" in follow_up  # MOQ and price, renumbered
    await bot.press(ana, "I sent it")
    shown = await paste(bot, ana, "1. 300个 2. 9.5元")
    assert "MOQ: 300" in shown and "300+: ¥9.50" in shown


async def test_all_correct_confirms_every_waiting_answer_at_once(bot: Harness):
    ana = bot.user("Ana")
    await sent_inquiry(bot, ana)
    shown = await paste(bot, ana, REPLY)
    assert "✓ All correct" in str(bot.emulator.last_message(bot.emulator.private_chat(ana)).reply_markup)
    assert "4 found answers wait for your ✓" in shown
    card = text_of(await bot.press(ana, "All correct"))
    assert card.count("✅") == 4 and "4 of 6 answered" in card and "wait for your ✓" not in card


async def test_a_refusal_to_ship_abroad_is_flagged_and_no_sample_is_offered_abroad(bot: Harness):
    ana = bot.user("Ana")
    await sent_inquiry(bot, ana, questions=["ships_abroad", "moq"])
    shown = await paste(bot, ana, "我们不发国外的哦，起订量1000个")
    assert "🚩 They don't ship outside China" in shown
    assert "🚩 Their MOQ (1,000) is above your quantity (500 pcs)" in shown
    card = text_of(await bot.press(ana, "All correct"))
    assert "Everything you asked is answered" in card and "forwarder" in card
    buttons = str(bot.emulator.last_message(bot.emulator.private_chat(ana)).reply_markup)
    assert "Order a sample" not in buttons


async def test_partial_answers_are_shown_as_partial_and_words_no_rule_placed_are_shown(bot: Harness):
    ana = bot.user("Ana")
    await sent_inquiry(bot, ana)
    shown = await paste(bot, ana, "质量问题包退换，7天无理由不支持。有部分现货，1000个需要生产一周左右。⑥2.8")
    assert "Returns: only for quality problems" in shown and "within 7 days" not in shown
    assert "Part in stock, the rest made to order" in shown
    assert "Not understood" in shown and "“2.8”" in shown


async def test_a_typed_answer_shows_what_it_replaced(bot: Harness):
    ana = bot.user("Ana")
    await with_recorded_moq(bot, ana)
    await open_card(bot, ana)
    await bot.press(ana, "Minimum order quantity")
    typed = text_of(await bot.say(ana, "300 if mixed colours"))
    assert "recorded: MOQ: 100 pcs → now: “300 if mixed colours”" in typed


async def test_a_new_minimum_leaves_no_price_tier_below_it(bot: Harness):
    ana = bot.user("Ana")
    await sent_inquiry(bot, ana)
    await paste(bot, ana, "起订量100个，100-499个12元，500个以上10元")
    await bot.press(ana, "All correct")
    await paste(bot, ana, "不好意思，起订量是500个")
    await bot.press(ana, "use the new one")
    card = await open_card(bot, ana)
    assert "MOQ: 500" in card and "500+: ¥10" in card and "¥12" not in card


async def test_the_certifications_question_stays_open_until_every_certificate_asked_is_spoken_of(bot: Harness):
    ana = bot.user("Ana")
    await sent_inquiry(bot, ana, questions=["certifications"])
    async with bot.services.database.session() as session:
        await session.execute(update(Inquiry).values(certifications_needed=["CE", "RCM"]))
    shown = await paste(bot, ana, "没有CE认证，有ROHS，SAA正在办理中")
    assert "🚩 No CE certificate" in shown
    card = text_of(await bot.press(ana, "All correct"))
    assert "0 of 1 answered" in card  # RCM was asked about and not answered
    shown = await paste(bot, ana, "RCM也没有")
    card = text_of(await bot.press(ana, "1 right"))
    assert "1 of 1 answered" in card


async def test_an_english_reply_pasted_as_text_is_read_like_a_chinese_one(bot: Harness):
    ana = bot.user("Ana")
    await sent_inquiry(bot, ana)
    shown = await paste(bot, ana, "MOQ 500pcs, price USD 1.20/pc, lead time 15-20 days, we can ship to your forwarder")
    assert "MOQ: 500 pcs" in shown and "US$1.20" in shown and "Lead time: 15–20 days" in shown
    assert "not sure what to do" not in shown


async def test_with_several_inquiries_waiting_the_buyer_picks_where_a_reply_goes_and_can_move_it(bot: Harness):
    ana = bot.user("Ana")
    database = bot.services.database
    actor = await actor_of(database, ana["id"])
    now = bot.services.clock.now()
    await builders.sent_inquiry(database, actor, product="LED desk lamp", now=now)
    await builders.sent_inquiry(database, actor, product="Desk fan", now=now)
    shown = await paste(bot, ana, "起订量100个")
    assert "Which inquiry is this reply for?" in shown and "0 of" not in shown  # nothing attached silently
    card = text_of(await bot.press(ana, "📎 Desk fan"))
    assert "Answers for Desk fan" in card and "MOQ: 100" in card
    await bot.press(ana, "5 right")
    await bot.press(ana, "Move the reply")
    moved = text_of(await bot.press(ana, "📎 LED desk lamp"))
    assert "Answers for LED desk lamp" in moved and "MOQ: 100" in moved and "0 of 6" in moved
    listing = text_of(await bot.say(ana, "/inquiries"))
    assert "1 of" not in listing  # the fan's confirmed MOQ went with the reply


async def test_closing_asks_first_and_a_closed_inquiry_can_be_viewed_and_reopened(bot: Harness):
    ana = bot.user("Ana")
    await with_recorded_moq(bot, ana)
    await open_card(bot, ana)
    asked = text_of(await bot.press(ana, "Close this inquiry"))
    assert "Its answers are kept" in asked
    text_of(await bot.press(ana, "Yes, close it"))
    listing = text_of(await bot.say(ana, "/inquiries"))
    assert "No open inquiries" in listing
    closed = text_of(await bot.press(ana, "Closed inquiries (1)"))
    assert "LED desk lamp" in closed
    card = text_of(await bot.press(ana, "1"))
    assert "closed" in card and "MOQ: 100" in card
    reopened = text_of(await bot.press(ana, "Reopen"))
    assert "partly answered" in reopened and "1 of 6 answered" in reopened
    assert "1 of 6" in text_of(await bot.say(ana, "/inquiries"))


async def test_the_inquiry_list_counts_answers_waiting_for_a_check(bot: Harness):
    ana = bot.user("Ana")
    await sent_inquiry(bot, ana)
    await paste(bot, ana, REPLY)
    listing = text_of(await bot.say(ana, "/inquiries"))
    assert "reply in, answers to check" in listing and "4 to check ✓" in listing


async def test_the_follow_up_fits_the_time_since_the_supplier_was_asked_and_skips_answers_waiting_for_a_check(
    bot: Harness,
):
    ana = bot.user("Ana")
    await sent_inquiry(bot, ana)
    await paste(bot, ana, "起订量100个")  # found, not yet confirmed
    follow_up = text_of(await bot.press(ana, "Draft the follow-up"))
    assert "今天早些时候问过您这个产品" in follow_up and "前几天" not in follow_up
    assert "最少起订多少" not in follow_up and "单价多少" in follow_up
    assert "Not asked again: the supplier answered 5" in follow_up


async def test_a_follow_up_days_later_says_so(bot: Harness):
    ana = bot.user("Ana")
    database = bot.services.database
    actor = await actor_of(database, ana["id"])
    await builders.sent_inquiry(database, actor, now=bot.services.clock.now() - timedelta(days=3))
    await open_card(bot, ana)
    follow_up = text_of(await bot.press(ana, "Draft the follow-up"))
    assert "前几天问过您这个产品" in follow_up


async def test_answers_by_number_follow_a_drafted_follow_up_even_when_it_was_not_marked_sent(bot: Harness):
    ana = bot.user("Ana")
    await with_recorded_moq(bot, ana)
    await bot.press(ana, "Draft the follow-up")  # copied to the supplier, "I sent it" never pressed
    shown = await paste(bot, ana, "1. 可以\n2. 不退不换")
    assert "Ships outside China: yes" in shown and "Returns: not accepted" in shown


async def test_answers_waiting_can_be_checked_from_the_inquiry_card(bot: Harness):
    ana = bot.user("Ana")
    await sent_inquiry(bot, ana)
    await paste(bot, ana, "起订量100个，3天发货")
    await paste(bot, ana, "现货")
    card = await open_card(bot, ana)
    assert "3 found answers wait for your ✓" in card
    waiting = text_of(await bot.press(ana, "Check the 3 answers waiting"))
    assert "MOQ: 100" in waiting and "In stock" in waiting and "Lead time: 3 days" in waiting
    done = text_of(await bot.press(ana, "All correct"))
    assert "3 of 6 answered" in done and "wait for your ✓" not in done
