"""Sentences and their feeling from their clauses' (the turn after a contrast word weighs more)."""

from __future__ import annotations

import pytest

from ckhub.ml.sentences import sentence_score, sentences


def test_sentences_end_at_their_marks_and_line_breaks() -> None:
    assert sentences("界面漂亮，但是太卡了。客服很耐心！\nThe screen is great. But slow") == [
        "界面漂亮，但是太卡了。",
        "客服很耐心！",
        "The screen is great.",
        "But slow",
    ]


def test_a_full_stop_before_a_chinese_character_ends_a_sentence() -> None:
    # Chinese written with ASCII punctuation; a decimal point is no sentence end.
    assert sentences("服务员态度不错.不过晚上洗澡水不热.价格3.5折") == [
        "服务员态度不错.",
        "不过晚上洗澡水不热.",
        "价格3.5折",
    ]


def test_the_turn_after_a_contrast_decides_more() -> None:
    assert sentence_score([("界面漂亮", 0.8), ("但是太卡了", -0.9)]) == pytest.approx(-0.39)
    # weighted by length: (4 × 0.6 + 5 × 0.8) / 9
    assert sentence_score([("快递很快", 0.6), ("包装也很好", 0.8)]) == pytest.approx(
        0.7111, abs=1e-3
    )
    assert sentence_score([]) == 0.0
