"""Reading the facts a buyer needs out of a supplier's reply, with deterministic rules."""

from __future__ import annotations

from collections.abc import Sequence

from bot.extraction.certifications import find_certifications
from bot.extraction.lead_time import find_lead_time
from bot.extraction.numbered import with_questions
from bot.extraction.prices import find_price_tiers
from bot.extraction.quantities import find_min_order_value, find_moq
from bot.extraction.result import ExtractionResult
from bot.extraction.terms import find_in_stock, find_returns, find_sample, find_ships_abroad
from bot.extraction.text import prepare


def extract(text: str, questions: Sequence[str] = ()) -> ExtractionResult:
    """The facts in one pasted reply: Chinese or English, Simplified or Traditional, chat or table. `questions`
    are the numbered questions the reply answers, as they were sent, for replies that answer by number."""
    prepared = prepare(with_questions(text, questions) if questions else text)
    moq = find_moq(prepared)
    return ExtractionResult(
        moq=moq,
        min_order_value=find_min_order_value(prepared),
        price_tiers=find_price_tiers(prepared, moq),
        lead_time_days=find_lead_time(prepared),
        in_stock=find_in_stock(prepared),
        ships_abroad=find_ships_abroad(prepared),
        returns=find_returns(prepared),
        sample=find_sample(prepared),
        certifications=find_certifications(prepared),
    )
