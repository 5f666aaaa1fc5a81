import io
import json

from bot.extraction import FIELDS
from bot.extraction.cli import run_extract


def run(stdin_text: str, jsonl: bool) -> tuple[int, list[str]]:
    stdout = io.StringIO()
    status = run_extract(io.StringIO(stdin_text), stdout, jsonl=jsonl)
    return status, stdout.getvalue().splitlines()


def test_a_whole_reply_gives_one_json_line_with_chinese_kept_readable() -> None:
    status, lines = run("亲，起订量100件\n单价12元，现货", jsonl=False)
    assert status == 0
    assert len(lines) == 1
    assert "件" in lines[0]
    facts = json.loads(lines[0])
    assert facts["moq"] == {"quantity": 100, "unit": "件"}
    assert facts["price_tiers"] == [{"min_qty": 100, "max_qty": None, "unit_price": "12", "currency": "CNY"}]
    assert facts["in_stock"] is True


def test_jsonl_answers_each_reply_in_order_and_skips_blank_lines() -> None:
    replies = [json.dumps("有现货"), "", json.dumps("不发国外"), "   ", json.dumps("MOQ 500pcs")]
    status, lines = run("\n".join(replies) + "\n", jsonl=True)
    assert status == 0
    facts = [json.loads(line) for line in lines]
    assert [fact["in_stock"] for fact in facts] == [True, None, None]
    assert facts[1]["ships_abroad"] is False
    assert facts[2]["moq"] == {"quantity": 500, "unit": "pcs"}


def test_jsonl_reports_a_bad_line_with_every_field_null_and_goes_on() -> None:
    status, lines = run('{"text": "有现货"}\nnot json at all\n"有现货"\n', jsonl=True)
    assert status == 0
    first, second, third = (json.loads(line) for line in lines)
    for failed in (first, second):
        assert set(failed) == {*FIELDS, "certifications_missing", "not_understood", "error"}
        assert all(failed[field] is None for field in FIELDS)
        assert failed["error"]
    assert first["error"] != second["error"]
    assert "error" not in third
    assert third["in_stock"] is True


def test_every_output_line_has_every_field() -> None:
    _, lines = run('"你好"\n', jsonl=True)
    assert list(json.loads(lines[0])) == [*FIELDS, "certifications_missing", "not_understood"]


def test_a_large_batch_is_answered_in_input_order() -> None:
    from bot.extraction.cli import PARALLEL_FROM

    replies = [json.dumps("有现货" if index % 3 else f"起订量{index + 1}个") for index in range(PARALLEL_FROM + 7)]
    status, lines = run("\n".join(replies) + "\n", jsonl=True)
    assert status == 0
    facts = [json.loads(line) for line in lines]
    assert len(facts) == len(replies)
    for index, fact in enumerate(facts):
        if index % 3:
            assert fact["in_stock"] is True and fact["moq"] is None
        else:
            assert fact["moq"] == {"quantity": index + 1, "unit": "个"}
