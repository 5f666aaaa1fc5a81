import gettext
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2 import UndefinedError

from bot import i18n
from bot.domain.checklist import BUILTIN_QUESTIONS
from bot.supplier_messages import (
    KIND_KEYS,
    KINDS,
    SAMPLE_CONTEXT,
    TEMPLATE_MISSING_QUESTIONS,
    TemplateCheckError,
    check_override,
    render,
)

CATALOG = Path(__file__).resolve().parents[2] / "locale" / "zh_CN" / "LC_MESSAGES" / "messages.po"
CJK = re.compile(r"[\u4e00-\u9fff]")
ALL_BUILTIN = [question.key for question in BUILTIN_QUESTIONS]
TARGET_MARKETS = ["SG", "MY", "TH", "VN", "ID", "PH", "HK", "TW", "AU", "NZ", "JP", "KR", "US", "GB", "CA", "DE", "FR"]


@pytest.fixture(autouse=True)
def chinese_catalog(monkeypatch):
    """The Chinese UI reads this module's translations, whether or not the merged catalog is compiled yet."""
    with CATALOG.open("rb") as source:
        catalog = read_po(source)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    chinese = gettext.GNUTranslations(compiled)
    monkeypatch.setattr(i18n, "_catalog", lambda lang: chinese if lang == "zh_CN" else gettext.NullTranslations())


def numbered(message):
    """The question lines of a message, without their numbers."""
    return [re.sub(r"^\d+\. ", "", zh) for zh, _ in message.lines if re.match(r"^\d+\. ", zh)]


@pytest.mark.parametrize("kind", KIND_KEYS)
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_every_kind_renders_a_polite_chinese_message_with_a_meaning_for_each_line(kind, lang):
    message = render(kind, SAMPLE_CONTEXT[kind], lang)
    buyer_words = {question["text"] for question in SAMPLE_CONTEXT[kind].get("custom_questions", {}).values()}
    assert message.zh.startswith("您好！")
    assert message.zh.endswith("谢谢！")
    assert message.zh == "\n".join(zh for zh, _ in message.lines)
    for zh, gloss in message.lines:
        assert CJK.search(zh), zh
        assert gloss, zh
        if lang == "zh_CN" and re.sub(r"^\d+\. ", "", gloss) not in buyer_words:
            assert CJK.search(gloss), gloss
        assert "{" not in gloss and "}" not in gloss


def test_meanings_follow_the_buyer_language():
    english = render("inquiry", SAMPLE_CONTEXT["inquiry"], "en")
    chinese = render("inquiry", SAMPLE_CONTEXT["inquiry"], "zh_CN")
    assert english.zh == chinese.zh
    assert english.lines[0] == ("您好！", "Hello!")
    assert "I am a buyer in Singapore." in [gloss for _, gloss in english.lines]
    assert "我是新加坡的买家。" in [gloss for _, gloss in chinese.lines]


def test_the_payment_message_names_how_and_what_was_paid():
    message = render("payment_sent", SAMPLE_CONTEXT["payment_sent"], "en")
    assert "我已经用跨境宝付了定金" in message.zh and "请查收，并安排生产" in message.zh  # a deposit: production, not shipping
    assert "1782元" in message.zh and "Amount: 1782 CNH" in dict(message.lines).values()
    assert "3812345678901234567" in message.zh
    balance = render("payment_sent", {"amount": Decimal(4158), "method": "bank_transfer", "payment": "balance"}, "en")
    assert "我已经通过银行转账付了尾款" in balance.zh and "尽快安排发货" in balance.zh and "定金" not in balance.zh
    plain = render("payment_sent", {"amount": Decimal(100)}, "en")
    assert "我已经付了货款" in plain.zh


def test_the_defect_claim_says_how_many_only_when_the_buyer_counted():
    context = {**SAMPLE_CONTEXT["after_sales"], "defect_quantity": None}
    assert "有一部分有问题" in render("after_sales", context, "en").zh
    assert "有12件有问题" in render("after_sales", SAMPLE_CONTEXT["after_sales"], "en").zh


