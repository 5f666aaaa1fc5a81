"""Facts from a supplier's reply, tied to the inquiry's checklist: which question each fact answers, whether
it contradicts what is recorded, and the words it came from."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from bot.domain import checklist
from bot.extraction.numbered import numbered_answers
from bot.extraction.result import MANUAL, ExtractionResult, Fact, Moq, Oem, PriceTier
from bot.extraction.topics import about, topic_hits


class AnswerStatus(StrEnum):
    PENDING = "pending"  # found in a reply, waiting for the buyer
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"  # replaced by a newer confirmed answer


# min_order_value answers the MOQ question as well.
EXTRA_ANSWERS = {"min_order_value": ("moq",)}


@dataclass(frozen=True)
class ProposedAnswer:
    question_key: str
    fact: Fact


def questions_for_field(field: str) -> tuple[str, ...]:
    return checklist.keys_answered_by(field) + EXTRA_ANSWERS.get(field, ())


def propose_answers(result: ExtractionResult, asked: Iterable[str]) -> list[ProposedAnswer]:
    """Each fact answers the first asked question it can (a lead time answers "delivery time" when that is
    asked, else "production time"), so one fact is never shown twice; in the order the questions were asked."""
    asked = list(asked)
    proposed = []
    for fact in result.facts():
        key = next((key for key in questions_for_field(fact.field) if key in asked), None)
        if key is not None:
            proposed.append(ProposedAnswer(key, fact))
    return sorted(proposed, key=lambda answer: asked.index(answer.question_key))


def answered_questions(confirmed: Iterable[tuple[str, Fact]], certifications_needed: Sequence[str] = ()) -> set[str]:
    """The questions the confirmed answers cover: a fact that only adds to a question (a price's tax) does not
    answer it, and the certifications question is answered once every certificate asked about by name has been
    spoken of (held or not)."""
    answered: set[str] = set()
    certificates_named: set[str] = set()
    for key, fact in confirmed:
        if key == checklist.CERTIFICATIONS and fact.field != MANUAL:
            certificates_named.update(str(code).upper() for code in fact.value)  # type: ignore[union-attr]
            if not certifications_needed:
                answered.add(key)
            continue
        full = checklist.COVERED_BY.get(key)
        if fact.field == MANUAL or full is None or fact.field in full:
            answered.add(key)
    if certifications_needed and {code.upper() for code in certifications_needed} <= certificates_named:
        answered.add(checklist.CERTIFICATIONS)
    if any(key == checklist.CERTIFICATIONS and fact.field == MANUAL for key, fact in confirmed):
        answered.add(checklist.CERTIFICATIONS)
    return answered


def _normal(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _normal(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normal(item) for item in value]
    if isinstance(value, str):
        try:
            return Decimal(value).normalize()
        except ArithmeticError:
            return value.strip().lower()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value)).normalize()
    return value


def contradicts(recorded: Fact, new: Fact) -> bool:
    """Two answers to the same question disagree (MOQ 100, then MOQ 500). Different kinds of fact for one
    question (a lead time and a stock answer) complement each other rather than conflict."""
    if recorded.field != new.field or recorded.field in _ADDITIVE:
        return False
    return _normal(recorded.to_json()) != _normal(new.to_json())


# Facts that add up rather than replace each other: "有CE" then "也有FCC" are both true.
_ADDITIVE = frozenset({"certifications", "certifications_missing"})


# A reply's parts: its sentences (Chinese or English), lines and comma-separated clauses (a thousands separator, as
# in 1,000, and a decimal point part nothing).
_PART = re.compile(r"(?:[^，、,\n。！？!?；;.]|,(?=\d{3}(?!\d))|\.(?=\d)|\.(?=[^\s]))+")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def evidence_for(text: str, fact: Fact, questions: Sequence[str] = ()) -> str | None:
    """The words of the reply a fact came from: the shortest run of parts that holds most of the fact's
    numbers and speaks of its subject, else the part that speaks of its subject most. A buyer checking "MOQ 200"
    wants to see 起订量200个, not the whole chatty paragraph; a table of price tiers is quoted from its first
    tier to its last. In a reply that answers by number it is the numbered answer ("4. 没有"), found by its
    question's words."""
    # A tier's quantities often come from the MOQ's sentence: its prices say where it was quoted.
    value = [tier["unit_price"] for tier in fact.to_json()] if fact.field == "price_tiers" else fact.to_json()
    numbers = {str(n) for n in _numbers_in(value)}
    answers = numbered_answers(text, questions)
    if answers:
        scores = [
            (len(numbers & _numbers_of(item.answer)), about(fact.field, item.question + item.answer)) for item in answers
        ]
        best_answer = max(scores)
        return answers[scores.index(best_answer)].answer[:200] if any(best_answer) else None
    parts, numbers_by_part = _parts(text)
    found = [numbers & part_numbers for part_numbers in numbers_by_part]
    topical = [topic_hits(fact.field, part[0]) for part in parts]
    best: tuple[int, int, int] | None = None
    best_span = (0, 0)
    for first in range(len(parts)):
        if not found[first]:
            continue
        covered: set[str] = set()
        for last in range(first, len(parts)):
            covered |= found[last]
            if found[last]:
                key = (len(covered), min(sum(topical[first : last + 1]), 1), parts[first].start() - parts[last].end())
                if best is None or key > best:
                    best, best_span = key, (parts[first].start(), parts[last].end())
    if best is not None:
        quoted = text[best_span[0] : best_span[1]]
        return " / ".join(line.strip() for line in quoted.splitlines() if line.strip())[:200]
    most = max(topical, default=0)
    return parts[topical.index(most)][0].strip()[:200] if most else None


@functools.lru_cache(maxsize=16)  # one reply's parts serve each of its facts
def _parts(text: str) -> tuple[tuple[re.Match[str], ...], tuple[frozenset[str], ...]]:
    parts = tuple(part for part in _PART.finditer(text) if part[0].strip())
    return parts, tuple(frozenset(_numbers_of(part[0])) for part in parts)


def _numbers_of(text: str) -> set[str]:
    """The numbers in `text` as `_numbers_in` writes them: "1.20" is 1.2, "1,000" is 1000."""
    return {str(n) for n in _numbers_in(_NUMBER.findall(unicodedata.normalize("NFKC", text).replace(",", "")))}


def _numbers_in(value: Any) -> Iterable[Any]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _numbers_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _numbers_in(item)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, (int, float)):
        yield value if not isinstance(value, float) or not value.is_integer() else int(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value).normalize()
        except ArithmeticError:
            return
        yield int(number) if number == number.to_integral_value() else number




