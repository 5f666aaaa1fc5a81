"""/supplier and /suppliers as buyers meet them: links of every form, look-alikes, the step-by-step questions,
the card with its trust score, archiving, teams, forged buttons, restarts and /cancel."""

from __future__ import annotations

import re

from bot.services.suppliers import add_supplier
from tests.builders import actor_of
from tests.e2e.conftest import Harness, text_of


def _card_id(harness: Harness, chat: dict) -> int:
    """The supplier id behind the newest card's edit buttons, as a forger would read it off the keyboard."""
    for message in reversed(harness.emulator.messages(chat)):
        for button in message.buttons():
            if match := re.fullmatch(r"sup:edit:name:(\d+)", button.get("callback_data", "")):
                return int(match.group(1))
    raise AssertionError("no supplier card in the chat")


async def test_adding_suppliers_from_every_link_form(harness: Harness):
    ana = harness.user("Ana")
    links = [
        ("https://detail.1688.com/offer/612345678901.html?spm=a26352.13672862.offerlist.3&tracelog=p4p&clickid=ab", "1688 offer 612345678901"),
        ("https://shenzhenlights.1688.com/page/index.html?spm=a2615.2177701.wp_pc_common_topnav.0", "shenzhenlights"),
        ("https://m.1688.com/offer/623456789012.html?sk=consign&_t=1700000000", "1688 offer 623456789012"),
        ("https://global.1688.com/#/detail?offerId=634567890123", "1688 offer 634567890123"),
        ("【1688】LED 台灯 护眼 https://m.1688.com/offer/645678901234.html?share_token=xyz 复制链接打开", "1688 offer 645678901234"),
    ]
    for link, name in links:
        answer = text_of(await harness.say(ana, f"/supplier {link}"))
        assert f"Added {name}" in answer and "Seller type" in answer
    # Without the link in the command, the bot asks for it.
    assert "Paste the supplier's 1688 link" in text_of(await harness.say(ana, "/supplier"))
    assert "Added 1688 offer 656789012345" in text_of(await harness.say(ana, "detail.1688.com/offer/656789012345.html"))

    listing = text_of(await harness.say(ana, "/suppliers"))
    assert "Your suppliers (6)" in listing
    assert listing.index("656789012345") < listing.index("shenzhenlights") < listing.index("612345678901")
    assert harness.errors == []


async def test_lookalike_links_are_refused_with_the_reason_and_the_user_can_try_again(harness: Harness):
    ana = harness.user("Ana")
    chat = harness.emulator.private_chat(ana)
    await harness.say(ana, "/supplier")
    for lookalike in ("https://1688.com.example.net/offer/612345678901.html", "x1688.com/offer/612345678901.html"):
        answer = text_of(await harness.say(ana, lookalike))
        assert "only looks like 1688" in answer and "Paste another 1688 link" in answer
    answer = text_of(await harness.say(ana, "http://example.com/offer/612345678901.html"))
    assert "not to 1688.com" in answer
    assert "hides its real address" in text_of(await harness.say(ana, "https://detail.1688.com@evil.example/offer/1.html"))
    # Still at the same step: a real link now goes through.
    assert "Added 1688 offer 612345678901" in text_of(await harness.say(ana, "https://detail.1688.com/offer/612345678901.html"))
    assert "Your suppliers (1)" in text_of(await harness.say(ana, "/suppliers"))
    assert harness.last_text(chat)


async def test_the_same_offer_or_shop_twice_is_recognised_not_duplicated(harness: Harness):
    ana = harness.user("Ana")
    await harness.say(ana, "/supplier https://detail.1688.com/offer/612345678901.html")
    again = text_of(await harness.say(ana, "/supplier https://m.1688.com/offer/612345678901.html?spm=x.y.z"))
    assert "1688 offer 612345678901 is already in your suppliers" in again
    assert "Trust score" in again  # the card, instead of the questions again
    await harness.say(ana, "/supplier https://yiwutoys.1688.com")
    assert "already in your suppliers" in text_of(await harness.say(ana, "/supplier yiwutoys.1688.com/page/contactinfo.htm"))
    assert "Your suppliers (2)" in text_of(await harness.say(ana, "/suppliers"))


