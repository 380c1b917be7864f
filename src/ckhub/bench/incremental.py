"""`ckhub bench incremental`: how long one new entry takes to be analysed in a workspace that
already holds many (e.g. the 100k workspace `bench ingest` kept).

Each new entry goes through what the product does to an arrival, step by step and timed: stored
with its vector and sentiment (`ingest_entries`, as an API push), joined to its nearest topic
(`assign_new_entries`, as the minute job), its sentences and aspects read (`analyze_aspects`, as
the minute job). The entries come from the demo generator, like `bench ingest`'s, under their own
source so they never count as `bench ingest` entries.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from ckhub.bench.scale import BENCH_VIEWER, CUSTOMERS, bench_workspace
from ckhub.bench.timing import machine, percentile
from ckhub.demo.generator import DemoGenerator
from ckhub.insights.aspect_analysis import analyze_aspects
from ckhub.insights.models import Topic
from ckhub.insights.topic_refresh import assign_new_entries
from ckhub.knowledge.inputs import EntryInput
from ckhub.knowledge.models import KnowledgeEntry
from ckhub.knowledge.service import ingest_entries
from ckhub.ml.embedders import get_embedder

SOURCE = "bench-incremental"
STEPS = ("stored_embedded_and_scored", "topic", "sentences_and_aspects")


def run_incremental_bench(count: int, var_dir: Path | None, database_url: str) -> dict[str, Any]:
    started = datetime.now(UTC)
    # One more than measured: the first arrival loads the models, jieba and the aspect
    # vocabulary, which a long-running worker does once.
    arrivals = DemoGenerator(started, customers=CUSTOMERS, entries=count + 1, seed=97).generate()
    with bench_workspace(var_dir, database_url) as runtime:
        embedder = get_embedder(runtime.settings.embedder)
        seconds: dict[str, list[float]] = {step: [] for step in (*STEPS, "total")}
        with runtime.session_factory() as session:
            entries = session.scalar(select(func.count()).select_from(KnowledgeEntry)) or 0
            topics = session.scalar(
                select(func.count()).select_from(Topic).where(Topic.status == "active")
            )
            for number, arrival in enumerate(arrivals.entries[: count + 1]):
                item = EntryInput(
                    channel=arrival.channel,
                    source=SOURCE,
                    source_id=f"{started:%Y%m%d%H%M%S}-{number}",
                    title=arrival.title,
                    body=arrival.body,
                    occurred_at=arrival.occurred_at,
                )
                begin = time.perf_counter()
                ingest_entries(session, BENCH_VIEWER, [item], embedder)
                stored = time.perf_counter()
                assign_new_entries(session, embedder.name)
                joined = time.perf_counter()
                analyze_aspects(session, embedder.name, limit=1)
                read = time.perf_counter()
                if number == 0:
                    continue
                for step, spent in zip(
                    (*STEPS, "total"),
                    (stored - begin, joined - stored, read - joined, read - begin),
                    strict=True,
                ):
                    seconds[step].append(spent)
    return {
        "bench": "incremental",
        "entries_in_workspace": entries,
        "active_topics": topics,
        "new_entries": count,
        **{
            f"{step}_ms": {
                "p50": round(percentile(spent, 0.5) * 1000, 1),
                "p95": round(percentile(spent, 0.95) * 1000, 1),
                "max": round(max(spent) * 1000, 1),
            }
            for step, spent in seconds.items()
            if spent
        },
        "machine": machine(),
    }
