from dataclasses import fields

import pytest

from bot.domain.suppliers import (
    HIDDEN_HOST_LINK,
    LOOKALIKE_LINK,
    NOT_A_1688_LINK,
    NOT_A_PRODUCT_LINK,
    NOT_A_WEB_LINK,
    TRUST_QUESTIONS,
    AnswerKind,
    Badge,
    LinkError,
    SellerType,
    SupplierLink,
    TrustSignals,
    parse_1688_link,
    parse_count,
    parse_percent,
    parse_rating,
    parse_years,
    trust_score,
)

OFFER = "https://detail.1688.com/offer/623456789012.html"


@pytest.mark.parametrize(
    "text",
    [
        "https://detail.1688.com/offer/623456789012.html",
        "detail.1688.com/offer/623456789012.html",
        "HTTPS://Detail.1688.COM/offer/623456789012.html?spm=a2615.7691456.0.0&tracelog=p4p#sku",
        "http://m.1688.com/offer/623456789012.html?spm=a26352.13672862.offerlist",
        "https://detail.m.1688.com/page/index.html?offerId=623456789012&sk=consign",
        "https://global.1688.com/offer/623456789012.html",
        "https://air.1688.com/app/ctf-page/offer-detail/index.html?offerId=623456789012",
        "【1688】304不锈钢保温杯 500ml 现货批发 https://m.1688.com/offer/623456789012.html?spm=a26352.13672862&_t=17",
        "复制链接:https://detail.1688.com/offer/623456789012.html，打开1688查看",
        "(see https://detail.1688.com/offer/623456789012.html).",
    ],
)
def test_offer_links_as_buyers_paste_them_become_one_canonical_link(text):
    assert parse_1688_link(text) == SupplierLink(offer_id="623456789012", shop=None, url=OFFER)


@pytest.mark.parametrize(
    ("text", "shop"),
    [
        ("https://yiwustar.1688.com", "yiwustar"),
        ("yiwustar.1688.com/page/index.htm?spm=a261y.7663282", "yiwustar"),
        ("https://YiwuStar.1688.com/page/offerlist.htm", "yiwustar"),
        ("shop1384716527930.1688.com", "shop1384716527930"),
        ("店铺：https://shop1384716527930.1688.com/page/index.htm 欢迎光临", "shop1384716527930"),
    ],
)
def test_shop_links_keep_the_shop_and_drop_the_page(text, shop):
    assert parse_1688_link(text) == SupplierLink(offer_id=None, shop=shop, url=f"https://{shop}.1688.com")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("https://1688.com.example.net/offer/623456789012.html", LOOKALIKE_LINK),
        ("https://x1688.com/offer/623456789012.html", LOOKALIKE_LINK),
        ("1688.co/offer/623456789012.html", LOOKALIKE_LINK),
        ("https://detail.1688.com.cn.evil/offer/623456789012.html", LOOKALIKE_LINK),
        ("https://l688.com/offer/623456789012.html", LOOKALIKE_LINK),
        ("https://detail.1688.cοm/offer/623456789012.html", LOOKALIKE_LINK),  # Greek omicron
        ("https://detail.xn--1688-9za.com/offer/623456789012.html", LOOKALIKE_LINK),
        ("https://xn--80ak6aa92e.1688.com/offer/623456789012.html", LOOKALIKE_LINK),
        ("https://detail.1688.com:8443/offer/623456789012.html", LOOKALIKE_LINK),
        ("https://alibaba-deals.net/offer/623456789012.html", NOT_A_1688_LINK),
        ("https://evil.net/go?to=https://detail.1688.com/offer/623456789012.html", NOT_A_1688_LINK),
    ],
)
def test_lookalikes_and_other_sites_are_refused(text, reason):
    with pytest.raises(LinkError) as refused:
        parse_1688_link(text)
    assert refused.value.reason_msgid == reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("https://1688.com@evil.net/offer/623456789012.html", HIDDEN_HOST_LINK),
        ("https://detail.1688.com:x@evil.net/offer/623456789012.html", HIDDEN_HOST_LINK),
        ("https://detail.1688.com\\@evil.net/offer/623456789012.html", HIDDEN_HOST_LINK),
        ("ftp://detail.1688.com/offer/623456789012.html", NOT_A_WEB_LINK),
        ("javascript://detail.1688.com/%0aalert(1)", NOT_A_WEB_LINK),
        ("https://www.1688.com/", NOT_A_PRODUCT_LINK),
        ("https://s.1688.com/selloffer/offer_search.htm?keywords=cup", NOT_A_PRODUCT_LINK),
        ("https://login.1688.com/member/signin.htm", NOT_A_PRODUCT_LINK),
    ],
)
def test_tricks_and_pages_that_are_not_a_supplier_are_refused(text, reason):
    with pytest.raises(LinkError) as refused:
        parse_1688_link(text)
    assert refused.value.reason_msgid == reason


def test_a_real_link_wins_over_another_site_in_the_same_message():
    text = "not this https://evil.net/x but this https://detail.1688.com/offer/623456789012.html"
    assert parse_1688_link(text) == SupplierLink(offer_id="623456789012", shop=None, url=OFFER)


