"""Quotes compared end to end: three suppliers of one product, costed to the door in the buyer's currency."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from openpyxl import load_workbook

from tests import builders
from tests.builders import actor_of
from tests.e2e.conftest import Harness, text_of

QUESTIONS = ["delivery_time", "moq", "price_tiers", "packaging", "forwarder_shipping"]
OFFERS = {
    "Yiwu Cups": "起订量100个，100-499个12元，500个以上10元，一箱200个，外箱60*40*35cm，毛重12kg，交期15天，包邮",
    "Ningbo Glass": "起订量300个，单价9.5元，一箱100个，外箱50*40*30cm，毛重10kg，交期20天，运费另算",
    "Shantou Home": "MOQ 500pcs, USD 1.60/pc, carton 100pcs 45*35*30cm 9kg, lead time 10 days",
}


async def offers_recorded(
    bot: Harness,
    user,
    offers: dict[str, str],
    *,
    product: str = "Glass cups 300ml",
    rates: tuple[str, ...] = ("CNY 0.185",),
    questions: list[str] = QUESTIONS,
) -> list[str]:
    """Sent inquiries for one product, 450 pcs each, one per supplier, the team's exchange `rates` set (once the
    inquiries gave it a currency), each offer pasted and confirmed. Returns what /rates answered."""
    database = bot.services.database
    actor = await actor_of(database, user["id"])
    for supplier in offers:
        await builders.sent_inquiry(database, actor, product=product, quantity=450, supplier=supplier, questions=questions)
    answered = [text_of(await bot.say(user, f"/rates {rate}")) for rate in rates]
    for number, offer in enumerate(offers.values(), start=1):
        await bot.say(user, "/inquiries")
        await bot.press(user, str(number))
        bot.emulator.send_text(user, bot.emulator.private_chat(user), offer)
        await bot.settle()
        await bot.press(user, "All correct")
    return answered


async def test_three_suppliers_are_compared_on_landed_cost_with_what_is_assumed(bot: Harness):
    ana = bot.user("Ana")
    noted = await offers_recorded(bot, ana, OFFERS, rates=("CNY 0.185", "USD 1.30"))
    assert "Noted: 1 CNY = 0.185 SGD" in noted[0]
    shown = text_of(await bot.say(ana, "/compare"))
    assert "Quotes for Glass cups 300ml" in shown and "450 pcs to SG, landed in SGD" in shown
    # Yiwu: 450 × ¥12 = ¥5,400 → S$999.00 goods; 3 cartons, 42 kg by volume; the special line at ¥18/kg:
    # ¥756 → S$139.86; free domestic shipping. Landed S$1,138.86, S$2.53 a piece.
    assert "Yiwu Cups: ¥12.00 each from 100 · total S$1,138.86 · Special line" in shown
    assert "500 instead costs S$74.00 less" in shown
    assert "Shantou Home" in shown and "below their MOQ" in shown  # 450 < 500
    breaks = shown.split("Unit price at other quantities (SGD):")[1].split("1. ")[0]
    assert "100    300    450    500" in breaks  # every tier start near 450, and 450 itself
    yiwu = next(line for line in breaks.splitlines() if line.startswith(str(_rank(shown, "Yiwu Cups"))))
    assert yiwu.split()[1:] == ["2.22", "2.22", "2.22", "1.85"]  # ¥12 until 500, then ¥10, at 0.185
    assert "💡 Ningbo Glass: a set route: the special line costs least here and is fast; Air express arrives" in shown
    assert "duty rate not set: 0 assumed" in shown and "example rates of 2026-11-01" in shown
    # Ningbo: ¥9.50 × 450 = ¥4,275 → S$790.875; 5 cartons of 50×40×30 cm, 10 kg: 50 kg either way, on the
    # special line at ¥18/kg = ¥900 → S$166.50. S$957.375 in all.
    assert "Ningbo Glass: ¥9.50 each from 300 · total S$957.38 · Special line" in shown
    assert "assumed: domestic freight not stated: 0 assumed" in shown and "<i>" not in shown  # Ningbo did not say
    table = shown.split("per pc")[1].split("Unit price at")[0]
    assert table.index("Ningbo Glass") < table.index("Shantou Home") < table.index("Yiwu Cups")  # cheapest first
    soonest = text_of(await bot.press(ana, "Soonest")).split("per pc")[1]
    assert soonest.index("Yiwu Cups") < soonest.index("Ningbo Glass")  # 15 days + 10 in transit, before 20 + 10


def _rank(shown: str, supplier: str) -> int:
    table = shown.split("per pc")[1].split("Unit price at")[0]
    return next(int(line.split()[0]) for line in table.splitlines() if supplier in line)


async def test_an_old_team_rate_is_pointed_out(bot: Harness):
    ana = bot.user("Ana")
    database = bot.services.database
    actor = await actor_of(database, ana["id"])
    await builders.sent_inquiry(database, actor, product="Glass cups", quantity=450, supplier="Yiwu Cups")
    await bot.say(ana, "/rates CNY 0.185")
    await bot.say(ana, "/inquiries")
    await bot.press(ana, "1")
    bot.emulator.send_text(ana, bot.emulator.private_chat(ana), "起订量100个，单价12元")
    await bot.settle()
    await bot.press(ana, "All correct")
    bot.services.clock.advance(timedelta(days=9))
    shown = text_of(await bot.say(ana, "/compare"))
    assert "CNY→SGD rate is from" in shown and "more than a week old" in shown


async def test_a_quote_is_accepted_and_negotiation_suggests_the_lowest_other_price(bot: Harness):
    ana = bot.user("Ana")
    two = {supplier: OFFERS[supplier] for supplier in ("Yiwu Cups", "Ningbo Glass")}
    await offers_recorded(bot, ana, two, product="Glass cups")
    await bot.say(ana, "/compare")
    accepted = text_of(await bot.press(ana, "1: accept"))  # Ningbo, the cheapest
    assert "1 ✓Ningbo Glass" in accepted
    asked = text_of(await bot.press(ana, "2: negotiate"))  # Yiwu, at ¥12
    assert "Another supplier quotes ¥9.50 a piece" in asked
    another = text_of(await bot.say(ana, "/inquiries"))
    assert "Glass cups" in another
    await bot.press(ana, "1")
    more = text_of(await bot.press(ana, "Ask another supplier the same"))
    assert "The same product, quantity and questions, for another supplier." in more


async def test_the_comparison_exports_as_a_readable_chart_a_spreadsheet_and_csv(bot: Harness):
    ana = bot.user("Ana")
    await offers_recorded(bot, ana, OFFERS, rates=("CNY 0.185", "USD 1.30"))
    await bot.say(ana, "/compare")
    chat = bot.emulator.private_chat(ana)

    async def received(label: str) -> bytes:
        await bot.press(ana, label)
        message = bot.emulator.messages(chat)[-1]
        media = message.content.get("document") or message.content["photo"][-1]
        return bot.emulator.stored_file(media["file_id"]).data

    chart = await received("Chart")
    assert chart.startswith(b"\x89PNG") and len(chart) > 10_000
    workbook = load_workbook(io.BytesIO(await received("XLSX")))
    sheet = workbook["Quotes"]
    header = [cell.value for cell in sheet[1]]
    ningbo = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "Ningbo Glass" and row[4])
    assert ningbo[header.index("method")] == "Special line" and ningbo[header.index("total")] == 957.38
    assert ningbo[header.index("goods")] == 790.88 and ningbo[header.index("shipping")] == 166.5
    table = list(csv.reader(io.StringIO((await received("CSV")).decode("utf-8-sig"))))
    assert table[0] == header and len(table) == 1 + 3 * 4  # three suppliers, four methods each
    assert any(row[1] == "Yiwu Cups" and row[4] == "True" and row[header.index("total")] == "1138.86" for row in table)


async def test_a_forwarder_rate_file_and_import_rates_replace_the_assumptions(bot: Harness):
    ana = bot.user("Ana")
    await offers_recorded(bot, ana, {"Yiwu Cups": OFFERS["Yiwu Cups"]}, product="Glass cups")
    chat = bot.emulator.private_chat(ana)
    header = "method,destination,per_kg,min_charge,currency,volumetric_divisor,max_kg,transit_days_min,transit_days_max\n"
    bot.emulator.send_document(ana, chat, (header + "air_express,SG,20,100,CNY,5000,,2,3\nboat,SG,1,1,CNY,,,1,2\n").encode(), "rates.csv")
    await bot.settle()
    assert "row 3, column method" in bot.last_text(chat) and "Nothing changed" in bot.last_text(chat)
    bot.emulator.send_document(ana, chat, (header + "air_express,SG,20,100,CNY,5000,,2,3\n").encode(), "rates.csv")
    await bot.settle()
    assert "1 rates now replace the example ones" in bot.last_text(chat)
    assert "Duty to SG is 0%" in text_of(await bot.say(ana, "/rates duty SG 0"))
    await bot.say(ana, "/rates tax SG 9")
    shown = text_of(await bot.say(ana, "/compare"))
    # Goods S$999.00; 3 cartons, 50.4 kg by volume (divisor 5000), charged 50.5 kg at ¥20 = ¥1,010 → S$186.85;
    # 9% tax on both: S$106.7265. S$1,292.5765 in all.
    assert "Yiwu Cups: ¥12.00 each from 100 · total S$1,292.58 · Air express" in shown
    assert "example rates" not in shown and "duty rate not set" not in shown and "tax rate not set" not in shown


async def test_a_product_asked_before_offers_the_same_quantity_and_questions(bot: Harness):
    ana = bot.user("Ana")
    database = bot.services.database
    actor = await actor_of(database, ana["id"])
    await builders.sent_inquiry(database, actor, product="Glass cups", quantity=450, supplier="Yiwu Cups", questions=QUESTIONS)
    await bot.say(ana, "/inquiry")
    await bot.say(ana, "Ningbo Glass Co")
    offered = text_of(await bot.say(ana, "glass  CUPS"))
    assert "You asked Yiwu Cups about this product before (450 pcs)" in offered
    summary = text_of(await bot.press(ana, "The same quantity, destination and questions"))
    assert "Quantity: 450 pcs" in summary and "Packaging, carton size and weight" in summary
