"""`ckhub demo --reviews FILE`: real labelled e-commerce reviews as the demo's e-commerce channel.

Reads a CSV with the columns cat, label, review (the layout of the shared online_shopping
corpus) and keeps the categories the demo company sells.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from ckhub.demo.service import DEMO_ACTOR
from ckhub.knowledge.connectors.tables import open_table
from ckhub.knowledge.inputs import EntryInput
from ckhub.knowledge.service import ingest_entries
from ckhub.ml.embedders import Embedder
from ckhub.timeutil import utcnow

BATCH = 200

CATEGORY_TO_LINE = {"平板": "tablets", "手机": "phones", "计算机": "laptops", "热水器": "heaters"}


def review_entries(path: Path, now: datetime, limit: int) -> list[EntryInput]:
    """Up to `limit` reviews of the demo's product lines, spread over the past year.

    Taken evenly across the file, not from its top: the shared corpus is sorted by category
    and label, so its first rows are one category's praise and nothing else."""
    found: list[EntryInput] = []
    with open_table(path, "csv") as table:
        for number, row in table.rows:
            if not isinstance(row, dict) or row.get("cat") not in CATEGORY_TO_LINE:
                continue
            text = (row.get("review") or "").strip()
            if not text:
                continue
            found.append(
                EntryInput(
                    channel="ecommerce",
                    source="demo-reviews",
                    source_id=f"review-{number}",
                    body=text,
                    product_line=CATEGORY_TO_LINE[row["cat"]],
                    occurred_at=now - timedelta(days=(number * 37) % 365),
                    extra={"label": "positive" if row.get("label") == "1" else "negative"},
                )
            )
    if len(found) <= limit:
        return found
    return [found[index * len(found) // limit] for index in range(limit)]


def load_reviews(
    session: Session,
    path: Path,
    limit: int,
    embedder: Embedder,
    progress: Callable[[int], None] = lambda done: None,
) -> int:
    """Ingest the reviews in batches; returns how many were stored."""
    batch: list[EntryInput] = []
    stored = done = 0
    for entry in [*review_entries(path, utcnow(), limit), None]:
        if entry is not None:
            batch.append(entry)
        if batch and (entry is None or len(batch) == BATCH):
            outcomes = ingest_entries(session, DEMO_ACTOR, batch, embedder)
            stored += sum(outcome.status != "failed" for outcome in outcomes)
            done += len(batch)
            progress(done)
            batch = []
    return stored
