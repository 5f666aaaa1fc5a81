"""What buyers type while writing an inquiry: quantities, countries, currencies, with typos."""

import pytest

from bot.domain.inquiries import (
    InputError,
    clean_product,
    parse_certifications,
    parse_country,
    parse_currency,
    parse_quantity,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("500", (500, None)),
        ("1,000 pcs", (1000, "pcs")),
        ("2k", (2000, None)),
        ("1.5万", (15000, None)),
        ("300 sets", (300, "sets")),
        ("２００ 件", (200, "pcs")),
        ("50 cartns", (50, "cartons")),
        ("about 800 pieces", (800, "pcs")),
    ],
)
def test_quantities_in_the_forms_buyers_type(typed, expected):
    assert parse_quantity(typed) == expected


@pytest.mark.parametrize("typed", ["lots", "", "0", "-5", "2.5", "99999999999", "five hundred"])
def test_quantities_that_cannot_be_used_are_refused_with_a_reason(typed):
    with pytest.raises(InputError) as refused:
        parse_quantity(typed)
    assert refused.value.msgid


@pytest.mark.parametrize(
    ("typed", "code"),
    [("Singapore", "SG"), ("singapor", "SG"), ("sg", "SG"), ("新加坡", "SG"), ("New Zealand", "NZ"),
     ("newzealand", "NZ"), ("UK", "GB"), ("Austrlia", "AU"), ("Hong Kong", "HK")],
)
def test_countries_by_name_code_chinese_or_typo(typed, code):
    assert parse_country(typed).code == code


def test_a_country_in_the_buyers_own_language():
    assert parse_country("Singapur", {"SG": "Singapur"}).code == "SG"


def test_an_unknown_country_is_refused():
    with pytest.raises(InputError):
        parse_country("Atlantis")


@pytest.mark.parametrize(("typed", "code"), [("sgd", "SGD"), ("S$", "SGD"), ("RMB", "CNY"), ("usd", "USD"), ("AUD", "AUD")])
def test_currencies(typed, code):
    assert parse_currency(typed) == code


def test_product_descriptions_are_tidied_and_bounded():
    assert clean_product("  LED   lamp\n white ") == "LED lamp white"
    with pytest.raises(InputError):
        clean_product("x")
    with pytest.raises(InputError):
        clean_product("y" * 501)


@pytest.mark.parametrize(
    ("text", "codes"),
    [("CE, RoHS and SIRIM", ["CE", "ROHS", "SIRIM"]), ("ce rohs ce", ["CE", "ROHS"]), ("CE、FCC和UKCA", ["CE", "FCC", "UKCA"])],
)
def test_certificate_codes_typed_any_way(text, codes):
    assert parse_certifications(text) == codes


@pytest.mark.parametrize("text", ["", "!!!", "CE, " + ", ".join(f"X{n}" for n in range(10))])
def test_what_is_not_a_list_of_certificate_codes_is_refused(text):
    with pytest.raises(InputError):
        parse_certifications(text)
