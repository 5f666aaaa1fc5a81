import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from bot.domain.guide import GUIDE_SECTIONS, section

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "locale" / "zh_CN" / "LC_MESSAGES" / "messages.po"
DOMAIN_MODULES = ["bot/domain/suppliers.py", "bot/domain/checklist.py", "bot/domain/guide.py", "bot/supplier_messages.py"]
TELEGRAM_MESSAGE_LIMIT = 3500
CALLBACK_DATA_BYTES = 64


def chinese():
    with CATALOG.open("rb") as source:
        catalog = read_po(source)
    return {message.id: message.string for message in catalog if message.id}


def in_language(lang, msgid):
    return msgid if lang == "en" else chinese()[msgid]


class TelegramHtml(HTMLParser):
    """Collects what Telegram would refuse: tags it does not know, and tags left open or closed twice."""

    allowed = {"b", "i", "code"}

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.allowed or attrs:
            self.problems.append(f"<{tag}>")
        self.open.append(tag)

    def handle_endtag(self, tag):
        if not self.open or self.open.pop() != tag:
            self.problems.append(f"</{tag}>")

    def handle_entityref(self, name):
        self.problems.append(f"&{name};")


def test_section_keys_are_unique_and_fit_in_button_data():
    keys = [guide_section.key for guide_section in GUIDE_SECTIONS]
    assert len(set(keys)) == len(keys)
    for key in keys:
        assert re.fullmatch(r"[a-z_]{1,16}", key)
        assert len(f"guide:{key}".encode()) < CALLBACK_DATA_BYTES
        assert section(key).key == key
    assert section("nonsense") is None


def test_the_guide_covers_the_buying_journey():
    keys = [guide_section.key for guide_section in GUIDE_SECTIONS]
    assert keys == ["sellers", "why", "account", "search", "trust", "writing", "paying", "shipping", "agents"]


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("guide_section", GUIDE_SECTIONS, ids=lambda guide_section: guide_section.key)
def test_every_page_fits_one_message_and_is_valid_telegram_html(lang, guide_section):
    body = in_language(lang, guide_section.body_msgid)
    assert 0 < len(body) < TELEGRAM_MESSAGE_LIMIT
    parser = TelegramHtml()
    parser.feed(body)
    parser.close()
    assert parser.problems == []
    assert parser.open == []
    assert "{" not in body and "}" not in body


def test_chinese_pages_keep_the_chinese_labels_buyers_look_for():
    pages = {guide_section.key: chinese()[guide_section.body_msgid] for guide_section in GUIDE_SECTIONS}
    for label in ["免费注册", "同意并注册", "提交", "账户管理", "我的认证", "个人认证"]:
        assert label in pages["account"]
    for label in ["起订量以下", "24小时发货", "实力商家", "上架时间", "所在地区", "商品分类", "跨境特色"]:
        assert label in pages["search"]
    assert "1-3%" in pages["agents"]


def domain_msgids():
    found = []
    for module in DOMAIN_MODULES:
        found += [message for _, message, _, _ in extract_from_file("python", ROOT / module, keywords={"N_": None})]
    for template in sorted((ROOT / "templates").glob("*.j2")):
        found += [message for _, message, _, _ in extract_from_file("jinja2.ext:babel_extract", template, keywords={"_": None})]
    return found


def test_every_domain_msgid_has_a_chinese_translation_keeping_placeholders_and_tags():
    translations = chinese()
    msgids = domain_msgids()
    assert len(msgids) > 100
    for msgid in msgids:
        translated = translations.get(msgid)
        assert translated, msgid
        assert sorted(re.findall(r"\{\w+\}", translated)) == sorted(re.findall(r"\{\w+\}", msgid)), msgid
        assert sorted(re.findall(r"</?\w+>", translated)) == sorted(re.findall(r"</?\w+>", msgid)), msgid
