"""Landed cost: the tier used, what the goods weigh when shipped, the lines in the buyer's currency, and what
`sourcing-bot landed-cost` prints."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.db.session import Database
from bot.domain.landed_cost import CostError, CostInput, Rate, landed_cost, tier_for
from bot.domain.quotes import CostSettings, Terms, quote
from bot.domain.shipping import RateFileError, ShippingMethod, example_rates, parse_rates, rates_to
from bot.extraction.result import Carton, LeadTime, PriceTier
from bot.landed_cost_cli import run_landed_cost
from bot.services.exchange_rates import conversion_to, refresh_from_ecb
from tests.builders import actor_of

TIERS = (
    PriceTier(100, 499, Decimal("12"), "CNY"),
    PriceTier(500, 999, Decimal("10"), "CNY"),
    PriceTier(1000, None, Decimal("9.5"), "CNY"),
)
CARTON = Carton(200, Decimal(60), Decimal(40), Decimal(35), Decimal(12))
AIR = Rate(Decimal("5.5"), Decimal(50), 6000, "SGD")


def cost(**changes: Any) -> CostInput:
    base: dict[str, Any] = {
        "quantity": 450,
        "price_tiers": TIERS,
        "currency": "SGD",
        "fx": {"CNY": Decimal("0.1850")},
        "moq": 100,
        "carton": CARTON,
        "rate": AIR,
    }
    return CostInput(**{**base, **changes})


@pytest.mark.parametrize(
    ("quantity", "tier_start", "below"),
    [(1, 100, True), (99, 100, True), (100, 100, False), (499, 100, False), (500, 500, False), (999, 500, False),
     (1000, 1000, False), (50_000, 1000, False)],
)  # fmt: skip
def test_the_tier_used_is_the_largest_start_not_above_the_quantity(quantity: int, tier_start: int, below: bool) -> None:
    result = landed_cost(cost(quantity=quantity))
    assert result.tier_min_qty == tier_start and result.below_moq is below
    assert tier_for(list(reversed(TIERS)), quantity).min_qty == tier_start  # whatever order the tiers come in


def test_a_quantity_above_the_lowest_tier_but_below_the_moq_is_flagged() -> None:
    result = landed_cost(cost(quantity=150, moq=200))
    assert result.tier_min_qty == 100 and result.below_moq


def test_a_worked_example_line_by_line() -> None:
    result = landed_cost(cost(agent_commission_pct=Decimal(3), payment_fee_pct=Decimal(1), tax_pct=Decimal(9)))
    printed = result.to_dict()
    # 450 × ¥12 = ¥5,400 = S$999.00; 3 cartons of 60×40×35 cm: 42 kg volumetric over 36 kg actual.
    assert printed["cartons"] == 3 and printed["chargeable_kg"] == "42"
    assert printed["lines"] == {
        "goods": "999.00",
        "domestic_freight": "0.00",
        "agent_commission": "29.97",
        "payment_fee": "10.29",  # 1% of 1,028.97
        "shipping": "231.00",  # 42 kg × 5.5, above the 50 minimum
        "duty": "0.00",
        "tax": "110.70",  # 9% of 999 + 231
    }
    assert printed["total"] == "1380.96"  # the unrounded lines summed: 1,380.9597
    assert printed["per_unit"] == "3.0688"
    assert printed["next_tier"] == {"quantity": 500, "goods_difference": "-74.00"}  # 500 cost less than 450
    assert printed["assumptions"] == ["domestic freight not stated: 0 assumed"]


def test_actual_weight_wins_when_heavier_and_rounds_up_to_half_a_kilo() -> None:
    heavy = Carton(200, Decimal(30), Decimal(20), Decimal(20), Decimal("20.1"))
    result = landed_cost(cost(carton=heavy))
    assert result.chargeable_kg == Decimal("60.5")  # 3 × 20.1 = 60.3
    by_piece = landed_cost(cost(carton=None, unit_weight_kg=Decimal("0.12")))
    assert by_piece.cartons is None and by_piece.chargeable_kg == Decimal(54)


def test_a_light_parcel_pays_the_minimum_and_unknown_weight_is_an_assumption() -> None:
    result = landed_cost(cost(quantity=100, carton=None, unit_weight_kg=Decimal("0.01")))
    assert result.lines["shipping"] == Decimal(50)
    unknown = landed_cost(cost(carton=None))
    assert unknown.lines["shipping"] == Decimal(50)
    assert "weight not stated: shipping at the minimum charge" in unknown.assumptions


def test_duty_on_fob_leaves_shipping_out_and_cif_puts_it_in() -> None:
    cif = landed_cost(cost(duty_pct=Decimal(10), domestic_freight=Decimal(100)))
    fob = landed_cost(cost(duty_pct=Decimal(10), domestic_freight=Decimal(100), duty_base="FOB"))
    assert cif.lines["duty"] == Decimal("0.1") * (Decimal(999) + Decimal("18.5") + Decimal(231))
    assert fob.lines["duty"] == Decimal("0.1") * (Decimal(999) + Decimal("18.5"))


def test_money_rounds_half_up_only_when_shown() -> None:
    result = landed_cost(cost(quantity=1000, price_tiers=(PriceTier(1, None, Decimal("0.00125"), "USD"),),
                              fx={"USD": Decimal(1), "CNY": Decimal("0.1850")}, currency="USD", rate=None))  # fmt: skip
    assert result.lines["goods"] == Decimal("1.25000")
    result = landed_cost(cost(quantity=1, price_tiers=(PriceTier(1, None, Decimal("0.005"), "USD"),),
                              fx={"USD": Decimal(1)}, currency="USD", rate=None, carton=None))  # fmt: skip
    assert result.to_dict()["lines"]["goods"] == "0.01" and result.to_dict()["per_unit"] == "0.0050"


def test_a_currency_without_a_rate_is_refused_by_name() -> None:
    with pytest.raises(CostError) as refused:
        landed_cost(cost(fx={}))
    assert refused.value.key == "fx" and "CNY" in refused.value.problem


def run(payload: Any) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    text = payload if isinstance(payload, str) else json.dumps(payload)
    status = run_landed_cost(io.StringIO(text), stdout, stderr)
    return status, stdout.getvalue(), stderr.getvalue()


GOOD = {
    "quantity": 450,
    "price_tiers": [{"min_qty": 100, "max_qty": 499, "unit_price": "12", "currency": "CNY"},
                    {"min_qty": 500, "max_qty": None, "unit_price": "10", "currency": "CNY"}],
    "moq": 100, "domestic_freight": "30", "carton": {"units": 200, "length_cm": 60, "width_cm": 40, "height_cm": 35,
    "gross_kg": 12}, "unit_weight_kg": None,
    "rate": {"per_kg": "5.5", "min_charge": "50", "volumetric_divisor": 6000, "currency": "SGD"},
    "agent_commission_pct": "3", "payment_fee_pct": None, "duty_pct": None, "tax_pct": "9", "duty_base": "CIF",
    "currency": "SGD", "fx": {"CNY": "0.1850"},
}  # fmt: skip


def test_the_command_prints_one_json_object_with_every_key() -> None:
    status, out, err = run(GOOD)
    assert status == 0 and err == ""
    printed = json.loads(out)
    assert list(printed) == ["unit_price", "tier_min_qty", "below_moq", "cartons", "chargeable_kg", "lines", "total",
                             "per_unit", "currency", "next_tier", "assumptions"]  # fmt: skip
    assert printed["lines"]["domestic_freight"] == "5.55" and printed["assumptions"] == []


@pytest.mark.parametrize(
    ("change", "key"),
    [({"quantity": "450"}, "quantity"), ({"quantity": 0}, "quantity"), ({"price_tiers": []}, "price_tiers"),
     ({"price_tiers": [{"min_qty": 1, "unit_price": "abc"}]}, "price_tiers[0].unit_price"),
     ({"domestic_freight": "-3"}, "domestic_freight"), ({"carton": {"units": 0}}, "carton.units"),
     ({"rate": {"per_kg": "5", "currency": "SGDX"}}, "rate.currency"), ({"tax_pct": "nine"}, "tax_pct"),
     ({"duty_base": "DDP"}, "duty_base"), ({"currency": None}, "currency"), ({"fx": {}}, "fx")],
)  # fmt: skip
def test_a_bad_input_prints_one_line_naming_the_key_and_exits_2(change: dict[str, Any], key: str) -> None:
    status, out, err = run({**GOOD, **change})
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"{key}: ")


def test_junk_instead_of_json_exits_2() -> None:
    status, _, err = run("not json")
    assert status == 2 and err.startswith("input: ")


def test_the_example_rate_table_reads_and_a_bad_rate_file_names_row_and_column() -> None:
    rates = example_rates()
    assert {rate.method for rate in rates_to(rates, "SG")} == set(ShippingMethod)
    good = "method,destination,per_kg,min_charge,currency,volumetric_divisor,max_kg,transit_days_min,transit_days_max\n"
    assert parse_rates(good + "sea_freight,AU,4.5,1000,CNY,1000,,20,35\n")[0].transit_days == (20, 35)
    for row, column in (
        ("boat,AU,4.5,1000,CNY,1000,,20,35", "method"),
        ("sea_freight,Australia,4.5,1000,CNY,1000,,20,35", "destination"),
        ("sea_freight,AU,cheap,1000,CNY,1000,,20,35", "per_kg"),
        ("sea_freight,AU,4.5,1000,CNY,0,,20,35", "volumetric_divisor"),
        ("sea_freight,AU,4.5,1000,CNY,1000,,35,20", "transit_days_max"),
    ):
        with pytest.raises(RateFileError) as refused:
            parse_rates(good + "sea_freight,AU,4.5,1000,CNY,1000,,20,35\n" + row + "\n")
        assert (refused.value.row, refused.value.column) == (3, column)
    with pytest.raises(RateFileError) as refused:
        parse_rates("method,destination\nsea_freight,AU\n")
    assert (refused.value.row, refused.value.column) == (1, "per_kg")


def test_the_cheapest_usable_method_is_recommended_with_the_faster_one_to_weigh_it_against() -> None:
    terms = Terms(price_tiers=TIERS, moq=100, carton=CARTON, lead_time=LeadTime(None, 15))
    settings = CostSettings("SGD", {"CNY": Decimal("0.185")})
    found = quote(1, "Yiwu", "cups", 450, terms, rates_to(example_rates(), "SG"), settings)
    usable = {option.rate.method: option.usable for option in found.options}
    assert usable[ShippingMethod.EPACKET] is False  # 42 kg is far above ePacket's 2 kg
    assert found.recommendation is not None
    assert found.recommendation.best.rate.method is ShippingMethod.SPECIAL_LINE
    assert found.recommendation.runner_up is not None
    assert found.recommendation.runner_up.rate.transit_days[1] < found.recommendation.best.rate.transit_days[1]
    assert found.days_to_door == 15 + 10
    unweighed = quote(1, "Yiwu", "cups", 450, Terms(price_tiers=TIERS), rates_to(example_rates(), "SG"), settings)
    assert all(option.rate.method is not ShippingMethod.EPACKET for option in unweighed.options if option.usable)


async def test_the_central_bank_feed_is_read_and_kept_with_its_date(database: Database) -> None:
    feed = """<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