async def test_every_step_with_skips_and_typed_answers_ends_in_a_card_with_the_score_explained(harness: Harness):
    ana = harness.user("Ana")
    await harness.say(ana, "/supplier https://detail.1688.com/offer/612345678901.html")
    assert "Please use the buttons" in text_of(await harness.say(ana, "no idea what this is"))
    assert "Commission" in text_of(await harness.press(ana, "Sourcing agent"))
    assert "more than 0% and at most 30%" in text_of(await harness.say(ana, "0"))
    assert "more than 0% and at most 30%" in text_of(await harness.say(ana, "45%"))
    assert "more than 0% and at most 30%" in text_of(await harness.say(ana, "a lot"))
    assert "WeChat ID" in text_of(await harness.say(ana, "2,5 %"))
    assert "Aliwangwang" in text_of(await harness.say(ana, "shenzhen_lights88"))
    assert "phone number" in text_of(await harness.press(ana, "Skip"))
    assert "does not look like a phone number" in text_of(await harness.say(ana, "call me"))
    assert "How many years" in text_of(await harness.say(ana, "+86 138 0000 0000"))
    assert "response rate" in text_of(await harness.say(ana, "6 months"))
    assert "repeat-purchase" in text_of(await harness.press(ana, "60%"))
    assert "rating" in text_of(await harness.say(ana, "skip"))
    assert "from 0 to 5" in text_of(await harness.say(ana, "great"))
    assert "badges" in text_of(await harness.say(ana, "4.9"))
    await harness.press(ana, "Power merchant")
    await harness.press(ana, "Super factory")
    await harness.press(ana, "Super factory")  # ticked by mistake, unticked again
    await harness.press(ana, "Buyer protection")
    assert "✅ Power merchant" in harness.buttons(harness.emulator.private_chat(ana))[0]
    assert "90 days" in text_of(await harness.press(ana, "Done"))
    card = text_of(await harness.press(ana, "Skip"))  # no transactions, so no industry average either

    assert "Saved" in card and "1688 offer 612345678901" in card
    assert "Seller type: Sourcing agent" in card and "Commission: 2.5%" in card
    assert "WeChat: shenzhen_lights88" in card and "Phone: +86 138 0000 0000" in card and "Aliwangwang" not in card
    assert "Trust score: 27 / 100" in card
    assert "Years on 1688: 0.5 — 0 of 20 points" in card
    assert "Response rate: 60% — 0 of 15 points" in card
    assert "Rating: 4.9 / 5 — 20 of 20 points" in card
    assert "Power merchant (实力商家) — 4 of 4 points" in card and "Buyer protection — 3 of 3 points" in card
    assert "Super factory" not in card
    assert "⚠️ On 1688 for less than a year" in card and "⚠️ Response rate below 70%" in card
    assert "Repeat-purchase rate: unknown" in card and "90-day transactions against the industry average: unknown" in card
    assert "Ask this supplier" in " ".join(harness.buttons(harness.emulator.private_chat(ana)))
    assert harness.errors == []


async def test_editing_from_the_card_shows_what_is_there_and_changes_only_that_part(harness: Harness):
    ana = harness.user("Ana")
    await harness.say(ana, "/supplier Shenzhen Lights Co.")
    await harness.press(ana, "Factory")
    await harness.say(ana, "/cancel")
    await harness.say(ana, "/suppliers")
    await harness.press(ana, "1")
    assert "Type the new name" in text_of(await harness.press(ana, "Name"))
    assert "Shenzhen Bright Lights" in text_of(await harness.say(ana, "Shenzhen Bright Lights"))
    await harness.press(ana, "Seller type")
    card = text_of(await harness.press(ana, "Wholesaler"))
    assert "Seller type: Wholesaler" in card and "Commission" not in card
    await harness.press(ana, "Trust signals")
    await harness.say(ana, "3")
    asked = text_of(await harness.say(ana, "/cancel"))
    assert "Stopped" in asked
    await harness.say(ana, "/suppliers")
    await harness.press(ana, "1")
    question = text_of(await harness.press(ana, "Trust signals"))
    assert "Now: 3" in question


async def test_archived_suppliers_leave_the_list_and_come_back(harness: Harness):
    ana = harness.user("Ana")
    chat = harness.emulator.private_chat(ana)
    for name in ("Yiwu Toys", "Ningbo Bags"):
        await harness.say(ana, f"/supplier {name}")
    await harness.say(ana, "/cancel")
    listing = text_of(await harness.say(ana, "/suppliers"))
    assert "1. Ningbo Bags" in listing and "2. Yiwu Toys" in listing
    await harness.press(ana, "2")
    card = text_of(await harness.press(ana, "Archive"))
    assert "Archived: hidden" in card and "Unarchive" in " ".join(harness.buttons(chat))
    assert "Archived." in harness.notices()
    listing = text_of(await harness.press(ana, "All suppliers"))
    assert "Archived suppliers (1)" in listing and "Yiwu Toys" in listing
    listing = text_of(await harness.press(ana, "Current suppliers"))
    assert "Your suppliers (1)" in listing and "Yiwu Toys" not in listing
    assert "Show archived (1)" in " ".join(harness.buttons(chat))
    await harness.press(ana, "Show archived")
    await harness.press(ana, "1")
    card = text_of(await harness.press(ana, "Unarchive"))
    assert "Archived: hidden" not in card and "Archive" in " ".join(harness.buttons(chat))
    assert "Your suppliers (2)" in text_of(await harness.say(ana, "/suppliers"))


