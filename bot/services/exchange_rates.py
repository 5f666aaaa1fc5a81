"""Exchange rates (the European Central Bank's daily reference rates, kept with their date, and a team's own),
and a team's other rates for quotes: duty and import tax per destination, its forwarder's shipping rates.

A team's rate (set with /rates) wins over the bank's. A rate older than a week, or none, is pointed out with
the figures that use it, never hidden.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import aiohttp
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import ExchangeRate, Workspace
from bot.db.session import Database
from bot.domain.shipping import parse_rates
from bot.domain.workspaces import Permission, allows
from bot.services.accounts import Actor
from bot.services.workspaces import load_workspace

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(days=7)
FETCH_TIMEOUT_SECONDS = 10
_ECB_NAMESPACE = "{http://www.ecb.int/vocabulary/2002-08-01/eurofxref}"


def parse_ecb(xml_text: str) -> tuple[date, dict[str, Decimal]]:
    """The date and the units of each currency for one euro, from the bank's daily XML. Raises ValueError."""
    root = ElementTree.fromstring(xml_text)
    day = root.find(f".//{_ECB_NAMESPACE}Cube[@time]")
    if day is None:
        raise ValueError("no dated rates in the feed")
    rates = {"EUR": Decimal(1)}
    for cube in day.findall(f"{_ECB_NAMESPACE}Cube"):
        try:
            rates[cube.attrib["currency"].upper()] = Decimal(cube.attrib["rate"])
        except (KeyError, InvalidOperation):
            continue
    return date.fromisoformat(day.attrib["time"]), rates


async def refresh_from_ecb(database: Database, url: str, *, now: datetime) -> date | None:
    """Fetch the bank's rates and keep them; the date they are for, or None when the feed can't be had."""
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=FETCH_TIMEOUT_SECONDS)) as session:
            async with session.get(url) as response:
                response.raise_for_status()
                day, rates = parse_ecb(await response.text())
    except (aiohttp.ClientError, TimeoutError, ValueError, ElementTree.ParseError) as error:
        log.warning("could not fetch exchange rates (%s)", type(error).__name__)
        return None
    async with database.session() as session:
        for currency, per_eur in rates.items():
            await session.merge(ExchangeRate(currency=currency, per_eur=str(per_eur), as_of=day, fetched_at=now))
    return day


@dataclass(frozen=True)
class Conversion:
    """Units of `currency` for one unit of each other currency a quote uses, and what to say about them."""

    currency: str
    fx: dict[str, Decimal]
    notes: list[str]  # stale or missing rates, as plain English for the assumptions list
    missing: list[str]


async def conversion_to(database: Database, actor: Actor, currency: str, needed: set[str], *, now: datetime) -> Conversion:
    """Rates into `currency` for every currency in `needed`: the team's own where set, else the bank's."""
    async with database.session() as session:
        workspace = await load_workspace(session, actor.workspace_id)
        bank = {row.currency: row for row in (await session.execute(select(ExchangeRate))).scalars()}
    fx: dict[str, Decimal] = {}
    notes: list[str] = []
    missing: list[str] = []
    for other in sorted(needed - {currency}):
        own = (workspace.fx_rates or {}).get(f"{other}/{currency}")
        if own:
            fx[other] = Decimal(own["rate"])
            stale_on = date.fromisoformat(own["on"])
        elif other in bank and currency in bank:
            fx[other] = Decimal(bank[currency].per_eur) / Decimal(bank[other].per_eur)
            stale_on = bank[other].as_of
        else:
            missing.append(other)
            continue
        if now.date() - stale_on > STALE_AFTER:
            notes.append(f"{other}→{currency} rate is from {stale_on.isoformat()}, more than a week old")
    return Conversion(currency, fx, notes, missing)


async def yuan_per_unit(session: AsyncSession, workspace: Workspace, currency: str) -> Decimal | None:
    """Yuan for one unit of `currency`: the team's own rate where set, else the bank's; None when neither
    knows it."""
    if currency in ("CNY", "CNH"):
        return Decimal(1)
    own = (workspace.fx_rates or {}).get(f"{currency}/CNY")
    if own:
        return Decimal(own["rate"])
    rows = await session.execute(select(ExchangeRate).where(ExchangeRate.currency.in_([currency, "CNY"])))
    bank = {row.currency: row for row in rows.scalars()}
    if currency in bank and "CNY" in bank:
        return Decimal(bank["CNY"].per_eur) / Decimal(bank[currency].per_eur)
    return None


async def _managed_workspace(session: Any, actor: Actor) -> Workspace | None:
    workspace = await session.get(Workspace, actor.workspace_id, with_for_update=True)
    if workspace is None or not allows(actor.workspace_kind, actor.role, Permission.MANAGE):
        return None
    return workspace


async def set_import_rate(database: Database, actor: Actor, kind: str, destination: str, pct: Decimal) -> bool:
    """The team's duty or import tax ("duty" or "tax") for a destination, in percent. False when the actor may
    not change the team's settings."""
    async with database.session() as session:
        workspace = await _managed_workspace(session, actor)
        if workspace is None:
            return False
        rates = {code: dict(values) for code, values in (workspace.import_rates or {}).items()}
        rates.setdefault(destination, {})[kind] = str(pct)
        workspace.import_rates = rates
        return True


async def set_shipping_rates(database: Database, actor: Actor, csv_text: str) -> int | None:
    """The forwarder's rate table for the team, replacing the example one: the number of rates, or None when the
    actor may not change the team's settings. Raises RateFileError naming the row and column that are wrong."""
    rates = parse_rates(csv_text)
    async with database.session() as session:
        workspace = await _managed_workspace(session, actor)
        if workspace is None:
            return None
        workspace.shipping_rates_csv = csv_text
        return len(rates)


async def set_team_rate(database: Database, actor: Actor, other: str, rate: Decimal, *, now: datetime) -> str | None:
    """The team's own rate: one `other` in the workspace's currency. Returns that currency, or None when the
    actor may not change the team's settings or the workspace has no currency yet."""
    async with database.session() as session:
        workspace = await _managed_workspace(session, actor)
        if workspace is None or not workspace.currency:
            return None
        rates = dict(workspace.fx_rates or {})
        rates[f"{other}/{workspace.currency}"] = {"rate": str(rate), "on": now.date().isoformat()}
        workspace.fx_rates = rates
        return workspace.currency
