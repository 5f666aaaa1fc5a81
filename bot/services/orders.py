"""Orders: made from an accepted quote, moved step by step (each move checked in the domain and stored with who,
when and from which status), listed by what needs attention. Every function is one unit of work, scoped to the
actor's workspace."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Inquiry, Order, OrderEvent, Reminder, Supplier
from bot.db.session import Database
from bot.domain.landed_cost import tier_for
from bot.domain.orders import (
    OPEN_ORDER_STATUSES,
    REMINDERS,
    OrderStatus,
    PaymentMethod,
    move,
    payment_methods_for,
    recognise_tracking,
)
from bot.domain.quotes import Terms
from bot.services.accounts import Actor, actor_in
from bot.services.results import answer_view, confirmed_answers


@dataclass(frozen=True)
class OrderView:
    id: int
    inquiry_id: int | None
    supplier_name: str | None
    product: str
    quantity: int
    unit: str | None
    unit_price: Decimal | None
    currency: str
    status: OrderStatus
    tracking_number: str | None
    payment_method: PaymentMethod | None
    destination_country: str | None
    payment_proof: bool

    @property
    def goods_total(self) -> Decimal | None:
        return None if self.unit_price is None else self.unit_price * self.quantity


@dataclass(frozen=True)
class Step:
    from_status: OrderStatus | None
    to_status: OrderStatus
    by: int
    at: datetime


@dataclass(frozen=True)
class OrderCard:
    order: OrderView
    timeline: list[Step]


@dataclass(frozen=True)
class Moved:
    card: OrderCard
    changed: bool  # False: it had moved already (a second press, a teammate's)


async def _view(session: AsyncSession, row: Order) -> OrderView:
    supplier = await session.get(Supplier, row.supplier_id) if row.supplier_id else None
    return OrderView(
        row.id, row.inquiry_id, supplier.name if supplier else None, row.product, row.quantity, row.unit,
        row.unit_price, row.currency, OrderStatus(row.status), row.tracking_number,
        PaymentMethod(row.payment_method) if row.payment_method else None, row.destination_country,
        row.payment_proof_file_id is not None,
    )  # fmt: skip


async def _card(session: AsyncSession, row: Order) -> OrderCard:
    events = await session.execute(
        select(OrderEvent).where(OrderEvent.order_id == row.id).order_by(OrderEvent.at, OrderEvent.id)
    )
    timeline = [
        Step(OrderStatus(event.from_status) if event.from_status else None, OrderStatus(event.to_status), event.by, event.at)
        for event in events.scalars()
    ]
    return OrderCard(await _view(session, row), timeline)


async def order_from_quote(database: Database, actor: Actor, inquiry_id: int, *, now: datetime) -> OrderCard | None:
    """The order for an accepted quote: the product, quantity and price from the inquiry's recorded answers.
    Asking again returns the open order it already has."""
    async with database.session() as session:
        inquiry = await session.get(Inquiry, inquiry_id, with_for_update=True)
        if inquiry is None or inquiry.workspace_id != actor.workspace_id or inquiry.sent_at is None:
            return None
        existing = await session.scalar(
            select(Order).where(Order.inquiry_id == inquiry.id, Order.status.in_(OPEN_ORDER_STATUSES))
        )
        if existing is not None:
            return await _card(session, existing)
        answers = (await confirmed_answers(session, [inquiry.id])).get(inquiry.id, [])
        terms = Terms.from_facts([answer_view(answer).fact for answer in answers])
        quantity = inquiry.quantity or 1
        tier = tier_for(terms.price_tiers, quantity) if terms.price_tiers else None
        row = Order(
            workspace_id=actor.workspace_id,
            inquiry_id=inquiry.id,
            supplier_id=inquiry.supplier_id,
            product=inquiry.product or "",
            quantity=quantity,
            unit=inquiry.unit,
            unit_price=tier.unit_price if tier else None,
            currency=tier.currency if tier else "CNY",
            status=OrderStatus.DRAFT,
            destination_country=inquiry.destination_country,
            created_by=actor.user_id,
            created_at=now,
        )
        session.add(row)
        await session.flush()
        session.add(OrderEvent(order_id=row.id, from_status=None, to_status=OrderStatus.DRAFT, by=actor.user_id, at=now))
        await _remind(session, actor, row, now)
        # The quote is taken: the inquiry's follow-up reminder has nothing left to chase.
        await session.execute(
            update(Reminder).where(Reminder.inquiry_id == inquiry.id, Reminder.sent_at.is_(None)).values(cancelled=True)
        )
        await session.flush()
        return await _card(session, row)


async def order_card(database: Database, actor: Actor, order_id: int) -> OrderCard | None:
    async with database.session() as session:
        row = await session.get(Order, order_id)
        if row is None or row.workspace_id != actor.workspace_id:
            return None
        return await _card(session, row)


async def move_order(
    database: Database, actor: Actor, order_id: int, seen: OrderStatus, wanted: OrderStatus, *, now: datetime
) -> Moved | None:
    """Move an order on from the status the buyer saw. If it moved meanwhile (a second press, a teammate, a
    duplicate update) nothing changes. Raises InvalidOrderMove for a move the domain does not allow."""
    async with database.session() as session:
        row = await session.get(Order, order_id, with_for_update=True)
        if row is None or row.workspace_id != actor.workspace_id:
            return None
        if row.status != seen:
            return Moved(await _card(session, row), changed=False)
        row.status = move(row.status, wanted)
        session.add(OrderEvent(order_id=row.id, from_status=seen, to_status=wanted, by=actor.user_id, at=now))
        await _remind(session, actor, row, now)
        await session.flush()
        return Moved(await _card(session, row), changed=True)


async def _remind(session: AsyncSession, actor: Actor, row: Order, now: datetime) -> None:
    """The reminder for the order's new status, in the chat it moved in; the old one stops."""
    await session.execute(
        update(Reminder).where(Reminder.order_id == row.id, Reminder.sent_at.is_(None)).values(cancelled=True)
    )
    due = REMINDERS.get(OrderStatus(row.status))
    if due is not None:
        session.add(
            Reminder(
                workspace_id=row.workspace_id, chat_id=actor.chat_id, order_id=row.id, kind=f"order:{row.status}",
                due_at=now + due.after,
            )
        )  # fmt: skip


