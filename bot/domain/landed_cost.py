"""What goods cost at the buyer's door: the unit price from the right tier, domestic freight, the agent's
commission, the payment fee, international shipping by chargeable weight, duty and tax, in the buyer's currency.

Plain Python on `Decimal`s. Every line is kept unrounded; rounding happens only when a result is shown or
printed (`LandedCost.to_dict`). Facts a supplier did not state are assumed (0, or the shipping minimum) and each
assumption is listed, never made silently.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from bot.extraction.result import Carton, PriceTier
from bot.extraction.text import decimal_text

CENT = Decimal("0.01")
PER_UNIT_PLACES = Decimal("0.0001")
HALF_KG = Decimal("0.5")
LINES = ("goods", "domestic_freight", "agent_commission", "payment_fee", "shipping", "duty", "tax")


@dataclass(frozen=True)
class Rate:
    """An international shipping rate: price per chargeable kg, the least charged, and the divisor that turns a
    carton's cm³ into volumetric kg (None: weight only)."""

    per_kg: Decimal
    min_charge: Decimal
    volumetric_divisor: int | None
    currency: str


@dataclass(frozen=True)
class CostInput:
    quantity: int
    price_tiers: Sequence[PriceTier]
    currency: str  # the buyer's
    fx: Mapping[str, Decimal] = field(default_factory=dict)  # units of `currency` for one unit of each other one
    moq: int | None = None
    domestic_freight: Decimal | None = None  # CNY, total; None: not stated
    carton: Carton | None = None
    unit_weight_kg: Decimal | None = None
    rate: Rate | None = None
    agent_commission_pct: Decimal = Decimal(0)
    payment_fee_pct: Decimal = Decimal(0)
    duty_pct: Decimal = Decimal(0)
    tax_pct: Decimal = Decimal(0)
    duty_base: str = "CIF"  # or "FOB": whether shipping is part of the customs value


@dataclass(frozen=True)
class NextTier:
    quantity: int
    goods_difference: Decimal  # in the buyer's currency; negative when ordering more costs less


@dataclass(frozen=True)
class LandedCost:
    unit_price: Decimal  # in the tier's currency
    unit_currency: str
    tier_min_qty: int
    below_moq: bool
    cartons: int | None
    chargeable_kg: Decimal
    lines: dict[str, Decimal]  # LINES, unrounded, in `currency`
    currency: str
    quantity: int
    next_tier: NextTier | None
    assumptions: tuple[str, ...]

    @property
    def total(self) -> Decimal:
        return sum(self.lines.values(), Decimal(0))

    @property
    def per_unit(self) -> Decimal:
        return self.total / self.quantity

    def to_dict(self) -> dict[str, object]:
        """As `sourcing-bot landed-cost` prints it: money with 2 decimals, the unit cost with 4 (half up)."""
        return {
            "unit_price": decimal_text(self.unit_price),
            "tier_min_qty": self.tier_min_qty,
            "below_moq": self.below_moq,
            "cartons": self.cartons,
            "chargeable_kg": decimal_text(self.chargeable_kg),
            "lines": {name: _money(value) for name, value in self.lines.items()},
            "total": _money(self.total),
            "per_unit": str(self.per_unit.quantize(PER_UNIT_PLACES, ROUND_HALF_UP)),
            "currency": self.currency,
            "next_tier": (
                {"quantity": self.next_tier.quantity, "goods_difference": _money(self.next_tier.goods_difference)}
                if self.next_tier
                else None
            ),
            "assumptions": list(self.assumptions),
        }


