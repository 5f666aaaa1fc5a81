"""Orders: made from an accepted quote, moved step by step (each move checked in the domain and stored with who,
when and from which status), listed by what needs attention. Every function is one unit of work, scoped to the
actor's workspace."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Inquiry, Order, OrderEvent, Payment, Reminder, Supplier, User
from bot.db.session import Database
from bot.domain.landed_cost import tier_for
from bot.domain.orders import (
    BALANCE_REMINDER,
    OPEN_ORDER_STATUSES,
    REMINDER_RESTARTS,
    REMINDERS,
    Deposit,
    InvalidOrderMove,
    OrderKind,
    OrderStatus,
    PaymentKind,
    PaymentMethod,
    cartons_for,
    defect_quantity,
    move,
    needs_approval,
    payment_currency,
    payment_methods_for,
    production_due,
    recognise_tracking,
)
from bot.domain.quotes import Ranking, Terms
from bot.domain.shipping import MethodRate, ShippingMethod, rate_table, rates_to
from bot.domain.workspaces import Permission, WorkspaceKind, require
from bot.services.accounts import ACTIVE_WORKSPACES, Actor, actor_in, in_chat_language, require_work
from bot.services.audit import audit_by
from bot.services.exchange_rates import yuan_per_unit
from bot.services.quotes import compare
from bot.services.results import answer_view, confirmed_answers
from bot.services.workspaces import load_workspace


@dataclass(frozen=True)
class PaymentView:
    kind: PaymentKind
    amount: Decimal
    currency: str
    method: PaymentMethod | None
    share_pct: Decimal | None
    at: datetime


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
    kind: OrderKind = OrderKind.ORDER
    shipping_method: ShippingMethod | None = None
    via_forwarder: bool = False
    cartons: int | None = None
    lead_days: int | None = None
    transit_days: tuple[int, int] | None = None
    balance_due: date | None = None
    payments: tuple[PaymentView, ...] = ()
    approval_over: Decimal | None = None  # yuan: the workspace's limit for payments without approval
    approved_at: datetime | None = None
    approved_amount: Decimal | None = None  # what was left to pay when an admin approved it
    yuan_rate: Decimal | None = None  # yuan for one unit of the order's currency; None: no rate known
    problem: str | None = None
    defect_quantity: int | None = None
    messages_sent: frozenset[str] = frozenset()  # supplier messages marked sent in the current status
    produced: bool = False  # it has been in production (a balance paid afterwards leads to shipping)
    received: bool = False  # the goods reached the buyer (a dispute is then about the goods, not the money)
    owner: str | None = None  # the teammate it was given to (/assign)

    @property
    def goods_total(self) -> Decimal | None:
        return None if self.unit_price is None else self.unit_price * self.quantity

    @property
    def paid(self) -> Decimal:
        return sum((payment.amount for payment in self.payments), Decimal(0))

    @property
    def to_pay(self) -> Decimal | None:
        """What is left to pay; None while the order has no price."""
        return None if self.goods_total is None else max(self.goods_total - self.paid, Decimal(0))

    @property
    def awaits_approval(self) -> bool:
        """What is left to pay is over the workspace's limit and more than an admin approved (none, or before
        the price went up). An approval stays good for the balance after a deposit."""
        if not self.to_pay or (self.approved_amount is not None and self.to_pay <= self.approved_amount):
            return False
        return needs_approval(self.to_pay * self.yuan_rate if self.yuan_rate is not None else None, self.approval_over)

    @property
    def started_on(self) -> date | None:
        """When production could start: the day of the first payment."""
        return self.payments[0].at.date() if self.payments else None


@dataclass(frozen=True)
class Step:
    id: int
    from_status: OrderStatus | None
    to_status: OrderStatus
    by: int
    at: datetime
    note: str | None = None  # "message:<kind>", "payment:<kind>", "approved": done without a move


@dataclass(frozen=True)
class OrderCard:
    order: OrderView
    timeline: list[Step]

    @property
    def step_id(self) -> int:
        """The event that began the order's current step (its latest move): a step's buttons name it."""
        return next(step.id for step in reversed(self.timeline) if step.from_status != step.to_status)


@dataclass(frozen=True)
class Moved:
    card: OrderCard
    changed: bool  # False: it had moved already (a second press, a teammate's)


async def _view(session: AsyncSession, row: Order, timeline: list[Step] | None = None) -> OrderView:
    supplier = await session.get(Supplier, row.supplier_id) if row.supplier_id else None
    workspace = await load_workspace(session, row.workspace_id)
    payments = (await session.execute(select(Payment).where(Payment.order_id == row.id).order_by(Payment.at, Payment.id))).scalars()
    # Messages marked sent since the order reached its status: a status's message once sent is not nagged again.
    sent: set[str] = set()
    for step in timeline or []:
        if step.from_status != step.to_status:
            sent.clear()
        if step.note and step.note.startswith("message:"):
            sent.add(step.note.removeprefix("message:"))
    transit = (row.transit_days_min, row.transit_days_max) if row.transit_days_max is not None else None
    return OrderView(
        row.id, row.inquiry_id, supplier.name if supplier else None, row.product, row.quantity, row.unit,
        row.unit_price, row.currency, OrderStatus(row.status), row.tracking_number,
        PaymentMethod(row.payment_method) if row.payment_method else None, row.destination_country,
        row.payment_proof_file_id is not None, OrderKind(row.kind),
        ShippingMethod(row.shipping_method) if row.shipping_method else None, row.via_forwarder, row.cartons,
        row.lead_days, transit, row.balance_due,  # type: ignore[arg-type]
        tuple(
            PaymentView(PaymentKind(p.kind), p.amount, p.currency, PaymentMethod(p.method) if p.method else None, p.share_pct, p.at)
            for p in payments
        ),
        workspace.payment_approval_over, row.approved_at, row.approved_amount,
        await yuan_per_unit(session, workspace, row.currency), row.problem, row.defect_quantity, frozenset(sent),
        any(step.to_status is OrderStatus.IN_PRODUCTION for step in timeline or []),
        any(step.to_status is OrderStatus.DELIVERED for step in timeline or []),
        owner.first_name if (owner := await session.get(User, row.assignee_id) if row.assignee_id else None) else None,
    )  # fmt: skip


async def _card(session: AsyncSession, row: Order) -> OrderCard:
    events = await session.execute(
        select(OrderEvent).where(OrderEvent.order_id == row.id).order_by(OrderEvent.at, OrderEvent.id)
    )
    timeline = [
        Step(event.id, OrderStatus(event.from_status) if event.from_status else None, OrderStatus(event.to_status), event.by, event.at, event.note)
        for event in events.scalars()
    ]
    return OrderCard(await _view(session, row, timeline), timeline)


async def order_from_quote(database: Database, actor: Actor, inquiry_id: int, *, now: datetime) -> OrderCard | None:
    """The order for an accepted quote: the product, quantity and price from the inquiry's recorded answers, the
    shipping method the comparison recommends, and the forwarder's route when the supplier does not ship abroad.
    Asking again returns the open order it already has."""
    require_work(actor)
    comparison = await compare(database, actor, inquiry_id, Ranking.COST, now=now)
    chosen = next((quote for quote in comparison.quotes if quote.inquiry_id == inquiry_id), None) if comparison else None
    best = chosen.best if chosen else None
    return await _new_order(database, actor, inquiry_id, OrderKind.ORDER, None, now, best.rate if best else None)


async def sample_order(database: Database, actor: Actor, inquiry_id: int, quantity: int, *, now: datetime) -> OrderCard | None:
    """A few pieces to check the quality first: an order of its own, priced at the sample fee the supplier gave."""
    require_work(actor)
    return await _new_order(database, actor, inquiry_id, OrderKind.SAMPLE, quantity, now, None)


async def _new_order(
    database: Database, actor: Actor, inquiry_id: int, kind: OrderKind, quantity: int | None, now: datetime, rate: MethodRate | None
) -> OrderCard | None:
    async with database.session() as session:
        inquiry = await session.get(Inquiry, inquiry_id, with_for_update=True)
        if inquiry is None or inquiry.workspace_id != actor.workspace_id or inquiry.sent_at is None:
            return None
        existing = await session.scalar(
            select(Order).where(Order.inquiry_id == inquiry.id, Order.kind == kind, Order.status.in_(OPEN_ORDER_STATUSES))
        )
        if existing is not None:
            return await _card(session, existing)
        workspace = await load_workspace(session, actor.workspace_id)
        answers = (await confirmed_answers(session, [inquiry.id])).get(inquiry.id, [])
        terms = Terms.from_facts([answer_view(answer).fact for answer in answers])
        if kind is OrderKind.SAMPLE:
            unit_price = terms.sample.price if terms.sample else None
            currency = "CNY"
            rate = None
        else:
            quantity = inquiry.quantity or 1
            tier = tier_for(terms.price_tiers, quantity) if terms.price_tiers else None
            unit_price, currency = (tier.unit_price, tier.currency) if tier else (None, "CNY")
        assert quantity is not None
        row = Order(
            workspace_id=actor.workspace_id,
            inquiry_id=inquiry.id,
            supplier_id=inquiry.supplier_id,
            kind=kind,
            product=inquiry.product or "",
            quantity=quantity,
            unit=inquiry.unit,
            unit_price=unit_price,
            currency=currency,
            status=OrderStatus.DRAFT,
            destination_country=inquiry.destination_country,
            # The supplier won't send abroad: the goods go to the team's forwarder in China; when nobody knows,
            # a team that has a forwarder uses it.
            via_forwarder=terms.ships_abroad is False or (terms.ships_abroad is None and bool(workspace.forwarder_address)),
            cartons=cartons_for(quantity, terms.carton.units if terms.carton else None) if kind is OrderKind.ORDER else None,
            lead_days=terms.lead_time.max_days if terms.lead_time else None,
            shipping_method=rate.method if rate else None,
            transit_days_min=rate.transit_days[0] if rate else None,
            transit_days_max=rate.transit_days[1] if rate else None,
            created_by=actor.user_id,
            created_at=now,
        )
        session.add(row)
        await session.flush()
        session.add(OrderEvent(order_id=row.id, from_status=None, to_status=OrderStatus.DRAFT, by=actor.user_id, at=now))
        audit_by(session, actor, f"{kind} started", f"order #{row.id}", row.product)
        await _remind(session, actor, row, now)
        if kind is OrderKind.ORDER:  # the quote is taken: the inquiry's follow-up reminder has nothing left to chase
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
    require_work(actor)
    async with database.session() as session:
        row = await session.get(Order, order_id, with_for_update=True)
        if row is None or row.workspace_id != actor.workspace_id:
            return None
        if row.status != seen:
            return Moved(await _card(session, row), changed=False)
        if wanted in (OrderStatus.DEPOSIT_PAID, OrderStatus.PAID):  # only a recorded payment moves it there
            raise InvalidOrderMove(OrderStatus(row.status), wanted)
        owing = bool((await _view(session, row)).to_pay)
        row.status = move(row.status, wanted, owing=owing)
        session.add(OrderEvent(order_id=row.id, from_status=seen, to_status=wanted, by=actor.user_id, at=now))
        audit_by(session, actor, "order moved", f"order #{row.id}", f"{seen} → {wanted}")
        await _remind(session, actor, row, now)
        await session.flush()
        return Moved(await _card(session, row), changed=True)


async def _remind(session: AsyncSession, actor: Actor, row: Order, now: datetime) -> None:
    """The reminder for the order's new status, in the chat it moved in; the old one stops. The balance's
    reminder runs on its own date until the balance is paid or the order ends."""
    status = OrderStatus(row.status)
    stale = update(Reminder).where(Reminder.order_id == row.id, Reminder.sent_at.is_(None))
    if status not in (OrderStatus.PAID, OrderStatus.CLOSED, OrderStatus.CANCELLED):  # the balance is still due
        stale = stale.where(Reminder.kind != BALANCE_KIND)
    await session.execute(stale.values(cancelled=True))
    due = REMINDERS.get(status)
    if due is not None:
        after = production_due(row.lead_days) if status is OrderStatus.IN_PRODUCTION else due.after
        session.add(
            Reminder(
                workspace_id=row.workspace_id, chat_id=actor.chat_id, order_id=row.id, kind=f"order:{row.status}",
                due_at=now + after,
            )
        )  # fmt: skip


BALANCE_KIND = "order:balance"


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
                        Reminder.workspace_id.in_(ACTIVE_WORKSPACES),  # a removed bot reminds nobody
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
            if row is None:
                continue
            status = OrderStatus(row.status)
            if reminder.kind == BALANCE_KIND and status in OPEN_ORDER_STATUSES:
                text = BALANCE_REMINDER
            elif reminder.kind == f"order:{row.status}" and status in REMINDERS:
                text = REMINDERS[status].text
            else:
                continue
            actor = await actor_in(session, row.created_by, reminder.chat_id, default_language, reminder.workspace_id)
            language = (await in_chat_language(session, actor)).language if actor else default_language
            found.append(DueOrderReminder(reminder.chat_id, language, text, await _card(session, row)))
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
    require_work(actor)

    def change(row: Order) -> bool:
        if method not in payment_methods_for(row.destination_country):
            return False
        row.payment_method = method
        return True

    return await _change_order(database, actor, order_id, change)


async def keep_payment_proof(database: Database, actor: Actor, order_id: int, file_id: str) -> OrderCard | None:
    """The receipt of a payment (a photo or PDF the buyer sent, kept as Telegram's file id)."""
    require_work(actor)
    return await _change_order(database, actor, order_id, lambda row: _set(row, payment_proof_file_id=file_id))


async def set_price(database: Database, actor: Actor, order_id: int, unit_price: Decimal) -> OrderCard | None:
    """The unit price agreed with the supplier, in yuan, while nothing is paid yet."""
    require_work(actor)

    def change(row: Order) -> bool:
        if OrderStatus(row.status) not in (OrderStatus.DRAFT, OrderStatus.CONFIRMED, OrderStatus.AWAITING_PAYMENT):
            return False
        row.unit_price, row.currency = unit_price, "CNY"
        return True

    return await _change_order(database, actor, order_id, change)


async def set_tracking(database: Database, actor: Actor, order_id: int, typed: str) -> OrderCard | None:
    """The shipment's tracking number as the buyer typed it, kept in the carrier's form when recognised; the
    reminder asking for it stops."""
    require_work(actor)
    number = recognise_tracking(typed).number
    async with database.session() as session:
        row = await _scoped_order(session, actor, order_id)
        if row is None:
            return None
        row.tracking_number = number
        await session.execute(
            update(Reminder)
            .where(Reminder.order_id == row.id, Reminder.sent_at.is_(None), Reminder.kind == f"order:{OrderStatus.SHIPPED_TO_FORWARDER}")
            .values(cancelled=True)
        )
        return await _card(session, row)


def _set(row: Order, **values: object) -> bool:
    for name, value in values.items():
        setattr(row, name, value)
    return True


class NeedsApproval(Exception):
    """The payment is over the workspace's limit and no admin has approved it yet."""


class OwnApproval(Exception):
    """Four eyes: the teammate who asked to pay can't approve the payment too, nor the approver make it."""


# Where a payment is due, and so can be approved: waiting for it, or for the balance.
PAYMENT_DUE = (OrderStatus.AWAITING_PAYMENT, OrderStatus.DEPOSIT_PAID, OrderStatus.IN_PRODUCTION)


async def record_payment(
    database: Database, actor: Actor, order_id: int, seen: OrderStatus, deposit: Deposit | None, *, now: datetime
) -> Moved | None:
    """A payment made: the deposit (`deposit`) or all that is left to pay (None), in the currency its method
    takes; the order moves to deposit paid or paid. As with moves, a status that changed meanwhile changes
    nothing. Raises NeedsApproval over the workspace's limit, InvalidOrderMove where no payment fits."""
    require_work(actor)
    async with database.session() as session:
        row = await _scoped_order(session, actor, order_id)
        if row is None or row.unit_price is None:
            return None
        if row.status != seen:
            return Moved(await _card(session, row), changed=False)
        view = await _view(session, row)
        if view.awaits_approval:
            raise NeedsApproval
        if actor.workspace_kind is WorkspaceKind.TEAM and view.approval_over is not None and row.approved_by == actor.user_id:
            raise OwnApproval  # four eyes: who approved a payment over the limit doesn't also make it
        assert view.to_pay is not None
        if deposit is not None:
            kind, amount, wanted = PaymentKind.DEPOSIT, deposit.amount, OrderStatus.DEPOSIT_PAID
        else:
            kind = PaymentKind.BALANCE if view.payments else PaymentKind.FULL
            amount, wanted = view.to_pay, OrderStatus.PAID
            if amount <= 0 and view.payments:  # paid already: a stale "balance paid" records nothing
                raise InvalidOrderMove(OrderStatus(row.status), wanted)
        row.status = move(row.status, wanted)
        method = PaymentMethod(row.payment_method) if row.payment_method else None
        if amount > 0:  # a free sample owes nothing: it moves on without a payment
            session.add(
                Payment(
                    order_id=row.id, kind=kind, amount=amount, currency=payment_currency(method, row.currency),
                    method=method, share_pct=deposit.share_pct if deposit else None, by=actor.user_id, at=now,
                )
            )  # fmt: skip
        session.add(OrderEvent(order_id=row.id, from_status=seen, to_status=wanted, note=f"payment:{kind}", by=actor.user_id, at=now))
        audit_by(session, actor, f"payment: {kind}", f"order #{row.id}", f"{amount} {payment_currency(method, row.currency)}")
        if deposit is not None and deposit.balance_due is not None:
            row.balance_due = deposit.balance_due
            session.add(
                Reminder(
                    workspace_id=row.workspace_id, chat_id=actor.chat_id, order_id=row.id, kind=BALANCE_KIND,
                    due_at=datetime.combine(deposit.balance_due, time(1), UTC),
                )
            )  # fmt: skip
        await _remind(session, actor, row, now)
        await session.flush()
        return Moved(await _card(session, row), changed=True)


async def approve_payment(database: Database, actor: Actor, order_id: int, *, now: datetime) -> Moved | None:
    """An admin approves paying what is left on an order over the workspace's limit (the amount is kept: a
    higher price needs approving again). In a team, whoever asked to pay (moved the order to awaiting payment)
    can't approve it. Raises NotAllowed for anyone but admins and approvers, OwnApproval for the one asking."""
    require(actor.workspace_kind, actor.role, Permission.APPROVE)
    async with database.session() as session:
        row = await _scoped_order(session, actor, order_id)
        if row is None:
            return None
        card = await _card(session, row)
        if not card.order.awaits_approval or card.order.status not in PAYMENT_DUE:
            return Moved(card, changed=False)
        asked_by = next(
            (step.by for step in reversed(card.timeline) if step.to_status is OrderStatus.AWAITING_PAYMENT and step.from_status != step.to_status),
            None,
        )
        if actor.workspace_kind is WorkspaceKind.TEAM and asked_by == actor.user_id:
            raise OwnApproval
        row.approved_by, row.approved_at, row.approved_amount = actor.user_id, now, card.order.to_pay
        audit_by(session, actor, "payment approved", f"order #{row.id}", f"{card.order.to_pay} {row.currency}")
        session.add(OrderEvent(order_id=row.id, from_status=row.status, to_status=row.status, note="approved", by=actor.user_id, at=now))
        await session.flush()
        return Moved(await _card(session, row), changed=True)


async def message_sent(database: Database, actor: Actor, order_id: int, step: int, kind: str, *, now: datetime) -> Moved | None:
    """The buyer sent the supplier message of the step `step` (the move that began it): kept on the timeline
    once. A message from an earlier step changes nothing. Where the message asks the supplier something, the
    step's reminder counts again from now."""
    require_work(actor)
    async with database.session() as session:
        row = await _scoped_order(session, actor, order_id)
        if row is None:
            return None
        card = await _card(session, row)
        if kind in card.order.messages_sent or step != card.step_id:
            return Moved(card, changed=False)
        session.add(OrderEvent(order_id=row.id, from_status=row.status, to_status=row.status, note=f"message:{kind}", by=actor.user_id, at=now))
        if OrderStatus(row.status) in REMINDER_RESTARTS:
            await _remind(session, actor, row, now)
        await session.flush()
        return Moved(await _card(session, row), changed=True)


async def choose_shipping(
    database: Database, actor: Actor, order_id: int, method: ShippingMethod | None, via_forwarder: bool | None
) -> OrderCard | None:
    """How the goods travel, until they leave the supplier: the method (its transit days from the team's rate
    table) and whether they go through the forwarder."""
    require_work(actor)
    async with database.session() as session:
        row = await _scoped_order(session, actor, order_id)
        if row is None or OrderStatus(row.status) not in SHIPPING_OPEN:
            return None
        if method is not None:
            workspace = await load_workspace(session, actor.workspace_id)
            rates = rates_to(rate_table(workspace.shipping_rates_csv), row.destination_country)
            rate = next((r for r in rates if r.method is method), None)
            row.shipping_method = method
            row.transit_days_min, row.transit_days_max = rate.transit_days if rate else (None, None)
        if via_forwarder is not None:
            row.via_forwarder = via_forwarder
        await session.flush()
        return await _card(session, row)


# Until the goods leave the supplier, the way they travel can change.
SHIPPING_OPEN = frozenset(OPEN_ORDER_STATUSES) - {
    OrderStatus.SHIPPED_TO_FORWARDER, OrderStatus.SHIPPED_INTERNATIONAL, OrderStatus.DELIVERED, OrderStatus.DISPUTED,
}  # fmt: skip


async def open_dispute(
    database: Database, actor: Actor, order_id: int, seen: OrderStatus, problem: str, *, now: datetime
) -> Moved | None:
    """Something is wrong with the goods or the money: the order goes into dispute with the buyer's words (and
    how many pieces, when they say), for the after-sales message."""
    require_work(actor)
    async with database.session() as session:
        row = await _scoped_order(session, actor, order_id)
        if row is None:
            return None
        if row.status != seen:
            return Moved(await _card(session, row), changed=False)
        row.status = move(row.status, OrderStatus.DISPUTED)
        audit_by(session, actor, "dispute opened", f"order #{row.id}", problem)
        row.problem = problem
        row.defect_quantity = defect_quantity(problem, row.quantity)
        session.add(OrderEvent(order_id=row.id, from_status=seen, to_status=OrderStatus.DISPUTED, by=actor.user_id, at=now))
        await _remind(session, actor, row, now)
        await session.flush()
        return Moved(await _card(session, row), changed=True)


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

