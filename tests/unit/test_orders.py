"""Orders in the domain: the moves allowed from every status, how a buyer can pay, tracking numbers."""

from __future__ import annotations

import pytest

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