class CostError(ValueError):
    """An input that can't be costed; `key` names it."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}")
        self.key = key
        self.problem = problem


def tier_for(tiers: Sequence[PriceTier], quantity: int) -> PriceTier:
    """The tier with the largest start not above `quantity`; below every tier, the lowest."""
    ordered = sorted(tiers, key=lambda tier: tier.min_qty)
    if not ordered:
        raise CostError("price_tiers", "at least one price tier is needed")
    chosen = ordered[0]
    for tier in ordered:
        if tier.min_qty <= quantity:
            chosen = tier
    return chosen


def landed_cost(given: CostInput) -> LandedCost:
    if given.quantity <= 0:
        raise CostError("quantity", "must be a whole number above 0")
    assumptions: list[str] = []
    tier = tier_for(given.price_tiers, given.quantity)
    lowest = min(tier.min_qty for tier in given.price_tiers)
    below_moq = given.quantity < lowest or (given.moq is not None and given.quantity < given.moq)

    def converted(amount: Decimal, currency: str) -> Decimal:
        if currency == given.currency or not amount:  # nothing to convert needs no rate
            return amount
        rate = given.fx.get(currency)
        if rate is None:
            raise CostError("fx", f"no rate for {currency} (units of {given.currency} for one {currency})")
        return amount * rate

    goods = converted(tier.unit_price * given.quantity, tier.currency)
    if given.domestic_freight is None:
        assumptions.append("domestic freight not stated: 0 assumed")
    domestic = converted(given.domestic_freight or Decimal(0), "CNY")
    cartons, chargeable = _chargeable_weight(given, assumptions)
    if given.rate is None:
        assumptions.append("no shipping rate: shipping 0 assumed")
        shipping = Decimal(0)
    else:
        shipping = converted(max(given.rate.min_charge, given.rate.per_kg * chargeable), given.rate.currency)
    agent = given.agent_commission_pct / 100 * goods
    payment = given.payment_fee_pct / 100 * (goods + domestic + agent)
    customs_value = goods + domestic + (shipping if given.duty_base == "CIF" else 0)
    duty = given.duty_pct / 100 * customs_value
    tax = given.tax_pct / 100 * (goods + domestic + shipping + duty)
    lines = dict(zip(LINES, (goods, domestic, agent, payment, shipping, duty, tax)))
    return LandedCost(
        unit_price=tier.unit_price,
        unit_currency=tier.currency,
        tier_min_qty=tier.min_qty,
        below_moq=below_moq,
        cartons=cartons,
        chargeable_kg=chargeable,
        lines=lines,
        currency=given.currency,
        quantity=given.quantity,
        next_tier=_next_tier(given, tier, goods, converted),
        assumptions=tuple(assumptions),
    )


def _chargeable_weight(given: CostInput, assumptions: list[str]) -> tuple[int | None, Decimal]:
    """Cartons needed and the chargeable weight: the larger of actual and volumetric, up to the next 0.5 kg."""
    carton = given.carton
    cartons = math.ceil(given.quantity / carton.units) if carton and carton.units else None
    actual = Decimal(0)
    if cartons is not None and carton and carton.gross_kg is not None:
        actual = cartons * carton.gross_kg
    elif given.unit_weight_kg is not None:
        actual = given.quantity * given.unit_weight_kg
    else:
        assumptions.append("weight not stated: shipping at the minimum charge")
    volumetric = Decimal(0)
    divisor = given.rate.volumetric_divisor if given.rate else None
    sizes = (carton.length_cm, carton.width_cm, carton.height_cm) if carton else (None, None, None)
    if cartons is not None and divisor and all(size is not None for size in sizes):
        length, width, height = sizes
        volumetric = cartons * length * width * height / divisor  # type: ignore[operator]
    chargeable = (max(actual, volumetric) / HALF_KG).to_integral_value(ROUND_CEILING) * HALF_KG
    return cartons, chargeable


def _next_tier(
    given: CostInput, used: PriceTier, goods: Decimal, converted: Callable[[Decimal, str], Decimal]
) -> NextTier | None:
    above = sorted((tier for tier in given.price_tiers if tier.min_qty > used.min_qty), key=lambda tier: tier.min_qty)
    if not above:
        return None
    nearest = above[0]
    more = converted(nearest.unit_price * nearest.min_qty, nearest.currency)
    return NextTier(nearest.min_qty, more - goods)


def _money(value: Decimal) -> str:
    return str(value.quantize(CENT, ROUND_HALF_UP))


