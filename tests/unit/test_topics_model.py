"""Topic finding on its own: groups, tiny groups left unassigned, c-TF-IDF keywords."""

from __future__ import annotations

import numpy as np

from ckhub.ml.topics import UNASSIGNED, find_topics, label_of, topic_keywords
from ckhub.text.segment import index_tokens


def _groups(sizes: list[int], seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(len(sizes), 64))
    rows = [centres[g] + 0.3 * rng.normal(size=(size, 64)) for g, size in enumerate(sizes)]
    truth = np.concatenate([np.full(size, g) for g, size in enumerate(sizes)])
    return np.vstack(rows).astype(np.float32), truth


def test_finds_the_groups_itself_and_leaves_tiny_ones_out() -> None:
    vectors, truth = _groups([60, 40, 30, 3])
    labels = find_topics(vectors)
    assigned = labels != UNASSIGNED
    assert assigned[truth < 3].all()
    # Every topic holds one group only (a structureless blob may come out as two topics).
    for topic in set(labels[assigned].tolist()):
        assert len(set(truth[labels == topic].tolist())) == 1
    assert (labels[truth == 3] == UNASSIGNED).all()  # three entries are not a topic
    assert (labels == find_topics(vectors)).all()  # the same input, the same topics
    sizes = np.bincount(labels[assigned])
    assert (np.diff(sizes) <= 0).all()  # numbered largest first


def test_keywords_are_what_sets_a_topic_apart() -> None:
    tokens = [
        ["热水器", "热水", "水器", "加热", "很", "慢"],
        ["热水器", "热水", "水器", "温度", "慢"],
        ["发票", "抬头", "重开", "慢"],
        ["发票", "税号", "慢"],
    ]
    keywords = topic_keywords(tokens, np.array([0, 0, 1, 1]))
    assert keywords[0][0] == "热水器" and "热水" not in keywords[0]  # the whole word, once
    assert keywords[1][0] == "发票"
    assert all("慢" not in words for words in keywords)  # single characters say too little
    assert label_of(keywords[1]).startswith("发票 · ")


def test_keywords_leave_out_courtesies_and_function_words() -> None:
    texts = [
        "Hi, my tablet gets really hot. Any update? Thanks",
        "Hello, the tablet still gets hot after an hour, please help",
        "客服你好，发票抬头开错了，请尽快处理，谢谢",
        "您好，发票抬头能重开吗？麻烦尽快回复",
    ]
    keywords = topic_keywords([index_tokens(text) for text in texts], np.array([0, 0, 1, 1]))
    assert set(keywords[0][:2]) == {"tablet", "hot"}
    assert set(keywords[1][:2]) == {"发票", "抬头"}
    shown = {word for words in keywords for word in words}
    filler = {"gets", "really", "thanks", "hello", "please", "你好", "您好", "尽快", "麻烦"}
    assert not shown & filler
