"""Language codes as the service speaks them, and what kind of text a message is."""

from __future__ import annotations

import unicodedata

CHINESE = "zh"  # Simplified Chinese, the language of 1688.com
AUTO = "auto"
# Our own codes for languages a provider may be asked for; each provider maps them to its spelling.
SUPPORTED_LANGUAGES = (
    "en", "zh", "th", "vi", "id", "ms", "ru", "uk", "es", "pt", "fr", "de", "it", "pl", "tr", "ar", "ko", "ja", "nl", "hi",
)  # fmt: skip
_SIMPLIFIED_CHINESE_SPELLINGS = {"zh", "zh-cn", "zh-hans", "zh-sg", "zh-my", "zh-hans-cn", "cn", "chinese"}
_TRADITIONAL_CHINESE_SPELLINGS = {"zh-tw", "zh-hk", "zh-mo", "zh-hant", "zh-hant-tw"}
# Below this share of Han characters among the letters, a message is not Chinese ("Ask about 起订量, please").
_HAN_SHARE_FOR_CHINESE = 0.3
# Japanese uses Han characters too; a real share of kana means Japanese.
_KANA_SHARE_FOR_JAPANESE = 0.1


def normalize_language(code: str) -> str:
    """Map any spelling (zh_CN, zh-Hans, ZH, en-US, pt_BR) to our code; unknown languages keep their base code."""
    spelled = code.strip().replace("_", "-").lower()
    if spelled in ("", AUTO):
        return AUTO
    if spelled in _SIMPLIFIED_CHINESE_SPELLINGS:
        return CHINESE
    if spelled in _TRADITIONAL_CHINESE_SPELLINGS:
        return "zh-TW"
    return spelled.split("-", 1)[0]


def is_han(char: str) -> bool:
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF  # CJK Unified Ideographs
        or 0x3400 <= code <= 0x4DBF  # Extension A
        or 0x20000 <= code <= 0x2FA1F  # Extensions B-F and compatibility supplement
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
    )


def _is_kana(char: str) -> bool:
    return 0x3040 <= ord(char) <= 0x30FF


def is_chinese(text: str) -> bool:
    """True when Han characters make up a real share of the letters (digits, punctuation and emoji don't count)."""
    letters = [char for char in text if unicodedata.category(char).startswith("L")]
    if not letters:
        return False
    han = sum(1 for char in letters if is_han(char))
    kana = sum(1 for char in letters if _is_kana(char))
    return han / len(letters) >= _HAN_SHARE_FOR_CHINESE and kana / len(letters) < _KANA_SHARE_FOR_JAPANESE


def has_words(text: str) -> bool:
    """False for text made only of numbers, emoji, whitespace, symbols or punctuation: nothing to translate."""
    return any(unicodedata.category(char).startswith("L") for char in text)
