import json
from typing import Any

import pytest

from bot.extraction import FIELDS, extract


def facts(text: str) -> dict[str, Any]:
    """The fields `sourcing-bot extract` prints for a reply."""
    found = extract(text).to_dict()
    return {field: found[field] for field in FIELDS}


def tier(min_qty: int, max_qty: int | None, price: str, currency: str = "CNY") -> dict[str, Any]:
    return {"min_qty": min_qty, "max_qty": max_qty, "unit_price": price, "currency": currency}


def tiers(text: str) -> list[dict[str, Any]]:
    return facts(text)["price_tiers"]


# --- the result -------------------------------------------------------------------------------------------------


def test_a_reply_about_nothing_gives_every_key_with_null_and_no_tiers() -> None:
    result = facts("好的亲，稍等一下哈")
    assert list(result) == list(FIELDS)
    assert result["price_tiers"] == []
    assert all(result[field] is None for field in FIELDS if field != "price_tiers")


def test_the_result_is_plain_json() -> None:
    text = json.dumps(facts("MOQ 500pcs, $1.20/pc, lead time 15 days, CE"), ensure_ascii=False)
    assert json.loads(text)["price_tiers"] == [tier(500, None, "1.2", "USD")]


# --- how suppliers write numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("起订量两千个", 2000),
        ("起订量1.5万个", 15000),
        ("起订量一万个", 10000),
        ("起订量1,500个", 1500),
        ("起订量１２００个", 1200),
        ("起订量十二个", 12),
        ("起订量一百二十个", 120),
        ("起訂量三千個", 3000),
    ],
)
def test_quantities_in_any_numeral_style(text: str, quantity: int) -> None:
    assert facts(text)["moq"] == {"quantity": quantity, "unit": "个"}


@pytest.mark.parametrize(
    ("text", "price"),
    [
        ("单价三块八", "3.8"),
        ("单价5块5", "5.5"),
        ("单价贰拾元整", "20"),
        ("单价五毛", "0.5"),
        ("单价１２.５元", "12.5"),
        ("單價八塊", "8"),
        ("单价1,280元", "1280"),
    ],
)
def test_prices_in_any_numeral_style(text: str, price: str) -> None:
    assert tiers(text) == [tier(1, None, price)]


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("12元一个", "CNY"),
        ("12块一个", "CNY"),
        ("¥12/个", "CNY"),
        ("￥12/个", "CNY"),
        ("RMB 12/pc", "CNY"),
        ("CNY 12 per piece", "CNY"),
        ("单价12", "CNY"),
        ("USD 12/pc", "USD"),
        ("US$12 each", "USD"),
        ("$12/pc", "USD"),
        ("单价12美金", "USD"),
        ("EUR 12/pc", "EUR"),
    ],
)
def test_currency_of_a_unit_price(text: str, currency: str) -> None:
    assert [found["currency"] for found in tiers(text)] == [currency]


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("50件起批", "件"),
        ("50套起批", "套"),
        ("50台起订", "台"),
        ("50双起批", "双"),
        ("50只起批", "只"),
        ("50条起批", "条"),
        ("50米起订", "米"),
        ("MOQ 50kg", "kg"),
        ("MOQ 50 pcs", "pcs"),
        ("MOQ 50 pieces", "pcs"),
        ("MOQ 50 sets", "set"),
        ("MOQ 50", None),
    ],
)
def test_units_of_the_minimum_order(text: str, unit: str | None) -> None:
    assert facts(text)["moq"] == {"quantity": 50, "unit": unit}


# --- price tiers ------------------------------------------------------------------------------------------------


def test_a_table_of_ranges_gives_ascending_tiers_with_their_stated_bounds() -> None:
    text = "1000个以上 ¥8\n100-499个  ¥10\n500-999个  ¥9"
    assert tiers(text) == [tier(100, 499, "10"), tier(500, 999, "9"), tier(1000, None, "8")]


@pytest.mark.parametrize(
    "text",
    [
        "300个以上 6.5元",
        "≥300个 ¥6.5",
        "300+ pcs ¥6.5",
        "300个起 6.5元一个",
        "300个 6.5元",
        "300 pcs and above: RMB 6.5",
    ],
)
def test_every_way_of_stating_a_lower_bound(text: str) -> None:
    assert tiers(text) == [tier(300, None, "6.5")]


def test_an_open_tier_ends_where_the_next_one_starts() -> None:
    assert tiers("100个以上12元，500个以上11元") == [tier(100, 499, "12"), tier(500, None, "11")]


