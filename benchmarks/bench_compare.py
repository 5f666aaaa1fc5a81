"""How long /compare takes for one product quoted by 20 suppliers, each costed by 4 shipping methods: reading the
quotes from the database (SQLite or PostgreSQL), costing and ranking them, and rendering the table.

    .venv/bin/python benchmarks/bench_compare.py [--postgres URL] [--runs 50]

Prints a table of latencies; exits 1 when the median is above the floor.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from decimal import Decimal

from bot.db.session import Database
from bot.domain import checklist
from bot.domain.quotes import Ranking
from bot.i18n import Translator
from bot.services import accounts, inquiries, replies
from bot.services import quotes as quote_service
from bot.services.exchange_rates import set_team_rate
from bot.views import quotes as views

SUPPLIERS = 20
FLOOR_MS = 200
NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
REPLY = "起订量{moq}个，{moq}-999个{price}元，1000个以上{lower}元，一箱100个，外箱50*40*30cm，毛重10kg，交期{days}天"


async def prepare(url: str) -> tuple[Database, accounts.Actor, int]:
    database = Database(url)
    await database.upgrade()
    actor = (
        await accounts.resolve_actor(
            database, user_id=1, first_name="Bench", username=None, telegram_language="en", chat_id=1,
            chat_type="private", chat_title=None, default_language="en",
        )
    ).actor  # fmt: skip
    questions = ["delivery_time", "moq", "price_tiers", "packaging"]
    first = 0
    for number in range(SUPPLIERS):
        draft = await inquiries.start_draft(database, actor)
        assert draft is not None
        await inquiries.supplier_from_text(database, actor, f"Supplier {number + 1}", None)
        await inquiries.set_product(database, actor, "Glass cups 300ml")
        await inquiries.set_quantity(database, actor, 450, "pcs")
        await inquiries.set_destination(database, actor, "SG")
        await inquiries.set_currency(database, actor, "SGD")
        for key in {*draft.inquiry.questions, *checklist.default_checklist(), *questions}:
            await inquiries.set_question(database, actor, key, key in questions)
        await inquiries.write_message(database, actor, draft.inquiry.id, "")
        sent = await inquiries.mark_sent(database, actor, draft.inquiry.id, now=NOW, default_hours=24)
        assert sent is not None
        first = first or sent.inquiry.id
        text = REPLY.format(moq=100 + number * 10, price=12 - number * 0.1, lower=10 - number * 0.1, days=10 + number)
        batch = replies.PendingBatch(actor, (replies.Pasted(number + 1, text, sent.inquiry.id),))
        read = await replies.read_batch(database, batch, None, now=NOW)
        assert read.attached is not None and read.reply_id
        await replies.confirm_all(database, actor, read.reply_id)
    assert await set_team_rate(database, actor, "CNY", Decimal("0.185"), now=NOW)
    return database, actor, first


async def measure(url: str, runs: int) -> list[float]:
    database, actor, inquiry_id = await prepare(url)
    _ = Translator("en")
    timings = []
    try:
        for _run in range(runs + 3):
            started = time.perf_counter()
            found = await quote_service.compare(database, actor, inquiry_id, Ranking.COST, now=NOW)
            assert found is not None and len(found.quotes) == SUPPLIERS
            assert all(len(item.options) == 4 for item in found.quotes)
            views.comparison(_, found)
            timings.append((time.perf_counter() - started) * 1000)
    finally:
        await database.dispose()
    return timings[3:]  # the first runs warm caches


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL database URL (its tables are created there)")
    parser.add_argument("--runs", type=int, default=50)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = arguments.postgres or f"sqlite+aiosqlite:///{folder}/bench.db"
        timings = sorted(asyncio.run(measure(url, arguments.runs)))
    median = statistics.median(timings)
    rows = [
        ("database", "PostgreSQL" if arguments.postgres else "SQLite"),
        ("quotes", f"{SUPPLIERS} suppliers × 4 shipping methods"),
        ("runs", str(len(timings))),
        ("median ms", f"{median:.1f}"),
        ("p95 ms", f"{timings[int(0.95 * (len(timings) - 1))]:.1f}"),
        ("max ms", f"{timings[-1]:.1f}"),
        ("floor", f"{FLOOR_MS} ms: {'met' if median < FLOOR_MS else 'MISSED'}"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0 if median < FLOOR_MS else 1


if __name__ == "__main__":
    sys.exit(main())
