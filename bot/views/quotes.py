"""Quotes compared on screen: a table that fits a phone (monospace, within Telegram's limits), what each figure
assumes, and buttons to rank another way."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from bot.domain.quotes import Quote, Ranking
from bot.domain.shipping import METHOD_NAMES
from bot.i18n import N_, Translator
from bot.services.quotes import Comparison
from bot.telegram_io import Button, escape
from bot.views.common import money

NAME_WIDTH = 14
MAX_QUOTE_BUTTONS = 8
RANKING_LABELS = {Ranking.COST: "💰", Ranking.ARRIVAL: "🚚", Ranking.TRUST: "🛡"}
RANKING_NAMES = {Ranking.COST: N_("Cheapest"), Ranking.ARRIVAL: N_("Soonest"), Ranking.TRUST: N_("Most trusted")}


def comparison(_: Translator, found: Comparison) -> tuple[str, list[list[Button]]]:
    heading = _(
        "<b>Quotes for {product}</b>: {quantity} pcs to {destination}, landed in {currency}",
        product=found.product or "—",
        quantity=f"{found.quantity:,}",
        destination=found.destination or "—",
        currency=found.currency,
    )
    rows = [f"{'#':<2} {_('Supplier')[:NAME_WIDTH]:<{NAME_WIDTH}} {_('per pc'):>9} {_('days'):>4}"]
    details = []
    for number, item in enumerate(found.quotes, start=1):
        best = item.best
        per_unit = money(best.cost.per_unit, found.currency) if best else "—"
        days = str(item.days_to_door) if item.days_to_door is not None else "?"
        chosen = "✓" if item.inquiry_id == found.chosen_id else " "
        rows.append(f"{number:<2}{chosen}{(item.supplier or '—')[:NAME_WIDTH]:<{NAME_WIDTH}} {per_unit:>9} {days:>4}")
        details.append(f"{number}. " + _detail(_, item, found.currency))
    # f-strings: escape() returns Markup, and Markup + "<pre>" would escape the tag
    table = f"<pre>{escape(chr(10).join(rows))}</pre>"
    if len(found.breaks) > 1:
        title = _("Unit price at other quantities ({currency}):", currency=found.currency)
        table += f"\n{title}\n<pre>{escape(chr(10).join(_breaks_rows(found)))}</pre>"
    if found.quotes and found.quotes[0].recommendation:
        details.append(_advice(_, found.quotes[0], found.currency))
    notes = "\n".join(f"• {escape(note)}" for note in found.assumptions)
    text = "\n\n".join([heading, table, "\n".join(details), _("<i>Assumed:</i>") + "\n" + notes])
    buttons = [
        [
            Button(f"{RANKING_LABELS[ranking]} " + _(label), f"cmp:{found.anchor_id}:{ranking.value}")
            for ranking, label in RANKING_NAMES.items()
            if ranking is not found.ranking
        ]
    ]
    buttons.append(
        [
            Button(_("📊 Chart"), f"cmp:f:{found.anchor_id}:png"),
            Button("📄 XLSX", f"cmp:f:{found.anchor_id}:xlsx"),
            Button("📄 CSV", f"cmp:f:{found.anchor_id}:csv"),
        ]
    )
    for number, item in enumerate(found.quotes[:MAX_QUOTE_BUTTONS], start=1):
        chosen = item.inquiry_id == found.chosen_id
        accept = (
            Button(_("📦 {number}: start the order", number=number), f"ord:new:{item.inquiry_id}")
            if chosen
            else Button(_("{number}: accept", number=number), f"cmp:ok:{item.inquiry_id}")
        )
        buttons.append([accept, Button(_("{number}: negotiate", number=number), f"inq:neg:{item.inquiry_id}")])
    return text, buttons


def _breaks_rows(found: Comparison) -> list[str]:
    """Each supplier's unit price (goods only) at each quantity compared, "—" below their lowest tier."""
    width = 7
    header = f"{'#':<3}" + "".join(f"{quantity:>{width},}" for quantity in found.breaks)
    lines = [header]
    for number, item in enumerate(found.quotes, start=1):
        cells = [item.price_breaks.get(quantity) for quantity in found.breaks]
        lines.append(f"{number:<3}" + "".join(f"{_plain_price(cell):>{width}}" for cell in cells))
    return lines


def _plain_price(value: Decimal | None) -> str:
    return "—" if value is None else f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP)}"


def _advice(_: Translator, item: Quote, currency: str) -> str:
    """Why the first quote ships the way it does, and what the next best method would change."""
    advice = item.recommendation
    assert advice is not None
    text = f"💡 {escape(item.supplier or '—')}: {_(advice.reason)}"
    other = advice.runner_up
    if other is not None:
        sooner = advice.best.rate.transit_days[1] - other.rate.transit_days[1]
        extra = other.cost.total - advice.best.cost.total
        if sooner > 0:
            text += "; " + _(
                "{method} arrives {days} days sooner for {amount} more",
                method=_(METHOD_NAMES[other.rate.method]),
                days=sooner,
                amount=money(extra, currency),
            )
        else:
            text += "; " + _("{method} costs {amount} more", method=_(METHOD_NAMES[other.rate.method]), amount=money(extra, currency))
    return text


def _detail(_: Translator, item: Quote, currency: str) -> str:
    """One supplier's figures in a line or two (HTML)."""
    if item.best is None:
        reason = item.problem or _("no usable shipping method")
        return _("{supplier}: can't be costed yet ({reason}).", supplier=item.supplier or "—", reason=reason)
    cost = item.best.cost
    parts = [
        _("{price} each from {start}", price=money(cost.unit_price, cost.unit_currency), start=f"{cost.tier_min_qty:,}"),
        _("total {total}", total=money(cost.total, currency)),
        _(METHOD_NAMES[item.best.rate.method]),
    ]
    if cost.below_moq:
        parts.append(_("⚠️ below their MOQ"))
    if cost.next_tier and cost.next_tier.goods_difference < 0:
        parts.append(
            _(
                "{quantity} instead costs {amount} less",
                quantity=f"{cost.next_tier.quantity:,}",
                amount=money(-cost.next_tier.goods_difference, currency),
            )
        )
    if item.trust_score is not None:
        parts.append(_("trust {score}", score=item.trust_score))
    parts.append(_("{answered} of {asked} answered", answered=item.answered, asked=item.asked))
    assumed = "".join("\n    " + _("<i>assumed: {what}</i>", what=what) for what in cost.assumptions)
    return f"{escape(item.supplier or '—')}: {' · '.join(parts)}{assumed}"
