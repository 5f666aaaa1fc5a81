"""A comparison as files: CSV and XLSX tables (one row per supplier and shipping method) and a chart of each
supplier's landed cost per piece, stacked by cost line, for the recommended method."""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP, Decimal

from bot.domain.landed_cost import LINES
from bot.domain.shipping import METHOD_NAMES
from bot.i18n import N_, Translator
from bot.services.quotes import Comparison
from bot.views import tables

CENT = Decimal("0.01")
CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Zen Hei", "Source Han Sans SC", "SimHei", "Microsoft YaHei"]
LINE_LABELS = {
    "goods": N_("Goods"), "domestic_freight": N_("Domestic freight"), "agent_commission": N_("Agent commission"),
    "payment_fee": N_("Payment fee"), "shipping": N_("Shipping"), "duty": N_("Duty"), "tax": N_("Tax"),
}  # fmt: skip


def rows(_: Translator, found: Comparison) -> list[list[object]]:
    """The table every export holds: a header, then a row per supplier and shipping method (money in the
    comparison's currency, rounded half up to cents; the unit cost to 4 places)."""
    header = [
        "rank", "supplier", "method", "usable", "recommended", "unit_price", "unit_currency", "tier_from", "below_moq",
        "cartons", "chargeable_kg", *LINES, "total", "per_unit", "currency", "transit_days", "days_to_door", "trust",
        "answered", "assumptions",
    ]  # fmt: skip
    table: list[list[object]] = [header]
    for rank, item in enumerate(found.quotes, start=1):
        for option in item.options:
            cost = option.cost
            table.append(
                [
                    rank, item.supplier, _.plain(METHOD_NAMES[option.rate.method]), option.usable, option is item.best,
                    cost.unit_price, cost.unit_currency, cost.tier_min_qty, cost.below_moq, cost.cartons,
                    cost.chargeable_kg, *(cost.lines[line].quantize(CENT, ROUND_HALF_UP) for line in LINES),
                    cost.total.quantize(CENT, ROUND_HALF_UP), cost.per_unit.quantize(Decimal("0.0001"), ROUND_HALF_UP),
                    found.currency, f"{option.rate.transit_days[0]}-{option.rate.transit_days[1]}",
                    item.lead_time.max_days + option.rate.transit_days[1] if item.lead_time else None,
                    item.trust_score, f"{item.answered}/{item.asked}", "; ".join([*cost.assumptions, *found.assumptions]),
                ]
            )  # fmt: skip
    return table


def as_csv(_: Translator, found: Comparison) -> bytes:
    return tables.as_csv(rows(_, found))


def as_xlsx(_: Translator, found: Comparison) -> bytes:
    return tables.as_xlsx({"Quotes": rows(_, found)})


def chart_png(_: Translator, found: Comparison) -> bytes:
    """Landed cost per piece for each supplier and usable shipping method, stacked by cost line; each supplier's
    recommended method in full colour and starred, the others paler."""
    import matplotlib

    matplotlib.use("Agg")  # no screen: draw to a file
    from matplotlib import pyplot

    # Chinese supplier and product names need a CJK font: the first of these installed is used for them.
    pyplot.rcParams["font.sans-serif"] = ["DejaVu Sans", *CJK_FONTS]
    bars = [(item, option) for item in found.quotes for option in item.options if option.usable]
    labels = [f"{item.supplier[:18]} · {_.plain(METHOD_NAMES[option.rate.method])}" for item, option in bars]
    figure, axes = pyplot.subplots(figsize=(9, 1.2 + 0.45 * max(1, len(bars))), dpi=110)
    left = [0.0] * len(bars)
    keyed = next((position for position, (item, option) in enumerate(bars) if option is item.best), 0)  # legend: full colour
    colours = ["#4C72B0", "#8172B2", "#CCB974", "#64B5CD", "#55A868", "#C44E52", "#DD8452"]
    for line, colour in zip(LINES, colours):
        widths = [float(option.cost.lines[line] / item.quantity) for item, option in bars]
        if not any(widths):
            continue
        for position, ((item, option), width) in enumerate(zip(bars, widths)):
            axes.barh(
                position, width, left=left[position], color=colour, alpha=1.0 if option is item.best else 0.45,
                label=_.plain(LINE_LABELS[line]) if position == keyed else None,
            )  # fmt: skip
        left = [start + width for start, width in zip(left, widths)]
    for position, ((item, option), total) in enumerate(zip(bars, left)):
        axes.text(total, position, f"  {total:,.2f}" + ("  ★" if option is item.best else ""), va="center", fontsize=9)
    axes.set_yticks(range(len(bars)), labels, fontsize=9)
    axes.invert_yaxis()  # the cheapest supplier first
    axes.set_xlabel(_.plain(N_("Landed cost per piece ({currency})"), currency=found.currency))
    title = _.plain(N_("{product}: {quantity} pcs to {destination}"), product=found.product, quantity=f"{found.quantity:,}",
                    destination=found.destination or "—")  # fmt: skip
    axes.set_title(f"{title}  (★ {_.plain(N_('recommended'))})")
    axes.set_xlim(0, max(left, default=1) * 1.25)
    axes.legend(loc="lower right", fontsize=8)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    pyplot.close(figure)
    return out.getvalue()