<Cube><Cube time="2026-11-27"><Cube currency="USD" rate="1.0500"/><Cube currency="CNY" rate="7.6000"/>
<Cube currency="SGD" rate="1.4060"/></Cube></Cube></gesmes:Envelope>"""

    async def serve(_: web.Request) -> web.Response:
        return web.Response(text=feed, content_type="text/xml")

    app = web.Application()
    app.router.add_get("/eurofxref-daily.xml", serve)
    now = datetime(2026, 11, 30, tzinfo=UTC)
    async with TestServer(app, host="127.0.0.1") as server:  # the bank's feed, faked over HTTP
        assert await refresh_from_ecb(database, str(server.make_url("/eurofxref-daily.xml")), now=now) == date(2026, 11, 27)
        assert await refresh_from_ecb(database, str(server.make_url("/missing")), now=now) is None  # kept as it was
    actor = await actor_of(database, 1)
    conversion = await conversion_to(database, actor, "SGD", {"CNY", "USD", "TWD"}, now=now)
    assert conversion.fx["CNY"] == Decimal("1.4060") / Decimal("7.6000")
    assert conversion.missing == ["TWD"] and conversion.notes == []
    later = await conversion_to(database, actor, "SGD", {"CNY"}, now=now + timedelta(days=9))
    assert later.notes == ["CNY→SGD rate is from 2026-11-27, more than a week old"]
