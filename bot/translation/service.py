"""The bot's one translator: memory first, then the providers in the configured order.

deep-translator blocks and has no timeouts, so each provider call runs in a daemon thread and is awaited with our
own timeout; a thread that overruns is abandoned (it cannot be killed) and, being a daemon, never holds up a
shutdown. A provider that fails is rested by its circuit breaker and the next one is tried. When none can answer,
the buyer gets the original text and a reason, without waiting on the providers that are known to be down.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bot.config import Settings
from bot.db.session import Database
from bot.i18n import N_
from bot.translation.breaker import DEFAULT_COOLDOWN_SECONDS, DEFAULT_FAILURE_THRESHOLD, CircuitBreaker, Clock
from bot.translation.chunking import split_text
from bot.translation.errors import ProviderError, ProviderTimeout
from bot.translation.glossary import (
    PLACEHOLDER_FOUND,
    FoundTerm,
    GlossaryNote,
    ProtectedText,
    glossary_version,
    load_glossary,
    notes_for,
    protect,
    without_terms,
)
from bot.translation.guard import NumberCheck, check_numbers
from bot.translation.languages import AUTO, CHINESE, has_words, is_chinese, normalize_language
from bot.translation.memory import DEFAULT_LRU_SIZE, MemoryKey, TranslationMemory, text_hash
from bot.translation.providers import Provider, build_providers

log = logging.getLogger(__name__)

T = TypeVar("T")

MEMORY_PROVIDER = "memory"
FAILURE_UNAVAILABLE = N_("Translation is unavailable right now; showing the original.")
FAILURE_TURNED_OFF = N_("Translation is turned off; showing the original.")
FAILURE_UNSUPPORTED_LANGUAGE = N_("No translation service here offers this language; showing the original.")
# Languages written without spaces between sentences: pieces are joined as they are.
_UNSPACED_LANGUAGES = {"zh", "zh-TW", "ja"}


@dataclass(frozen=True)
class Translation:
    original: str
    text: str  # the translation, or the original when `ok` is False
    source_lang: str  # our code, "auto" when the source was left to the provider to detect
    target_lang: str
    provider: str | None  # a provider's name, "memory", or None when no provider was needed or none answered
    ok: bool
    failure_reason: str | None = None  # an N_-marked msgid, shown to the buyer in their language
    number_check: NumberCheck | None = None  # None when nothing was translated
    glossary_notes: list[GlossaryNote] = field(default_factory=list)
    from_memory: bool = False


@dataclass(frozen=True)
class _Outcome:
    text: str | None  # None: no provider could translate
    provider: str | None
    from_memory: bool = False
    failure_reason: str | None = None


class TranslationService:
    def __init__(
        self,
        providers: Sequence[Provider],
        database: Database,
        *,
        timeout: float = 8.0,
        clock: Clock = time.monotonic,
        failure_threshold: int = DEFAULT_FAILURE_THRESHOLD,
        cooldown: float = DEFAULT_COOLDOWN_SECONDS,
        lru_size: int = DEFAULT_LRU_SIZE,
    ) -> None:
        self.providers = list(providers)
        self.database = database
        self.timeout = timeout
        self.breakers = {
            provider.name: CircuitBreaker(failure_threshold, cooldown, clock) for provider in self.providers
        }
        self.memory = TranslationMemory(database, lru_size)
        self._in_flight: dict[MemoryKey, asyncio.Task[_Outcome]] = {}

    @classmethod
    def from_settings(
        cls, settings: Settings, database: Database, *, clock: Clock = time.monotonic
    ) -> TranslationService:
        return cls(build_providers(settings), database, timeout=settings.translate_timeout, clock=clock)

    @property
    def chain(self) -> list[str]:
        return [provider.name for provider in self.providers]

    async def to_chinese(self, text: str, source_lang: str, workspace_id: int | None = None) -> Translation:
        return await self.translate(text, CHINESE, source=source_lang, workspace_id=workspace_id)

    async def from_chinese(self, text: str, target_lang: str, workspace_id: int | None = None) -> Translation:
        return await self.translate(text, target_lang, source=CHINESE, workspace_id=workspace_id)

    async def translate(
        self, text: str, target: str, source: str = AUTO, workspace_id: int | None = None
    ) -> Translation:
        target_lang = normalize_language(target)
        if target_lang == AUTO:
            raise ValueError("the target language must be named")
        source_lang = normalize_language(source)
        if source_lang == AUTO and is_chinese(text):
            source_lang = CHINESE
        if source_lang == target_lang or not has_words(text):
            return Translation(text, text, source_lang, target_lang, provider=None, ok=True)

        found = (await load_glossary(self.database, workspace_id)).find(text) if source_lang == CHINESE else []
        protected = protect(text, found)
        key = MemoryKey(source_lang, target_lang, text_hash(text), glossary_version(protected.terms))
        outcome = await self._shared(key, lambda: self._obtain(key, text, protected))
        return self._translation(text, key, found, outcome)

    def _translation(self, text: str, key: MemoryKey, found: list[FoundTerm], outcome: _Outcome) -> Translation:
        notes = notes_for(found)
        if outcome.text is None:
            return Translation(
                text,
                text,
                key.source_lang,
                key.target_lang,
                provider=None,
                ok=False,
                failure_reason=outcome.failure_reason,
                glossary_notes=notes,
            )
        # Numbers inside glossary terms (七天无理由, 一件代发) are words, not figures to guard.
        number_check = check_numbers(without_terms(text, found), outcome.text)
        return Translation(
            text,
            outcome.text,
            key.source_lang,
            key.target_lang,
            provider=outcome.provider,
            ok=True,
            number_check=number_check,
            glossary_notes=notes,
            from_memory=outcome.from_memory,
        )

    async def _shared(self, key: MemoryKey, work: Callable[[], Coroutine[Any, Any, _Outcome]]) -> _Outcome:
        """Run `work` once for concurrent requests of the same text; a caller that gives up does not cancel it."""
        task = self._in_flight.get(key)
        if task is None:
            task = asyncio.ensure_future(work())
            self._in_flight[key] = task
            task.add_done_callback(lambda _done: self._in_flight.pop(key, None))
        return await asyncio.shield(task)

    async def _obtain(self, key: MemoryKey, text: str, protected: ProtectedText) -> _Outcome:
        remembered = await self.memory.recall(key, text, self.chain)
        if remembered is not None:
            return _Outcome(remembered.translated_text, MEMORY_PROVIDER, from_memory=True)
        if not has_words(PLACEHOLDER_FOUND.sub("", protected.text)):
            # Nothing but glossary terms, numbers and punctuation: the glossary alone translates it.
            return _Outcome(protected.restore(protected.text, key.target_lang).text, provider=None)
        outcome = await self._ask_providers(protected, key.source_lang, key.target_lang)
        if outcome.text is not None and outcome.provider is not None:
            await self.memory.remember(key, text, outcome.provider, outcome.text)
        return outcome

    async def _ask_providers(self, protected: ProtectedText, source: str, target: str) -> _Outcome:
        if not self.providers:
            return _Outcome(None, None, failure_reason=FAILURE_TURNED_OFF)
        offered = [provider for provider in self.providers if provider.supports(source, target)]
        if not offered:
            return _Outcome(None, None, failure_reason=FAILURE_UNSUPPORTED_LANGUAGE)
        for provider in offered:
            breaker = self.breakers[provider.name]
            if not breaker.allows_call():
                continue
            try:
                translated = await self._translate_with(provider, protected.text, source, target)
            except ProviderError as error:
                log.warning("translation provider %s failed: %s", provider.name, error.detail)
                if error.counts_as_failure:
                    breaker.record_failure(open_now=error.opens_breaker)
                continue
            breaker.record_success()
            restored = protected.restore(translated, target)
            if restored.missing:
                # The provider works, but it dropped a glossary term: a translation missing "MOQ" is not one.
                log.info("translation provider %s lost %d glossary placeholders", provider.name, len(restored.missing))
                continue
            return _Outcome(restored.text, provider.name)
        return _Outcome(None, None, failure_reason=FAILURE_UNAVAILABLE)

    async def _translate_with(self, provider: Provider, text: str, source: str, target: str) -> str:
        pieces = split_text(text, provider.max_chunk, provider.measure, keep_whole=PLACEHOLDER_FOUND)
        translated: list[str] = []
        for piece in pieces:
            translated.append(await self._translate_piece(provider, piece, source, target))
        return _join(translated, target)

    async def _translate_piece(self, provider: Provider, piece: str, source: str, target: str) -> str:
        core = piece.strip()
        if not has_words(PLACEHOLDER_FOUND.sub("", core)):
            return piece
        leading = piece[: len(piece) - len(piece.lstrip())]
        trailing = piece[len(piece.rstrip()) :]
        try:
            translated = await asyncio.wait_for(
                _run_in_daemon_thread(provider.translate_blocking, core, source, target), self.timeout
            )
        except TimeoutError:
            raise ProviderTimeout(provider.name, f"no answer in {self.timeout:g} s") from None
        return leading + translated.strip() + trailing


def _join(pieces: list[str], target: str) -> str:
    """Join translated pieces; Chinese sentences have no space after 。 but English ones need one."""
    joined = ""
    for piece in pieces:
        if joined and target not in _UNSPACED_LANGUAGES and not joined[-1].isspace() and not piece[:1].isspace():
            joined += " "
        joined += piece
    return joined


def _run_in_daemon_thread(function: Callable[..., T], *args: object) -> asyncio.Future[T]:
    """Run a blocking call in its own daemon thread; the future may be abandoned (wait_for cancels it) safely."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def work() -> None:
        try:
            result = function(*args)
        except Exception as exc:  # handed to the awaiting coroutine, not lost in the thread
            _call_soon_if_open(loop, _set_exception, future, exc)
        else:
            _call_soon_if_open(loop, _set_result, future, result)

    threading.Thread(target=work, name="translation-call", daemon=True).start()
    return future


def _call_soon_if_open(loop: asyncio.AbstractEventLoop, callback: Callable[..., None], *args: object) -> None:
    try:
        loop.call_soon_threadsafe(callback, *args)
    except RuntimeError:
        pass  # the loop closed while this call was abandoned; nobody is waiting for it


# A future abandoned after a timeout is already cancelled: the late answer is dropped.
def _set_result(future: asyncio.Future[T], result: T) -> None:
    if not future.done():
        future.set_result(result)


def _set_exception(future: asyncio.Future[T], error: Exception) -> None:
    if not future.done():
        future.set_exception(error)
