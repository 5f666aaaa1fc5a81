"""Facts from a reply tied to the checklist: which question each answers, conflicts, and the source words."""

from bot.domain.answers import contradicts, evidence_for, propose_answers
from bot.extraction import extract
from bot.extraction.result import Fact

REPLY = "亲，起订量100个。100-499个 12元，500个以上10元。现货，3天发货"


def test_each_fact_answers_the_first_asked_question_it_can():
    facts = extract(REPLY)
    asked = ["delivery_time", "production_time", "moq", "price_tiers", "samples"]
    proposed = {(p.question_key, p.fact.field) for p in propose_answers(facts, asked)}
    assert proposed == {
        ("moq", "moq"),
        ("price_tiers", "price_tiers"),
        ("delivery_time", "lead_time_days"),
        ("production_time", "in_stock"),
    }


def test_a_lead_time_answers_production_time_when_delivery_time_was_not_asked():
    facts = extract("大概15天交货")
    assert [(p.question_key, p.fact.field) for p in propose_answers(facts, ["production_time"])] == [
        ("production_time", "lead_time_days")
    ]


def test_silence_is_not_an_answer():
    facts = extract("好的亲，稍等")
    assert facts.facts() == []
    assert propose_answers(facts, ["moq", "ships_abroad"]) == []


def test_a_different_moq_contradicts_and_the_same_one_written_differently_does_not():
    def fact(field, value):
        return Fact.from_json(field, value)

    assert contradicts(fact("moq", {"quantity": 100, "unit": "个"}), fact("moq", {"quantity": 500, "unit": "个"}))
    assert not contradicts(fact("moq", {"quantity": 100, "unit": "个"}), fact("moq", {"quantity": 100.0, "unit": "个"}))
    assert not contradicts(fact("lead_time_days", {"min": None, "max": 3}), fact("in_stock", True))


def test_the_evidence_is_the_clause_holding_the_facts_numbers():
    facts = {fact.field: fact for fact in extract(REPLY).facts()}
    assert evidence_for(REPLY, facts["price_tiers"]) == "100-499个 12元，500个以上10元"
    assert evidence_for(REPLY, facts["in_stock"]) == "现货"


def test_the_evidence_of_a_chatty_run_on_sentence_is_the_part_that_says_it():
    chatty = "亲，起订量２００个，单价15元，不含税，开票加6个点，现货，MOQ 1,000 pcs for OEM"
    facts = {fact.field: fact for fact in extract(chatty).facts()}
    assert evidence_for(chatty, Fact.from_json("moq", {"quantity": 200, "unit": "个"})) == "起订量２００个"
    assert evidence_for(chatty, Fact.from_json("moq", {"quantity": 1000, "unit": "pcs"})) == "MOQ 1,000 pcs for OEM"  # one number
    assert evidence_for(chatty, facts["in_stock"]) == "现货"


def test_the_evidence_of_a_price_table_runs_from_its_first_tier_to_its_last():
    table = "起订量100个\n100-499个 6.5元\n500个以上 5.8元\n交期7天"
    tiers = next(fact for fact in extract(table).facts() if fact.field == "price_tiers")
    assert evidence_for(table, tiers) == "100-499个 6.5元 / 500个以上 5.8元"


def test_the_evidence_of_an_answer_by_number_is_that_numbered_answer():
    questions = ["1. 现在有现货吗？", "2. 最少起订多少？", "3. 买500件，单价多少？"]
    reply = "1. 没有 2. 200个 3. 12元"
    facts = {fact.field: fact for fact in extract(reply, questions).facts()}
    assert evidence_for(reply, facts["in_stock"], questions) == "1. 没有"  # found by its question
    assert evidence_for(reply, facts["moq"], questions) == "2. 200个"
    assert evidence_for(reply, facts["price_tiers"], questions) == "3. 12元"  # 200 also starts the tier


def test_answers_come_in_the_order_the_questions_were_asked():
    facts = extract(REPLY)
    asked = ["production_time", "price_tiers", "moq", "delivery_time"]
    assert [p.question_key for p in propose_answers(facts, asked)] == ["production_time", "price_tiers", "moq", "delivery_time"]


def test_evidence_is_the_clause_the_fact_came_from_in_chinese_and_in_english() -> None:
    chinese = "质量问题包退换，7天无理由不支持，48小时发货"
    lead_time = extract(chinese).lead_time_days
    assert lead_time is not None
    assert evidence_for(chinese, Fact("lead_time_days", lead_time)) == "48小时发货"
    english = "Hello friend. MOQ is 500 pcs. Price is USD 1.20 per piece. Lead time 15-20 days after deposit."
    found = {fact.field: fact for fact in extract(english).facts()}
    assert evidence_for(english, found["moq"]) == "MOQ is 500 pcs"
    assert evidence_for(english, found["price_tiers"]) == "Price is USD 1.20 per piece"
    assert evidence_for(english, found["lead_time_days"]) == "Lead time 15-20 days after deposit"
