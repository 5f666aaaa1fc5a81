"""How fast replies are read: `sourcing-bot extract --jsonl` end to end (a process of its own, start-up
included, every core), and `extract()` on one core with its per-reply latency.

    .venv/bin/python benchmarks/bench_extraction.py [--seconds 3] [--copies 20]

The command reads the corpus (tests/data/replies.jsonl) `--copies` times over; the function runs whole passes
until the time is up, timing every call. Exits 1 when the command is below its floor.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bot.extraction import extract

CORPUS = Path(__file__).parents[1] / "tests" / "data" / "replies.jsonl"
COMMAND_FLOOR_PER_SECOND = 3_000


def load_texts() -> list[str]:
    with CORPUS.open(encoding="utf-8") as lines:
        return [json.loads(line)["text"] for line in lines if line.strip()]


def pin_to_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def measure(texts: list[str], seconds: float) -> list[int]:
    """Nanoseconds per call, over whole passes of the corpus until `seconds` have gone by."""
    timings: list[int] = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        for text in texts:
            started = time.perf_counter_ns()
            extract(text)
            timings.append(time.perf_counter_ns() - started)
    return timings


def percentile(sorted_values: list[int], fraction: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def command_rate(texts: list[str], copies: int) -> tuple[int, float]:
    """(replies, seconds) for `sourcing-bot extract --jsonl` reading the corpus `copies` times, start-up included."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as replies:
        for _ in range(copies):
            replies.writelines(json.dumps(text, ensure_ascii=False) + "\n" for text in texts)
        replies.seek(0)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "bot.cli", "extract", "--jsonl"], stdin=replies, capture_output=True, check=True
        )
        elapsed = time.perf_counter() - started
    answered = done.stdout.count(b"\n")
    if answered != len(texts) * copies:
        raise SystemExit(f"the command answered {answered} of {len(texts) * copies} replies")
    return answered, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="how long to measure the function (default 3)")
    parser.add_argument("--copies", type=int, default=20, help="corpus copies the command reads (default 20)")
    arguments = parser.parse_args()
    seconds = arguments.seconds
    texts = load_texts()
    answered, elapsed = command_rate(texts, arguments.copies)
    command_per_second = answered / elapsed
    pin_to_one_core()
    measure(texts, 0.3)  # warm up: regex caches, imports
    timings = sorted(measure(texts, seconds))
    per_second = len(timings) / (sum(timings) / 1e9)
    met = command_per_second >= COMMAND_FLOOR_PER_SECOND
    rows = [
        ("corpus", f"{len(texts)} replies"),
        ("extract --jsonl", f"{answered:,} replies in {elapsed:.2f} s (start-up included, {os.cpu_count()} cores)"),
        ("  replies/s", f"{command_per_second:,.0f}"),
        ("  floor", f"{COMMAND_FLOOR_PER_SECOND:,} replies/s: {'met' if met else 'MISSED'}"),
        ("extract(), one core", f"{len(timings):,} calls"),
        ("  replies/s", f"{per_second:,.0f}"),
        ("  mean µs", f"{statistics.fmean(timings) / 1000:,.1f}"),
        ("  p50 µs", f"{percentile(timings, 0.50) / 1000:,.1f}"),
        ("  p99 µs", f"{percentile(timings, 0.99) / 1000:,.1f}"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
