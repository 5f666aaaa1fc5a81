"""Translation providers behind one blocking interface.

Google, MyMemory, Microsoft and Baidu go through deep-translator. DeepL and LibreTranslate are thin `requests`
adapters: deep-translator's DeepL class authenticates with the `auth_key` query parameter on a GET, which today's
DeepL API no longer accepts, and its LibreTranslate class refuses to start without an API key, which a self-hosted
server does not need.

deep-translator objects keep per-request state in attributes, so every call builds a fresh one. Nothing here has
a timeout of its own that the service can rely on: the service runs these calls in worker threads with its own.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import requests
from deep_translator import BaiduTranslator, GoogleTranslator, MicrosoftTranslator, MyMemoryTranslator
from deep_translator.exceptions import (
    ApiKeyException,
    AuthorizationException,
    BaiduAPIerror,
    InvalidSourceOrTargetLanguage,
    LanguageNotSupportedException,
    MicrosoftAPIerror,
    ServerException,
    TooManyRequests,
)

from bot.config import ConfigError, Settings
from bot.translation.errors import (
    ProviderAuthError,
    ProviderError,
    ProviderOutputRejected,
    ProviderQuotaError,
    ProviderTimeout,
    UnsupportedLanguage,
)
from bot.translation.languages import AUTO, CHINESE, SUPPORTED_LANGUAGES, is_chinese

DEEPL_FREE_URL = "https://api-free.deepl.com/v2/translate"
DEEPL_PRO_URL = "https://api.deepl.com/v2/translate"

# Providers that answer 200 with a warning in place of the translation (MyMemory does all of these).
_QUOTA_WARNINGS = ("YOU USED ALL AVAILABLE FREE TRANSLATIONS", "MYMEMORY WARNING")
_OTHER_WARNINGS = (
    "QUERY LENGTH LIMIT EXCEEDED",
    "INVALID LANGUAGE PAIR",
    "IS AN INVALID SOURCE LANGUAGE",
    "IS AN INVALID TARGET LANGUAGE",
    "NO QUERY SPECIFIED",
    "PLEASE SELECT TWO DISTINCT LANGUAGES",
)
# deep-translator's ServerException keeps only these names of the HTTP status it saw.
_QUOTA_SERVER_ERRORS = {"ERR_TOO_MANY_REQUESTS", "ERR_DAILY_REQ_LIMIT_EXCEEDED", "ERR_DAILY_CHAR_LIMIT_EXCEEDED"}
_MICROSOFT_ERROR_CODE = re.compile(r"'code':\s*(\d{3})")


def is_quota_warning(text: str) -> bool:
    upper = text.upper()
    return any(warning in upper for warning in _QUOTA_WARNINGS)


def is_provider_warning(text: str) -> bool:
    """True when a provider's answer is one of its error messages rather than a translation."""
    upper = text.upper()
    return is_quota_warning(text) or any(warning in upper for warning in _OTHER_WARNINGS)


def utf8_size(text: str) -> int:
    return len(text.encode("utf-8"))


@dataclass(frozen=True)
class LanguageCodes:
    """Our language codes (`bot.translation.languages`) in one provider's spelling; `target` defaults to `source`.

    `auto_source` is what the provider takes for "detect the source": a code, None to leave the field out,
    or absent (`detects_source=False`) when the provider needs to be told.
    """

    source: Mapping[str, str]
    target: Mapping[str, str] = field(default_factory=dict)
    detects_source: bool = True
    auto_source: str | None = AUTO

    def source_code(self, provider: str, language: str) -> str | None:
        if language == AUTO:
            if not self.detects_source:
                raise UnsupportedLanguage(provider, "needs the source language")
            return self.auto_source
        return self._lookup(provider, self.source, language)

    def target_code(self, provider: str, language: str) -> str:
        return self._lookup(provider, self.target or self.source, language)

    @staticmethod
    def _lookup(provider: str, codes: Mapping[str, str], language: str) -> str:
        try:
            return codes[language]
        except KeyError:
            raise UnsupportedLanguage(provider, f"no {language!r}") from None


