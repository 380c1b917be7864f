"""`ckhub bench answerbot` runs end to end on a small set, learning first when asked."""

from __future__ import annotations

from ckhub.bench.answerbot import Query, first_citation_ceiling, run_answerbot_bench

FAQS = [
    {"_id": "sync", "question": "平板同步失败怎么办", "answer": "关闭自动同步，10 秒后再打开。"},
    {
        "_id": "noise",
        "question": "热水器有异响怎么办",
        "answer": "检查进水阀是否拧紧，清理过滤网。",
    },
]


def test_the_answerbot_bench_counts_right_wrong_and_abstained() -> None:
    queries = [
        Query("q1", "我的平板一直同步不了", "sync"),
        Query("q2", "热水器一直咚咚响", "noise"),
        Query("oos", "法国的首都是哪里", None),
    ]
    learn = [Query("l1", "屏幕上出现 E3 是什么意思", "noise")]
    report = run_answerbot_bench(FAQS, queries, learn=learn)
    assert report["queries_in_scope"] == 2 and report["queries_out_of_scope"] == 1
    assert report["first_citation_accuracy"] == 1.0
    assert report["first_citation_ceiling"] == report["first_citation_any_label"] == 1.0
    assert report["out_of_scope_abstention"] == 1.0
    assert report["learned_from"] == {"customer": 0, "agent": 1}  # the bot did not know it
    assert report["p95_ms"] > 0


def test_the_ceiling_counts_questions_the_set_labels_with_several_articles() -> None:
    queries = [
        Query("a", "Should I wear a mask?", "mask-1"),
        Query("b", "should i wear a  mask?", "mask-2"),
        Query("c", "Should I wear a mask?", "mask-1"),
        Query("d", "What is COVID-19?", "what"),
        Query("oos", "What is the capital of France?", None),
    ]
    # The first citation for the mask question can be right for two of its three askings.
    assert first_citation_ceiling(queries) == 0.75
    assert first_citation_ceiling([Query("oos", "hi", None)]) == 0.0
