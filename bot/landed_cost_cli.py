"""`sourcing-bot landed-cost`: one JSON object of inputs on stdin, one JSON object of costs on stdout.

A bad input prints one line naming its key and exits 2; the bot's quotes use the same `landed_cost()`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, TextIO

from bot.domain.landed_cost import CostError, CostInput, Rate, landed_cost
from bot.extraction.result import Carton, PriceTier

EXIT_BAD_INPUT = 2
_PERCENTAGES = ("agent_commission_pct", "payment_fee_pct", "duty_pct", "tax_pct")


def run_landed_cost(stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    try:
        data = json.loads(stdin.read())
    except json.JSONDecodeError as error:
        print(f"input: not valid JSON ({error.msg}, line {error.lineno})", file=stderr)
        return EXIT_BAD_INPUT
    try:
        result = landed_cost(cost_input(data))
    except CostError as error:
        print(f"{error.key}: {error.problem}", file=stderr)
        return EXIT_BAD_INPUT
    stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    return 0


def cost_input(data: Any) -> CostInput:
    """The inputs, checked: raises CostError naming the first bad key."""
    if not isinstance(data, dict):
        raise CostError("input", "expected one JSON object")
    # Checked in the order the keys are documented, so the first bad one is named.
    quantity = _whole(data.get("quantity"), "quantity", minimum=1)
    tiers = _tiers(data.get("price_tiers"))
    moq = None if data.get("moq") is None else _whole(data["moq"], "moq", minimum=0)
    domestic_freight = _decimal(data.get("domestic_freight"), "domestic_freight", optional=True)
    carton = _carton(data.get("carton"))
    unit_weight = _decimal(data.get("unit_weight_kg"), "unit_weight_kg", optional=True)
    rate = _rate(data.get("rate"))
    percentages = {key: _decimal(data.get(key), key, optional=True) or Decimal(0) for key in _PERCENTAGES}
    duty_base = _duty_base(data.get("duty_base"))
    return CostInput(
        quantity=quantity,
        price_tiers=tiers,
        currency=_currency(data.get("currency"), "currency"),
        fx=_fx(data.get("fx")),
        moq=moq,
        domestic_freight=domestic_freight,
        carton=carton,
        unit_weight_kg=unit_weight,
        rate=rate,
        duty_base=duty_base,
        **percentages,
    )


def _whole(value: Any, key: str, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise CostError(key, f"must be a whole number of at least {minimum}")
    return value


def _decimal(value: Any, key: str, *, optional: bool = False) -> Decimal | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise CostError(key, "must be a number written as a string, like \"12.50\"")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise CostError(key, f"{value!r} is not a number") from None
    if not number.is_finite() or number < 0:
        raise CostError(key, "must be a number of 0 or more")
    return number


def _currency(value: Any, key: str) -> str:
    if not isinstance(value, str) or len(value) != 3 or not value.isalpha():
        raise CostError(key, "must be a three-letter currency code, like \"SGD\"")
    return value.upper()


def _tiers(value: Any) -> tuple[PriceTier, ...]:
    if not isinstance(value, list) or not value:
        raise CostError("price_tiers", "must be a list of at least one tier, as `sourcing-bot extract` prints them")
    tiers = []
    for index, tier in enumerate(value):
        key = f"price_tiers[{index}]"
        if not isinstance(tier, dict):
            raise CostError(key, "must be an object with min_qty, max_qty, unit_price and currency")
        maximum = tier.get("max_qty")
        tiers.append(
            PriceTier(
                _whole(tier.get("min_qty"), f"{key}.min_qty", minimum=0),
                None if maximum is None else _whole(maximum, f"{key}.max_qty", minimum=0),
                _decimal(tier.get("unit_price"), f"{key}.unit_price") or Decimal(0),
                _currency(tier.get("currency", "CNY"), f"{key}.currency"),
            )
        )
    return tuple(tiers)


def _fx(value: Any) -> dict[str, Decimal]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise CostError("fx", "must be an object of currency codes and rates, like {\"CNY\": \"0.1850\"}")
    rates = {}
    for code, rate in value.items():
        number = _decimal(rate, f"fx.{code}")
        if not number:
            raise CostError(f"fx.{code}", "must be above 0")
        rates[_currency(code, "fx")] = number
    return rates


def _carton(value: Any) -> Carton | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise CostError("carton", "must be an object as `sourcing-bot extract` prints it, or null")
    units = value.get("units")
    return Carton(
        None if units is None else _whole(units, "carton.units", minimum=1),
        *(_decimal(value.get(part), f"carton.{part}", optional=True) for part in ("length_cm", "width_cm", "height_cm", "gross_kg")),
    )


def _rate(value: Any) -> Rate | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise CostError("rate", "must be an object with per_kg, min_charge, volumetric_divisor and currency")
    divisor = value.get("volumetric_divisor")
    return Rate(
        _decimal(value.get("per_kg"), "rate.per_kg") or Decimal(0),
        _decimal(value.get("min_charge", "0"), "rate.min_charge") or Decimal(0),
        None if divisor is None else _whole(divisor, "rate.volumetric_divisor", minimum=1),
        _currency(value.get("currency"), "rate.currency"),
    )


def _duty_base(value: Any) -> str:
    if value is None:
        return "CIF"
    if value not in ("CIF", "FOB"):
        raise CostError("duty_base", "must be \"CIF\" or \"FOB\"")
    return str(value)