def test_each_builtin_question_has_its_own_wording_and_all_chosen_ones_are_asked():
    context = {**SAMPLE_CONTEXT["inquiry"], "custom_questions": {}}
    alone = {key: numbered(render("inquiry", {**context, "questions": [key]}, "en")) for key in ALL_BUILTIN}
    assert all(len(lines) == 1 for lines in alone.values())
    assert len({lines[0] for lines in alone.values()}) == len(ALL_BUILTIN)
    together = render("inquiry", {**context, "questions": ALL_BUILTIN}, "en")
    assert numbered(together) == [alone[key][0] for key in ALL_BUILTIN]
    assert [zh.split(".", 1)[0] for zh in together.zh.splitlines() if zh[0].isdigit()] == [
        str(n) for n in range(1, len(ALL_BUILTIN) + 1)
    ]


def test_custom_questions_are_asked_in_their_chinese_wording_and_explained_in_the_buyer_words():
    context = {
        **SAMPLE_CONTEXT["inquiry"],
        "questions": ["moq", "custom:5"],
        "custom_questions": {"custom:5": {"zh": "能做哑光黑色吗？", "text": "Can you make it in matte black?"}},
    }
    message = render("inquiry", context, "zh_CN")
    assert ("2. 能做哑光黑色吗？", "2. Can you make it in matte black?") in message.lines


def test_the_follow_up_repeats_only_the_questions_still_open():
    inquiry = render("inquiry", SAMPLE_CONTEXT["inquiry"], "en")
    follow_up = render("follow_up", SAMPLE_CONTEXT["follow_up"], "en")
    asked = dict(zip(SAMPLE_CONTEXT["inquiry"]["questions"], numbered(inquiry), strict=True))
    answered = SAMPLE_CONTEXT["follow_up"]["answered"]
    assert numbered(follow_up) == [asked[key] for key in asked if key not in answered]
    for key in answered:
        assert asked[key] not in follow_up.zh


def test_questions_use_the_quantity_unit_destination_and_certificates():
    context = {
        "product": "折叠收纳箱",
        "quantity": 120,
        "unit": "sets",
        "destination": "AU",
        "questions": ["ships_abroad", "price_tiers", "certifications"],
        "certifications_needed": ["CE", "RoHS"],
    }
    message = render("inquiry", context, "en")
    assert "澳大利亚" in message.zh
    assert "买120套" in message.zh
    assert "CE、RoHS" in message.zh
    assert "1. Can you ship to Australia? Or do you only sell within China?" in [gloss for _, gloss in message.lines]


def test_without_a_destination_the_supplier_is_asked_about_shipping_abroad_at_all():
    context = {"product": "保温杯", "quantity": 50, "questions": ["ships_abroad"]}
    message = render("inquiry", context, "en")
    assert "可以发货到国外吗" in message.zh
    assert "50件" in message.zh


@pytest.mark.parametrize("code", TARGET_MARKETS)
def test_target_markets_have_their_chinese_name(code):
    context = {"product": "保温杯", "quantity": 50, "destination": code, "questions": ["ships_abroad"]}
    message = render("inquiry", context, "en")
    assert code not in message.zh
    assert re.search(r"我是[\u4e00-\u9fff]+的买家。", message.zh)


def test_a_missing_value_fails_loudly_and_extra_values_are_ignored():
    with pytest.raises(UndefinedError):
        render("negotiate_price", {"product": "保温杯", "quantity": 500}, "en")
    context = {**SAMPLE_CONTEXT["request_tracking"], "supplier_mood": "busy"}
    assert render("request_tracking", context, "en").zh == render("request_tracking", SAMPLE_CONTEXT["request_tracking"], "en").zh


def test_a_question_key_that_does_not_exist_is_refused():
    with pytest.raises(ValueError):
        render("inquiry", {**SAMPLE_CONTEXT["inquiry"], "questions": ["moq", "send_me_money"]}, "en")


