"""`ckhub bench ingest` and `ckhub bench search`: throughput and latency at scale.

Entries come from the demo generator (the same varied, mixed-language, typo-ridden text a demo
visitor sees), written to a JSONL export and imported through the real connector and pipeline,
so "ingest" is measured from parsing a file to the entry being findable. Searches go through
the real search service as a staff member, query embedding and permission filters included.

Embedding runs after the import, as in the product (knowledge/embedding.py), and is timed
separately: "searchable" is when every entry can be found by its words, "end to end" when every
entry also has its vector.

Both commands can keep their workspace (`--var-dir`), so `bench search` can reuse what
`bench ingest` built instead of embedding 100,000 entries a second time.
"""

from __future__ import annotations

import json
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Viewer
from ckhub.bench.timing import machine, percentile
from ckhub.db.migrate import upgrade
from ckhub.demo import phrases
from ckhub.demo.generator import DemoGenerator
from ckhub.knowledge.connectors.base import ImportOptions
from ckhub.knowledge.customers import save_customer
from ckhub.knowledge.embedding import embed_pending
from ckhub.knowledge.imports import import_file
from ckhub.knowledge.models import KnowledgeEntry
from ckhub.ml.query_vectors import query_vector
from ckhub.runtime import Runtime, build_runtime
from ckhub.search.engine import SearchEngine, engine_for
from ckhub.search.filters import SearchFilters
from ckhub.search.service import CANDIDATES, search_entries
from ckhub.settings import Settings

SOURCE = "bench"
BENCH_VIEWER = Viewer.system("bench")
CUSTOMERS = 200


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (ru_maxrss is in KiB on Linux)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


@contextmanager
def bench_workspace(var_dir: Path | None, database_url: str) -> Iterator[Runtime]:
    with tempfile.TemporaryDirectory(prefix="ckhub-bench-") as scratch:
        folder = var_dir or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        runtime = build_runtime(Settings(var_dir=folder, database_url=database_url))
        upgrade(runtime.engine)
        try:
            yield runtime
        finally:
            runtime.close()


def _bench_entries(session: Session) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(KnowledgeEntry).where(KnowledgeEntry.source == SOURCE)
        )
        or 0
    )


def _write_export(folder: Path, first: int, count: int) -> Path:
    """A JSONL export of `count` generated entries, numbered from `first`, as a CRM would give."""
    generator = DemoGenerator(datetime.now(UTC), customers=CUSTOMERS, entries=count, seed=first)
    data = generator.generate()
    path = folder / f"bench-{first}.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for number, entry in enumerate(data.entries[:count], start=first):
            customer = data.customers[entry.customer].name if entry.customer is not None else ""
            row = {
                "id": f"bench-{number:07d}",
                "channel": entry.channel,
                "title": entry.title,
                "body": entry.body,
                "occurred_at": entry.occurred_at.isoformat(),
                "customer_name": customer,
            }
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def _ensure_customers(runtime: Runtime) -> None:
    """The generator's customers, so entries link by name as a real import would."""
    customers = DemoGenerator(datetime.now(UTC), customers=CUSTOMERS, entries=0).generate()
    with runtime.session_factory() as session:
        for customer in customers.customers:
            save_customer(session, BENCH_VIEWER, customer)
        session.commit()


def _reporter(label: str) -> Callable[[int, int], None]:
    """Progress on stderr about every 5%, so a long run can be followed (stdout is the JSON)."""
    shown = [-1]

    def report(done: int, total: int) -> None:
        step = done * 20 // max(total, 1)
        if step != shown[0]:
            shown[0] = step
            print(f"{label} {done}/{total}", file=sys.stderr, flush=True)

    return report


def _ingest(runtime: Runtime, engine: SearchEngine, first: int, count: int) -> dict[str, Any]:
    """Import a generated export; time it until searchable by words, then until embedded."""
    folder = Path(runtime.settings.var_dir)
    path = _write_export(folder, first, count)
    started = time.perf_counter()
    with runtime.session_factory() as session:
        report = import_file(
            session,
            BENCH_VIEWER,
            engine.embedder,
            "jsonl",
            path,
            ImportOptions(source=SOURCE, channel="ticket"),
            _reporter("imported"),
        )
        searchable = time.perf_counter() - started
        embedded = embed_pending(session, engine.embedder, progress=_reporter("embedded"))[
            "embedded"
        ]
        engine.index.refresh(session)  # and the vector index has every new entry
    total = time.perf_counter() - started
    path.unlink()
    return {
        "entries": count,
        "created": report.created,
        "failed": report.failed,
        "searchable_seconds": round(searchable, 1),
        "searchable_per_second": round(count / searchable, 1),
        "embedded": embedded,
        "embedding_seconds": round(total - searchable, 1),
        "embedding_per_second": round(embedded / max(total - searchable, 1e-9), 1),
        "end_to_end_seconds": round(total, 1),
        "end_to_end_per_second": round(count / total, 1),
    }


