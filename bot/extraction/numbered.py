"""Answers by number: the buyer's message numbers its questions, and suppliers often answer "1. 可以 2. 不退不换
3. 7天". On its own "3. 7天" could be anything; next to the question it answers it is a lead time. Knowing the
questions as they were sent, each numbered answer is put under its question, which the field readers take as
the context of the answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.extraction.normalize import FULLWIDTH_TO_ASCII

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_CHINESE_DIGITS = "一二三四五六七八九十"
# "1." "2、" "3)" "(4)" "第5个问题" "⑥" "七、" at the start of the reply, a line, or after a space or a full stop.
_MARKER = re.compile(
    rf"(?:^|(?<=[\s，,。；;！!]))(?:(?:第\s*)?(?P<n>\d{{1,2}})\s*(?:[.、:：)）]|个问题\s*[:：]?|题\s*[:：]?)"
    rf"|[(（](?P<p>\d{{1,2}})[)）]|(?P<c>[{_CIRCLED}])|(?P<z>十?[{_CHINESE_DIGITS}])\s*[、.])",
)
_LEADING_NUMBER = re.compile(
    rf"^\s*(?:(?:第\s*)?[\d０-９]{{1,2}}\s*(?:[.．、:：)）]|个问题\s*[:：]?|题\s*[:：]?)|[(（][\d０-９]{{1,2}}[)）]|[{_CIRCLED}]"
    rf"|十?[{_CHINESE_DIGITS}]\s*[、.．])\s*"
)


_NUMBERED_LINE = re.compile(r"^\s*\d{1,2}\.\s*\S.*$", re.MULTILINE)


def numbered_questions(message: str) -> list[str]:
    """The numbered question lines of a message the buyer sent ("1. 可以发货到新加坡吗？...")."""
    return [line.strip() for line in _NUMBERED_LINE.findall(message)]


def question_text(line: str) -> str:
    """A numbered question line as sent ("3. 付款后几天可以发货？"), without its number."""
    return _LEADING_NUMBER.sub("", line).strip()


@dataclass(frozen=True)
class NumberedAnswer:
    question: str  # as sent, without its number
    answer: str  # as written, with its number: "3. 7天"


def numbered_answers(reply: str, questions: Sequence[str]) -> list[NumberedAnswer]:
    """The reply's answers by number, each with its question: when the reply has at least two numbers, in
    increasing order, none beyond the questions asked. Otherwise none."""
    # Found on a half-width copy ("１．"), cut from the reply itself: the copy has the same length.
    markers = _answer_markers(reply.translate(FULLWIDTH_TO_ASCII), len(questions))
    if len(markers) < 2:
        return []
    answers = []
    for index, (marker, number) in enumerate(markers):
        end = markers[index + 1][0].start() if index + 1 < len(markers) else len(reply)
        answers.append(NumberedAnswer(question_text(questions[number - 1]), reply[marker.start() : end].strip()))
    return answers


def with_questions(reply: str, questions: Sequence[str]) -> str:
    """`reply` with each numbered answer under its question ("问：付款后几天可以发货？\n答：7天"), for the field
    readers; the reply as it is when it does not answer by number."""
    answers = numbered_answers(reply, questions)
    if not answers:
        return reply
    lead = reply[: reply.find(answers[0].answer)].strip()
    lines = [f"问：{item.question.rstrip('？?')}？\n答：{_LEADING_NUMBER.sub('', item.answer)}" for item in answers]
    return "\n".join([lead, *lines] if lead else lines)


def _answer_markers(text: str, asked: int) -> list[tuple[re.Match[str], int]]:
    """The numbers that start answers, in order. "5.500pcs" may be answer 5 (500 pieces) right after answer 4,
    but a number run into digits is not taken out of sequence: "3.5元" is a price."""
    found: list[tuple[re.Match[str], int]] = []
    for match in _MARKER.finditer(text):
        number = _number(match)
        last = found[-1][1] if found else 0
        run_into_digits = text[match.end() : match.end() + 1].isdigit()
        if number <= last or number > asked or (run_into_digits and number != last + 1):
            continue
        found.append((match, number))
    return found


def _number(match: re.Match[str]) -> int:
    if match["c"]:
        return _CIRCLED.index(match["c"]) + 1
    if match["z"]:  # 一 .. 十, 十一 .. 十九
        tens, units = (10, match["z"][1:]) if len(match["z"]) > 1 else (0, match["z"])
        return tens + _CHINESE_DIGITS.index(units) + 1
    return int(match["n"] or match["p"])