def test_an_open_lower_bound_starts_at_the_minimum_order() -> None:
    assert tiers("起订50个，200个以下5元，200个以上4.5元") == [tier(50, 199, "5"), tier(200, None, "4.5")]


def test_an_open_lower_bound_without_a_minimum_order_starts_at_one() -> None:
    assert tiers("200个以下5元，200个以上4.5元") == [tier(1, 199, "5"), tier(200, None, "4.5")]


def test_below_a_number_ends_one_under_it() -> None:
    assert tiers("under 100 pcs: $3, 100 pcs and above: $2.5") == [
        tier(1, 99, "3", "USD"),
        tier(100, None, "2.5", "USD"),
    ]


def test_a_single_price_starts_at_the_minimum_order_or_at_one() -> None:
    assert tiers("最少订80套，价格是35元一套") == [tier(80, None, "35")]
    assert tiers("价格是35元一套") == [tier(1, None, "35")]
    assert tiers("贰拾元整一个，最少要10个") == [tier(10, None, "20")]  # 一个 is "each", not a quantity of one


def test_a_negotiable_range_is_no_tier() -> None:
    assert tiers("5000个以下面议，5000个以上 ¥0.9") == [tier(5000, None, "0.9")]
    assert tiers("价格面议") == []


def test_quantity_written_after_the_price_belongs_to_that_price() -> None:
    assert tiers("9元（100-499个），8元（500个以上）") == [tier(100, 499, "9"), tier(500, None, "8")]
    assert tiers("USD 2.2 for 600 pcs, 2.0 for 1200 pcs") == [
        tier(600, 1199, "2.2", "USD"),
        tier(1200, None, "2", "USD"),
    ]


def test_a_bare_number_after_a_quantity_in_a_table_row_is_a_price() -> None:
    assert tiers("批发价\n20个 15\n100个 13.5") == [tier(20, 99, "15"), tier(100, None, "13.5")]


@pytest.mark.parametrize(
    "text",
    [
        "单价6元，运费10元",
        "单价6元，首重12元续重5元",
        "单价6元，邮费8块",
        "单价6元，样品费50元",
        "单价6元，打样费200",
        "单价6元，开票加6个点",
        "单价6元，含税加3%",
        "单价6元，定金1000元",
        "单价6元，30%预付",
        "单价6元，模具费3000元",
        "单价6元，开模费5000",
        "单价6元，总价6000元",
        "单价6元，一共6000元",
    ],
)
def test_fees_deposits_tax_and_totals_are_not_unit_prices(text: str) -> None:
    assert tiers(text) == [tier(1, None, "6")]


def test_the_price_without_tax_wins_over_the_price_with_tax() -> None:
    assert tiers("含税价13元，不含税12元") == [tier(1, None, "12")]
    assert tiers("含税13.5 不含税12，1000个起订") == [tier(1000, None, "12")]
    table = "含税价格：50台起 89元，200台起 85元\n不含税价格：50台起 80元，200台起 76元"
    assert tiers(table) == [tier(50, 199, "80"), tier(200, None, "76")]  # a line's heading covers the whole line


def test_what_a_pack_holds_is_not_a_quantity_to_price() -> None:
    assert tiers("这款茶具一套6个杯子，单价88元/套，起订30套") == [tier(30, None, "88")]
    assert tiers("零食礼包每套含8包，单价26元/套，起订量50套") == [tier(50, None, "26")]
    assert tiers("45 RMB per set (1 set = 4 pcs), minimum 10 sets") == [tier(10, None, "45")]


def test_an_original_price_is_not_what_the_buyer_pays() -> None:
    assert tiers("原价25，活动价19.9") == [tier(1, None, "19.9")]


def test_no_price_means_no_tiers() -> None:
    assert tiers("有现货，100个起批") == []


# --- minimum order ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "起订量200个",
        "起批量：200个",
        "200个起批",
        "起订200个",
        "200个起拍",
        "200个起售",
        "200个起做",
        "最少200个",
        "最低200个",
        "MOQ: 200个",
        "min order 200个",
        "Minimum order quantity is 200个",
        "minimum 200个",
    ],
)
def test_every_way_of_stating_the_minimum_order(text: str) -> None:
    assert facts(text)["moq"] == {"quantity": 200, "unit": "个"}


