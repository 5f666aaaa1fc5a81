"""Orders in the domain: the moves allowed from every status, how a buyer can pay, tracking numbers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from bot.db.models import Order
from bot.db.session import Database
from bot.domain.orders import (
    TRANSITIONS,
    USUAL_NEXT,
    InvalidOrderMove,
    OrderStatus,
    PaymentMethod,
    move,
    payment_methods_for,
    recognise_tracking,
)
from bot.services import orders
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