def _same_codes(*languages: str, **spelled: str) -> dict[str, str]:
    return {language: spelled.get(language, language) for language in (*languages, *spelled)}


# Languages most providers spell with their plain ISO 639-1 code; Chinese is the one everybody spells differently.
_ISO_CODED = tuple(language for language in SUPPORTED_LANGUAGES if language != CHINESE)


class Provider(ABC):
    """One translation service. `translate_blocking` does network I/O: call it from a worker thread."""

    name: ClassVar[str]
    codes: ClassVar[LanguageCodes]
    max_chunk: ClassVar[int]  # in the unit of `measure`

    def measure(self, text: str) -> int:
        return len(text)

    def supports(self, source: str, target: str) -> bool:
        try:
            self.codes.source_code(self.name, source)
            self.codes.target_code(self.name, target)
        except UnsupportedLanguage:
            return False
        return True

    def translate_blocking(self, text: str, source: str, target: str) -> str:
        """Translate one piece (at most `max_chunk`); raise a `ProviderError` subclass on any failure."""
        source_code = self.codes.source_code(self.name, source)
        target_code = self.codes.target_code(self.name, target)
        try:
            translated = self._request(text, source_code, target_code)
        except ProviderError:
            raise
        except requests.Timeout as exc:
            raise ProviderTimeout(self.name, "no answer in time") from exc
        except Exception as exc:  # third-party code: any failure means "this provider, not now"
            raise self._error_from(exc) from exc
        return self._checked(text, translated, source, target)

    def _checked(self, sent: str, answer: str | None, source: str, target: str) -> str:
        """The answer, if it is a translation: not empty, not a warning, not the Chinese sent echoed back."""
        if not isinstance(answer, str) or not answer.strip():
            raise ProviderOutputRejected(self.name, "empty answer")
        if is_quota_warning(answer):
            raise ProviderQuotaError(self.name, "quota warning instead of a translation")
        if is_provider_warning(answer):
            raise ProviderOutputRejected(self.name, "warning instead of a translation")
        if source == CHINESE and target != CHINESE and is_chinese(sent) and answer.strip() == sent.strip():
            raise ProviderOutputRejected(self.name, "the Chinese text came back untranslated")
        return answer

    @abstractmethod
    def _request(self, text: str, source_code: str | None, target_code: str) -> str | None: ...

    def _error_from(self, exc: Exception) -> ProviderError:
        if isinstance(exc, TooManyRequests):
            return ProviderQuotaError(self.name, "HTTP 429")
        if isinstance(exc, ServerException):
            reason = str(exc.args[0]) if exc.args else ""
            if reason in _QUOTA_SERVER_ERRORS:
                return ProviderQuotaError(self.name, reason)
            return ProviderError(self.name, reason or "server error")
        if isinstance(exc, AuthorizationException | ApiKeyException):
            return ProviderAuthError(self.name, "key refused")
        if isinstance(exc, LanguageNotSupportedException | InvalidSourceOrTargetLanguage):
            return UnsupportedLanguage(self.name, "language refused")
        return ProviderError(self.name, f"{type(exc).__name__}")


class GoogleProvider(Provider):
    """Google's public web endpoint (no key). It refuses Chinese well under its documented 5,000 characters."""

    name = "google"
    codes = LanguageCodes(_same_codes(*_ISO_CODED, zh="zh-CN"))
    max_chunk = 1800

    def _request(self, text: str, source_code: str | None, target_code: str) -> str | None:
        return GoogleTranslator(source=source_code or AUTO, target=target_code).translate(text)


_MYMEMORY_CODES = {
    "en": "en-GB", "zh": "zh-CN", "th": "th-TH", "vi": "vi-VN", "id": "id-ID", "ms": "ms-MY", "ru": "ru-RU", "uk": "uk-UA",
    "es": "es-ES", "pt": "pt-PT", "fr": "fr-FR", "de": "de-DE", "it": "it-IT", "pl": "pl-PL", "tr": "tr-TR", "ar": "ar-SA",
    "ko": "ko-KR", "ja": "ja-JP", "nl": "nl-NL", "hi": "hi-IN",
}  # fmt: skip