@pytest.mark.parametrize(
    ("text", "moq"),
    [
        ("一箱起批，一箱50个", {"quantity": 50, "unit": "个"}),
        ("2箱起 每箱24个", {"quantity": 48, "unit": "个"}),
        ("MOQ 3 cartons, 40 pcs/carton", {"quantity": 120, "unit": "pcs"}),
        ("3箱起订", {"quantity": 3, "unit": "箱"}),
    ],
)
def test_a_minimum_in_cartons_becomes_pieces_when_the_carton_count_is_given(text: str, moq: dict[str, Any]) -> None:
    assert facts(text)["moq"] == moq


def test_dropshipping_from_one_piece_is_a_minimum_of_one() -> None:
    assert facts("支持一件代发")["moq"] == {"quantity": 1, "unit": "件"}


def test_a_mixed_batch_minimum_is_the_total() -> None:
    assert facts("每款最少20件，混批总数200件起")["moq"] == {"quantity": 200, "unit": "件"}


def test_a_minimum_per_style_counts_when_no_total_is_given() -> None:
    assert facts("每个颜色起订100件")["moq"] == {"quantity": 100, "unit": "件"}


@pytest.mark.parametrize(
    ("text", "amount"),
    [("满300元起批", "300"), ("300元起批", "300"), ("起批金额：800元", "800"), ("混批满500元起，不限款式", "500")],
)
def test_a_minimum_order_value_is_not_a_minimum_quantity(text: str, amount: str) -> None:
    result = facts(text)
    assert result["min_order_value"] == {"amount": amount, "currency": "CNY"}
    assert result["moq"] is None
    assert result["price_tiers"] == []


def test_free_shipping_above_an_amount_is_not_a_minimum_order_value() -> None:
    assert facts("满99元包邮")["min_order_value"] is None


def test_a_stock_count_is_not_a_minimum_order() -> None:
    result = facts("库存5000件")
    assert result["moq"] is None
    assert result["in_stock"] is True


# --- lead time --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lead_time"),
    [
        ("10天发货", {"min": None, "max": 10}),
        ("交期10个工作日", {"min": None, "max": 10}),
        ("一周内发货", {"min": None, "max": 7}),
        ("两周交货", {"min": None, "max": 14}),
        ("生产需要一个月", {"min": None, "max": 30}),
        ("48小时内发货", {"min": None, "max": 2}),
        ("24小时发货", {"min": None, "max": 1}),
        ("ship within 72h", {"min": None, "max": 3}),
        ("30小时内发出", {"min": None, "max": 2}),
        ("当天发货", {"min": None, "max": 0}),
        ("今天下单今天发", {"min": None, "max": 0}),
        ("出货7-15天", {"min": 7, "max": 15}),
        ("货期7到15天", {"min": 7, "max": 15}),
        ("lead time 15~20 days", {"min": 15, "max": 20}),
        ("大货25天", {"min": None, "max": 25}),
        ("Production time: 3 weeks", {"min": None, "max": 21}),
        ("暂时没货，需要现做，20-25天", {"min": 20, "max": 25}),
        ("暂时没货了，下批货要等两周", {"min": None, "max": 14}),
    ],
)
def test_lead_time_in_calendar_days(text: str, lead_time: dict[str, int | None]) -> None:
    assert facts(text)["lead_time_days"] == lead_time


@pytest.mark.parametrize(
    "text",
    ["支持7天无理由退换", "快递3天左右到", "打样7天", "30天账期", "质保3个月", "做了十年", "成立于2012年"],
)
def test_durations_about_something_else_are_not_lead_times(text: str) -> None:
    assert facts(text)["lead_time_days"] is None


def test_the_bulk_lead_time_wins_over_the_sample_lead_time() -> None:
    assert facts("打样5天，大货20-25天")["lead_time_days"] == {"min": 20, "max": 25}


# --- stock, shipping abroad -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "in_stock"),
    [
        ("现货", True),
        ("有货的亲", True),
        ("库存充足", True),
        ("This item is in stock", True),
        ("没有现货", False),
        ("没现货了", False),
        ("需要定做", False),
        ("要生产的", False),
        ("无库存", False),
        ("这边显示库存0了", False),
        ("out of stock", False),
        ("可以定制logo", None),
    ],
)
def test_stock(text: str, in_stock: bool | None) -> None:
    assert facts(text)["in_stock"] is in_stock


