"""Rebuilding what is derived from entries: search tokens and embeddings.

The database text is the truth; after an upgrade of the segmenter or a change of embedder,
`ckhub reindex` recomputes both for every entry, in batches, reporting progress.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ckhub.knowledge.models import KnowledgeEntry
from ckhub.knowledge.service import embedding_text, store_embedding
from ckhub.ml.embedders import Embedder
from ckhub.text.segment import segmented

BATCH = 128


def reindex_entries(
    session: Session, embedder: Embedder, progress: Callable[[int, int], None]
) -> dict[str, int]:
    total = session.scalar(select(func.count(KnowledgeEntry.id))) or 0
    done, last_id = 0, 0
    progress(0, total)
    while True:
        batch = session.scalars(
            select(KnowledgeEntry)
            .where(KnowledgeEntry.id > last_id)
            .order_by(KnowledgeEntry.id)
            .limit(BATCH)
        ).all()
        if not batch:
            break
        vectors = embedder.embed_passages([embedding_text(e.title, e.body) for e in batch])
        for entry, vector in zip(batch, vectors, strict=True):
            entry.search_title, entry.search_text = segmented(entry.title), segmented(entry.body)
            store_embedding(session, entry.id, embedder.name, vector)
        session.commit()
        done += len(batch)
        last_id = batch[-1].id
        progress(done, total)
    return {"entries": done}