class MyMemoryProvider(Provider):
    """MyMemory: no key, 500 bytes of UTF-8 per request (about 160 Chinese characters), a daily quota."""

    name = "mymemory"
    codes = LanguageCodes(_MYMEMORY_CODES, detects_source=False)
    max_chunk = 480

    def measure(self, text: str) -> int:
        return utf8_size(text)

    def _request(self, text: str, source_code: str | None, target_code: str) -> str | None:
        translated = MyMemoryTranslator(source=source_code, target=target_code).translate(text)
        return translated if isinstance(translated, str) else None


class _MicrosoftTranslatorWithFixedLanguages(MicrosoftTranslator):
    # deep-translator downloads Microsoft's language list on every construction; our codes are known.
    def _get_supported_languages(self) -> dict[str, str]:
        return {code: code for code in MicrosoftProvider.codes.source.values()}


class MicrosoftProvider(Provider):
    name = "microsoft"
    codes = LanguageCodes(_same_codes(*_ISO_CODED, zh="zh-Hans"), detects_source=False)
    max_chunk = 10_000  # the API takes 50,000 characters per request; smaller pieces fail faster

    def __init__(self, api_key: str, region: str | None) -> None:
        self.api_key = api_key
        self.region = region

    def _request(self, text: str, source_code: str | None, target_code: str) -> str | None:
        translator = _MicrosoftTranslatorWithFixedLanguages(
            source=source_code, target=target_code, api_key=self.api_key, region=self.region
        )
        return translator.translate(text)

    def _error_from(self, exc: Exception) -> ProviderError:
        if isinstance(exc, MicrosoftAPIerror):
            found = _MICROSOFT_ERROR_CODE.search(exc.api_message)
            status = found.group(1) if found else ""
            if status in ("429", "403"):  # 403001: the free tier's monthly quota is spent
                return ProviderQuotaError(self.name, f"error {status}")
            if status == "401":
                return ProviderAuthError(self.name, "key refused")
            return ProviderError(self.name, f"error {status or 'unknown'}")
        return super()._error_from(exc)


class BaiduProvider(Provider):
    """Baidu's general translation API: 6,000 bytes per request (about 2,000 Chinese characters)."""

    name = "baidu"
    codes = LanguageCodes(
        _same_codes("en", "zh", "th", "ru", "pt", "de", "it", "pl", "nl", vi="vie", fr="fra", ar="ara")
    )
    max_chunk = 1800

    def __init__(self, appid: str, appkey: str) -> None:
        self.appid = appid
        self.appkey = appkey

    def _request(self, text: str, source_code: str | None, target_code: str) -> str | None:
        translator = BaiduTranslator(
            source=source_code or AUTO, target=target_code, appid=self.appid, appkey=self.appkey
        )
        return translator.translate(text)

    def _error_from(self, exc: Exception) -> ProviderError:
        if isinstance(exc, BaiduAPIerror):
            # deep-translator keeps Baidu's message, not its code: 54003 "Invalid Access Limit", 54004 balance...
            message = exc.api_message.lower()
            if any(word in message for word in ("limit", "balance", "recharge", "frequen")):
                return ProviderQuotaError(self.name, exc.api_message)
            if any(word in message for word in ("unauthorized", "sign", "auth")):
                return ProviderAuthError(self.name, exc.api_message)
            return ProviderError(self.name, exc.api_message)
        return super()._error_from(exc)


def _error_for_status(provider: str, response: requests.Response) -> ProviderError | None:
    status = response.status_code
    if 200 <= status < 300:
        return None
    if status in (429, 456):  # 456: DeepL's character quota is spent
        return ProviderQuotaError(provider, f"HTTP {status}")
    if status in (401, 403):
        return ProviderAuthError(provider, f"HTTP {status}")
    if status == 400 and "not supported" in response.text.lower():
        return UnsupportedLanguage(provider, "language refused")
    return ProviderError(provider, f"HTTP {status}")


