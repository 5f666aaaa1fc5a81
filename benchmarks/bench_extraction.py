"""How fast `extract` reads the reply corpus on one core: replies per second and per-reply latency.

    .venv/bin/python benchmarks/bench_extraction.py [--seconds 3]

Runs whole passes over tests/data/replies.jsonl until the time is up, timing every call; exits 1 below the floor.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from bot.extraction import extract

CORPUS = Path(__file__).parents[1] / "tests" / "data" / "replies.jsonl"
FLOOR_PER_SECOND = 1_000


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="how long to measure (default 3)")
    seconds = parser.parse_args().seconds
    pin_to_one_core()
    texts = load_texts()
    measure(texts, 0.3)  # warm up: regex caches, imports
    timings = sorted(measure(texts, seconds))
    per_second = len(timings) / (sum(timings) / 1e9)
    rows = [
        ("replies", f"{len(texts)} in corpus, {len(timings)} extractions"),
        ("replies/s", f"{per_second:,.0f}"),
        ("mean µs", f"{statistics.fmean(timings) / 1000:,.1f}"),
        ("p50 µs", f"{percentile(timings, 0.50) / 1000:,.1f}"),
        ("p99 µs", f"{percentile(timings, 0.99) / 1000:,.1f}"),
        ("floor", f"{FLOOR_PER_SECOND:,} replies/s: {'met' if per_second >= FLOOR_PER_SECOND else 'MISSED'}"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0 if per_second >= FLOOR_PER_SECOND else 1


if __name__ == "__main__":
    sys.exit(main())
