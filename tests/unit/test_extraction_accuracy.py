"""Accuracy of the extractor on replies written the way 1688 suppliers write, read by a careful buyer."""

import json
from pathlib import Path
from typing import Any

import pytest

from bot.extraction import FIELDS, extract

CORPUS = Path(__file__).parents[1] / "data" / "replies.jsonl"
OVERALL_FLOOR = 0.97
FIELD_FLOOR = 0.93
# The shapes of reply that are easy to read wrongly, and how many of each the corpus holds at least.
KINDS = {"page_tiers": 40, "negation": 40, "pack_price": 30, "currency": 30, "carton": 30, "english": 30}


def load_corpus() -> list[dict[str, Any]]:
    with CORPUS.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def accuracy_table(correct: dict[str, int], total: int) -> str:
    rows = [f"{'field':<24} {'correct':>8} {'accuracy':>9}"]
    rows += [f"{field:<24} {correct[field]:>4}/{total:<3} {correct[field] / total:>9.1%}" for field in FIELDS]
    overall = sum(correct.values()) / (total * len(FIELDS))
    rows.append(f"{'overall':<24} {'':>8} {overall:>9.1%}")
    return "\n".join(rows)


def test_the_corpus_is_large_and_complete() -> None:
    replies = load_corpus()
    assert len(replies) >= 300
    for kind, least in KINDS.items():
        assert sum(kind in reply.get("tags", ()) for reply in replies) >= least, kind
    assert len({reply["id"] for reply in replies}) == len(replies)
    for reply in replies:
        assert reply["text"].strip(), reply["id"]
        assert list(reply["expected"]) == list(FIELDS), reply["id"]


def test_extraction_accuracy_on_the_corpus() -> None:
    replies = load_corpus()
    correct = dict.fromkeys(FIELDS, 0)
    misses: list[str] = []
    for reply in replies:
        facts = extract(reply["text"]).to_dict()
        for field in FIELDS:
            if facts[field] == reply["expected"][field]:
                correct[field] += 1
            else:
                misses.append(f"{reply['id']} {field}: got {facts[field]!r}, expected {reply['expected'][field]!r}")
    table = accuracy_table(correct, len(replies))
    print("\n" + table)
    report = table + ("\n\nmisses:\n" + "\n".join(misses) if misses else "")
    overall = sum(correct.values()) / (len(replies) * len(FIELDS))
    assert overall >= OVERALL_FLOOR, report
    weak = [field for field in FIELDS if correct[field] / len(replies) < FIELD_FLOOR]
    assert not weak, report


@pytest.mark.parametrize("field", FIELDS)
def test_every_field_is_exercised_by_the_corpus(field: str) -> None:
    # A field the corpus never fills would be "accurate" by always answering null.
    filled = [reply for reply in load_corpus() if reply["expected"][field] not in (None, [])]
    assert len(filled) >= 8
