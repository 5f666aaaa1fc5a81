"""Suppliers of a workspace: add (recognising the same offer or shop), list, view, edit, archive.

Every supplier id that comes from a user (a button, a command) is looked up in the acting workspace; another
workspace's supplier is as good as missing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Supplier
from bot.db.session import Database
from bot.domain.suppliers import Badge, SellerType, SupplierLink, TrustSignals, parse_percent, trust_question
from bot.services.accounts import Actor, require_work
from bot.services.audit import audit_by

EDITABLE_FIELDS = frozenset({"name", "seller_type", "agent_commission_pct", "wechat", "aliwangwang", "phone"})
MAX_COMMISSION_PCT = Decimal(30)
CONTACT_LIMITS = {"wechat": 64, "aliwangwang": 64, "phone": 32}
_PHONE = re.compile(r"\+?[\d\s().\-]{5,31}")


@dataclass(frozen=True)
class SupplierView:
    id: int
    name: str
    url: str | None
    seller_type: SellerType | None
    agent_commission_pct: Decimal | None
    wechat: str | None
    aliwangwang: str | None
    phone: str | None
    trust: TrustSignals
    archived: bool


def supplier_view(row: Supplier) -> SupplierView:
    try:
        seller_type = SellerType(row.seller_type) if row.seller_type else None
    except ValueError:
        seller_type = None
    return SupplierView(
        id=row.id,
        name=row.name,
        url=row.url,
        seller_type=seller_type,
        agent_commission_pct=row.agent_commission_pct,
        wechat=row.wechat,
        aliwangwang=row.aliwangwang,
        phone=row.phone,
        trust=TrustSignals.from_dict(row.trust or {}),
        archived=row.archived,
    )


@dataclass(frozen=True)
class Added:
    supplier: SupplierView
    created: bool  # False: the workspace had this offer, shop or name already


async def find_or_add(session: AsyncSession, actor: Actor, name: str, link: SupplierLink | None) -> tuple[Supplier, bool]:
    """The workspace's supplier for this offer, shop or (without a link) name, or a new one; an archived one
    comes back."""
    conditions = []
    if link is not None and link.offer_id:
        conditions.append(Supplier.offer_id == link.offer_id)
    if link is not None and link.shop:
        conditions.append(Supplier.shop == link.shop)
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
        if link is not None and link.offer_id and not existing.offer_id:
            existing.offer_id = link.offer_id
        return existing, False
    supplier = Supplier(
        workspace_id=actor.workspace_id,
        name=name[:200],
        offer_id=link.offer_id if link else None,
        shop=link.shop if link else None,
        url=link.url if link else None,
        created_by=actor.user_id,
        trust={},
    )
    session.add(supplier)
    await session.flush()
    return supplier, True


async def add_supplier(database: Database, actor: Actor, name: str, link: SupplierLink | None = None) -> Added:
    require_work(actor)
    async with database.session() as session:
        row, created = await find_or_add(session, actor, name, link)
        if created:
            audit_by(session, actor, "supplier added", row.name)
        return Added(supplier_view(row), created)


async def scoped(session: AsyncSession, actor: Actor, supplier_id: int, *, lock: bool = False) -> Supplier | None:
    """Only a supplier of the actor's workspace: an id from a button is never trusted."""
    supplier = await session.get(Supplier, supplier_id, with_for_update=lock)
    return supplier if supplier is not None and supplier.workspace_id == actor.workspace_id else None


async def get_supplier(database: Database, actor: Actor, supplier_id: int) -> SupplierView | None:
    async with database.session() as session:
        row = await scoped(session, actor, supplier_id)
        return supplier_view(row) if row else None


async def current_suppliers(session: AsyncSession, actor: Actor, limit: int) -> list[SupplierView]:
    """The workspace's suppliers not archived, newest first."""
    rows = await session.execute(
        select(Supplier)
        .where(Supplier.workspace_id == actor.workspace_id, Supplier.archived.is_(False))
        .order_by(Supplier.id.desc())
        .limit(limit)
    )
    return [supplier_view(row) for row in rows.scalars()]


