"""Reading the facts a buyer needs out of a supplier's reply, with deterministic rules."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from bot.extraction.certifications import read_certifications
from bot.extraction.lead_time import find_lead_time
from bot.extraction.numbered import with_questions
from bot.extraction.prices import read_prices
from bot.extraction.quantities import find_min_order_value, find_moq
from bot.extraction.result import ExtractionResult
from bot.extraction.offers import find_free_domestic_shipping, find_oem, find_price_includes_tax, find_ships_to_forwarder
from bot.extraction.packing import find_carton, find_unit_weight
from bot.extraction.terms import find_in_stock, find_returns, find_sample, find_ships_abroad, find_stock_partial
from bot.extraction.text import prepare
from bot.extraction.topics import not_understood


def extract(text: str, questions: Sequence[str] = ()) -> ExtractionResult:
    """The facts in one pasted reply: Chinese or English, Simplified or Traditional, chat or table. `questions`
    are the numbered questions the reply answers, as they were sent, for replies that answer by number."""
    prepared = prepare(with_questions(text, questions) if questions else text)
    moq = find_moq(prepared)
    prices = read_prices(prepared, moq)
    stock_partial = find_stock_partial(prepared)
    certifications = read_certifications(prepared)
    result = ExtractionResult(
        moq=moq or prices.page_minimum,
        min_order_value=find_min_order_value(prepared),
        price_tiers=prices.tiers,
        lead_time_days=find_lead_time(prepared),
        in_stock=True if stock_partial else find_in_stock(prepared),
        ships_abroad=find_ships_abroad(prepared),
        returns=find_returns(prepared),
        sample=find_sample(prepared),
        certifications=certifications.held,
        certifications_missing=certifications.missing,
        carton=find_carton(prepared),
        unit_weight_kg=find_unit_weight(prepared),
        oem=find_oem(prepared),
        ships_to_forwarder=find_ships_to_forwarder(prepared),
        free_domestic_shipping=find_free_domestic_shipping(prepared),
        price_includes_tax=find_price_includes_tax(prepared),
        stock_partial=stock_partial,
    )
    return dataclasses.replace(result, not_understood=not_understood(prepared, result))
