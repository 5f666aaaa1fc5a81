"""`sourcing-bot extract`: supplier replies in on stdin, their facts out as JSON on stdout."""

from __future__ import annotations

import itertools
import json
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TextIO

from bot.extraction.extractor import extract
from bot.extraction.result import FIELDS


def run_extract(stdin: TextIO, stdout: TextIO, jsonl: bool) -> int:
    """Print one JSON object per reply, on one line each.

    Without `jsonl` all of stdin is one reply. With `jsonl` every non-blank line must be a JSON string holding one
    reply; a line that is not gets an object with every field null and an "error", and reading goes on, so output
    line N always answers input reply N. Returns the exit status: 0.
    """
    if not jsonl:
        _write(stdout, _facts(stdin.read()))
        return 0
    lines = (line for line in stdin if line.strip())
    first = list(itertools.islice(lines, PARALLEL_FROM))
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if len(first) < PARALLEL_FROM or workers < 2:
        for line in first:
            _write(stdout, _facts_for_line(line))
        return 0
    # A large batch is read on every core; map keeps the output in input order.
    with ProcessPoolExecutor(workers) as pool:
        for facts in pool.map(_facts_for_line, itertools.chain(first, lines), chunksize=CHUNK):
            _write(stdout, facts)
    return 0


PARALLEL_FROM = 500  # fewer replies than this are read at once in this process: a pool costs more to start
MAX_WORKERS = 8
CHUNK = 100


def _facts_for_line(line: str) -> dict[str, Any]:
    try:
        reply = json.loads(line)
    except json.JSONDecodeError:
        return _failure("not valid JSON")
    if not isinstance(reply, str):
        return _failure(f"expected a JSON string, got {type(reply).__name__}")
    return _facts(reply)


def _facts(reply: str) -> dict[str, Any]:
    return extract(reply).to_dict()


def _failure(reason: str) -> dict[str, Any]:
    return {**dict.fromkeys(FIELDS), "certifications_missing": [], "not_understood": [], "error": reason}


def _write(stdout: TextIO, facts: dict[str, Any]) -> None:
    stdout.write(json.dumps(facts, ensure_ascii=False) + "\n")
