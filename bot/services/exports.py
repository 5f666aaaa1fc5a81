"""A workspace's data as tables for its admins: suppliers, inquiries, answers, quotes, orders, payments and the
audit log. Asked in the workspace's chat, or from a private chat for a team the person administers (an archived
one too: a team that removed the bot can still take its data)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bot.db.models import Answer, AuditEvent, Inquiry, Membership, Order, Payment, Supplier, User, Workspace
from bot.db.session import Database
from bot.domain.landed_cost import tier_for
from bot.domain.quotes import Terms
from bot.domain.workspaces import ROLE_PERMISSIONS, Permission, Role, WorkspaceKind
from bot.services.accounts import Actor
from bot.services.audit import audit
from bot.services.results import answer_view

Table = list[list[object]]


@dataclass(frozen=True)
class Exportable:
    workspace_id: int
    title: str
    team: bool
    archived: bool


async def exportable(database: Database, user_id: int) -> list[Exportable]:
    """The workspaces whose data this person may take: their own, and the teams they own or administer."""
    async with database.session() as session:
        rows = await session.execute(
            select(Workspace, Membership.role).join(Membership, Membership.workspace_id == Workspace.id).where(Membership.user_id == user_id)
        )
        return [
            Exportable(workspace.id, workspace.title, workspace.kind == WorkspaceKind.TEAM, workspace.archived_at is not None)
            for workspace, role in rows
            if workspace.kind == WorkspaceKind.PERSONAL or Permission.MANAGE in ROLE_PERMISSIONS[Role(role)]
        ]


async def export_tables(database: Database, actor: Actor, workspace_id: int) -> tuple[str, dict[str, Table]] | None:
    """The workspace's title and tables; None unless `actor` may take them (see `exportable`). The export is
    kept in the workspace's audit log."""
    if workspace_id not in {found.workspace_id for found in await exportable(database, actor.user_id)}:
        return None
    async with database.session() as session:
        workspace = await session.get(Workspace, workspace_id)
        assert workspace is not None
        suppliers = list((await session.execute(select(Supplier).where(Supplier.workspace_id == workspace_id).order_by(Supplier.id))).scalars())
        names = {supplier.id: supplier.name for supplier in suppliers}
        inquiries = list((await session.execute(select(Inquiry).where(Inquiry.workspace_id == workspace_id).order_by(Inquiry.id))).scalars())
        answers = list(
            (
                await session.execute(
                    select(Answer).join(Inquiry, Inquiry.id == Answer.inquiry_id).where(Inquiry.workspace_id == workspace_id).order_by(Answer.id)
                )
            ).scalars()
        )
        orders = list((await session.execute(select(Order).where(Order.workspace_id == workspace_id).order_by(Order.id))).scalars())
        payments = list(
            (
                await session.execute(
                    select(Payment).join(Order, Order.id == Payment.order_id).where(Order.workspace_id == workspace_id).order_by(Payment.id)
                )
            ).scalars()
        )
        log = list(
            (
                await session.execute(
                    select(AuditEvent, User.first_name)
                    .outerjoin(User, User.id == AuditEvent.user_id)
                    .where(AuditEvent.workspace_id == workspace_id)
                    .order_by(AuditEvent.id)
                )
            ).all()
        )
        audit(session, workspace_id, actor.user_id, "exported", workspace.title or str(workspace_id))
    tables: dict[str, Table] = {
        "suppliers": [["id", "name", "seller_type", "url", "offer_id", "shop", "wechat", "aliwangwang", "phone", "agent_commission_pct", "archived", "created_at"]]
        + [
            [s.id, s.name, s.seller_type, s.url, s.offer_id, s.shop, s.wechat, s.aliwangwang, s.phone, s.agent_commission_pct, s.archived, s.created_at]
            for s in suppliers
        ],
        "inquiries": [["id", "status", "supplier", "product", "quantity", "unit", "destination", "currency", "sent_at", "last_asked_at", "chosen_at"]]
        + [
            [i.id, i.status, names.get(i.supplier_id or 0), i.product, i.quantity, i.unit, i.destination_country, i.currency, i.sent_at, i.last_asked_at, i.chosen_at]
            for i in inquiries
        ],
        "answers": [["inquiry_id", "question", "field", "value", "status", "supplier_words", "created_at"]]
        + [[a.inquiry_id, a.question_key, a.field, str(a.value.get("value")), a.status, a.evidence, a.created_at] for a in answers],
        "quotes": [["inquiry_id", "supplier", "product", "quantity", "unit_price", "currency", "tier_from", "moq", "lead_time_days", "chosen"]],
        "orders": [["id", "kind", "status", "supplier", "product", "quantity", "unit", "unit_price", "currency", "payment_method", "shipping_method", "via_forwarder", "cartons", "tracking_number", "problem", "created_at"]]
        + [
            [o.id, o.kind, o.status, names.get(o.supplier_id or 0), o.product, o.quantity, o.unit, o.unit_price, o.currency, o.payment_method, o.shipping_method, o.via_forwarder, o.cartons, o.tracking_number, o.problem, o.created_at]
            for o in orders
        ],
        "payments": [["order_id", "kind", "amount", "currency", "method", "share_pct", "at"]]
        + [[p.order_id, p.kind, p.amount, p.currency, p.method, p.share_pct, p.at] for p in payments],
        "audit": [["at", "who", "action", "subject", "detail"]] + [[e.at, name, e.action, e.subject, e.detail] for e, name in log],
    }  # fmt: skip
    confirmed: dict[int, list[Answer]] = {}
    for answer in answers:
        if answer.status == "confirmed":
            confirmed.setdefault(answer.inquiry_id, []).append(answer)
    for inquiry in inquiries:
        terms = Terms.from_facts([answer_view(answer).fact for answer in confirmed.get(inquiry.id, [])])
        if not terms.price_tiers:
            continue
        tier = tier_for(terms.price_tiers, inquiry.quantity or 1)
        tables["quotes"].append([
            inquiry.id, names.get(inquiry.supplier_id or 0), inquiry.product, inquiry.quantity, tier.unit_price, tier.currency,
            tier.min_qty, terms.moq, terms.lead_time.max_days if terms.lead_time else None, inquiry.chosen_at is not None,
        ])  # fmt: skip
    return workspace.title or "workspace", tables
