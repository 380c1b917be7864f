"""Aspect extraction: clauses, the things they are about, and each one's feeling."""

from __future__ import annotations

from ckhub.ml.aspects import aspect_terms, clauses, extract_aspects


def test_a_contrast_makes_two_clauses_with_their_own_aspects() -> None:
    parts = clauses("屏幕很清晰，但是电池不耐用，待机时间太短")
    assert [aspect_terms(part) for part in parts] == [["屏幕"], ["电池"], ["待机时间"]]
    assert clauses("The battery life is great but the screen is too dim") == [
        "The battery life is great",
        "but the screen is too dim",
    ]


def test_aspects_are_noun_phrases_not_opinions() -> None:
    assert aspect_terms("客服响应太慢了") == ["客服响应"]
    assert aspect_terms("导出按钮点了没反应")[0] == "导出按钮"
    assert aspect_terms("按键手感不错") == ["按键手感"]
    assert aspect_terms("东西收到了，感觉一般") == []  # generic words are not aspects
    assert aspect_terms("The export button does nothing after the update") == ["export button"]


def test_each_aspect_takes_its_clause_feeling() -> None:
    def score(parts: list[str]) -> list[float]:
        return [-0.8 if ("不" in part or "dim" in part) else 0.7 for part in parts]

    (mixed, english) = extract_aspects(["界面漂亮，但是电池不耐用", "The screen is too dim"], score)
    assert [(a.term, a.score) for a in mixed] == [("界面", 0.7), ("电池", -0.8)]
    assert [(a.term, a.score) for a in english] == [("screen", -0.8)]


def test_staff_notes_name_the_thing_not_who_reported_it() -> None:
    """Sales notes and call transcripts say who reported what: the aspect is the what."""
    assert aspect_terms("客户反馈导出按钮没反应") == ["导出按钮", "反应"]
    assert aspect_terms("对方提到客服态度很好") == ["客服态度"]
    assert aspect_terms("用户反映手机信号很差") == ["手机信号"]
    assert aspect_terms("客服响应很快") == ["客服响应"]  # a verb after a noun still belongs


def test_a_list_breaks_into_its_items_and_a_number_stays_whole() -> None:
    assert clauses("需要打第二遍才行5、视频有停顿现象6、海尔的服务太差") == [
        "需要打第二遍才行",
        "视频有停顿现象",
        "海尔的服务太差",
    ]
    assert clauses("（2）信号很不好 3) 声音小") == ["信号很不好", "声音小"]
    assert clauses("1.屏幕好 2.电池差") == ["屏幕好", "电池差"]
    assert clauses("2.3版本更新后，文件丢了") == ["2.3版本更新后", "文件丢了"]
    assert clauses("It lasts 1.5 hours. Bad.") == ["It lasts 1.5 hours", "Bad"]
    assert clauses("- 客户反馈：水温忽冷忽热\n-5 degrees outside") == [
        "客户反馈：水温忽冷忽热",
        "-5 degrees outside",
    ]


def test_whom_a_greeting_addresses_is_no_aspect() -> None:
    assert aspect_terms("客服你好") == []
    assert aspect_terms("客服您好 屏幕坏了") == ["屏幕"]
    assert aspect_terms("客服态度很好") == ["客服态度"]