@pytest.mark.parametrize(
    ("text", "ships_abroad"),
    [
        ("可以发国外", True),
        ("支持跨境", True),
        ("可以发货到马来西亚", True),
        ("We ship worldwide", True),
        ("不发国外", False),
        ("只做国内", False),
        ("国外发不了", False),
        ("sorry, we do not ship abroad", False),
        ("国内包邮", None),
    ],
)
def test_shipping_abroad(text: str, ships_abroad: bool | None) -> None:
    assert facts(text)["ships_abroad"] is ships_abroad


# --- returns, samples -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "returns"),
    [
        ("7天无理由", {"accepted": True, "days": 7, "quality_only": False}),
        ("支持十五天无理由退货", {"accepted": True, "days": 15, "quality_only": False}),
        ("质量问题包退换", {"accepted": True, "days": None, "quality_only": True}),
        ("不退不换", {"accepted": False, "days": None, "quality_only": False}),
        ("不支持退换", {"accepted": False, "days": None, "quality_only": False}),
        ("no returns", {"accepted": False, "days": None, "quality_only": False}),
        ("质量问题包退换，7天无理由不支持", {"accepted": True, "days": None, "quality_only": True}),
        ("7天无理由退换不支持哦", {"accepted": False, "days": None, "quality_only": False}),
        ("样品费可以退", None),
    ],
)
def test_returns(text: str, returns: dict[str, Any] | None) -> None:
    assert facts(text)["returns"] == returns


@pytest.mark.parametrize(
    ("text", "sample"),
    [
        ("可以寄样", {"available": True, "price": None}),
        ("有样品", {"available": True, "price": None}),
        ("免费拿样", {"available": True, "price": "0"}),
        ("样品费50", {"available": True, "price": "50"}),
        ("样品30元一个", {"available": True, "price": "30"}),
        ("样品费80元，下单可退", {"available": True, "price": "80"}),
        ("不提供样品", {"available": False, "price": None}),
        ("没有样品", {"available": False, "price": None}),
        ("不能寄样", {"available": False, "price": None}),
        ("free samples", {"available": True, "price": "0"}),
    ],
)
def test_samples(text: str, sample: dict[str, Any]) -> None:
    assert facts(text)["sample"] == sample


# --- certifications ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("有CE和RoHS", ["CE", "ROHS"]),
        ("FCC、CE、ISO 9001都有", ["CE", "FCC", "ISO9001"]),
        ("有3C认证", ["CCC"]),
        ("有CE，没有FCC", ["CE"]),
        ("没有CE和FCC，有UKCA", ["UKCA"]),
        ("CE、FCC都没有", []),
        ("没有CE", []),
        ("没有任何认证", []),
        ("No CE, FCC or UL.", []),
        ("有CE、FCC认证，UKCA还在办理中", ["CE", "FCC"]),
        ("CE认证申请中", []),
        ("质量很好", None),
        ("the price is good", None),
    ],
)
def test_certifications(text: str, codes: list[str] | None) -> None:
    assert facts(text)["certifications"] == codes


# --- numbers that are not facts ---------------------------------------------------------------------------------


def test_numbers_about_the_company_and_the_order_are_ignored_and_the_carton_is_the_carton() -> None:
    text = (
        "我们做了十年，成立于2012年。电话13812345678，微信abc2233，订单号240601887766，"
        "12月5日发的快递，箱规60*40*30cm，毛重15kg"
    )
    carton = {"units": None, "length_cm": 60, "width_cm": 40, "height_cm": 30, "gross_kg": 15}
    assert facts(text) == {**dict.fromkeys(FIELDS), "price_tiers": [], "carton": carton}


@pytest.mark.parametrize("text", ["1" * 5000, "123 " * 2000, "1.2.3.4." * 500, "12元" * 1000, "", "   \n\n  "])
def test_odd_pastes_give_a_result_instead_of_an_error(text: str) -> None:
    assert list(facts(text)) == list(FIELDS)


# --- questions and answers --------------------------------------------------------------------------------------


def test_a_quoted_question_is_not_a_statement() -> None:
    assert facts("有现货吗？没有了")["in_stock"] is False
    assert facts("可以发国外吗？ 不行哦")["ships_abroad"] is False
    assert facts("有CE认证吗？没有")["certifications"] == []
    assert facts("现货，要几个？")["in_stock"] is True  # a statement before a question still counts


