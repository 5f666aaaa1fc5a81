from decimal import Decimal

import pytest

from bot.extraction.numerals import NumberMention, find_numbers, parse_number, to_halfwidth


def test_halfwidth_turns_full_width_digits_letters_and_punctuation_into_ascii() -> None:
    assert to_halfwidth("１２３ＰＣＳ，（ＭＯＱ）：５００！") == "123PCS,(MOQ):500!"


def test_halfwidth_turns_the_ideographic_space_into_a_space_and_keeps_chinese_text() -> None:
    assert to_halfwidth("价格\u3000１２元") == "价格 12元"


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("1,500", "1500"),
        ("12.5", "12.5"),
        ("1.5万", "15000"),
        ("10万", "100000"),
        ("1万2", "12000"),
        ("两千", "2000"),
        ("两千五", "2500"),
        ("一万", "10000"),
        ("十二", "12"),
        ("一百二十", "120"),
        ("一百二", "120"),
        ("一百零五", "105"),
        ("三万五千", "35000"),
        ("贰拾", "20"),
        ("贰拾元整", "20"),
        ("壹佰伍拾", "150"),
        ("三块八", "3.8"),
        ("5块5", "5.5"),
        ("一块二毛五", "1.25"),
        ("3元5角", "3.5"),
        ("5毛", "0.5"),
        ("１２", "12"),
        ("二〇二四", "2024"),
        ("兩萬", "20000"),
        ("15k", "15000"),
        ("1.5 million", "1500000"),
        ("15 thousand", "15000"),
        ("twenty-five", "25"),
        ("¥5.5", "5.5"),
    ],
)
def test_parse_number_reads_the_ways_suppliers_write_numbers(token: str, expected: str) -> None:
    assert parse_number(token) == Decimal(expected)


@pytest.mark.parametrize("token", ["", "abc", "三五", "千万", "百", "1.2.3"])
def test_parse_number_refuses_what_is_not_one_number(token: str) -> None:
    assert parse_number(token) is None


def values_and_kinds(text: str) -> list[tuple[Decimal, str]]:
    return [(mention.value, mention.kind) for mention in find_numbers(text)]


def test_find_numbers_reads_a_chinese_quote() -> None:
    text = "起订量两千个，1.5万以上三块八一个，7-15天发货"
    assert values_and_kinds(text) == [
        (Decimal(2000), "quantity"),
        (Decimal(15000), "plain"),
        (Decimal("3.8"), "money"),
        (Decimal(7), "duration"),
        (Decimal(15), "duration"),
    ]


def test_find_numbers_spans_point_into_the_original_text() -> None:
    text = "ＭＯＱ：１,５００個，单价五块五"
    spans = [text[mention.start : mention.end] for mention in find_numbers(text)]
    assert spans == ["１,５００", "五块五"]


def test_find_numbers_reads_an_english_translation() -> None:
    text = "MOQ 15,000 pcs, $3 each or ¥5.5, RMB 12 for samples, 30% deposit, ships in 3 days, 1.5 million a year"
    assert values_and_kinds(text) == [
        (Decimal(15000), "quantity"),
        (Decimal(3), "money"),
        (Decimal("5.5"), "money"),
        (Decimal(12), "money"),
        (Decimal(30), "percent"),
        (Decimal(3), "duration"),
        (Decimal(1500000), "plain"),
    ]


def test_find_numbers_reads_english_number_words_but_not_the_pronoun_one() -> None:
    assert values_and_kinds("two weeks, fifteen thousand units, this one is fine") == [
        (Decimal(2), "duration"),
        (Decimal(15000), "quantity"),
    ]


def test_find_numbers_understands_percent_in_chinese() -> None:
    assert values_and_kinds("百分之三十定金，开票加6个点，含税加3%") == [
        (Decimal(30), "percent"),
        (Decimal(6), "percent"),
        (Decimal(3), "percent"),
    ]


def test_find_numbers_marks_dates_and_tells_years_from_years_in_business() -> None:
    assert values_and_kinds("2024年成立，做了十年，12月5日前发货，15号到") == [
        (Decimal(2024), "date"),
        (Decimal(10), "duration"),
        (Decimal(12), "date"),
        (Decimal(5), "date"),
        (Decimal(15), "date"),
    ]


def test_find_numbers_skips_discounts_ordinals_and_words_that_only_contain_numerals() -> None:
    text = "打8折，九五折，第一次合作，一起发，统一价，千万别急，十分感谢，一下就好"
    assert find_numbers(text) == []


def test_find_numbers_gives_both_ends_of_a_rough_chinese_range() -> None:
    assert values_and_kinds("三五天就到") == [(Decimal(3), "duration"), (Decimal(5), "duration")]


def test_find_numbers_does_not_count_the_one_in_twelve_yuan_each() -> None:
    assert values_and_kinds("12元一个，一件代发") == [(Decimal(12), "money"), (Decimal(1), "quantity")]


def test_find_numbers_reads_spaced_and_decimal_comma_numbers_in_western_text() -> None:
    assert values_and_kinds("15 000 штук по 5,5 юаня") == [(Decimal(15000), "quantity"), (Decimal("5.5"), "plain")]


def test_find_numbers_keeps_a_chinese_comma_between_numbers() -> None:
    assert [mention.value for mention in find_numbers("价格12，13，14")] == [Decimal(12), Decimal(13), Decimal(14)]


def test_find_numbers_gives_every_size_of_a_carton_the_same_kind() -> None:
    assert values_and_kinds("箱规60*40*30cm") == [
        (Decimal(60), "quantity"),
        (Decimal(40), "quantity"),
        (Decimal(30), "quantity"),
    ]


def test_number_mentions_are_immutable_values() -> None:
    mention = NumberMention(Decimal(5), 0, 1, "plain")
    with pytest.raises(AttributeError):
        mention.value = Decimal(6)  # type: ignore[misc]
    assert mention == NumberMention(Decimal(5), 0, 1, "plain")


def test_find_numbers_reads_a_week_as_one_week_but_not_a_rate_as_a_number() -> None:
    assert values_and_kinds("ships within a week") == [(Decimal(1), "duration")]
    assert values_and_kinds("1.5 million a year, twice a week") == [(Decimal(1500000), "plain")]


def test_find_numbers_reads_a_hyphenated_duration() -> None:
    assert values_and_kinds("a 3-day lead time") == [(Decimal(3), "duration")]


def test_find_numbers_skips_the_one_that_means_each_before_an_amount() -> None:
    assert values_and_kinds("一个50块，一箱36个") == [(Decimal(50), "money"), (Decimal(36), "quantity")]