def _opened(runtime: Runtime) -> tuple[SearchEngine, int]:
    """The search engine and the bench entries the workspace has (customers made if new)."""
    engine = engine_for(runtime.settings.resolved_database_url, runtime.settings.embedder)
    with runtime.session_factory() as session:
        existing = _bench_entries(session)
    if existing == 0:
        _ensure_customers(runtime)
    return engine, existing


def run_ingest_bench(n: int, var_dir: Path | None, database_url: str) -> dict[str, Any]:
    with bench_workspace(var_dir, database_url) as runtime:
        engine, existing = _opened(runtime)
        result = _ingest(runtime, engine, existing, n)
        with runtime.session_factory() as session:
            total = _bench_entries(session)
    return {
        "bench": "ingest",
        "embedder": runtime.settings.embedder,
        "database": runtime.engine.dialect.name,
        "entries_before": existing,
        "entries_after": total,
        **result,
        "peak_rss_mb": peak_rss_mb(),
        "machine": machine(),
    }


def bench_queries(count: int, seed: int = 11, distinct: bool = False) -> list[str]:
    """What staff type: a topic's wording, a fragment of it, or a couple of keywords. Drawn at
    random, so the same text comes back (as it does on the search page); `distinct` keeps only
    first occurrences, up to `count`, for timing every search without cached query vectors."""
    if distinct:
        unique = list(dict.fromkeys(bench_queries(count * 20, seed)))
        return unique[:count]
    rng = random.Random(seed)
    variants = [text for topic in phrases.TOPICS for text in (*topic[3], *topic[4])]
    keywords = [
        word for _key, _zh, _en, words in phrases.PRODUCT_LINES for word in words.splitlines()
    ]
    queries = []
    for _ in range(count):
        roll = rng.random()
        text = rng.choice(variants)
        if roll < 0.5:
            queries.append(text)
        elif roll < 0.8:
            start = rng.randrange(max(1, len(text) // 2))
            queries.append(text[start : start + rng.randint(4, 12)])
        else:
            queries.append(" ".join(rng.sample(keywords, 2)))
    return queries


def run_search_bench(
    n: int,
    queries: int,
    var_dir: Path | None,
    database_url: str,
    mode: str = "hybrid",
    distinct: bool = False,
) -> dict[str, Any]:
    with bench_workspace(var_dir, database_url) as runtime:
        engine, existing = _opened(runtime)
        ingest = _ingest(runtime, engine, existing, n - existing) if existing < n else None
        with runtime.session_factory() as session:  # a workspace whose embedding was cut short
            embed_pending(session, engine.embedder, progress=_reporter("embedded"))
        texts = bench_queries(queries, distinct=distinct)
        warm_up = [text for text in bench_queries(200, seed=3) if text not in set(texts)][:20]
        latencies: list[float] = []
        hits: list[int] = []
        with runtime.session_factory() as session:
            engine.index.refresh(session)
            for text in warm_up:  # warm caches and the query path before measuring
                search_entries(session, engine, BENCH_VIEWER, text, SearchFilters(), mode)
            for text in texts:
                # What the search page does: rank, load the hits, snippets, facets, log.
                begin = time.perf_counter()
                results = search_entries(session, engine, BENCH_VIEWER, text, SearchFilters(), mode)
                latencies.append((time.perf_counter() - begin) * 1000)
                hits.append(results.candidates)
            total = _bench_entries(session)
        recall = vector_recall(engine, texts[:200])
    return {
        "bench": "search",
        "mode": mode,
        "embedder": runtime.settings.embedder,
        "database": runtime.engine.dialect.name,
        "entries": total,
        "ingest": ingest,
        "queries": len(texts),
        "distinct_queries": len(set(texts)),
        "queries_without_results": sum(1 for count in hits if count == 0),
        "p50_ms": round(percentile(latencies, 0.5), 2),
        "p95_ms": round(percentile(latencies, 0.95), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
        "vector_recall": recall,
        "peak_rss_mb": peak_rss_mb(),
        "machine": machine(),
    }


def vector_recall(engine: SearchEngine, texts: list[str], k: int = CANDIDATES) -> dict[str, Any]:
    """How many of the exact best `k` similarities the index's shortlist keeps, per query.

    Compared by score, not by id: the generated entries repeat texts, so equal scores are
    interchangeable (a tie at the cut would otherwise count as a miss)."""
    found: list[float] = []
    for text in texts:
        scored = engine.index.scores(query_vector(engine.embedder, text))
        if scored.rest is None:
            return {"approximate": False}
        exact = np.sort(scored.rest().values)[::-1][:k]
        kept = np.sort(scored.values)[::-1][:k]
        found.append(float(np.mean(kept >= exact[-1] - 1e-6)))
    return {
        "approximate": True,
        "k": k,
        "queries": len(found),
        "mean": round(float(np.mean(found)), 4),
        "worst": round(min(found), 4),
    }