def test_a_plain_yes_or_no_answers_the_question_before_it() -> None:
    reply = "可以发货到新加坡吗？\n可以的\n可以退换吗？可以，7天内\n样品有吗？有，免费的\n问：有CE吗？答：有的"
    result = facts(reply)
    assert result["ships_abroad"] is True
    assert result["returns"] == {"accepted": True, "days": 7, "quality_only": False}
    assert result["sample"] == {"available": True, "price": "0"}
    assert result["certifications"] == ["CE"]
    assert result["lead_time_days"] is None  # 7天 answers the returns question


def test_an_amount_answering_a_fee_question_is_not_a_unit_price() -> None:
    result = facts("可以拿样品吗？样品费和运费多少？\n可以，50元")
    assert result["sample"] == {"available": True, "price": "50"}
    assert result["price_tiers"] == []


QUESTIONS = [
    "1. 可以发货到新加坡吗？还是只在国内卖？",
    "2. 退换货政策是怎样的？",
    "3. 付款后几天可以发货？",
    "4. 现在有现货吗？如果没有，做500件需要几天？",
    "5. 最少起订多少？",
    "6. 买500件，单价多少？量大有优惠吗？",
    "7. 可以拿样品吗？样品费和运费多少？",
    "8. 产品有哪些认证？可以发证书给我看吗？",
]


@pytest.mark.parametrize(
    "reply",
    [
        "1. 不行 2. 不退不换 3. 7天 4. 没有 5. 200件 6. 12元 7. 可以，50元 8. CE",
        "１．不行\n２．不退不换\n３．7天\n４．没有\n５．200件\n６．12元\n７．可以，50元\n８．CE",
        "一、不行 二、不退不换 三、7天 四、没有 五、200件 六、12元 七、可以，50元 八、CE",
        "1.不行 2.不退不换 3.7天 4.没有 5.200件 6.12元 7.可以，50元 8.CE",  # 3.7 is answer 3, not 3.7
    ],
)
def test_answers_by_number_are_read_against_the_questions_sent(reply: str) -> None:
    result = extract(reply, QUESTIONS).to_dict()
    assert result["ships_abroad"] is False
    assert result["returns"] == {"accepted": False, "days": None, "quality_only": False}
    assert result["lead_time_days"] == {"min": None, "max": 7}
    assert result["in_stock"] is False
    assert result["moq"] == {"quantity": 200, "unit": "件"}
    assert result["price_tiers"] == [tier(200, None, "12")]
    assert result["sample"] == {"available": True, "price": "50"}
    assert result["certifications"] == ["CE"]


def test_numbers_that_do_not_count_answers_are_left_alone() -> None:
    reply = "单价3.5元，2. 起订100个"  # one number only, and 3.5 is a price
    assert extract(reply, QUESTIONS).to_dict() == extract(reply).to_dict()


def test_a_yes_to_certificates_asked_by_name_records_them() -> None:
    asked = ["1. 产品有RCM、SAA认证吗？可以发证书给我看吗？", "2. 最少起订多少？"]
    assert extract("1. 有的，可以发 2. 100个", asked).to_dict()["certifications"] == ["RCM", "SAA"]
    assert extract("1. 没有 2. 100个", asked).to_dict()["certifications"] == []
    assert extract("1. 只有SAA 2. 100个", asked).to_dict()["certifications"] == ["SAA"]


def test_a_markdown_price_table_with_its_currency_in_the_heading() -> None:
    table = "Price list (USD/set):\n| Qty | Price |\n|---|---|\n| 50-199 sets | 18.50 |\n| 500+ sets | 15.20 |"
    assert tiers(table) == [tier(50, 199, "18.5", "USD"), tier(500, None, "15.2", "USD")]


def test_fees_phone_numbers_and_order_amounts_in_english_are_not_unit_prices() -> None:
    assert tiers("MOQ 100pcs. Price $5.00/pc. OEM logo ok, logo setup fee $50 one time.") == [tier(100, None, "5", "USD")]
    assert tiers("Price 600-1199pcs: USD 3.45\nTel: 0574-8765 4321") == [tier(600, 1199, "3.45", "USD")]
    assert tiers("MOQ 50pcs, 或者满 ¥300 起批 (or min order amount ¥300). 单价 6.5元/pc.") == [tier(50, None, "6.5")]


def test_english_returns_and_processing_time() -> None:
    assert facts("no return except quality problem.")["returns"] == {"accepted": True, "days": None, "quality_only": True}
    assert facts("Processing time 72 hours, MOQ 20 sets")["lead_time_days"] == {"min": None, "max": 3}