@pytest.mark.parametrize(
    "text",
    ["Yiwu Star Trading Co.Ltd", "义乌市星辰日用品有限公司", "found them on 1688.com", "【1688】保温杯", "price 1688.00 yuan", ""],
)
def test_text_without_a_link_is_a_supplier_name(text):
    assert parse_1688_link(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("95%", 95.0), ("95 %", 95.0), ("95.0", 95.0), ("95", 95.0), ("９５％", 95.0), ("87,5%", 87.5), ("100%", 100.0)],
)
def test_percentages_as_buyers_type_them(text, value):
    assert parse_percent(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [("3 years", 3.0), ("3年", 3.0), ("3", 3.0), ("2.5 yrs", 2.5), ("6 months", 0.5), ("6个月", 0.5)],
)
def test_years_as_buyers_type_them(text, value):
    assert parse_years(text) == value


@pytest.mark.parametrize(("text", "value"), [("4.8", 4.8), ("4,8", 4.8), ("4.8/5", 4.8), ("4.8分", 4.8), ("5", 5.0)])
def test_ratings_as_buyers_type_them(text, value):
    assert parse_rating(text) == value


@pytest.mark.parametrize(("text", "value"), [("1,234", 1234), ("1.2万", 12000), ("500+", 500), ("12k", 12000)])
def test_transaction_counts_as_1688_shows_them(text, value):
    assert parse_count(text) == value


@pytest.mark.parametrize(
    ("parse", "text"),
    [
        (parse_percent, "about half"),
        (parse_percent, "150%"),
        (parse_years, "since forever"),
        (parse_years, "45 years"),
        (parse_rating, "6"),
        (parse_rating, "good"),
        (parse_count, "many"),
    ],
)
def test_answers_that_are_not_a_value_are_not_guessed(parse, text):
    assert parse(text) is None


def test_every_signal_has_a_question_and_every_quick_pick_reads_back_as_itself():
    assert [question.key for question in TRUST_QUESTIONS] == [signal.name for signal in fields(TrustSignals)]
    for question in TRUST_QUESTIONS:
        if question.kind is AnswerKind.BADGES:
            assert set(question.choices) == set(Badge)
            continue
        for choice in question.choices:
            assert question.parse(str(choice)) == choice, (question.key, choice)


EXCELLENT = TrustSignals(
    years_on_1688=8,
    response_rate=98,
    return_rate=45,
    rating=4.9,
    badges=frozenset(Badge),
    tx_90d=1500,
    tx_industry_avg=900,
)


def test_a_supplier_excellent_on_every_signal_scores_100_without_warnings():
    report = trust_score(EXCELLENT)
    assert report.score == 100
    assert report.warnings == []
    assert report.unknown == []
    assert sum(contribution.max_points for contribution in report.contributions) == 100


def test_nothing_answered_scores_zero_and_lists_every_signal_as_unknown():
    report = trust_score(TrustSignals())
    assert report.score == 0
    assert report.contributions == []
    assert report.warnings == []
    assert len(report.unknown) == 6


def test_the_score_is_the_sum_of_the_contributions_shown():
    signals = TrustSignals(years_on_1688=3, response_rate=85, rating=4.6, badges=frozenset({Badge.POWER_MERCHANT}))
    report = trust_score(signals)
    assert report.score == sum(contribution.points for contribution in report.contributions) == 15 + 10 + 15 + 4
    assert {contribution.signal_msgid: contribution.params for contribution in report.contributions} == {
        "Years on 1688: {years}": {"years": "3"},
        "Response rate: {percent}%": {"percent": "85"},
        "Rating: {rating} / 5": {"rating": "4.6"},
        Badge.POWER_MERCHANT.label: {},
    }
    assert "Repeat-purchase rate" in report.unknown


def test_weak_signals_come_with_plain_warnings():
    signals = TrustSignals(years_on_1688=0.5, response_rate=55, rating=4.2, tx_90d=20, tx_industry_avg=300)
    warnings = [note.msgid for note in trust_score(signals).warnings]
    assert warnings == [
        "On 1688 for less than a year",
        "Response rate below 70%",
        "Rated below 4.5",
        "90-day transactions well below the industry average",
    ]


def test_no_badges_is_an_answer_and_unknown_badges_are_not():
    assert "Badges" not in trust_score(TrustSignals(badges=frozenset())).unknown
    assert "Badges" in trust_score(TrustSignals()).unknown


def test_transactions_count_only_against_the_industry_average():
    report = trust_score(TrustSignals(tx_90d=5000))
    assert report.score == 0
    assert "90-day transactions against the industry average" in report.unknown


def test_signals_survive_storage_and_junk_is_dropped():
    assert TrustSignals.from_dict(EXCELLENT.to_dict()) == EXCELLENT
    stored = {"years_on_1688": "a lot", "rating": 9, "badges": ["power_merchant", "hacked"], "is_admin": True}
    assert TrustSignals.from_dict(stored) == TrustSignals(badges=frozenset({Badge.POWER_MERCHANT}))


def test_each_seller_type_has_its_own_label_and_hint():
    assert len({seller.label for seller in SellerType}) == len(SellerType)
    assert "1-3%" in SellerType.AGENT.hint
    assert "1,000" in SellerType.FACTORY.hint


def test_answering_one_question_at_a_time_builds_up_the_signals():
    signals = TrustSignals().answer("years_on_1688", 3.0).answer("tx_90d", 1200.0).answer("badges", frozenset())
    assert signals == TrustSignals(years_on_1688=3.0, tx_90d=1200, badges=frozenset())
    with pytest.raises(KeyError):
        signals.answer("is_verified_by_us", 1)
