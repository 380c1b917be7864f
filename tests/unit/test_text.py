"""Normalization, language detection and segmentation."""

from __future__ import annotations

import pytest

from ckhub.text.language import chinese_share, detect_language
from ckhub.text.normalize import model_text, normalize_text
from ckhub.text.segment import fold, index_tokens, query_tokens


def test_normalize_half_width_and_whitespace() -> None:
    text = "ＡＰＰ　导出按钮\u200b坏了，版本Ｖ２．３\r\n\r\n\r\n\r\n  谢谢\t\t！"
    assert normalize_text(text) == "APP 导出按钮坏了，版本V2.3\n\n谢谢 ！"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("导出按钮点了没反应", "zh"),
        ("这个app的export按钮不行", "zh"),
        ("The export button does nothing since the last update", "en"),
        ("這個軟體的匯出按鈕壞了", "zh"),
        ("エクスポートボタンが動かない", "other"),
        ("12345 !!!", "other"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_chinese_share_counts_a_character_like_a_word() -> None:
    assert chinese_share("导出按钮没反应") == 1.0
    assert chinese_share("The export button does nothing") == 0.0
    assert chinese_share("屏幕很清晰 but the battery dies") == pytest.approx(5 / 9)
    assert chinese_share("12345 !!") == 0.0


def test_traditional_query_finds_simplified_tokens() -> None:
    assert fold("匯出按鈕") == "导出按钮"  # Taiwan vocabulary, not only characters
    document = set(index_tokens("导出按钮点了没有反应"))
    assert set(query_tokens("匯出按鈕")) <= document


def test_query_words_are_among_document_tokens() -> None:
    document = set(index_tokens("热水器加热太慢，客服响应也很慢"))
    assert {"热水器", "加热", "客服", "响应"} <= document
    assert set(query_tokens("热水器加热慢")) <= document | {"慢"}


def test_english_tokens_are_lower_case_without_stopwords() -> None:
    assert query_tokens("The Export button is BROKEN on iOS 17") == [
        "export",
        "button",
        "broken",
        "ios",
        "17",
    ]


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("thanks @apple &amp; co http://t.co/aB3x", "thanks @apple & co"),
        ("退货链接https://shop.example/a?b=1，太慢了", "退货链接，太慢了"),
        ("see www.example.com/reset first", "see first"),
        ("https://example.com/only-a-link", "https://example.com/only-a-link"),
        ("AT&T 信号差", "AT&T 信号差"),
    ],
)
def test_models_read_text_without_links_and_with_references_decoded(text: str, read: str) -> None:
    assert model_text(text) == read
