"""The number guard: a translation that loses or changes a quantity, price, percentage or date is flagged.

Numbers are compared as values, after `bot.extraction.numerals` has read them: 1.5万, 15000 and "15,000" are one
number, 5块5 is 5.5. Each mention counts: a number said twice in the source must be there twice.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from bot.extraction.numerals import NumberMention, find_numbers

# A translation into English may write 3月5日 as "March 5" or "5 March": the month survives as a word. Only a
# month name next to a day counts, so the verb in "you may" is not a 5.
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_ENGLISH_MONTHS = re.compile(rf"\b{_MONTH}\s+{_DAY}\b|\b{_DAY}\s+(?:of\s+)?{_MONTH}", re.IGNORECASE)
_MONTH_NUMBERS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}


@dataclass(frozen=True)
class NumberCheck:
    ok: bool
    source_numbers: list[NumberMention]  # every number in the source, in order: what the bot lists when not ok
    missing: list[NumberMention]  # the source's numbers the translation lost or changed


def check_numbers(source: str, translation: str) -> NumberCheck:
    source_numbers = find_numbers(source)
    available = Counter(_comparable(mention.value) for mention in find_numbers(translation))
    available.update(_month_values(translation))
    missing = []
    for mention in source_numbers:
        value = _comparable(mention.value)
        if available[value] > 0:
            available[value] -= 1
        else:
            missing.append(mention)
    return NumberCheck(ok=not missing, source_numbers=source_numbers, missing=missing)


def _comparable(value: Decimal) -> Decimal:
    # Decimal("15000") and Decimal("1.5E+4") are equal and hash alike; normalize() also drops "5.50"'s trailing zero.
    return value.normalize()


def _month_values(translation: str) -> list[Decimal]:
    months = (match.group(1) or match.group(2) for match in _ENGLISH_MONTHS.finditer(translation))
    return [Decimal(_MONTH_NUMBERS[month[:3].lower()]) for month in months]
