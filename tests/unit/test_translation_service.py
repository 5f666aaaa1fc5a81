"""The translation service end to end, with Google and MyMemory faked at the HTTP level in their real formats."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Iterator
from html import escape
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from bot.config import Settings
from bot.db.session import Database
from bot.services import glossary
from bot.translation.breaker import BreakerState
from bot.translation.glossary import glossary_version
from bot.translation.languages import has_words, is_chinese, normalize_language
from bot.translation.memory import MemoryKey, TranslationMemory, text_hash
from bot.translation.providers import GoogleProvider, MyMemoryProvider
from bot.translation.service import (
    FAILURE_TURNED_OFF,
    FAILURE_UNAVAILABLE,
    FAILURE_UNSUPPORTED_LANGUAGE,
    MEMORY_PROVIDER,
    TranslationService,
)
from tests.builders import actor_of

GOOGLE_URL = "https://translate.google.com/m"
MYMEMORY_URL = "http://api.mymemory.translated.net/get"
QUOTA_WARNING = (
    "MYMEMORY WARNING: YOU USED ALL AVAILABLE FREE TRANSLATIONS FOR TODAY. NEXT AVAILABLE IN  23 HOURS 59 MINUTES "
    "59 SECONDS VISIT HTTPS://MYMEMORY.TRANSLATED.NET/DOC/USAGELIMITS.PHP TO TRANSLATE MORE"
)

Answer = Callable[[str], str]


class FakeClock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


class FakeProvider:
    """One provider's endpoint: answers with `answer(text)` or fails with `status`; records every text it was sent."""

    content_type = "text/html; charset=UTF-8"

    def __init__(self, answer: Answer | dict[str, str] | None = None, status: int = 200) -> None:
        self.answer = answer.__getitem__ if isinstance(answer, dict) else answer
        self.status = status
        self.stall: threading.Event | None = None
        self.sent: list[str] = []

    def stall_until(self, release: threading.Event) -> None:
        self.stall = release

    def __call__(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        query = parse_qs(urlsplit(request.url or "").query)
        text = query["q"][0]
        self.sent.append(text)
        if self.stall is not None:
            self.stall.wait(10)
        if self.status != 200 or self.answer is None:
            return self.status, {"Content-Type": "text/html; charset=UTF-8"}, "<html><body>Server Error</body></html>"
        return 200, {"Content-Type": self.content_type}, self.render(self.answer(text))

    def render(self, translated: str) -> str:
        raise NotImplementedError


class FakeGoogle(FakeProvider):
    def render(self, translated: str) -> str:
        return f'<html><body><div class="result-container">{escape(translated)}</div></body></html>'


class FakeMyMemory(FakeProvider):
    content_type = "application/json; charset=utf-8"

    def render(self, translated: str) -> str:
        status = 429 if "MYMEMORY WARNING" in translated else 200
        return json.dumps(
            {
                "responseData": {"translatedText": translated, "match": 0.85},
                "quotaFinished": status == 429,
                "responseDetails": "",
                "responseStatus": status,
                "matches": [],
            }
        )


@pytest.fixture
def http() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """Set at teardown, so stalled fake calls end and their abandoned threads finish."""
    event = threading.Event()
    yield event
    event.set()


def serve(http: responses.RequestsMock, google: FakeGoogle | None = None, mymemory: FakeMyMemory | None = None) -> None:
    if google is not None:
        http.add_callback(responses.GET, GOOGLE_URL, callback=google)
    if mymemory is not None:
        http.add_callback(responses.GET, MYMEMORY_URL, callback=mymemory)


def service_for(
    database: Database, chain: tuple[str, ...] = ("google", "mymemory"), timeout: float = 2.0
) -> TranslationService:
    settings = Settings(telegram_token=None, translator_chain=chain, translate_timeout=timeout)
    return TranslationService.from_settings(settings, database, clock=FakeClock())


def chained(database: Database, clock: FakeClock, timeout: float = 2.0) -> TranslationService:
    return TranslationService(
        [GoogleProvider(), MyMemoryProvider()], database, timeout=timeout, clock=clock, failure_threshold=3, cooldown=60
    )


async def test_chinese_goes_to_the_first_provider_with_jargon_protected_and_explained(
    database: Database, http: responses.RequestsMock
) -> None:
    google = FakeGoogle({"[[T1]]，[[T2]]多少？[[T3]]吗？": "[[T1]], what is the [[T2]]? Is it [[T3]]?"})
    serve(http, google)
    result = await service_for(database).from_chinese("亲，起订量多少？包邮吗？", "en")
    assert result.ok and result.provider == "google" and not result.from_memory
    assert result.text == "dear, what is the MOQ? Is it free domestic shipping?"
    assert (result.source_lang, result.target_lang) == ("zh", "en")
    assert [note.term_zh for note in result.glossary_notes] == ["亲", "起订量", "包邮"]
    assert google.sent == ["[[T1]]，[[T2]]多少？[[T3]]吗？"]


async def test_mangled_placeholders_still_get_the_glossary_meaning(
    database: Database, http: responses.RequestsMock
) -> None:
    serve(http, FakeGoogle(lambda text: "Can you do 【 T1 】 and [t2]?"))
    result = await service_for(database).from_chinese("可以一件代发和混批吗？", "en")
    assert result.text == "Can you do dropshipping and mixed batch?"


async def test_non_english_targets_get_the_term_with_its_meaning(
    database: Database, http: responses.RequestsMock
) -> None:
    serve(http, FakeGoogle(lambda text: "Có [[T1]] không?"))
    result = await service_for(database).from_chinese("有现货吗？", "vi")
    assert result.text == "Có 现货 (in stock) không?"


async def test_a_provider_that_drops_a_placeholder_is_passed_over(
    database: Database, http: responses.RequestsMock
) -> None:
    google = FakeGoogle(lambda text: "Is it free?")
    mymemory = FakeMyMemory(lambda text: "Is it [[T1]]?")
    serve(http, google, mymemory)
    result = await service_for(database).from_chinese("包邮吗？", "en")
    assert result.provider == "mymemory" and result.text == "Is it free domestic shipping?"


async def test_to_chinese_names_the_source_for_the_provider(database: Database, http: responses.RequestsMock) -> None:
    google = FakeGoogle({"What is the lead time?": "交期是多久？"})
    serve(http, google)
    result = await service_for(database).to_chinese("What is the lead time?", "en_US")
    assert result.ok and result.text == "交期是多久？" and result.target_lang == "zh"
    query = parse_qs(urlsplit(http.calls[0].request.url).query)
    assert query["sl"] == ["en"] and query["tl"] == ["zh-CN"]


@pytest.mark.parametrize("text", ["👍👍🙏", "15000", "１５，０００ ¥", " \n ", "!!! ... ？？", "😊 100% ✅"])
async def test_text_without_words_is_returned_without_any_request(
    database: Database, http: responses.RequestsMock, text: str
) -> None:
    serve(http, FakeGoogle(lambda t: "should not be asked"))
    result = await service_for(database).translate(text, "en")
    assert result.ok and result.text == text and result.provider is None
    assert len(http.calls) == 0


async def test_text_made_only_of_glossary_terms_needs_no_provider(
    database: Database, http: responses.RequestsMock
) -> None:
    serve(http, FakeGoogle(lambda t: "should not be asked"))
    result = await service_for(database).from_chinese("包邮！", "en")
    assert result.ok and result.text == "free domestic shipping！"
    assert len(http.calls) == 0


async def test_the_same_language_on_both_sides_is_left_alone(database: Database, http: responses.RequestsMock) -> None:
    result = await service_for(database).translate("你好", "zh-Hans", source="zh_CN")
    assert result.ok and result.text == "你好" and len(http.calls) == 0


@pytest.mark.parametrize("status", [429, 500, 503])
async def test_a_failing_provider_hands_over_to_the_next(
    database: Database, http: responses.RequestsMock, status: int
) -> None:
    google = FakeGoogle(status=status)
    mymemory = FakeMyMemory({"你好": "Hello"})
    serve(http, google, mymemory)
    result = await service_for(database).from_chinese("你好", "en")
    assert result.ok and result.provider == "mymemory" and result.text == "Hello"
    assert [call.request.url.split("?")[0] for call in http.calls] == [GOOGLE_URL, MYMEMORY_URL]


async def test_rate_limited_provider_is_rested_at_once(database: Database, http: responses.RequestsMock) -> None:
    google = FakeGoogle(status=429)
    serve(http, google, FakeMyMemory(lambda text: "Hello"))
    service = service_for(database)
    await service.from_chinese("你好", "en")
    await service.from_chinese("在吗", "en")
    assert google.sent == ["你好"]


@pytest.mark.parametrize(
    "bad_answer", ["", QUOTA_WARNING, "QUERY LENGTH LIMIT EXCEEDED. MAX ALLOWED QUERY : 500 CHARS"]
)
async def test_non_translations_are_rejected_and_the_next_provider_tried(
    database: Database, http: responses.RequestsMock, bad_answer: str
) -> None:
    mymemory = FakeMyMemory(lambda text: bad_answer)
    google = FakeGoogle({"能便宜点吗": "Can it be cheaper?"})
    serve(http, google, mymemory)
    result = await service_for(database, chain=("mymemory", "google")).from_chinese("能便宜点吗", "en")
    assert result.ok and result.provider == "google" and mymemory.sent == ["能便宜点吗"]


async def test_chinese_echoed_back_is_not_a_translation(database: Database, http: responses.RequestsMock) -> None:
    serve(http, FakeGoogle(lambda text: text), FakeMyMemory(lambda text: "Can you lower the price?"))
    result = await service_for(database).from_chinese("能便宜点吗", "en")
    assert result.provider == "mymemory" and result.text == "Can you lower the price?"


async def test_a_stalled_provider_is_given_up_on_time_and_the_next_answers(
    database: Database, http: responses.RequestsMock, release: threading.Event
) -> None:
    google = FakeGoogle(lambda text: "too late")
    google.stall_until(release)
    serve(http, google, FakeMyMemory(lambda text: "Hello"))
    service = service_for(database, timeout=0.3)
    started = time.perf_counter()
    result = await service.from_chinese("你好", "en")
    elapsed = time.perf_counter() - started
    assert result.ok and result.provider == "mymemory"
    assert 0.3 <= elapsed < 1.0
    assert service.breakers["google"].state is BreakerState.OPEN
    again = time.perf_counter()
    await service.from_chinese("再见", "en")
    assert time.perf_counter() - again < 0.2 and google.sent == ["你好"]


async def test_the_event_loop_keeps_running_while_a_provider_is_slow(
    database: Database, http: responses.RequestsMock, release: threading.Event
) -> None:
    google = FakeGoogle(lambda text: "Hello")
    google.stall_until(release)
    serve(http, google)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticking = asyncio.create_task(ticker())
    translating = asyncio.create_task(service_for(database).from_chinese("你好", "en"))
    await asyncio.sleep(0.3)
    release.set()
    result = await translating
    ticking.cancel()
    assert result.text == "Hello" and ticks >= 10


async def test_breaker_opens_after_repeated_failures_and_half_opens_after_the_cooldown(
    database: Database, http: responses.RequestsMock
) -> None:
    google = FakeGoogle(status=503)
    serve(http, google, FakeMyMemory(lambda text: "ok"))
    clock = FakeClock()
    service = chained(database, clock)
    for text in ("一", "二", "三", "四"):
        await service.from_chinese(f"你好{text}", "en")
    assert google.sent == ["你好一", "你好二", "你好三"]
    clock.now += 59
    await service.from_chinese("你好五", "en")
    assert len(google.sent) == 3
    clock.now += 1
    google.status, google.answer = 200, (lambda text: "Hello six")
    result = await service.from_chinese("你好六", "en")
    assert result.provider == "google" and service.breakers["google"].state is BreakerState.CLOSED


async def test_a_failed_half_open_trial_rests_the_provider_again(
    database: Database, http: responses.RequestsMock
) -> None:
    google = FakeGoogle(status=500)
    serve(http, google, FakeMyMemory(lambda text: "ok"))
    clock = FakeClock()
    service = chained(database, clock)
    for text in ("一", "二", "三"):
        await service.from_chinese(text, "en")
    clock.now += 60
    await service.from_chinese("四", "en")
    await service.from_chinese("五", "en")
    assert google.sent == ["一", "二", "三", "四"]


async def test_when_every_provider_is_down_the_original_comes_back_quickly(
    database: Database, http: responses.RequestsMock
) -> None:
    serve(http, FakeGoogle(status=429), FakeMyMemory(lambda text: QUOTA_WARNING))
    service = chained(database, FakeClock())
    first = await service.from_chinese("你好", "en")
    assert not first.ok and first.text == "你好" and first.failure_reason == FAILURE_UNAVAILABLE
    calls_before = len(http.calls)
    started = time.perf_counter()
    second = await service.from_chinese("起订量多少", "en")
    assert time.perf_counter() - started < 0.1
    assert not second.ok and second.text == "起订量多少" and second.provider is None
    assert [note.term_zh for note in second.glossary_notes] == ["起订量"]
    assert len(http.calls) == calls_before


async def test_translation_turned_off_says_so(database: Database, http: responses.RequestsMock) -> None:
    result = await service_for(database, chain=()).from_chinese("你好", "en")
    assert not result.ok and result.text == "你好" and result.failure_reason == FAILURE_TURNED_OFF
    assert len(http.calls) == 0


async def test_a_language_no_provider_offers_says_so(database: Database, http: responses.RequestsMock) -> None:
    result = await service_for(database, chain=("mymemory",)).translate("Bonjour", "zh")
    assert not result.ok and result.failure_reason == FAILURE_UNSUPPORTED_LANGUAGE and len(http.calls) == 0


async def test_long_texts_are_split_under_each_providers_limit(
    database: Database, http: responses.RequestsMock
) -> None:
    sentence = "这款产品的质量很好，我们可以按照您的要求定做不同的颜色和尺寸。"
    text = sentence * 150  # 4,800 characters
    google = FakeGoogle(lambda piece: f"<{piece.count('。')} sentences>")
    serve(http, google)
    result = await service_for(database, chain=("google",)).from_chinese(text, "en")
    assert result.ok and len(google.sent) > 2
    assert all(len(piece) <= 1800 for piece in google.sent)
    assert sum(piece.count("。") for piece in google.sent) == 150
    assert result.text == " ".join(f"<{piece.count('。')} sentences>" for piece in google.sent)


async def test_mymemory_pieces_stay_under_500_bytes(database: Database, http: responses.RequestsMock) -> None:
    mymemory = FakeMyMemory(lambda piece: "Fine.")
    serve(http, mymemory=mymemory)
    await service_for(database, chain=("mymemory",)).from_chinese("质量很好，价格合理。" * 60, "en")
    assert len(mymemory.sent) >= 4
    assert all(len(piece.encode("utf-8")) <= 500 for piece in mymemory.sent)


async def test_memory_answers_the_second_time_even_for_a_new_service(
    database: Database, http: responses.RequestsMock
) -> None:
    google = FakeGoogle({"[[T1]]是多少？": "What is the [[T1]]?"})
    serve(http, google)
    first = await service_for(database).from_chinese("起订量是多少？", "en")
    second = await service_for(database).from_chinese("起订量是多少？", "en")
    same_service = service_for(database)
    await same_service.from_chinese("起订量是多少？", "en")
    third = await same_service.from_chinese("起订量是多少？", "en")
    assert len(google.sent) == 1
    assert first.provider == "google" and not first.from_memory
    for remembered in (second, third):
        assert remembered.ok and remembered.from_memory and remembered.provider == MEMORY_PROVIDER
        assert remembered.text == first.text == "What is the MOQ?"
        assert [note.term_zh for note in remembered.glossary_notes] == ["起订量"]


async def test_memory_serves_while_every_provider_is_down(database: Database, http: responses.RequestsMock) -> None:
    google = FakeGoogle({"你好": "Hello"})
    serve(http, google)
    await service_for(database).from_chinese("你好", "en")
    google.status = 503
    result = await service_for(database).from_chinese("你好", "en")
    assert result.ok and result.text == "Hello" and len(google.sent) == 1


async def test_memory_prefers_the_chains_order(database: Database, http: responses.RequestsMock) -> None:
    key = MemoryKey("zh", "en", text_hash("你好"), glossary_version([]))
    memory = TranslationMemory(database)
    await memory.remember(key, "你好", "mymemory", "Hi")
    await memory.remember(key, "你好", "google", "Hello")
    await memory.remember(key, "你好", "google", "Hello again")  # the same key twice is ignored
    assert (await service_for(database, chain=("google", "mymemory")).from_chinese("你好", "en")).text == "Hello"
    assert (await service_for(database, chain=("mymemory", "google")).from_chinese("你好", "en")).text == "Hi"
    assert len(http.calls) == 0


async def test_changing_a_workspace_term_translates_afresh(database: Database, http: responses.RequestsMock) -> None:
    owner = await actor_of(database, 77, -300, group=True, telegram_status="creator")
    await glossary.save_term(database, owner, "乐扣", "snap-lock lid")
    google = FakeGoogle(lambda text: "[[T1]] in stock")
    serve(http, google)
    service = service_for(database)
    first = await service.from_chinese("乐扣有货", "en", workspace_id=owner.workspace_id)
    await glossary.save_term(database, owner, "乐扣", "locking lid")  # as /settings → trade terms does
    second = await service.from_chinese("乐扣有货", "en", workspace_id=owner.workspace_id)
    assert (first.text, second.text) == ("snap-lock lid in stock", "locking lid in stock")
    assert len(google.sent) == 2


async def test_concurrent_requests_for_one_text_make_one_call(
    database: Database, http: responses.RequestsMock, release: threading.Event
) -> None:
    google = FakeGoogle(lambda text: "Hello")
    google.stall_until(release)
    serve(http, google)
    service = service_for(database)
    calls = [asyncio.create_task(service.from_chinese("你好", "en")) for _ in range(5)]
    await asyncio.sleep(0.1)
    release.set()
    results = await asyncio.gather(*calls)
    assert [result.text for result in results] == ["Hello"] * 5 and google.sent == ["你好"]


async def test_numbers_kept_in_another_notation_pass_the_guard(
    database: Database, http: responses.RequestsMock
) -> None:
    serve(http, FakeGoogle({"[[T1]]1.5万件，单价5块5": "[[T1]] 15,000 pieces, unit price 5.5"}))
    result = await service_for(database).from_chinese("起订量1.5万件，单价5块5", "en")
    assert result.number_check is not None and result.number_check.ok
    assert [mention.value for mention in result.number_check.source_numbers] == [15000, 5.5]


async def test_a_changed_number_fails_the_guard(database: Database, http: responses.RequestsMock) -> None:
    serve(http, FakeGoogle({"[[T1]]1.5万件，单价5块5": "[[T1]] 1,500 pieces, unit price 5.5"}))
    result = await service_for(database).from_chinese("起订量1.5万件，单价5块5", "en")
    assert result.ok and result.number_check is not None and not result.number_check.ok
    assert [mention.value for mention in result.number_check.missing] == [15000]
    spans = [result.original[mention.start : mention.end] for mention in result.number_check.source_numbers]
    assert spans == ["1.5万", "5块5"]


def test_chinese_is_told_from_other_text() -> None:
    assert is_chinese("起订量是多少？") and is_chinese("MOQ是多少")
    assert is_chinese("型号ABC-123，价格5元")
    assert not is_chinese("Please ask about 起订量") and not is_chinese("これは日本語です") and not is_chinese("123")


def test_language_spellings_are_normalized() -> None:
    assert [normalize_language(code) for code in ("zh_CN", "zh-Hans", "ZH", "en-US", "pt_BR", "auto", "")] == [
        "zh", "zh", "zh", "en", "pt", "auto", "auto",
    ]  # fmt: skip


def test_words_are_what_gets_translated() -> None:
    assert has_words("ok") and has_words("1.5万") and not has_words("15,000 ¥ 👍 ...")