async def test_long_lists_are_paged(harness: Harness):
    ana = harness.user("Ana")
    chat = harness.emulator.private_chat(ana)
    await harness.say(ana, "/suppliers")
    database = harness.services.database
    actor = await actor_of(database, ana["id"], chat["id"])
    for number in range(1, 24):
        await add_supplier(database, actor, f"Supplier number {number:02d}")
    first = text_of(await harness.say(ana, "/suppliers"))
    assert "Your suppliers (23)" in first and "Page 1 of 3" in first
    assert "1. Supplier number 23" in first and "10. Supplier number 14" in first and "number 13" not in first
    assert harness.buttons(chat)[:10] == [str(n) for n in range(1, 11)] and "▶" in harness.buttons(chat)
    second = text_of(await harness.press(ana, "▶"))
    assert "11. Supplier number 13" in second and "Page 2 of 3" in second
    third = text_of(await harness.press(ana, "▶"))
    assert "21. Supplier number 03" in third and "23. Supplier number 01" in third and "▶" not in harness.buttons(chat)
    assert "Page 2 of 3" in text_of(await harness.press(ana, "◀"))
    assert "Supplier number 13" in text_of(await harness.press(ana, "11"))
    assert len(harness.emulator.messages(chat)) == 2  # the list message is paged in place


async def test_a_team_shares_its_suppliers_and_other_chats_do_not_see_them(harness: Harness):
    ana, ben, carol = harness.user("Ana"), harness.user("Ben"), harness.user("Carol")
    group = harness.emulator.add_group("Buyers", added_by=ana)
    harness.emulator.add_member(group, ben)
    await harness.settle()
    added = text_of(await harness.say(ana, "/supplier https://yiwutoys.1688.com", chat=group))
    assert "Added yiwutoys" in added
    await harness.press(ana, "Wholesaler", chat=group)
    listing = text_of(await harness.say(ben, "/suppliers", chat=group))
    assert "1. yiwutoys" in listing and "Wholesaler" in listing
    card = text_of(await harness.press(ben, "1", chat=group))
    assert "yiwutoys" in card and "Trust score" in card
    assert "None yet" in text_of(await harness.say(carol, "/suppliers"))
    assert "None yet" in text_of(await harness.say(ana, "/suppliers"))
    # Ben recognises the team's supplier from a different link form.
    assert "already in your suppliers" in text_of(await harness.say(ben, "/supplier yiwutoys.1688.com/page/offerlist.htm", chat=group))
    assert harness.errors == []


async def test_forged_supplier_buttons_from_another_workspace_are_refused(harness: Harness):
    ana, carol = harness.user("Ana"), harness.user("Carol")
    carol_chat = harness.emulator.private_chat(carol)
    await harness.say(carol, "/supplier Carol's secret factory")
    await harness.say(carol, "/cancel")
    await harness.say(carol, "/suppliers")
    await harness.press(carol, "1", chat=carol_chat)
    secret = _card_id(harness, carol_chat)

    await harness.say(ana, "/supplier Ana's own supplier")
    ana_chat = harness.emulator.private_chat(ana)
    message_id = harness.emulator.last_message(ana_chat).message_id
    forged = [
        f"sup:view:{secret}", f"sup:arch:{secret}", f"sup:unarch:{secret}", f"sup:edit:trust:{secret}",
        f"sup:edit:name:{secret}", f"sup:a:{secret}:seller_type:factory", "sup:view:abc", "sup:list:7:0", "sup:edit:x:1",
    ]
    before = len(harness.emulator.messages(ana_chat))
    for data in forged:
        await harness.press_data(ana, message_id, data)
    assert len(harness.notices()) == len(forged)
    assert all(notice == "That button is no longer valid." for notice in harness.notices())
    assert len(harness.emulator.messages(ana_chat)) == before
    # Ana is still at her own step, and Carol's supplier is untouched.
    assert "WeChat ID" in text_of(await harness.press(ana, "Factory (usually"))
    card = text_of(await harness.press(carol, "All suppliers", chat=carol_chat))
    assert "Your suppliers (1)" in card and "secret factory" in card
    assert harness.errors == []


async def test_a_restart_in_the_middle_of_adding_continues_at_the_same_step(harness: Harness):
    ana = harness.user("Ana")
    await harness.say(ana, "/supplier https://detail.1688.com/offer/612345678901.html")
    assert "WeChat ID" in text_of(await harness.press(ana, "Factory"))
    await harness.restart()
    assert "Aliwangwang" in text_of(await harness.say(ana, "lights_wx"))
    await harness.restart()
    assert "phone number" in text_of(await harness.press(ana, "Skip"))
    await harness.say(ana, "/cancel")
    card = text_of(await harness.say(ana, "/supplier https://detail.1688.com/offer/612345678901.html"))
    assert "Seller type: Factory" in card and "WeChat: lights_wx" in card


async def test_cancel_mid_way_leaves_keeps_what_was_entered_and_says_so(harness: Harness):
    ana = harness.user("Ana")
    await harness.say(ana, "/supplier Guangzhou Packaging")
    await harness.press(ana, "Brand owner")
    stopped = text_of(await harness.say(ana, "/cancel"))
    assert "Stopped. Guangzhou Packaging is kept" in stopped
    # Out of the flow: text is no longer taken as a WeChat ID, and there is nothing left to cancel.
    assert "WeChat" not in text_of(await harness.say(ana, "wx_guangzhou"))
    assert "nothing to cancel" in text_of(await harness.say(ana, "/cancel"))
    await harness.say(ana, "/supplier")
    assert "No supplier was added" in text_of(await harness.say(ana, "/cancel"))
    assert "Brand owner" in text_of(await harness.say(ana, "/suppliers"))
