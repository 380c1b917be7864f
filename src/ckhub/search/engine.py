"""The search engine of one process: the embedder and its vector index, kept warm."""

from __future__ import annotations

import threading

from ckhub.ml.embedders import Embedder, get_embedder
from ckhub.search.vector import VectorIndex
from ckhub.settings import Settings


class SearchEngine:
    def __init__(self, embedder_name: str) -> None:
        self.embedder: Embedder = get_embedder(embedder_name)
        self.index = VectorIndex(self.embedder.name, self.embedder.dim)


_engines: dict[str, SearchEngine] = {}
_lock = threading.Lock()


def engine_for(database_url: str, embedder_name: str) -> SearchEngine:
    """One engine per database and embedder in this process (the index caches that database)."""
    key = f"{database_url}|{embedder_name}"
    with _lock:
        if key not in _engines:
            _engines[key] = SearchEngine(embedder_name)
        return _engines[key]


def engine_for_settings(settings: Settings) -> SearchEngine:
    return engine_for(settings.resolved_database_url, settings.embedder)
