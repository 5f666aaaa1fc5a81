"""Every UI language is complete: each message the code and templates show has a translation that keeps its
placeholders and tags, and the compiled catalog is the current one."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = sorted((ROOT / "locale").glob("*/LC_MESSAGES/messages.po"))
METHODS = [("bot/**.py", "python"), ("templates/**.j2", "jinja2")]
PLACEHOLDER = re.compile(r"\{\w+\}")
TAG = re.compile(r"</?[a-z]+")


def shown_messages() -> set[str]:
    found = extract_from_dir(str(ROOT), method_map=METHODS, keywords={"_": None, "N_": None, "plural": (1, 2)})
    messages = set()
    for _file, _line, message, _comments, _context in found:
        messages.update(message if isinstance(message, tuple) else (message,))
    return messages


def test_there_is_a_second_language():
    assert [path.parent.parent.name for path in CATALOGS] == ["zh_CN"]


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.parent.parent.name)
def test_every_shown_message_is_translated_keeping_placeholders_and_tags(path: Path):
    with path.open("rb") as file:
        translated = {message.id: message.string for message in read_po(file) if message.id}
    shown = shown_messages()
    assert len(shown) > 400
    missing = sorted(message for message in shown if not translated.get(message))
    assert missing == []
    for message in shown:
        assert sorted(PLACEHOLDER.findall(translated[message])) == sorted(PLACEHOLDER.findall(message)), message
        assert sorted(TAG.findall(translated[message])) == sorted(TAG.findall(message)), message


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.parent.parent.name)
def test_the_compiled_catalog_matches_its_source(path: Path):
    with path.open("rb") as file:
        source = {message.id: message.string for message in read_po(file) if message.id}
    with path.with_suffix(".mo").open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    stale = [msgid for msgid, msgstr in source.items() if isinstance(msgid, str) and compiled.gettext(msgid) != msgstr]
    assert stale == [], "run: pybabel compile -d locale -D messages"