def test_control_characters_in_a_product_name_cannot_break_the_message():
    context = {**SAMPLE_CONTEXT["negotiate_price"], "product": "保温杯\x03\x1f\x02 500ml"}
    message = render("negotiate_price", context, "en")
    assert "关于这个产品：保温杯 500ml" in message.zh
    assert len(message.lines) == len(render("negotiate_price", SAMPLE_CONTEXT["negotiate_price"], "en").lines)


def test_every_kind_has_a_label():
    assert [kind.key for kind in KINDS] == list(KIND_KEYS)
    assert len({kind.label_msgid for kind in KINDS}) == len(KINDS)


OWN_INQUIRY = "老板好！\n想买{{ quantity }}{{ unit_zh }}：{{ product }}\n{% for q in question_lines %}\n{{ q }}\n{% endfor %}\n多谢！\n"


def test_a_workspace_override_replaces_the_body_and_leaves_meanings_to_machine_translation():
    check_override("inquiry", OWN_INQUIRY)
    message = render("inquiry", SAMPLE_CONTEXT["inquiry"], "en", override=OWN_INQUIRY)
    assert message.zh.splitlines()[:2] == ["老板好！", "想买300件：304不锈钢保温杯 500ml"]
    assert message.zh.endswith("多谢！")
    assert numbered(message) == numbered(render("inquiry", SAMPLE_CONTEXT["inquiry"], "en"))
    assert all(gloss == "" for _, gloss in message.lines)


def test_an_override_with_a_typo_is_refused_naming_its_line():
    with pytest.raises(TemplateCheckError) as refused:
        check_override("negotiate_price", "您好！\n关于：{{ product }}\n订{{ qty }}件可以吗？\n谢谢！")
    assert refused.value.params["line"] == 3
    assert "'qty' is undefined" in refused.value.params["error"]
    assert "quantity" in refused.value.params["names"]


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("您好！\n订单号：\n{{ order_ref }\n谢谢！", 3),
        ("您好！\n{% if order_ref %}订单号：{{ order_ref }}\n谢谢！", 2),
        ("您好！\n\n\n{{ order_ref|shout }}", 4),
    ],
)
def test_an_override_with_broken_syntax_is_refused_naming_its_line(body, line):
    with pytest.raises(TemplateCheckError) as refused:
        check_override("request_tracking", body)
    assert refused.value.params["line"] == line


@pytest.mark.parametrize(
    "attack",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ product.__class__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ amount.__globals__ }}",
        "{% include '/etc/passwd' %}",
    ],
)
def test_the_sandbox_refuses_reaching_into_python(attack):
    with pytest.raises(TemplateCheckError) as refused:
        check_override("request_tracking", f"您好！\n{attack}\n谢谢！")
    assert refused.value.params.get("line", 2) == 2
    with pytest.raises(TemplateCheckError):
        render("request_tracking", SAMPLE_CONTEXT["request_tracking"], "en", override=f"您好！\n{attack}")


def test_an_inquiry_override_must_keep_the_questions():
    with pytest.raises(TemplateCheckError) as refused:
        check_override("inquiry", "您好！想买{{ product }}。谢谢！")
    assert refused.value.msgid == TEMPLATE_MISSING_QUESTIONS
    with pytest.raises(TemplateCheckError):
        check_override("follow_up", "您好！\n{% for q in question_lines %}{{ q }}\n{% endfor %}")


def test_empty_or_oversized_overrides_are_refused():
    with pytest.raises(TemplateCheckError):
        check_override("request_tracking", "{% if false %}您好{% endif %}\n  \n")
    with pytest.raises(TemplateCheckError):
        check_override("request_tracking", "您好！" * 2000)


def test_the_forwarder_question_gives_the_forwarder_address_when_known():
    context = {"product": "保温杯", "quantity": 50, "questions": ["forwarder_shipping"]}
    without = render("inquiry", context, "en")
    assert "可以发到我在中国的货代仓库吗？运费多少？" in without.zh
    known = render("inquiry", {**context, "forwarder_address": "广州市白云区28号A仓"}, "en")
    assert "地址：广州市白云区28号A仓" in known.zh
    assert any("广州市白云区28号A仓" in gloss for _, gloss in known.lines)