@dataclass(frozen=True)
class DueOrderReminder:
    chat_id: int
    language: str
    text: str  # msgid
    card: OrderCard


async def claim_due_order_reminders(database: Database, now: datetime, default_language: str, limit: int = 50) -> list[DueOrderReminder]:
    """Order reminders that are due, marked sent in the same unit of work (never twice, even after a crash);
    one for a status the order has left is dropped."""
    async with database.session() as session:
        due = list(
            (
                await session.execute(
                    select(Reminder)
                    .where(
                        Reminder.order_id.is_not(None),
                        Reminder.due_at <= now,
                        Reminder.sent_at.is_(None),
                        Reminder.cancelled.is_(False),
                    )
                    .order_by(Reminder.due_at)
                    .limit(limit)
                    .with_for_update()
                )
            ).scalars()
        )
        found = []
        for reminder in due:
            reminder.sent_at = now
            row = await session.get(Order, reminder.order_id)
            if row is None or reminder.kind != f"order:{row.status}" or OrderStatus(row.status) not in REMINDERS:
                continue
            actor = await actor_in(session, row.created_by, reminder.chat_id, default_language)
            language = actor.language if actor else default_language
            found.append(DueOrderReminder(reminder.chat_id, language, REMINDERS[OrderStatus(row.status)].text, await _card(session, row)))
        return found


async def _scoped_order(session: AsyncSession, actor: Actor, order_id: int) -> Order | None:
    row = await session.get(Order, order_id, with_for_update=True)
    return row if row is not None and row.workspace_id == actor.workspace_id else None


async def _change_order(
    database: Database, actor: Actor, order_id: int, change: Callable[[Order], bool]
) -> OrderCard | None:
    """Change one order of the actor's workspace in a unit of work; None when it is not theirs or `change`
    refuses (returns False)."""
    async with database.session() as session:
        row = await _scoped_order(session, actor, order_id)
        if row is None or not change(row):
            return None
        return await _card(session, row)


async def choose_payment(database: Database, actor: Actor, order_id: int, method: PaymentMethod) -> OrderCard | None:
    """How the buyer pays; None for a method not open to the order's destination (Cross-border Pay is not
    everywhere)."""

    def change(row: Order) -> bool:
        if method not in payment_methods_for(row.destination_country):
            return False
        row.payment_method = method
        return True

    return await _change_order(database, actor, order_id, change)


async def keep_payment_proof(database: Database, actor: Actor, order_id: int, file_id: str) -> OrderCard | None:
    """The receipt of a payment (a photo or PDF the buyer sent, kept as Telegram's file id)."""
    return await _change_order(database, actor, order_id, lambda row: _set(row, payment_proof_file_id=file_id))


async def set_tracking(database: Database, actor: Actor, order_id: int, typed: str) -> OrderCard | None:
    """The shipment's tracking number as the buyer typed it, kept in the carrier's form when recognised."""
    number = recognise_tracking(typed).number
    return await _change_order(database, actor, order_id, lambda row: _set(row, tracking_number=number))


def _set(row: Order, **values: object) -> bool:
    for name, value in values.items():
        setattr(row, name, value)
    return True


# What needs the buyer first: orders waiting on them (to confirm, to pay), then on the way, then done.
_ATTENTION = {status: rank for rank, status in enumerate(OrderStatus)}


async def orders(database: Database, actor: Actor) -> list[OrderView]:
    """The workspace's orders: open ones by what needs attention, then the latest closed or cancelled."""
    async with database.session() as session:
        rows = list(
            (
                await session.execute(
                    select(Order).where(Order.workspace_id == actor.workspace_id).order_by(Order.updated_at.desc()).limit(50)
                )
            ).scalars()
        )
        rows.sort(key=lambda row: (row.status not in OPEN_ORDER_STATUSES, _ATTENTION[OrderStatus(row.status)]))
        return [await _view(session, row) for row in rows]

