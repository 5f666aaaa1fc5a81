"""Every buyer-visible message of the translation service has its Simplified Chinese in the catalogue fragment."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def marked_messages() -> set[str]:
    found = extract_from_dir(str(ROOT / "bot" / "translation"), method_map=[("**.py", "python")], keywords={"N_": None})
    return {message for _file, _line, message, _comments, _context in found}


def test_every_marked_message_has_a_chinese_translation() -> None:
    with (ROOT / "locale" / "fragments" / "translation.po").open("rb") as file:
        catalog = read_po(file)
    translated = {message.id: message.string for message in catalog if message.id}
    marked = marked_messages()
    assert len(marked) > 70
    assert sorted(marked - translated.keys()) == []
    assert sorted(message for message in marked if not translated[message].strip()) == []
    assert sorted(translated.keys() - marked) == [], "stale entries"
