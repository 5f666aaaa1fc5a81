"""Quotes: what an inquiry's recorded answers make of a supplier's offer for the buyer's quantity and destination,
costed at the door by each shipping method, and several suppliers of one product compared."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from bot.domain.landed_cost import CostError, CostInput, landed_cost, tier_for
from bot.domain.shipping import MethodRate, Recommendation, ShippingOption, recommend
from bot.extraction.result import Carton, Fact, LeadTime, Moq, PriceTier, Sample


@dataclass(frozen=True)
class Terms:
    """What a supplier's confirmed answers say about a quote; None where they say nothing."""

    price_tiers: tuple[PriceTier, ...] = ()
    moq: int | None = None
    carton: Carton | None = None
    unit_weight_kg: Decimal | None = None
    free_domestic_shipping: bool | None = None
    lead_time: LeadTime | None = None
    ships_abroad: bool | None = None
    sample: Sample | None = None

    @classmethod
    def from_facts(cls, facts: Sequence[Fact]) -> Terms:
        found: dict[str, object] = {}
        for fact in facts:
            value = fact.value
            if fact.field == "price_tiers":
                found["price_tiers"] = value
            elif isinstance(value, Moq):
                found["moq"] = int(value.quantity)
            elif isinstance(value, Carton):
                found["carton"] = value
            elif fact.field == "unit_weight_kg":
                found["unit_weight_kg"] = value
            elif fact.field == "free_domestic_shipping":
                found["free_domestic_shipping"] = value
            elif isinstance(value, LeadTime):
                found["lead_time"] = value
            elif fact.field == "ships_abroad":
                found["ships_abroad"] = value
            elif isinstance(value, Sample):
                found["sample"] = value
        return cls(**found)  # type: ignore[arg-type]


@dataclass(frozen=True)
class CostSettings:
    """A workspace's percentages for a quote (each "3" meaning 3%) and its exchange rates."""

    currency: str
    fx: Mapping[str, Decimal]  # units of `currency` for one unit of each other currency
    agent_commission_pct: Decimal = Decimal(0)
    payment_fee_pct: Decimal = Decimal(0)
    duty_pct: Decimal | None = None  # None: not set (shown as an assumption)
    tax_pct: Decimal | None = None


@dataclass(frozen=True)
class Quote:
    inquiry_id: int
    supplier: str
    product: str
    quantity: int
    options: list[ShippingOption]  # one per shipping method to the destination
    recommendation: Recommendation | None
    lead_time: LeadTime | None
    trust_score: int | None
    answered: int
    asked: int
    problem: str | None = None  # why it can't be costed (no prices yet, no exchange rate)
    price_breaks: dict[int, Decimal] = field(default_factory=dict)  # unit price in the buyer's currency at other quantities

    @property
    def best(self) -> ShippingOption | None:
        return self.recommendation.best if self.recommendation else None

    @property
    def days_to_door(self) -> int | None:
        """Production or dispatch, then transit by the recommended method (the slower ends)."""
        if self.best is None or self.lead_time is None:
            return None
        return self.lead_time.max_days + self.best.rate.transit_days[1]


def quote(
    inquiry_id: int,
    supplier: str,
    product: str,
    quantity: int,
    terms: Terms,
    rates: Sequence[MethodRate],
    settings: CostSettings,
    *,
    domestic_freight: Decimal | None = None,
    trust_score: int | None = None,
    answered: int = 0,
    asked: int = 0,
    breaks: Sequence[int] = (),
) -> Quote:
    """A supplier's offer costed to the door by every method the rate table has for the destination, with its
    unit price at the other quantities in `breaks` (the tier starts of every quote compared)."""

    def made(options: list[ShippingOption], problem: str | None = None) -> Quote:
        return Quote(
            inquiry_id, supplier, product, quantity, options, recommend(options), terms.lead_time, trust_score,
            answered, asked, problem, _price_breaks(terms, breaks, settings),
        )  # fmt: skip

    if not terms.price_tiers:
        return made([], "no price recorded yet")
    freight = Decimal(0) if terms.free_domestic_shipping else domestic_freight
    options = []
    for method_rate in rates:
        given = CostInput(
            quantity=quantity,
            price_tiers=terms.price_tiers,
            currency=settings.currency,
            fx=settings.fx,
            moq=terms.moq,
            domestic_freight=freight,
            carton=terms.carton,
            unit_weight_kg=terms.unit_weight_kg,
            rate=method_rate.rate,
            agent_commission_pct=settings.agent_commission_pct,
            payment_fee_pct=settings.payment_fee_pct,
            duty_pct=settings.duty_pct or Decimal(0),
            tax_pct=settings.tax_pct or Decimal(0),
        )
        try:
            cost = landed_cost(given)
        except CostError as error:
            return made([], error.problem)
        # With no weight known, a method with a weight limit can't be said to take the shipment.
        weighed = terms.carton is not None or terms.unit_weight_kg is not None
        usable = method_rate.max_kg is None or (weighed and cost.chargeable_kg <= method_rate.max_kg)
        options.append(ShippingOption(method_rate, cost, usable))
    return made(options)


def _price_breaks(terms: Terms, breaks: Sequence[int], settings: CostSettings) -> dict[int, Decimal]:
    prices: dict[int, Decimal] = {}
    if not terms.price_tiers:
        return prices
    for quantity in breaks:
        tier = tier_for(terms.price_tiers, quantity)
        rate = Decimal(1) if tier.currency == settings.currency else settings.fx.get(tier.currency)
        if rate is not None and quantity >= min(each.min_qty for each in terms.price_tiers):
            prices[quantity] = tier.unit_price * rate
    return prices


def price_breaks(quotes_terms: Sequence[Terms], quantity: int, most: int = 4) -> list[int]:
    """The quantities worth comparing prices at: every quote's tier starts, the buyer's quantity among them,
    the `most` nearest it."""
    starts = {tier.min_qty for terms in quotes_terms for tier in terms.price_tiers} | {quantity}
    return sorted(sorted(starts, key=lambda start: (abs(start - quantity), start))[:most])


class Ranking(StrEnum):
    COST = "cost"  # landed cost per unit, lowest first
    ARRIVAL = "arrival"  # days to door, soonest first
    TRUST = "trust"  # trust score, highest first


def ranked(quotes: Sequence[Quote], by: Ranking) -> list[Quote]:
    """Quotes in order; those that can't be costed (or lack what the order needs) come last."""

    def per_unit(item: Quote) -> Decimal:
        return item.best.cost.per_unit if item.best else Decimal("Infinity")

    if by is Ranking.ARRIVAL:
        return sorted(quotes, key=lambda item: (item.days_to_door is None, item.days_to_door or 0, per_unit(item)))
    if by is Ranking.TRUST:
        return sorted(quotes, key=lambda item: (item.trust_score is None, -(item.trust_score or 0), per_unit(item)))
    return sorted(quotes, key=lambda item: (item.best is None, per_unit(item)))
