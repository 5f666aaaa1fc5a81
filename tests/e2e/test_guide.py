"""/guide: a menu of topics, each page opened in place, with back, previous and next, in both UI languages."""

from __future__ import annotations

from bot.domain.guide import GUIDE_SECTIONS
from bot.i18n import Translator
from bot.telegram_io import utf16_len
from tests.e2e.conftest import Harness, text_of


async def test_menu_every_page_and_the_way_back_in_english(harness: Harness):
    ana = harness.user("Ana")
    chat = harness.emulator.private_chat(ana)
    menu = text_of(await harness.say(ana, "/guide"))
    assert "Pick a topic" in menu
    assert harness.buttons(chat) == [section.title_msgid for section in GUIDE_SECTIONS]
    for section in GUIDE_SECTIONS:
        shown = await harness.press(ana, section.title_msgid)
        assert len(shown) == 1 and len(harness.emulator.messages(chat)) == 1  # the menu message itself changes
        page = text_of(shown)
        assert page.startswith(section.title_msgid)
        assert utf16_len(page) <= 4096 and utf16_len(shown[0].source_text or "") <= 4096
        assert "◀ Back to the guide" in harness.buttons(chat)
        assert "Pick a topic" in text_of(await harness.press(ana, "Back to the guide"))
    assert harness.errors == []


async def test_previous_and_next_walk_through_the_pages(harness: Harness):
    ana = harness.user("Ana")
    chat = harness.emulator.private_chat(ana)
    await harness.say(ana, "/guide")
    await harness.press(ana, GUIDE_SECTIONS[0].title_msgid)
    assert not any(label.startswith("«") for label in harness.buttons(chat))  # nothing before the first page
    for number, section in enumerate(GUIDE_SECTIONS[1:], start=2):
        page = text_of(await harness.press(ana, "»"))
        assert f"Page {number} of {len(GUIDE_SECTIONS)}" in page and page.startswith(section.title_msgid)
    assert not any(label.endswith("»") for label in harness.buttons(chat))  # nothing after the last page
    previous = text_of(await harness.press(ana, "«"))
    assert f"Page {len(GUIDE_SECTIONS) - 1} of" in previous


async def test_every_page_opens_within_limits_in_chinese(harness: Harness):
    mei = harness.user("Mei")
    chat = harness.emulator.private_chat(mei)
    await harness.say(mei, "/language")
    await harness.press(mei, "中文")
    zh = Translator("zh_CN")
    await harness.say(mei, "/guide")
    menu = harness.emulator.last_message(chat)
    assert harness.buttons(chat) == [zh(section.title_msgid) for section in GUIDE_SECTIONS]
    for section in GUIDE_SECTIONS:
        shown = await harness.press_data(mei, menu.message_id, f"guide:{section.key}")
        # The page itself, in Chinese once the catalog is compiled.
        assert (shown[0].source_text or "").startswith(zh(section.body_msgid))
        assert utf16_len(shown[0].source_text or "") <= 4096
        assert len(harness.buttons(chat)) == (2 if section in (GUIDE_SECTIONS[0], GUIDE_SECTIONS[-1]) else 3)
    assert harness.errors == []


async def test_an_unknown_guide_page_is_refused(harness: Harness):
    ana = harness.user("Ana")
    chat = harness.emulator.private_chat(ana)
    await harness.say(ana, "/guide")
    await harness.press_data(ana, harness.emulator.last_message(chat).message_id, "guide:no-such-page")
    assert harness.notices() == ["That button is no longer valid."]
    assert "Pick a topic" in harness.last_text(chat)
