"""Translation service figures: cached translations per second, and the service's cost over a bare provider call.

    .venv/bin/python benchmarks/bench_translation.py [--calls 300] [--postgres postgresql+asyncpg://user@host/db]

No internet: Google's web endpoint is played by a local HTTP server that answers with the same HTML page format,
and deep-translator is pointed at it. The database is a throwaway SQLite file, or with --postgres a throwaway
database created on that server and dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import tempfile
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from deep_translator.constants import BASE_URLS
from sqlalchemy import text as sql
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.db.session import Database
from bot.translation.providers import GoogleProvider
from bot.translation.service import TranslationService

HAN = re.compile(r"[\u4e00-\u9fff]")


class FakeGooglePage(BaseHTTPRequestHandler):
    """Answers like translate.google.com/m: an HTML page with the translation in div.result-container."""

    def do_GET(self) -> None:
        text = parse_qs(urlsplit(self.path).query).get("q", [""])[0]
        translated = HAN.sub("x", text)  # keeps placeholders, numbers and punctuation, as a real provider does
        body = f'<html><body><div class="result-container">{escape(translated)}</div></body></html>'
        payload = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=UTF-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        return


@contextmanager
def local_google() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGooglePage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    real_url = BASE_URLS["GOOGLE_TRANSLATE"]
    url = f"http://127.0.0.1:{server.server_address[1]}/m"
    BASE_URLS["GOOGLE_TRANSLATE"] = url  # deep-translator reads its endpoint from this table on every call
    try:
        yield url
    finally:
        BASE_URLS["GOOGLE_TRANSLATE"] = real_url
        server.shutdown()
        server.server_close()


@dataclass
class Row:
    case: str
    calls: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.calls / self.seconds

    @property
    def mean_ms(self) -> float:
        return self.seconds / self.calls * 1000


async def timed(case: str, calls: int, call: Callable[[int], Awaitable[object]]) -> Row:
    started = time.perf_counter()
    for index in range(calls):
        await call(index)
    return Row(case, calls, time.perf_counter() - started)


def sample_text(index: int) -> str:
    # Typical supplier reply with glossary terms and numbers; the index makes each text new to the memory.
    return f"亲，这款现货起订量{index + 100}件，包邮，单价5块5，1.5万件以上可以再便宜。交期7天，定金30%。"


async def measure(database: Database, calls: int) -> list[Row]:
    service = TranslationService([GoogleProvider()], database, timeout=10)
    warm_texts = [sample_text(index) for index in range(50)]
    for text in warm_texts:
        if not (await service.from_chinese(text, "en")).ok:
            raise RuntimeError("the fake provider's answer was refused; the figures would measure failures")

    async def from_lru(index: int) -> object:
        return await service.from_chinese(warm_texts[index % len(warm_texts)], "en")

    async def from_database(index: int) -> object:
        service.memory.forget_recent()
        return await service.from_chinese(warm_texts[index % len(warm_texts)], "en")

    provider = GoogleProvider()
    raw_texts = [sample_text(10_000 + index) for index in range(calls)]
    fresh_texts = [sample_text(20_000 + index) for index in range(calls)]

    async def raw_call(index: int) -> object:
        # The bare provider call, as a caller without the service would make it: off the event loop.
        return await asyncio.to_thread(provider.translate_blocking, raw_texts[index], "zh", "en")

    async def service_call(index: int) -> object:
        return await service.from_chinese(fresh_texts[index], "en")

    return [
        await timed("memory hit, in-process LRU", calls * 20, from_lru),
        await timed("memory hit, database", calls * 2, from_database),
        await timed("bare provider call (fake Google)", calls, raw_call),
        await timed("service call, memory miss (fake Google)", calls, service_call),
    ]


def print_table(rows: list[Row], backend: str) -> None:
    print(f"Translation service benchmark — {backend} database, fake Google on 127.0.0.1")
    print(f"{'case':<44}{'calls':>8}{'per second':>14}{'mean ms':>10}")
    for row in rows:
        print(f"{row.case:<44}{row.calls:>8}{row.per_second:>14,.0f}{row.mean_ms:>10.3f}")
    raw, service = rows[2], rows[3]
    overhead = service.mean_ms - raw.mean_ms
    print(f"{'service overhead per uncached call':<44}{'':>8}{'':>14}{overhead:>10.3f}")
    print("(the overhead is the memory lookup and store, glossary, number guard and worker thread;")
    print(" a real provider call over the internet takes 200-2000 ms)")


@asynccontextmanager
async def throwaway_database(postgres_server: str | None) -> AsyncIterator[Database]:
    with tempfile.TemporaryDirectory() as directory:
        if postgres_server is None:
            url = f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"
        else:
            url = (
                make_url(postgres_server)
                .set(database=f"bench_translation_{uuid.uuid4().hex[:12]}")
                .render_as_string(hide_password=False)
            )
            await _on_server(postgres_server, f'CREATE DATABASE "{make_url(url).database}"')
        database = Database(url)
        try:
            await database.upgrade()
            yield database
        finally:
            await database.dispose()
            if postgres_server is not None:
                await _on_server(postgres_server, f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


async def _on_server(server_url: str, statement: str) -> None:
    engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(sql(statement))
    await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--postgres", default=None, help="a PostgreSQL server URL; a throwaway database is made on it")
    arguments = parser.parse_args()
    with local_google():
        async with throwaway_database(arguments.postgres) as database:
            rows = await measure(database, arguments.calls)
            backend = database.engine.dialect.name
    print_table(rows, backend)


if __name__ == "__main__":
    asyncio.run(main())
