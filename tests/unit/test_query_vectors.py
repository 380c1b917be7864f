"""Repeated queries reuse their vector; the cache stays bounded and its vectors read-only."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from ckhub.ml.embedders import Vectors
from ckhub.ml.query_vectors import QueryVectors


class CountingEmbedder:
    name = "counting"
    dim = 2

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        self.embedded.extend(texts)
        return np.array([[len(text), 1.0] for text in texts], dtype=np.float32)

    def embed_query_batch(self, texts: Sequence[str]) -> Vectors:
        return self.embed_queries(texts)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self.embed_queries(texts)


def test_repeated_queries_are_embedded_once_and_old_ones_fall_out() -> None:
    embedder = CountingEmbedder()
    vectors = QueryVectors(embedder, size=2)
    first = vectors("退款")
    assert vectors("退款") is first
    vectors("battery")
    vectors("invoice")  # the oldest, 退款, falls out
    vectors("退款")
    assert embedder.embedded == ["退款", "battery", "invoice", "退款"]
    with pytest.raises(ValueError, match="read-only"):
        first[0] = 9.0  # shared between requests: nobody may change it
