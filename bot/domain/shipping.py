"""Ways to ship from China, their rates, and which one suits a shipment.

The methods are the guide's: ePacket (small, light, low value: low cost, regular speed), air express
(DHL/FedEx/UPS: urgent or valuable, high cost, fastest), sea freight (heavy or bulky: low cost, slow) and special
line (Amazon FBA or valuable: medium cost, fast). Rates come from a CSV table: the example one shipped in
`bot/data/shipping_rates.csv` (dated), or a workspace's own from its forwarder.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from importlib import resources

from bot.domain.landed_cost import LandedCost, Rate
from bot.i18n import N_


class ShippingMethod(StrEnum):
    EPACKET = "epacket"
    AIR_EXPRESS = "air_express"
    SPECIAL_LINE = "special_line"
    SEA_FREIGHT = "sea_freight"


METHOD_NAMES = {
    ShippingMethod.EPACKET: N_("ePacket"),
    ShippingMethod.AIR_EXPRESS: N_("Air express"),
    ShippingMethod.SPECIAL_LINE: N_("Special line"),
    ShippingMethod.SEA_FREIGHT: N_("Sea freight"),
}
COLUMNS = (
    "method", "destination", "per_kg", "min_charge", "currency", "volumetric_divisor", "max_kg",
    "transit_days_min", "transit_days_max",
)  # fmt: skip
EXAMPLE_RATES_DATE = "2026-11-01"
MAX_RATE_ROWS = 2000


@dataclass(frozen=True)
class MethodRate:
    method: ShippingMethod
    destination: str  # ISO country code
    rate: Rate
    max_kg: Decimal | None  # the heaviest shipment the method takes
    transit_days: tuple[int, int]


class RateFileError(ValueError):
    """A rate table that can't be used: the row (1 = the header) and column that are wrong, and why."""

    def __init__(self, row: int, column: str, problem: str) -> None:
        super().__init__(f"row {row}, {column}: {problem}")
        self.row = row
        self.column = column
        self.problem = problem


def parse_rates(text: str) -> list[MethodRate]:
    """A rate table in CSV (lines starting with # are comments). Raises RateFileError naming row and column."""
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise RateFileError(1, missing[0], f"the header needs the columns {', '.join(COLUMNS)}")
    rates = []
    for row_number, row in enumerate(reader, start=2):
        if row_number > MAX_RATE_ROWS:
            raise RateFileError(row_number, "method", f"at most {MAX_RATE_ROWS} rows")
        rates.append(_rate_row(row_number, row))
    if not rates:
        raise RateFileError(2, "method", "no rates in the file")
    return rates


def _rate_row(number: int, row: dict[str, str | None]) -> MethodRate:
    def text(column: str) -> str:
        return (row.get(column) or "").strip()

    def amount(column: str, *, optional: bool = False) -> Decimal | None:
        written = text(column)
        if not written and optional:
            return None
        try:
            value = Decimal(written)
        except InvalidOperation:
            raise RateFileError(number, column, f"{written!r} is not a number") from None
        if not value.is_finite() or value < 0:
            raise RateFileError(number, column, "must be a number of 0 or more")
        return value

    try:
        method = ShippingMethod(text("method").lower())
    except ValueError:
        raise RateFileError(number, "method", f"one of {', '.join(ShippingMethod)}") from None
    destination = text("destination").upper()
    if len(destination) != 2 or not destination.isalpha():
        raise RateFileError(number, "destination", "a two-letter country code, like SG")
    currency = text("currency").upper()
    if len(currency) != 3 or not currency.isalpha():
        raise RateFileError(number, "currency", "a three-letter currency code, like CNY")
    divisor = amount("volumetric_divisor", optional=True)
    if divisor is not None and (divisor != divisor.to_integral_value() or divisor < 1):
        raise RateFileError(number, "volumetric_divisor", "a whole number of cm³ per kg, like 5000, or empty")
    fastest, slowest = amount("transit_days_min"), amount("transit_days_max")
    assert fastest is not None and slowest is not None
    if slowest < fastest or fastest != fastest.to_integral_value() or slowest != slowest.to_integral_value():
        raise RateFileError(number, "transit_days_max", "whole days, not fewer than transit_days_min")
    per_kg, minimum = amount("per_kg"), amount("min_charge")
    assert per_kg is not None and minimum is not None
    return MethodRate(
        method,
        destination,
        Rate(per_kg, minimum, None if divisor is None else int(divisor), currency),
        amount("max_kg", optional=True),
        (int(fastest), int(slowest)),
    )


def example_rates() -> list[MethodRate]:
    """The example table that ships with the bot (see EXAMPLE_RATES_DATE)."""
    return parse_rates(resources.files("bot.data").joinpath("shipping_rates.csv").read_text(encoding="utf-8"))


def rate_table(own_csv: str | None) -> list[MethodRate]:
    """The rates a workspace costs shipping with: its forwarder's table when it sent one, else the example."""
    return parse_rates(own_csv) if own_csv else example_rates()


def rates_to(rates: list[MethodRate], destination: str | None) -> list[MethodRate]:
    """The rates for one destination, one per method, in the order of ShippingMethod."""
    found = {rate.method: rate for rate in rates if rate.destination == (destination or "").upper()}
    return [found[method] for method in ShippingMethod if method in found]


@dataclass(frozen=True)
class ShippingOption:
    rate: MethodRate
    cost: LandedCost
    usable: bool  # the shipment is within what the method takes


@dataclass(frozen=True)
class Recommendation:
    best: ShippingOption
    reason: str  # msgid
    runner_up: ShippingOption | None  # the next best, for the trade-off


def recommend(options: list[ShippingOption]) -> Recommendation | None:
    """The cheapest usable method at the door, with why (in the guide's terms), and the next best to weigh it
    against: when the cheapest is slow, the fastest is the runner-up."""
    usable = [option for option in options if option.usable]
    if not usable:
        return None
    best = min(usable, key=lambda option: (option.cost.total, option.rate.transit_days))
    reason = {
        ShippingMethod.EPACKET: N_("small and light: ePacket is the cheapest, at regular speed"),
        ShippingMethod.AIR_EXPRESS: N_("light for its value: air express costs least here and is the fastest"),
        ShippingMethod.SPECIAL_LINE: N_("a set route: the special line costs least here and is fast"),
        ShippingMethod.SEA_FREIGHT: N_("heavy or bulky: sea freight costs least, but it is slow"),
    }[best.rate.method]
    others = [option for option in usable if option is not best]
    faster = [option for option in others if option.rate.transit_days[1] < best.rate.transit_days[1]]
    pool = faster or others
    runner_up = min(pool, key=lambda option: option.cost.total) if pool else None
    return Recommendation(best, reason, runner_up)
