"""Orders in the domain: the moves allowed from every status, how a buyer can pay, tracking numbers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from bot.db.models import Order, OrderEvent
from bot.db.session import Database
from bot.domain.inquiries import InputError
from bot.domain.orders import (
    TRANSITIONS,
    USUAL_NEXT,
    BalanceOwing,
    InvalidOrderMove,
    OrderKind,
    OrderStatus,
    PaymentMethod,
    arrival_window,
    cartons_for,
    defect_quantity,
    message_for,
    move,
    needs_approval,
    parse_deposit,
    payment_currency,
    payment_methods_for,
    production_due,
    ready_on,
    recognise_tracking,
    usual_next,
)
from bot.domain.workspaces import NotAllowed
from bot.services import orders, workspaces
from tests.builders import actor_of, sent_inquiry

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


def test_every_status_can_reach_closed_or_cancelled_and_nothing_leaves_them() -> None:
    for status in OrderStatus:
        reached, frontier = {status}, [status]
        while frontier:
            for later in TRANSITIONS[frontier.pop()]:
                if later not in reached:
                    reached.add(later)
                    frontier.append(later)
        assert reached & {OrderStatus.CLOSED, OrderStatus.CANCELLED}, status
    assert not TRANSITIONS[OrderStatus.CLOSED] and not TRANSITIONS[OrderStatus.CANCELLED]


def test_the_usual_path_is_allowed_and_a_jump_is_refused() -> None:
    status = OrderStatus.DRAFT
    path = [status]
    while status in USUAL_NEXT:
        status = move(status, USUAL_NEXT[status])
        path.append(status)
    assert path[-1] is OrderStatus.CLOSED and OrderStatus.SHIPPED_INTERNATIONAL in path
    with pytest.raises(InvalidOrderMove):
        move(OrderStatus.DRAFT, OrderStatus.PAID)
    with pytest.raises(InvalidOrderMove):
        move(OrderStatus.SHIPPED_INTERNATIONAL, OrderStatus.CANCELLED)  # the goods have left the supplier


def test_a_deposit_then_the_balance() -> None:
    assert move(OrderStatus.AWAITING_PAYMENT, OrderStatus.DEPOSIT_PAID) is OrderStatus.DEPOSIT_PAID
    assert move(OrderStatus.IN_PRODUCTION, OrderStatus.PAID) is OrderStatus.PAID


@pytest.mark.parametrize(("country", "cross_border"), [("SG", True), ("au", True), ("NZ", True), ("US", False), (None, False)])
def test_cross_border_pay_follows_the_buyers_country(country: str | None, cross_border: bool) -> None:
    methods = payment_methods_for(country)
    assert (PaymentMethod.CROSS_BORDER_PAY in methods) is cross_border
    assert methods[0] is (PaymentMethod.CROSS_BORDER_PAY if cross_border else PaymentMethod.ALIPAY)


@pytest.mark.parametrize(
    ("typed", "carrier"),
    [("LX123456789CN", "China Post / ePacket"), ("lx 123 456 789 cn", "China Post / ePacket"),
     ("1Z999AA10123456784", "UPS"), ("SF1234567890123", "SF Express"), ("1234567890", "DHL"),
     ("123456789012", "FedEx"), ("YT2300012345678", None)],
)  # fmt: skip
def test_tracking_numbers_are_recognised_by_format(typed: str, carrier: str | None) -> None:
    tracking = recognise_tracking(typed)
    assert tracking.carrier == carrier
    assert (tracking.url is not None) is (carrier is not None)


async def test_an_order_pays_only_by_a_way_open_to_its_country(database: Database) -> None:
    ana = await actor_of(database, 1)
    inquiry = await sent_inquiry(database, ana, questions=["price_tiers"])
    card = await orders.order_from_quote(database, ana, inquiry.id, now=NOW)
    assert card is not None and card.order.destination_country == "SG"
    assert await orders.order_from_quote(database, ana, inquiry.id, now=NOW) == card  # made once
    assert await orders.choose_payment(database, ana, card.order.id, PaymentMethod.CROSS_BORDER_PAY) is not None
    async with database.session() as session:
        await session.execute(update(Order).values(destination_country="US", payment_method=None))
    assert await orders.choose_payment(database, ana, card.order.id, PaymentMethod.CROSS_BORDER_PAY) is None
    paid = await orders.choose_payment(database, ana, card.order.id, PaymentMethod.ALIPAY)
    assert paid is not None and paid.order.payment_method is PaymentMethod.ALIPAY
    ben = await actor_of(database, 2, first_name="Ben")
    assert await orders.choose_payment(database, ben, card.order.id, PaymentMethod.ALIPAY) is None  # not his


@pytest.mark.parametrize(
    ("typed", "amount", "share", "due"),
    [("30%", "1620", "30", None), ("30 % balance in 20 days", "1620", "30", date(2026, 12, 20)),
     ("¥1,500 due 2026-12-24", "1500", None, date(2026, 12, 24)), ("1500 by 24/12", "1500", None, date(2026, 12, 24)),
     ("50% 5/1", "2700", "50", date(2027, 1, 5)), ("12.5% due 20/12", "675", "12.5", date(2026, 12, 20)),
     ("1500.50", "1500.50", None, None), ("30.5%", "1647", "30.5", None), ("1,500.5 in 3 days", "1500.5", None, date(2026, 12, 3))],
)  # fmt: skip
def test_a_deposit_is_read_as_a_share_or_an_amount_with_the_balance_due_date(typed, amount, share, due) -> None:
    deposit = parse_deposit(typed, Decimal(5400), date(2026, 11, 30))
    assert deposit.amount == Decimal(amount) and deposit.balance_due == due
    if share is not None:
        assert deposit.share_pct == Decimal(share)
    assert deposit.share_pct == deposit.amount * 100 / Decimal(5400)  # unrounded: rounded only when shown


@pytest.mark.parametrize("typed", ["lots", "0", "5400", "120%", "30% due 2026-02-30", "30% due 2026-11-01"])
def test_a_deposit_that_is_no_deposit_is_refused_with_a_reason(typed: str) -> None:
    with pytest.raises(InputError):
        parse_deposit(typed, Decimal(5400), date(2026, 11, 30))


def test_payments_are_made_in_the_quoted_currency_and_an_unknown_rate_needs_approval() -> None:
    assert payment_currency(PaymentMethod.CROSS_BORDER_PAY, "CNY") == "CNH"
    assert payment_currency(PaymentMethod.ALIPAY, "CNY") == "CNY"
    assert payment_currency(PaymentMethod.CROSS_BORDER_PAY, "USD") == "USD"  # quoted in dollars, paid in dollars
    assert needs_approval(None, Decimal(5000)) and not needs_approval(None, None)
    assert needs_approval(Decimal("5000.01"), Decimal(5000)) and not needs_approval(Decimal(5000), Decimal(5000))


def test_the_usual_next_step_follows_the_money_and_the_route() -> None:
    assert usual_next(OrderStatus.READY_TO_SHIP, via_forwarder=True) is OrderStatus.SHIPPED_TO_FORWARDER
    assert usual_next(OrderStatus.READY_TO_SHIP, via_forwarder=False) is OrderStatus.SHIPPED_INTERNATIONAL
    assert usual_next(OrderStatus.IN_PRODUCTION, False, owing=True) is OrderStatus.PAID
    assert usual_next(OrderStatus.PAID, False, produced=True) is OrderStatus.READY_TO_SHIP
    with pytest.raises(BalanceOwing):
        move(OrderStatus.IN_PRODUCTION, OrderStatus.READY_TO_SHIP, owing=True)
    assert message_for(OrderStatus.DRAFT, OrderKind.SAMPLE, False, False) == "sample_request"
    assert message_for(OrderStatus.READY_TO_SHIP, OrderKind.ORDER, False, False) is None  # no forwarder to write to
    assert message_for(OrderStatus.SHIPPED_INTERNATIONAL, OrderKind.ORDER, False, tracked=False) == "request_tracking"
    assert message_for(OrderStatus.SHIPPED_INTERNATIONAL, OrderKind.ORDER, False, tracked=True) is None
    assert message_for(OrderStatus.SHIPPED_INTERNATIONAL, OrderKind.ORDER, True, tracked=False) is None  # the forwarder's
    with pytest.raises(BalanceOwing):
        move(OrderStatus.DISPUTED, OrderStatus.DELIVERED, owing=True)


def test_cartons_arrival_and_defects_are_counted_as_a_buyer_would() -> None:
    assert cartons_for(450, 200) == 3 and cartons_for(400, 200) == 2 and cartons_for(450, None) is None
    today = date(2026, 12, 10)
    paid = date(2026, 12, 1)
    assert ready_on(OrderStatus.IN_PRODUCTION, paid, 15, None, today) == date(2026, 12, 16)
    assert ready_on(OrderStatus.IN_PRODUCTION, paid, 5, None, today) == today  # late: not before today
    assert ready_on(OrderStatus.SHIPPED_INTERNATIONAL, paid, 15, date(2026, 12, 8), today) == date(2026, 12, 8)
    assert ready_on(OrderStatus.CONFIRMED, None, 15, None, today) is None
    assert arrival_window(date(2026, 12, 16), (6, 10)) == (date(2026, 12, 22), date(2026, 12, 26))
    assert defect_quantity("30 pcs arrived cracked", 450) == 30
    assert defect_quantity("1,000 pcs broken", 450) is None and defect_quantity("lids leak", 450) is None
    assert defect_quantity("有20个坏了", 450) == 20 and defect_quantity("order 12345 of 2026-12-01: cracked", 450) is None
    assert production_due(15).days == 17 and production_due(None).days == 15


async def test_a_payment_over_the_teams_limit_waits_for_an_admin_and_the_approval_is_kept(database: Database) -> None:
    owner = await actor_of(database, 1, -100, group=True, telegram_status="creator")
    member = await actor_of(database, 2, -100, first_name="Ben", group=True, telegram_status="member")
    await workspaces.set_payment_approval(database, owner, "5000")
    with pytest.raises(NotAllowed):
        await workspaces.set_payment_approval(database, member, "0")
    inquiry = await sent_inquiry(database, member, questions=["price_tiers"], quantity=450)
    card = await orders.order_from_quote(database, member, inquiry.id, now=NOW)
    assert card is not None and card.order.unit_price is None
    priced = await orders.set_price(database, member, card.order.id, Decimal(12))
    assert priced is not None and priced.order.to_pay == Decimal(5400) and priced.order.awaits_approval
    order_id = card.order.id
    for seen, wanted in ((OrderStatus.DRAFT, OrderStatus.CONFIRMED), (OrderStatus.CONFIRMED, OrderStatus.AWAITING_PAYMENT)):
        await orders.move_order(database, member, order_id, seen, wanted, now=NOW)
    with pytest.raises(orders.NeedsApproval):
        await orders.record_payment(database, member, order_id, OrderStatus.AWAITING_PAYMENT, None, now=NOW)
    with pytest.raises(NotAllowed):
        await orders.approve_payment(database, member, order_id, now=NOW)
    approved = await orders.approve_payment(database, owner, order_id, now=NOW)
    assert approved is not None and approved.changed and not approved.card.order.awaits_approval
    again = await orders.approve_payment(database, owner, order_id, now=NOW)
    assert again is not None and not again.changed
    raised = await orders.set_price(database, member, order_id, Decimal(13))  # ¥5,850: more than was approved
    assert raised is not None and raised.order.awaits_approval
    await orders.approve_payment(database, owner, order_id, now=NOW)
    deposit = parse_deposit("30%", Decimal(5850), NOW.date())
    paid = await orders.record_payment(database, member, order_id, OrderStatus.AWAITING_PAYMENT, deposit, now=NOW)
    assert paid is not None and paid.card.order.status is OrderStatus.DEPOSIT_PAID
    assert not paid.card.order.awaits_approval  # the approval holds for the balance
    paid = await orders.record_payment(database, member, order_id, OrderStatus.DEPOSIT_PAID, None, now=NOW)
    assert paid is not None and paid.card.order.status is OrderStatus.PAID and paid.card.order.to_pay == 0
    assert paid.card.order.paid == Decimal(5850)
    async with database.session() as session:
        row = await session.get(Order, order_id)
        assert row is not None and row.approved_by == owner.user_id and row.approved_amount == Decimal(5850)
        notes = [e.note for e in (await session.execute(select(OrderEvent).where(OrderEvent.order_id == order_id))).scalars()]
    assert notes.count("approved") == 2 and notes.count("payment:deposit") == 1 and notes.count("payment:balance") == 1
    with pytest.raises(InvalidOrderMove):  # a payment moves an order to paid, never a bare move
        await orders.move_order(database, owner, order_id, OrderStatus.PAID, OrderStatus.PAID, now=NOW)
