"""Quotes compared: the inquiries of one product in the actor's workspace, each costed to the door from its
recorded answers, ranked. Reading is one short unit of work; exchange rates are read apart."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from bot.db.models import Inquiry, Supplier
from bot.db.session import Database
from bot.domain.inquiries import OPEN_STATUSES, InquiryStatus, product_key
from bot.domain.landed_cost import tier_for
from bot.domain.quotes import CostSettings, Quote, Ranking, Terms, price_breaks, quote, ranked
from bot.domain.shipping import EXAMPLE_RATES_DATE, rate_table, rates_to
from bot.domain.suppliers import TrustSignals, trust_score
from bot.services.accounts import Actor, require_work
from bot.services.audit import audit_by
from bot.services.exchange_rates import conversion_to
from bot.services.results import answer_view, confirmed_answers, inquiry_progress
from bot.services.suppliers import supplier_view
from bot.services.workspaces import load_workspace

MAX_QUOTES = 20
SENT = (InquiryStatus.AWAITING_REPLY, InquiryStatus.ANSWERED)


def _known_score(signals: TrustSignals) -> int | None:
    """The supplier's trust score, or None when nothing about them is known yet (a score of 0 would mislead)."""
    report = trust_score(signals)
    return report.score if report.contributions else None


async def accept_quote(database: Database, actor: Actor, inquiry_id: int, *, now: datetime) -> Inquiry | None:
    """The buyer takes this supplier's quote: it is the chosen one among the inquiries for the same product."""
    require_work(actor)
    async with database.session() as session:
        chosen = await session.get(Inquiry, inquiry_id, with_for_update=True)
        if chosen is None or chosen.workspace_id != actor.workspace_id or chosen.status not in SENT:
            return None
        rows = await session.execute(
            select(Inquiry).where(Inquiry.workspace_id == actor.workspace_id, Inquiry.chosen_at.is_not(None))
        )
        for other in rows.scalars():
            if product_key(other.product) == product_key(chosen.product):
                other.chosen_at = None
        chosen.chosen_at = now
        audit_by(session, actor, "quote accepted", f"inquiry #{chosen.id}", chosen.product)
        return chosen


async def target_price(database: Database, actor: Actor, inquiry_id: int, *, now: datetime) -> Decimal | None:
    """A price to offer in a negotiation, in yuan: the lowest other supplier's unit price for the same product at
    this quantity, when it is below this supplier's. None when no other quote is lower (or none can be read)."""
    async with database.session() as session:
        anchor = await session.get(Inquiry, inquiry_id)
        if anchor is None or anchor.workspace_id != actor.workspace_id:
            return None
        rows = [
            row
            for row in (await session.execute(select(Inquiry).where(Inquiry.workspace_id == actor.workspace_id))).scalars()
            if product_key(row.product) == product_key(anchor.product) and row.status in SENT
        ]
        answers = await confirmed_answers(session, [row.id for row in rows])
    quantity = anchor.quantity or 1
    prices: dict[int, tuple[Decimal, str]] = {}
    for row in rows:
        terms = Terms.from_facts([answer_view(answer).fact for answer in answers.get(row.id, [])])
        if terms.price_tiers:
            tier = tier_for(terms.price_tiers, quantity)
            prices[row.id] = (tier.unit_price, tier.currency)
    conversion = await conversion_to(database, actor, "CNY", {currency for _, currency in prices.values()}, now=now)
    in_yuan = {
        row_id: price * conversion.fx.get(currency, Decimal(1) if currency == "CNY" else Decimal(0))
        for row_id, (price, currency) in prices.items()
    }
    others = [price for row_id, price in in_yuan.items() if row_id != inquiry_id and price > 0]
    own = in_yuan.get(inquiry_id)
    if not others or (own is not None and min(others) >= own):
        return None
    return min(others).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Comparison:
    product: str
    quantity: int
    currency: str
    destination: str | None
    quotes: list[Quote]  # ranked
    ranking: Ranking
    breaks: list[int]  # the quantities each quote's unit price is shown at
    assumptions: list[str]  # what every figure assumes: rates' dates, unset duty and tax, example shipping rates
    anchor_id: int  # the inquiry the comparison was asked from (buttons name it)
    chosen_id: int | None  # the quote the buyer accepted


