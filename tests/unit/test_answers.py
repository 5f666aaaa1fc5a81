"""Facts from a reply tied to the checklist: which question each answers, conflicts, and the source words."""

from bot.domain.answers import contradicts, evidence_for, present_facts, propose_answers
from bot.extraction import extract

REPLY = "亲，起订量100个。100-499个 12元，500个以上10元。现货，3天发货"


def test_each_fact_answers_the_first_asked_question_it_can():
    facts = extract(REPLY).to_dict()
    asked = ["delivery_time", "production_time", "moq", "price_tiers", "samples"]
    proposed = {(p.question_key, p.field) for p in propose_answers(facts, asked)}
    assert proposed == {
        ("moq", "moq"),
        ("price_tiers", "price_tiers"),
        ("delivery_time", "lead_time_days"),
        ("production_time", "in_stock"),
    }


def test_a_lead_time_answers_production_time_when_delivery_time_was_not_asked():
    facts = extract("大概15天交货").to_dict()
    assert [(p.question_key, p.field) for p in propose_answers(facts, ["production_time"])] == [
        ("production_time", "lead_time_days")
    ]


def test_silence_is_not_an_answer():
    facts = extract("好的亲，稍等").to_dict()
    assert present_facts(facts) == {}
    assert propose_answers(facts, ["moq", "ships_abroad"]) == []


def test_a_different_moq_contradicts_and_the_same_one_written_differently_does_not():
    assert contradicts("moq", {"quantity": 100, "unit": "个"}, "moq", {"quantity": 500, "unit": "个"})
    assert not contradicts("moq", {"quantity": 100, "unit": "个"}, "moq", {"quantity": 100.0, "unit": "个"})
    assert not contradicts("lead_time_days", {"min": None, "max": 3}, "in_stock", True)


def test_the_evidence_is_the_clause_holding_the_facts_numbers():
    tiers = extract(REPLY).to_dict()["price_tiers"]
    assert evidence_for(REPLY, tiers) == "100-499个 12元，500个以上10元"
    assert evidence_for(REPLY, True, ("现货",)) == "现货，3天发货"