_DEEPL_SOURCES = {
    language: language.upper()
    for language in ("en", "zh", "id", "ru", "uk", "es", "pt", "fr", "de", "it", "pl", "tr", "ar", "ko", "ja", "nl")
}


class DeepLProvider(Provider):
    """DeepL's v2 JSON API with header authentication; ":fx" keys belong to the free API host."""

    name = "deepl"
    codes = LanguageCodes(
        source=_DEEPL_SOURCES,
        # "EN", "PT" and "ZH" alone are deprecated as targets: DeepL wants the variant.
        target={**_DEEPL_SOURCES, "en": "EN-US", "pt": "PT-BR", "zh": "ZH-HANS"},
        auto_source=None,  # DeepL detects the source when source_lang is left out
    )
    max_chunk = 5000

    def __init__(self, api_key: str, timeout: float) -> None:
        self.api_key = api_key
        self.timeout = timeout

    @property
    def url(self) -> str:
        return DEEPL_FREE_URL if self.api_key.endswith(":fx") else DEEPL_PRO_URL

    def _request(self, text: str, source_code: str | None, target_code: str) -> str | None:
        body: dict[str, object] = {"text": [text], "target_lang": target_code}
        if source_code is not None:
            body["source_lang"] = source_code
        response = requests.post(
            self.url, json=body, headers={"Authorization": f"DeepL-Auth-Key {self.api_key}"}, timeout=self.timeout
        )
        error = _error_for_status(self.name, response)
        if error is not None:
            raise error
        return str(response.json()["translations"][0]["text"])


class LibreTranslateProvider(Provider):
    """A LibreTranslate server of the buyer's own choosing; the API key is optional."""

    name = "libre"
    codes = LanguageCodes(_same_codes(*_ISO_CODED, "zh"))
    max_chunk = 2000  # a common LT_CHAR_LIMIT on public servers

    def __init__(self, url: str, api_key: str | None, timeout: float) -> None:
        self.url = url.rstrip("/") + "/translate"
        self.api_key = api_key
        self.timeout = timeout

    def _request(self, text: str, source_code: str | None, target_code: str) -> str | None:
        body = {"q": text, "source": source_code or AUTO, "target": target_code, "format": "text"}
        if self.api_key:
            body["api_key"] = self.api_key
        response = requests.post(self.url, json=body, timeout=self.timeout)
        error = _error_for_status(self.name, response)
        if error is not None:
            raise error
        return str(response.json()["translatedText"])


def _required(value: str | None, setting: str, provider: str) -> str:
    if not value:
        raise ConfigError(setting, f"required when TRANSLATOR includes {provider}")
    return value


def build_provider(name: str, settings: Settings) -> Provider:
    timeout = settings.translate_timeout
    if name == "google":
        return GoogleProvider()
    if name == "mymemory":
        return MyMemoryProvider()
    if name == "libre":
        url = _required(settings.libretranslate_url, "LIBRETRANSLATE_URL", name)
        return LibreTranslateProvider(url, settings.libretranslate_api_key, timeout)
    if name == "deepl":
        return DeepLProvider(_required(settings.deepl_api_key, "DEEPL_API_KEY", name), timeout)
    if name == "microsoft":
        key = _required(settings.microsoft_translator_key, "MICROSOFT_TRANSLATOR_KEY", name)
        return MicrosoftProvider(key, settings.microsoft_translator_region)
    if name == "baidu":
        appid = _required(settings.baidu_appid, "BAIDU_APPID", name)
        return BaiduProvider(appid, _required(settings.baidu_appkey, "BAIDU_APPKEY", name))
    raise ConfigError("TRANSLATOR", f"unknown provider {name!r}")


def build_providers(settings: Settings) -> list[Provider]:
    """The providers named in TRANSLATOR, in that order."""
    return [build_provider(name, settings) for name in settings.translator_chain]