async def _edit(
    database: Database, actor: Actor, supplier_id: int, change: Callable[[Supplier], None], action: str | None = None, *, lock: bool = False
) -> SupplierView | None:
    """Apply `change` to a supplier of the actor's workspace, in one unit of work (kept in the audit log as
    `action`, when given); None when there is none."""
    require_work(actor)
    async with database.session() as session:
        supplier = await scoped(session, actor, supplier_id, lock=lock)
        if supplier is None:
            return None
        change(supplier)
        if action:
            audit_by(session, actor, action, supplier.name)
        return supplier_view(supplier)


async def update_supplier(database: Database, actor: Actor, supplier_id: int, **fields: Any) -> SupplierView | None:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")

    def change(supplier: Supplier) -> None:
        for name, value in fields.items():
            setattr(supplier, name, value)

    return await _edit(database, actor, supplier_id, change)


async def set_seller_type(database: Database, actor: Actor, supplier_id: int, kind: SellerType) -> SupplierView | None:
    """A commission only belongs to an agent: any other type drops it."""

    def change(supplier: Supplier) -> None:
        supplier.seller_type = kind.value
        if kind is not SellerType.AGENT:
            supplier.agent_commission_pct = None

    return await _edit(database, actor, supplier_id, change)


async def set_archived(database: Database, actor: Actor, supplier_id: int, archived: bool) -> SupplierView | None:
    return await _edit(database, actor, supplier_id, lambda supplier: setattr(supplier, "archived", archived), "supplier archived" if archived else "supplier unarchived")


async def set_trust_signal(database: Database, actor: Actor, supplier_id: int, key: str, value: Any) -> SupplierView | None:
    """Record one trust signal the buyer read off the listing (None clears it)."""
    if trust_question(key) is None:
        return None

    def change(supplier: Supplier) -> None:
        trust = dict(supplier.trust or {})
        if value is None:
            trust.pop(key, None)
        else:
            trust[key] = value
        supplier.trust = trust

    return await _edit(database, actor, supplier_id, change, lock=True)


async def set_badge(database: Database, actor: Actor, supplier_id: int, badge: Badge, on: bool) -> SupplierView | None:
    """Tick or untick one badge (the button says which, so a repeated press changes nothing more)."""
    require_work(actor)

    def change(supplier: Supplier) -> None:
        trust = dict(supplier.trust or {})
        badges = set(trust.get("badges") or [])
        if on:
            badges.add(badge.value)
        else:
            badges.discard(badge.value)
        trust["badges"] = sorted(badges)
        supplier.trust = trust

    return await _edit(database, actor, supplier_id, change, lock=True)


@dataclass(frozen=True)
class SupplierPage:
    suppliers: list[SupplierView]
    page: int
    pages: int
    first_number: int  # the list number of the first supplier on this page
    current_count: int
    archived_count: int


async def suppliers_page(database: Database, actor: Actor, *, archived: bool, page: int, per_page: int) -> SupplierPage:
    """One page of the workspace's current or archived suppliers, newest first; a page past the end shows
    the last one (the list may have shrunk since the button was made)."""
    async with database.session() as session:
        rows = await session.execute(
            select(Supplier.archived, func.count())
            .where(Supplier.workspace_id == actor.workspace_id)
            .group_by(Supplier.archived)
        )
        counts = {bool(flag): count for flag, count in rows}
        total = counts.get(archived, 0)
        pages = max(1, -(-total // per_page))
        page = min(max(page, 0), pages - 1)
        found = await session.execute(
            select(Supplier)
            .where(Supplier.workspace_id == actor.workspace_id, Supplier.archived.is_(archived))
            .order_by(Supplier.id.desc())
            .offset(page * per_page)
            .limit(per_page)
        )
        suppliers = [supplier_view(row) for row in found.scalars()]
    return SupplierPage(
        suppliers=suppliers,
        page=page,
        pages=pages,
        first_number=page * per_page + 1,
        current_count=counts.get(False, 0),
        archived_count=counts.get(True, 0),
    )


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
