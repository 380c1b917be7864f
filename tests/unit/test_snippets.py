"""Snippets mark the query's words, in simplified or traditional text, and escape everything."""

from __future__ import annotations

from ckhub.search.snippets import snippet
from ckhub.text.segment import query_tokens


def test_simplified_traditional_and_english_words_are_marked() -> None:
    assert "<mark>导出</mark>" in snippet("报表导出失败", query_tokens("导出"))
    assert "<mark>匯出</mark>" in snippet("報表匯出失敗", query_tokens("导出"))
    assert "<mark>Battery</mark>" in snippet("Battery drains fast", query_tokens("battery"))


def test_text_is_escaped_around_the_marks() -> None:
    shown = str(snippet("<script>alert(1)</script> 退款 没到账", query_tokens("退款")))
    assert "<script>" not in shown and "&lt;script&gt;" in shown
    assert "<mark>退款</mark>" in shown


def test_the_window_starts_near_the_first_word() -> None:
    body = "开头" * 200 + "退款一直没到账" + "结尾" * 200
    shown = str(snippet(body, query_tokens("退款")))
    assert shown.startswith("…") and "<mark>退款</mark>" in shown and shown.endswith("…")
