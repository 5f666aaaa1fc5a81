"""Each provider against its real HTTP exchange, faked with `responses`: what is sent, and how answers are read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from bot.config import ConfigError, Settings
from bot.translation.errors import (
    ProviderAuthError,
    ProviderError,
    ProviderOutputRejected,
    ProviderQuotaError,
    UnsupportedLanguage,
)
from bot.translation.providers import (
    DEEPL_FREE_URL,
    DEEPL_PRO_URL,
    BaiduProvider,
    DeepLProvider,
    GoogleProvider,
    LibreTranslateProvider,
    MicrosoftProvider,
    MyMemoryProvider,
    build_providers,
)

GOOGLE_URL = "https://translate.google.com/m"
MYMEMORY_URL = "http://api.mymemory.translated.net/get"
MICROSOFT_URL = "https://api.cognitive.microsofttranslator.com/translate"
BAIDU_URL = "https://fanyi-api.baidu.com/api/trans/vip/translate"
LIBRE_URL = "http://libre.example.test:5000"


def google_page(translated: str) -> str:
    return (
        "<!DOCTYPE html><html><head><title>Google Translate</title></head><body>"
        f'<div class="frame"><div class="result-container">{translated}</div></div></body></html>'
    )


def mymemory_answer(translated: str, status: int = 200, quota_finished: bool = False) -> dict[str, object]:
    return {
        "responseData": {"translatedText": translated, "match": 0.85},
        "quotaFinished": quota_finished,
        "mtLangSupported": None,
        "responseDetails": "",
        "responseStatus": status,
        "responderId": None,
        "exception_code": None,
        "matches": [],
    }


def query_of(call: responses.Call) -> dict[str, list[str]]:
    return parse_qs(urlsplit(call.request.url).query)


@pytest.fixture
def http() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def test_google_sends_zh_cn_and_reads_the_result_container(http: responses.RequestsMock) -> None:
    http.get(GOOGLE_URL, body=google_page("What is the MOQ?"))
    assert GoogleProvider().translate_blocking("起订量是多少？", "zh", "en") == "What is the MOQ?"
    query = query_of(http.calls[0])
    assert query["sl"] == ["zh-CN"] and query["tl"] == ["en"] and query["q"] == ["起订量是多少？"]


@pytest.mark.parametrize(("status", "error"), [(429, ProviderQuotaError), (500, ProviderError), (503, ProviderError)])
def test_google_http_errors_become_ours(http: responses.RequestsMock, status: int, error: type[Exception]) -> None:
    http.get(GOOGLE_URL, status=status, body="<html>Error</html>")
    with pytest.raises(error):
        GoogleProvider().translate_blocking("你好", "zh", "en")


def test_google_page_without_a_result_is_an_error(http: responses.RequestsMock) -> None:
    http.get(GOOGLE_URL, body="<html><body>unusual traffic from your network</body></html>")
    with pytest.raises(ProviderError):
        GoogleProvider().translate_blocking("你好", "zh", "en")


def test_google_empty_result_is_rejected(http: responses.RequestsMock) -> None:
    http.get(GOOGLE_URL, body=google_page(""))
    with pytest.raises(ProviderOutputRejected):
        GoogleProvider().translate_blocking("你好", "zh", "en")


def test_mymemory_sends_its_language_pair_and_reads_translated_text(http: responses.RequestsMock) -> None:
    http.get(MYMEMORY_URL, json=mymemory_answer("Free shipping?"))
    assert MyMemoryProvider().translate_blocking("包邮吗？", "zh", "en") == "Free shipping?"
    assert query_of(http.calls[0])["langpair"] == ["zh-CN|en-GB"]


def test_mymemory_quota_warning_in_a_200_answer_is_a_quota_error(http: responses.RequestsMock) -> None:
    warning = (
        "MYMEMORY WARNING: YOU USED ALL AVAILABLE FREE TRANSLATIONS FOR TODAY. NEXT AVAILABLE IN  10 HOURS 20 MINUTES "
        "56 SECONDS VISIT HTTPS://MYMEMORY.TRANSLATED.NET/DOC/USAGELIMITS.PHP TO TRANSLATE MORE"
    )
    http.get(MYMEMORY_URL, json=mymemory_answer(warning, status=429, quota_finished=True))
    with pytest.raises(ProviderQuotaError):
        MyMemoryProvider().translate_blocking("你好", "zh", "en")


@pytest.mark.parametrize(
    "warning",
    [
        "QUERY LENGTH LIMIT EXCEEDED. MAX ALLOWED QUERY : 500 CHARS",
        "INVALID LANGUAGE PAIR SPECIFIED. EXAMPLE: LANGPAIR=EN|IT USING 2 LETTER ISO OR RFC3066 LIKE ZH-CN.",
    ],
)
def test_mymemory_other_warnings_are_not_translations(http: responses.RequestsMock, warning: str) -> None:
    http.get(MYMEMORY_URL, json=mymemory_answer(warning, status=403))
    with pytest.raises(ProviderOutputRejected):
        MyMemoryProvider().translate_blocking("你好", "zh", "en")


def test_mymemory_measures_its_limit_in_utf8_bytes() -> None:
    provider = MyMemoryProvider()
    assert provider.measure("起订量") == 9
    assert provider.max_chunk < 500


def test_mymemory_needs_a_named_source_language(http: responses.RequestsMock) -> None:
    assert not MyMemoryProvider().supports("auto", "en")
    with pytest.raises(UnsupportedLanguage):
        MyMemoryProvider().translate_blocking("hello", "auto", "zh")
    assert not http.calls


def test_microsoft_posts_json_with_its_key_and_zh_hans(http: responses.RequestsMock) -> None:
    http.post(MICROSOFT_URL, json=[{"translations": [{"text": "In stock", "to": "en"}]}])
    provider = MicrosoftProvider("ms-key", "westeurope")
    assert provider.translate_blocking("现货", "zh", "en") == "In stock"
    assert len(http.calls) == 1, "no language list download per call"
    request = http.calls[0].request
    assert request.headers["Ocp-Apim-Subscription-Key"] == "ms-key"
    assert request.headers["Ocp-Apim-Subscription-Region"] == "westeurope"
    assert query_of(http.calls[0])["from"] == ["zh-Hans"]
    assert json.loads(request.body) == [{"text": "现货"}]


@pytest.mark.parametrize(
    ("status", "code", "error"),
    [
        (401, 401000, ProviderAuthError),
        (429, 429001, ProviderQuotaError),
        (403, 403001, ProviderQuotaError),
        (500, 500000, ProviderError),
    ],
)
def test_microsoft_error_objects_become_ours(
    http: responses.RequestsMock, status: int, code: int, error: type[Exception]
) -> None:
    http.post(MICROSOFT_URL, status=status, json={"error": {"code": code, "message": "refused"}})
    with pytest.raises(error):
        MicrosoftProvider("ms-key", None).translate_blocking("你好", "zh", "en")


def test_baidu_signs_the_request_and_joins_result_lines(http: responses.RequestsMock) -> None:
    http.post(
        BAIDU_URL,
        json={
            "from": "zh",
            "to": "en",
            "trans_result": [{"src": "你好", "dst": "Hello"}, {"src": "包邮", "dst": "Free shipping"}],
        },
    )
    assert BaiduProvider("app", "secret").translate_blocking("你好\n包邮", "zh", "en") == "Hello\nFree shipping"
    query = query_of(http.calls[0])
    assert (
        query["appid"] == ["app"] and query["from"] == ["zh"] and query["to"] == ["en"] and len(query["sign"][0]) == 32
    )


@pytest.mark.parametrize(
    ("code", "message", "error"),
    [
        ("54003", "Invalid Access Limit", ProviderQuotaError),
        ("52003", "UNAUTHORIZED USER", ProviderAuthError),
        ("52002", "SYSTEM ERROR", ProviderError),
    ],
)
def test_baidu_errors_come_in_200_answers(
    http: responses.RequestsMock, code: str, message: str, error: type[Exception]
) -> None:
    http.post(BAIDU_URL, json={"error_code": code, "error_msg": message})
    with pytest.raises(error):
        BaiduProvider("app", "secret").translate_blocking("你好", "zh", "en")


@pytest.mark.parametrize(("key", "url"), [("abc:fx", DEEPL_FREE_URL), ("abc", DEEPL_PRO_URL)])
def test_deepl_uses_header_auth_and_json_on_the_right_host(http: responses.RequestsMock, key: str, url: str) -> None:
    http.post(url, json={"translations": [{"detected_source_language": "ZH", "text": "Deposit"}]})
    assert DeepLProvider(key, timeout=5).translate_blocking("定金", "zh", "en") == "Deposit"
    request = http.calls[0].request
    assert request.headers["Authorization"] == f"DeepL-Auth-Key {key}"
    assert json.loads(request.body) == {"text": ["定金"], "target_lang": "EN-US", "source_lang": "ZH"}
    assert "auth_key" not in request.url


def test_deepl_leaves_out_the_source_to_detect_it(http: responses.RequestsMock) -> None:
    http.post(DEEPL_FREE_URL, json={"translations": [{"detected_source_language": "EN", "text": "样品"}]})
    assert DeepLProvider("k:fx", timeout=5).translate_blocking("sample", "auto", "zh") == "样品"
    assert json.loads(http.calls[0].request.body) == {"text": ["sample"], "target_lang": "ZH-HANS"}


@pytest.mark.parametrize(
    ("status", "error"),
    [(456, ProviderQuotaError), (429, ProviderQuotaError), (403, ProviderAuthError), (503, ProviderError)],
)
def test_deepl_statuses_become_ours(http: responses.RequestsMock, status: int, error: type[Exception]) -> None:
    http.post(DEEPL_FREE_URL, status=status, json={"message": "refused"})
    with pytest.raises(error):
        DeepLProvider("k:fx", timeout=5).translate_blocking("你好", "zh", "en")


def test_libre_posts_json_to_the_own_server_without_a_key(http: responses.RequestsMock) -> None:
    http.post(f"{LIBRE_URL}/translate", json={"translatedText": "Lead time"})
    provider = LibreTranslateProvider(LIBRE_URL + "/", api_key=None, timeout=5)
    assert provider.translate_blocking("交期", "zh", "en") == "Lead time"
    assert json.loads(http.calls[0].request.body) == {"q": "交期", "source": "zh", "target": "en", "format": "text"}


def test_libre_sends_the_key_when_there_is_one(http: responses.RequestsMock) -> None:
    http.post(
        f"{LIBRE_URL}/translate",
        json={"translatedText": "Hello", "detectedLanguage": {"confidence": 90, "language": "zh"}},
    )
    LibreTranslateProvider(LIBRE_URL, api_key="lt-key", timeout=5).translate_blocking("你好", "auto", "en")
    assert json.loads(http.calls[0].request.body)["api_key"] == "lt-key"


def test_libre_refusing_a_language_says_so(http: responses.RequestsMock) -> None:
    http.post(f"{LIBRE_URL}/translate", status=400, json={"error": "zh-Hans is not supported"})
    with pytest.raises(UnsupportedLanguage):
        LibreTranslateProvider(LIBRE_URL, api_key=None, timeout=5).translate_blocking("你好", "zh", "en")


def test_the_chain_follows_the_settings_order() -> None:
    settings = Settings(
        telegram_token=None,
        translator_chain=("deepl", "google", "libre", "baidu", "microsoft", "mymemory"),
        deepl_api_key="k:fx",
        libretranslate_url=LIBRE_URL,
        baidu_appid="app",
        baidu_appkey="secret",
        microsoft_translator_key="ms",
    )
    assert [provider.name for provider in build_providers(settings)] == list(settings.translator_chain)
    assert build_providers(Settings(telegram_token=None, translator_chain=())) == []


def test_a_keyed_provider_without_its_key_names_the_setting() -> None:
    with pytest.raises(ConfigError) as raised:
        build_providers(Settings(telegram_token=None, translator_chain=("deepl",)))
    assert raised.value.setting == "DEEPL_API_KEY"


def test_each_provider_spells_simplified_chinese_its_own_way() -> None:
    spelled = {
        provider.name: provider.codes.target_code(provider.name, "zh")
        for provider in (
            GoogleProvider(), MyMemoryProvider(), MicrosoftProvider("k", None), BaiduProvider("a", "b"),
            DeepLProvider("k", 1), LibreTranslateProvider(LIBRE_URL, None, 1),
        )
    }  # fmt: skip
    assert spelled == {
        "google": "zh-CN",
        "mymemory": "zh-CN",
        "microsoft": "zh-Hans",
        "baidu": "zh",
        "deepl": "ZH-HANS",
        "libre": "zh",
    }
