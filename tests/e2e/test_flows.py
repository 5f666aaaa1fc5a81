"""One flow at a time: from every step of every flow, starting each other flow ends the first (said in one
line) and the next typed text lands in the new flow only; after /cancel, typing reaches no flow at all.

Every case is its own person; all cases walk in step, one update each per round, so the bot handles them side by
side as it would a busy day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests import builders
from tests.builders import actor_of
from tests.e2e.conftest import Harness, text_of

# How to reach each step of each flow, from a fresh private chat. "{inquiry}" is the person's sent inquiry.
PATHS: dict[tuple[str, str], list[tuple[str, str]]] = {}
_INQUIRY = [("say", "/inquiry"), ("say", "Shenzhen Lights"), ("say", "LED desk lamp"), ("say", "500"), ("press", "Singapore"), ("press", "SGD")]
_STEPS = ("supplier", "product", "quantity", "destination", "currency", "checklist")
for index, step in enumerate(_STEPS):
    PATHS[("inquiry", step)] = _INQUIRY[: index + 1]
PATHS[("inquiry", "own question")] = [*_INQUIRY, ("press", "Add my own question")]
PATHS[("inquiry", "certificates")] = [*_INQUIRY, ("press", "Certifications"), ("press", "Done")]
PATHS[("inquiry", "forwarder")] = [*_INQUIRY, ("press", "Shipping to my forwarder"), ("press", "Done")]
PATHS[("inquiry", "summary")] = [*_INQUIRY, ("press", "Done")]
PATHS[("inquiry", "resume")] = [*_INQUIRY[:3], ("say", "/cancel"), ("say", "/inquiry")]
_SUPPLIER = [("say", "/supplier Guangzhou Bags")]
PATHS[("supplier", "link")] = [("say", "/supplier")]
PATHS[("supplier", "seller type")] = _SUPPLIER
PATHS[("supplier", "commission")] = [*_SUPPLIER, ("press", "Sourcing agent")]
PATHS[("supplier", "contacts")] = [*_SUPPLIER, ("press", "Skip")]
PATHS[("supplier", "trust")] = [*_SUPPLIER, ("press", "Skip"), ("say", "skip"), ("say", "skip"), ("say", "skip")]
PATHS[("supplier", "badges")] = [*PATHS[("supplier", "trust")], ("say", "skip"), ("say", "skip"), ("say", "skip"), ("say", "skip")]
PATHS[("supplier", "name")] = [*_SUPPLIER, ("say", "/suppliers"), ("press", "1"), ("press", "Name")]
PATHS[("settings", "menu")] = [("say", "/settings")]
PATHS[("settings", "forwarder")] = [("say", "/settings"), ("press", "Forwarder address")]
PATHS[("settings", "own question")] = [("say", "/settings"), ("press", "Own questions"), ("press", "Add a question")]
PATHS[("settings", "template")] = [("say", "/settings"), ("press", "Message templates"), ("press", "First inquiry")]
PATHS[("settings", "term")] = [("say", "/settings"), ("press", "Trade terms"), ("press", "Add a term")]
_CARD = [("say", "/inquiries"), ("press", "1")]  # the sent inquiry's card
PATHS[("answer_edit", "typed answer")] = [*_CARD, ("data", "inq:recq:{inquiry}:moq")]
PATHS[("negotiation", "typed answer")] = [*_CARD, ("data", "inq:neg:{inquiry}")]

# Starting each flow, then typing something only that flow takes, and what it says when it takes it.
STARTS: dict[str, tuple[list[tuple[str, str]], str, str]] = {
    "inquiry": ([("say", "/inquiry")], "Probe Trading Co", "Added supplier Probe Trading Co"),
    "supplier": ([("say", "/supplier")], "Probe Trading Co", "Added Probe Trading Co"),
    "settings": ([("say", "/settings"), ("press", "Forwarder address")], "广州市白云区太和镇 探针仓库", "Saved the forwarder address"),
    "answer_edit": ([*_CARD, ("data", "inq:recq:{inquiry}:moq")], "300 pieces at least", "Recorded: 300 pieces at least"),
    "negotiation": ([*_CARD, ("data", "inq:neg:{inquiry}")], "18.5", "Copy this message to the supplier"),
}
# What /cancel says after the probe: a one-answer flow has already ended with the answer.
CANCELLED = {
    "inquiry": "Stopped",
    "supplier": "Stopped",
    "settings": "Settings closed",
    "answer_edit": "nothing to cancel",
    "negotiation": "nothing to cancel",
}
STOPPED = {
    "inquiry": "Stopped the inquiry",
    "supplier": "Stopped adding the supplier",
    "settings": "Settings closed",
    "answer_edit": "Stopped typing the answer",
    "negotiation": "Stopped the price offer",
}


@dataclass
class Case:
    source: tuple[str, str]
    target: str
    user: dict[str, Any]
    actions: list[tuple[str, str]]
    inquiry_id: int = 0
    answers: list[str] = field(default_factory=list)  # what the bot said after each action

    @property
    def switch_at(self) -> int:
        return len(PATHS[self.source])


def _act(bot: Harness, case: Case, action: tuple[str, str]) -> None:
    kind, value = action
    chat = bot.emulator.private_chat(case.user)
    value = value.replace("{inquiry}", str(case.inquiry_id))
    if kind == "say":
        bot.emulator.send_text(case.user, chat, value)
        return
    for message in reversed(bot.emulator.messages(chat)):
        for button in message.buttons():
            if "callback_data" in button and (value in button["text"] if kind == "press" else button["callback_data"] == value):
                bot.emulator.press_button(case.user, chat, message.message_id, button["callback_data"])
                return
    if kind == "data":  # a button of a message this test did not bring up: the data as Telegram would send it
        bot.emulator.press_button(case.user, chat, bot.emulator.messages(chat)[-1].message_id, value)
        return
    raise AssertionError(f"{case.source} → {case.target}: no button {value!r}; last: {text_of(bot.emulator.messages(chat)[-1:])!r}")


async def test_starting_a_flow_ends_the_one_in_progress_at_every_step(bot: Harness):
    cases = []
    for number, source in enumerate(sorted(PATHS)):
        for target in sorted(STARTS):
            if target == source[0]:
                continue
            user = bot.user(f"Case {number} {target}")
            entry, probe, _taken = STARTS[target]
            case = Case(source, target, user, [*PATHS[source], *entry, ("say", probe), ("say", "/cancel"), ("say", "hello there")])
            if "{inquiry}" in str(case.actions):
                actor = await actor_of(bot.services.database, user["id"])
                case.inquiry_id = (await builders.sent_inquiry(bot.services.database, actor)).id
            cases.append(case)
    assert len(cases) == 25 * 4

    for round_ in range(max(len(case.actions) for case in cases)):
        seen = {id(case): len(bot.emulator.messages(bot.emulator.private_chat(case.user))) for case in cases}
        acting = [case for case in cases if round_ < len(case.actions)]
        for case in acting:
            _act(bot, case, case.actions[round_])
        await bot.settle()
        for case in acting:
            chat = bot.emulator.private_chat(case.user)
            case.answers.append(text_of(bot.emulator.messages(chat)[seen[id(case)] :]))

    for case in cases:
        label = f"{case.source[0]} at {case.source[1]} → {case.target}"
        entry, _probe, taken = STARTS[case.target]
        started, probed, cancelled, typed = (
            "\n".join(case.answers[case.switch_at : case.switch_at + len(entry)]),
            case.answers[case.switch_at + len(entry)],
            case.answers[-2],
            case.answers[-1],
        )
        assert started.count(STOPPED[case.source[0]]) == 1, f"{label}: the first flow did not end in one line: {started!r}"
        assert taken in probed, f"{label}: the typed text did not reach {case.target}: {probed!r}"
        assert CANCELLED[case.target] in cancelled, f"{label}: /cancel after the probe: {cancelled!r}"
        assert "not sure what to do" in typed, f"{label}: after /cancel, typing still reached a flow: {typed!r}"
    assert bot.errors == []


async def test_commands_that_start_no_flow_leave_the_flow_where_it_was(bot: Harness):
    ana = bot.user("Ana")
    await bot.say(ana, "/inquiry")
    for command in ("/help", "/inquiries", "/suppliers", "/guide", "/language"):
        assert "Stopped" not in text_of(await bot.say(ana, command))
    assert "Added supplier Shenzhen Lights" in text_of(await bot.say(ana, "Shenzhen Lights"))