async def compare(
    database: Database, actor: Actor, inquiry_id: int, ranking: Ranking, *, now: datetime
) -> Comparison | None:
    """The quotes of every sent inquiry for the same product as `inquiry_id`, costed for its quantity and
    destination in its currency. None when the inquiry is not the actor's workspace's."""
    async with database.session() as session:
        anchor = await session.get(Inquiry, inquiry_id)
        if anchor is None or anchor.workspace_id != actor.workspace_id:
            return None
        workspace = await load_workspace(session, actor.workspace_id)
        rows = [
            row
            for row in (
                await session.execute(
                    select(Inquiry)
                    .where(Inquiry.workspace_id == actor.workspace_id, Inquiry.status.in_(SENT))
                    .order_by(Inquiry.id)
                )
            ).scalars()
            if product_key(row.product) == product_key(anchor.product)
        ][:MAX_QUOTES]
        if anchor not in rows and anchor.status in OPEN_STATUSES:
            rows.insert(0, anchor)
        answers = await confirmed_answers(session, [row.id for row in rows])
        suppliers = {
            supplier.id: supplier
            for supplier in (
                await session.execute(select(Supplier).where(Supplier.id.in_({row.supplier_id for row in rows if row.supplier_id})))
            ).scalars()
        }
    currency = anchor.currency or workspace.currency or "CNY"
    quantity = anchor.quantity or 1
    rates = rates_to(rate_table(workspace.shipping_rates_csv), anchor.destination_country)
    imports = (workspace.import_rates or {}).get(anchor.destination_country or "", {})
    duty = Decimal(imports["duty"]) if "duty" in imports else None
    tax = Decimal(imports["tax"]) if "tax" in imports else None
    terms_by_inquiry = {
        row.id: Terms.from_facts([answer_view(answer).fact for answer in answers.get(row.id, [])]) for row in rows
    }
    needed = {"CNY"} | {rate.rate.currency for rate in rates}
    needed |= {tier.currency for terms in terms_by_inquiry.values() for tier in terms.price_tiers}
    conversion = await conversion_to(database, actor, currency, needed, now=now)
    settings = CostSettings(currency, conversion.fx, duty_pct=duty, tax_pct=tax)
    breaks = price_breaks(list(terms_by_inquiry.values()), quantity)
    quotes = []
    for row in rows:
        supplier = suppliers.get(row.supplier_id) if row.supplier_id else None
        view = supplier_view(supplier) if supplier else None
        progress = inquiry_progress(row, [(a.question_key, a.field, a.value) for a in answers.get(row.id, [])])
        terms = terms_by_inquiry[row.id]
        found = quote(
            row.id,
            view.name if view else "",
            row.product or "",
            quantity,
            terms,
            rates,
            dataclasses.replace(settings, agent_commission_pct=view.agent_commission_pct or Decimal(0)) if view else settings,
            trust_score=_known_score(view.trust) if view else None,
            answered=progress.answered,
            asked=progress.total,
            breaks=breaks,
        )
        quotes.append(found)
    assumptions = list(conversion.notes)
    if conversion.missing:
        assumptions.append(f"no exchange rate for {', '.join(conversion.missing)} into {currency}: set one with /rates")
    if not rates:
        assumptions.append("no shipping rates for this destination")
    elif not workspace.shipping_rates_csv:
        assumptions.append(f"shipping at the example rates of {EXAMPLE_RATES_DATE} (a forwarder's own are better)")
    if duty is None:
        assumptions.append("duty rate not set: 0 assumed (/rates duty)")
    if tax is None:
        assumptions.append("import tax rate not set: 0 assumed (/rates tax)")
    return Comparison(
        anchor.product or "", quantity, currency, anchor.destination_country, ranked(quotes, ranking), ranking, breaks,
        assumptions, anchor.id, next((row.id for row in rows if row.chosen_at is not None), None),
    )  # fmt: skip
