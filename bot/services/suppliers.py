"""Suppliers of a workspace: add (recognising the same offer or shop), list, view, edit, archive."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select

from bot.db.models import Supplier
from bot.db.session import Database
from bot.domain.suppliers import Badge, parse_percent
from bot.services.accounts import Actor

EDITABLE_FIELDS = frozenset(
    {"name", "seller_type", "agent_commission_pct", "wechat", "aliwangwang", "phone", "archived"}
)


async def add_supplier(
    database: Database, actor: Actor, *, name: str, offer_id: str | None = None, shop: str | None = None, url: str | None = None
) -> tuple[Supplier, bool]:
    """The workspace's supplier for this offer, shop or name, and whether it was created just now.

    The same offer or shop (or, without a link, the same name) is recognised rather than added twice; an
    archived one comes back.
    """
    async with database.session() as session:
        conditions = []
        if offer_id:
            conditions.append(Supplier.offer_id == offer_id)
        if shop:
            conditions.append(Supplier.shop == shop)
        if not conditions:
            conditions.append(func.lower(Supplier.name) == name.lower())
        existing = (
            await session.execute(
                select(Supplier)
                .where(Supplier.workspace_id == actor.workspace_id, or_(*conditions))
                .order_by(Supplier.id)
                .limit(1)
            )
        ).scalar_one_or_none()
        if existing is not None:
            existing.archived = False
            if offer_id and not existing.offer_id:
                existing.offer_id = offer_id
            return existing, False
        supplier = Supplier(
            workspace_id=actor.workspace_id,
            name=name[:200],
            offer_id=offer_id,
            shop=shop,
            url=url,
            created_by=actor.user_id,
            trust={},
        )
        session.add(supplier)
        await session.flush()
        return supplier, True


async def list_suppliers(database: Database, workspace_id: int, *, archived: bool = False) -> list[Supplier]:
    async with database.session() as session:
        return list(
            (
                await session.execute(
                    select(Supplier)
                    .where(Supplier.workspace_id == workspace_id, Supplier.archived.is_(archived))
                    .order_by(Supplier.id.desc())
                )
            ).scalars()
        )


async def get_supplier(database: Database, workspace_id: int, supplier_id: int) -> Supplier | None:
    """Only a supplier of this workspace: an id from a button is never trusted."""
    async with database.session() as session:
        supplier = await session.get(Supplier, supplier_id)
        return supplier if supplier is not None and supplier.workspace_id == workspace_id else None


async def update_supplier(database: Database, workspace_id: int, supplier_id: int, **fields: Any) -> Supplier | None:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    async with database.session() as session:
        supplier = await session.get(Supplier, supplier_id)
        if supplier is None or supplier.workspace_id != workspace_id:
            return None
        for name, value in fields.items():
            setattr(supplier, name, value)
        return supplier


async def set_trust_signal(database: Database, workspace_id: int, supplier_id: int, key: str, value: Any) -> Supplier | None:
    """Record one trust signal the buyer read off the listing (None clears it)."""
    async with database.session() as session:
        supplier = await session.get(Supplier, supplier_id)
        if supplier is None or supplier.workspace_id != workspace_id:
            return None
        trust = dict(supplier.trust or {})
        if value is None:
            trust.pop(key, None)
        else:
            trust[key] = value
        supplier.trust = trust
        return supplier


MAX_COMMISSION_PCT = Decimal(30)
CONTACT_LIMITS = {"wechat": 64, "aliwangwang": 64, "phone": 32}
_PHONE = re.compile(r"\+?[\d\s().\-]{5,31}")


@dataclass(frozen=True)
class SupplierPage:
    suppliers: list[Supplier]
    page: int
    pages: int
    first_number: int  # the list number of the first supplier on this page
    current_count: int
    archived_count: int


async def suppliers_page(
    database: Database, workspace_id: int, *, archived: bool, page: int, per_page: int
) -> SupplierPage:
    """One page of the workspace's current or archived suppliers, newest first; a page past the end shows
    the last one (the list may have shrunk since the button was made)."""
    async with database.session() as session:
        rows = await session.execute(
            select(Supplier.archived, func.count()).where(Supplier.workspace_id == workspace_id).group_by(Supplier.archived)
        )
        counts = {bool(archived): count for archived, count in rows}
        total = counts.get(archived, 0)
        pages = max(1, -(-total // per_page))
        page = min(max(page, 0), pages - 1)
        suppliers = list(
            (
                await session.execute(
                    select(Supplier)
                    .where(Supplier.workspace_id == workspace_id, Supplier.archived.is_(archived))
                    .order_by(Supplier.id.desc())
                    .offset(page * per_page)
                    .limit(per_page)
                )
            ).scalars()
        )
    return SupplierPage(
        suppliers=suppliers,
        page=page,
        pages=pages,
        first_number=page * per_page + 1,
        current_count=counts.get(False, 0),
        archived_count=counts.get(True, 0),
    )


async def toggle_badge(database: Database, workspace_id: int, supplier_id: int, badge: Badge) -> Supplier | None:
    """Tick or untick one badge in a single unit of work, so two quick taps cannot undo each other."""
    async with database.session() as session:
        supplier = await session.get(Supplier, supplier_id, with_for_update=True)
        if supplier is None or supplier.workspace_id != workspace_id:
            return None
        trust = dict(supplier.trust or {})
        badges = set(trust.get("badges") or [])
        badges.symmetric_difference_update({badge.value})
        trust["badges"] = sorted(badges)
        supplier.trust = trust
        return supplier


def parse_commission(text: str) -> Decimal | None:
    """"2%", "2.5", "2,5 %" -> an agent's commission in percent; None unless it is above 0 and at most 30."""
    if text.strip().startswith("-"):
        return None
    percent = parse_percent(text)
    if percent is None or not 0 < percent <= MAX_COMMISSION_PCT:
        return None
    return Decimal(str(percent)).quantize(Decimal("0.01"))


def clean_contact(field: str, text: str) -> str | None:
    """A WeChat ID, Aliwangwang name or phone number as typed, trimmed; None when it cannot be one."""
    value = " ".join(text.split())
    if not 2 <= len(value) <= CONTACT_LIMITS[field]:
        return None
    if field == "phone" and (not _PHONE.fullmatch(value) or sum(c.isdigit() for c in value) < 5):
        return None
    return value
