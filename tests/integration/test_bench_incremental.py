"""`ckhub bench incremental` analyses new entries one at a time and times every step."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from ckhub.bench.incremental import SOURCE, run_incremental_bench
from ckhub.db.migrate import upgrade
from ckhub.knowledge.models import KnowledgeEntry
from ckhub.runtime import build_runtime
from ckhub.settings import Settings


def test_each_new_entry_is_stored_scored_and_read_and_every_step_is_timed(
    tmp_path: Path,
) -> None:
    report = run_incremental_bench(2, tmp_path, "")
    assert report["new_entries"] == 2
    for step in ("stored_embedded_and_scored", "topic", "sentences_and_aspects", "total"):
        assert 0 < report[f"{step}_ms"]["p50"] <= report[f"{step}_ms"]["max"]
    runtime = build_runtime(Settings(var_dir=tmp_path))
    upgrade(runtime.engine)
    with runtime.session_factory() as session:
        added = list(session.scalars(select(KnowledgeEntry).where(KnowledgeEntry.source == SOURCE)))
        assert len(added) == 3  # the warm-up arrival is stored too
        assert all(entry.sentiment for entry in added)
    runtime.close()
