from __future__ import annotations

import pytest

from bot.translation.chunking import split_text
from bot.translation.glossary import PLACEHOLDER_FOUND
from bot.translation.providers import utf8_size


def test_short_text_is_one_piece() -> None:
    assert split_text("起订量是多少？", 100) == ["起订量是多少？"]


def test_pieces_join_back_to_the_text_and_respect_the_limit() -> None:
    text = "价格是15.5元一件。起订量1,000件！可以混批吗？\n交期大概15天，付30%定金。" * 40
    pieces = split_text(text, 120)
    assert "".join(pieces) == text
    assert all(len(piece) <= 120 for piece in pieces)


def test_sentences_are_not_cut_at_decimal_points_or_thousands() -> None:
    pieces = split_text("单价是15.5元。起订量是1,000件。", 12)
    assert pieces == ["单价是15.5元。", "起订量是1,000件。"]


def test_a_long_sentence_is_cut_at_commas() -> None:
    sentence = "我们是工厂，可以定制，支持一件代发，也可以混批。"
    assert split_text(sentence, 10) == ["我们是工厂，", "可以定制，", "支持一件代发，", "也可以混批。"]


def test_text_without_breaks_is_cut_hard_but_not_through_a_placeholder() -> None:
    text = "一" * 8 + "[[T12]]" + "二" * 8
    pieces = split_text(text, 10, keep_whole=PLACEHOLDER_FOUND)
    assert "".join(pieces) == text
    assert all(len(piece) <= 10 for piece in pieces)
    assert any("[[T12]]" in piece for piece in pieces)


def test_limits_in_bytes_count_chinese_as_three() -> None:
    text = "包邮吗" * 100
    pieces = split_text(text, 480, measure=utf8_size)
    assert "".join(pieces) == text
    assert all(utf8_size(piece) <= 480 for piece in pieces)
    assert len(pieces) == 2


def test_english_is_cut_between_words_when_it_must_be_cut() -> None:
    pieces = split_text("please send the samples quickly " * 5, 40)
    assert all(piece.endswith(" ") for piece in pieces[:-1])


def test_a_limit_below_one_is_refused() -> None:
    with pytest.raises(ValueError):
        split_text("abc", 0)
