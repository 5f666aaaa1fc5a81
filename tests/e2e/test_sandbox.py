"""The terminal sandbox replaying a buyer's whole conversation, as `sourcing-bot sandbox --script` does."""

from __future__ import annotations

import io
from pathlib import Path

from bot.config import load_settings
from bot.runtime import sandbox_settings
from bot.sandbox.runner import run_sandbox

SCRIPT = Path(__file__).parent.parent / "data" / "sandbox" / "full_inquiry.txt"


async def play(tmp_path: Path, lines: list[str]) -> tuple[int, str]:
    settings = sandbox_settings(load_settings({"SOURCING_DATA_DIR": str(tmp_path), "TRANSLATOR": "none"}, env_file=None))
    out = io.StringIO()
    status = await run_sandbox(settings, script=lines, out=out, interactive=False)
    return status, out.getvalue()


async def test_a_full_inquiry_reads_well_and_sends_nothing_telegram_refuses(tmp_path: Path):
    status, transcript = await play(tmp_path, SCRIPT.read_text(encoding="utf-8").splitlines())
    assert status == 0, transcript
    assert "Please send the quantity as a number" in transcript  # "lots" is refused kindly
    assert "Destination (4/6)" in transcript and "Currency (5/6)" in transcript  # "singapor" found Singapore
    assert "我是新加坡的买家" in transcript and "→ I am a buyer in Singapore." in transcript
    assert "MOQ: 100 pcs" in transcript and "1 of 7 answered" in transcript
    assert "Still waiting" in transcript  # /later 25: the follow-up reminder came due
    assert "Problems:" not in transcript


async def test_the_sandbox_keeps_its_data_between_runs(tmp_path: Path):
    await play(tmp_path, ["/inquiry", "Yiwu Toys Factory"])
    status, transcript = await play(tmp_path, ["/inquiry"])
    assert status == 0
    assert "unfinished inquiry" in transcript


async def test_forwards_in_a_row_are_read_as_one_reply_and_the_script_waits_for_it(tmp_path: Path):
    status, transcript = await play(tmp_path, ["/forward 起订量100个", "/forward 500个以上10元，3天发货"])
    assert status == 0, transcript
    assert transcript.count("The supplier wrote") == 1
    assert "MOQ: 100 pcs" in transcript and "Lead time: 3 days" in transcript


async def test_an_order_from_the_accepted_quote_to_closed_reads_well(tmp_path: Path):
    script = SCRIPT.parent / "order.txt"
    status, transcript = await play(tmp_path, script.read_text(encoding="utf-8").splitlines())
    assert status == 0, transcript
    assert "Landed" in transcript or "landed in SGD" in transcript
    assert "数量：450件" in transcript and "Paying with 1688 Cross-border Pay" in transcript
    assert "💰 Paid 1,620 CNH (30%), deposit" in transcript and "Balance to pay: ¥3,780, due 2026-" in transcript
    assert "我已经用跨境宝付了定金" in transcript and "我已经用跨境宝付了尾款" in transcript
    assert "The balance (尾款) is due today" in transcript  # its own reminder, on the agreed date
    assert "我算了一下大概是3箱" in transcript and "through your forwarder · 3 cartons" in transcript
    assert "Tracking: LX123456789CN" in transcript and "(delivered)" in transcript and "(closed)" in transcript
    assert "Still waiting" not in transcript  # the quote was taken: the inquiry's reminder stopped
    assert "Problems:" not in transcript
