"""`sourcing-bot extract`: supplier replies in on stdin, their facts out as JSON on stdout."""

from __future__ import annotations

import json
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
        _write(stdout, extract(stdin.read()).to_dict())
        return 0
    for line in stdin:
        if line.strip():
            _write(stdout, _facts_for_line(line))
    return 0


def _facts_for_line(line: str) -> dict[str, Any]:
    try:
        reply = json.loads(line)
    except json.JSONDecodeError:
        return _failure("not valid JSON")
    if not isinstance(reply, str):
        return _failure(f"expected a JSON string, got {type(reply).__name__}")
    return extract(reply).to_dict()


def _failure(reason: str) -> dict[str, Any]:
    return {**dict.fromkeys(FIELDS), "error": reason}


def _write(stdout: TextIO, facts: dict[str, Any]) -> None:
    stdout.write(json.dumps(facts, ensure_ascii=False) + "\n")
