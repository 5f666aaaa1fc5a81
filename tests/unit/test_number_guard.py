from __future__ import annotations

from decimal import Decimal

import pytest

from bot.translation.guard import check_numbers


def values(mentions: list) -> list[Decimal]:  # type: ignore[type-arg]
    return [mention.value for mention in mentions]


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("起订量1.5万件", "MOQ 15,000 pieces"),
        ("起订量15000件", "MOQ 1.5万件"),
        ("单价5块5", "unit price 5.5 yuan"),
        ("三块八一个", "3.8 yuan each"),
        ("１２０件", "120 pieces"),
        ("单价¥12.5元", "RMB 12.5 each"),
        ("定金30%", "30% deposit"),
        ("定金百分之三十", "a deposit of 30 percent"),
        ("两千件", "2,000 pieces"),
        ("150万件", "1.5 million pieces"),
        ("交期15天", "lead time 15 days"),
        ("3月5日发货", "Ships on March 5"),
        ("12月5日发货", "Ships on 5 December"),
        ("100件和100件", "100 pieces and 100 pieces"),
    ],
)
def test_numbers_written_another_way_pass(source: str, translation: str) -> None:
    check = check_numbers(source, translation)
    assert check.ok and check.missing == []
    assert check.source_numbers


@pytest.mark.parametrize(
    ("source", "translation", "lost"),
    [
        ("起订量1.5万件", "MOQ 1,500 pieces", [Decimal(15000)]),
        ("单价5块5", "unit price 5 yuan", [Decimal("5.5")]),
        ("起订量500件，单价3元", "MOQ 500 pieces", [Decimal(3)]),
        ("100件和100件", "100 pieces", [Decimal(100)]),
        ("定金30%", "a deposit of 20%", [Decimal(30)]),
        ("3月5日发货", "Ships on the 5th", [Decimal(3)]),
    ],
)
def test_a_lost_or_changed_number_fails_and_is_named(source: str, translation: str, lost: list[Decimal]) -> None:
    check = check_numbers(source, translation)
    assert not check.ok
    assert values(check.missing) == lost


def test_the_source_numbers_are_listed_in_order_for_the_buyer() -> None:
    check = check_numbers("起订量500件，单价3元，交期7天", "MOQ 500")
    assert values(check.source_numbers) == [500, 3, 7]
    assert values(check.missing) == [3, 7]


def test_a_text_without_numbers_passes() -> None:
    check = check_numbers("亲，在的", "Dear, I'm here")
    assert check.ok and check.source_numbers == [] and check.missing == []


def test_a_month_word_only_counts_next_to_a_day() -> None:
    assert not check_numbers("5件", "You may order").ok
