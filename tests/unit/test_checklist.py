import pytest

from bot.domain.checklist import (
    ANSWERED_BY,
    BUILTIN_QUESTIONS,
    default_checklist,
    keys_answered_by,
    progress,
    toggle,
    validate_keys,
)

DEFAULTS = ["ships_abroad", "returns", "delivery_time", "production_time", "moq", "price_tiers"]


def test_the_default_checklist_asks_the_essential_questions_in_order():
    assert default_checklist() == DEFAULTS


def test_a_workspace_default_custom_questions_come_after_the_builtin_ones():
    assert default_checklist([12, 3]) == [*DEFAULTS, "custom:3", "custom:12"]


def test_toggling_on_puts_the_question_in_its_place_and_toggling_again_removes_it():
    with_samples = toggle(DEFAULTS, "samples")
    assert with_samples == [*DEFAULTS, "samples"]
    with_certifications = toggle(with_samples, "certifications")
    assert with_certifications.index("certifications") == with_certifications.index("production_time") + 1
    assert toggle(with_certifications, "certifications") == with_samples
    assert toggle(["custom:2", "moq"], "custom:1") == ["moq", "custom:1", "custom:2"]


@pytest.mark.parametrize("forged", ["admin", "custom:", "custom:abc", "custom:-1", "custom:1;drop"])
def test_toggling_a_forged_key_is_refused(forged):
    with pytest.raises(ValueError):
        toggle(DEFAULTS, forged)


def test_validation_keeps_only_real_questions_once_each_in_order():
    submitted = ["moq", "custom:7", "custom:99", "returns", "moq", "custom:x", "", "delete_all", "custom:٣", "custom:07"]
    assert validate_keys(submitted, known_custom_ids={7, 8}) == ["returns", "moq", "custom:7"]


def test_progress_counts_only_the_questions_asked():
    asked = ["ships_abroad", "moq", "price_tiers", "custom:4"]
    result = progress(asked, answered_keys={"moq", "custom:4", "samples"})
    assert (result.answered, result.total) == (2, 4)
    assert result.open_keys == ["ships_abroad", "price_tiers"]
    assert not result.complete
    assert progress(asked, set(asked)).complete


def test_every_builtin_question_says_which_reply_fields_answer_it():
    assert set(ANSWERED_BY) == {question.key for question in BUILTIN_QUESTIONS}
    assert keys_answered_by("lead_time_days") == ("delivery_time", "production_time")
    assert keys_answered_by("in_stock") == ("production_time",)
    assert keys_answered_by("moq") == ("moq",)
    assert all(ANSWERED_BY[question.key] for question in BUILTIN_QUESTIONS)  # every question can be answered
    assert keys_answered_by("carton") == ("packaging",)


def test_questions_are_told_apart_by_their_labels():
    assert len({question.label_msgid for question in BUILTIN_QUESTIONS}) == len(BUILTIN_QUESTIONS)