class DealBreaker(StrEnum):
    """What in a supplier's answers stops the deal as asked, or changes its next steps."""

    NO_EXPORT = "no_export"  # they don't ship outside China: only through a forwarder
    MISSING_CERTIFICATE = "missing_certificate"  # a certificate the buyer's market needs
    MOQ_ABOVE_QUANTITY = "moq_above_quantity"
    NO_CUSTOMISATION = "no_customisation"  # the buyer asked for a logo or custom product


@dataclass(frozen=True)
class Flag:
    kind: DealBreaker
    detail: str = ""  # the certificates missing, or the MOQ


def deal_breakers(
    facts: Iterable[Fact], *, quantity: int | None, certifications_needed: Sequence[str], asked: Sequence[str]
) -> list[Flag]:
    """The deal-breakers in `facts` for an inquiry asking `asked` for `quantity` pieces, in a fixed order."""
    needed = {code.upper() for code in certifications_needed}
    flags: dict[DealBreaker, Flag] = {}
    missing: set[str] = set()
    for fact in facts:
        value = fact.value
        if fact.field == "ships_abroad" and value is False:
            flags[DealBreaker.NO_EXPORT] = Flag(DealBreaker.NO_EXPORT)
        elif fact.field == "certifications_missing":
            missing |= needed & {str(code).upper() for code in value}  # type: ignore[union-attr]
        elif fact.field == "certifications" and value == ():
            missing |= needed  # "没有任何认证"
        elif isinstance(value, Moq) and quantity is not None and value.quantity > quantity:
            flags[DealBreaker.MOQ_ABOVE_QUANTITY] = Flag(DealBreaker.MOQ_ABOVE_QUANTITY, f"{value.quantity.normalize():f}")
        elif isinstance(value, Oem) and not value.available and "customisation" in asked:
            flags[DealBreaker.NO_CUSTOMISATION] = Flag(DealBreaker.NO_CUSTOMISATION)
    if missing:
        flags[DealBreaker.MISSING_CERTIFICATE] = Flag(DealBreaker.MISSING_CERTIFICATE, ", ".join(sorted(missing)))
    return [flags[kind] for kind in DealBreaker if kind in flags]


def tiers_from_minimum(tiers: Sequence[PriceTier], minimum: Decimal) -> tuple[PriceTier, ...]:
    """Price tiers as they stand once the minimum order is `minimum`: tiers wholly below it go, and the first
    one left starts at it."""
    kept = [tier for tier in tiers if tier.max_qty is None or tier.max_qty >= minimum]
    return tuple(
        PriceTier(max(tier.min_qty, int(minimum)), tier.max_qty, tier.unit_price, tier.currency) if index == 0 else tier
        for index, tier in enumerate(kept)
    )
