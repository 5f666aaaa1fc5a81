"""UI languages through gettext catalogs in `locale/<lang>/LC_MESSAGES/messages.mo`.

Adding a language is adding a catalog: the list of languages is read from the `locale` folder.
"""

from __future__ import annotations

import gettext as _gettext
from functools import cache
from pathlib import Path

from babel import Locale
from markupsafe import Markup, escape

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"


def N_(message: str) -> str:
    """Mark a msgid for extraction; it is translated where it is shown."""
    return message


@cache
def available_languages() -> tuple[str, ...]:
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return (SOURCE_LANGUAGE, *[code for code in found if code != SOURCE_LANGUAGE])


def language_name(code: str) -> str:
    """The language's name in itself ("中文 (简体, 中国)"), from Babel's locale data: no list to keep."""
    return Locale.parse(code).display_name or code


def normalize_language(code: str | None) -> str | None:
    """Map a Telegram language_code or a setting (en-US, zh-hans, zh_CN) to a UI language, or None."""
    if not code:
        return None
    wanted = code.strip().replace("-", "_").lower()
    languages = available_languages()
    for language in languages:
        if language.lower() == wanted:
            return language
    base = wanted.split("_", 1)[0]
    for language in languages:
        if language.lower().split("_", 1)[0] == base:
            return language
    return None


@cache
def _catalog(language: str) -> _gettext.NullTranslations:
    if language == SOURCE_LANGUAGE:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True)


def gettext(language: str, message: str) -> str:
    return _catalog(language).gettext(message)


def ngettext(language: str, singular: str, plural: str, n: int) -> str:
    return _catalog(language).ngettext(singular, plural, n)


def format_html(template: str, params: dict[str, object]) -> str:
    """Fill an HTML template: plain values are escaped, `Markup` values (our own HTML) are kept."""
    return template.format(**{key: escape(value) if isinstance(value, str) else value for key, value in params.items()})


class Translator:
    """The `_` of one reply: `_ = Translator(lang)`; `_("Hello {name}", name=...)` translates, then fills in
    the values HTML-escaped (all replies are HTML), so user and supplier text can never break the markup."""

    __slots__ = ("language",)

    def __init__(self, language: str) -> None:
        self.language = language

    def __call__(self, message: str, /, **params: object) -> str:
        text = gettext(self.language, message)
        return format_html(text, params) if params else text

    def plain(self, message: str, /, **params: object) -> str:
        """Translated and filled in without escaping: for text that is not HTML (a chart, a file)."""
        text = gettext(self.language, message)
        return text.format(**params) if params else text

    def plural(self, singular: str, plural: str, n: int, /, **params: object) -> str:
        return format_html(ngettext(self.language, singular, plural, n), {"n": n, **params})


__all__ = ["N_", "Markup", "Translator", "format_html", "gettext", "ngettext", "normalize_language"]
