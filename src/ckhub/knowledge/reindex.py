"""Rebuilding what is derived from entries: search tokens and embeddings.

The database text is the truth; after an upgrade of the segmenter or a change of embedder,
`ckhub reindex` recomputes both for every entry, in batches, reporting progress: the passage
vector, the feeling vector and (for mostly English feeling) the mpnet vector, and so the feeling
read from them (knowledge/entry_vectors.py).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ckhub.knowledge.embedding import embed_in_batches
from ckhub.knowledge.models import KnowledgeEntry
from ckhub.ml.embedders import Embedder
from ckhub.text.segment import segmented


def reindex_entries(
    session: Session, embedder: Embedder, progress: Callable[[int, int], None]
) -> dict[str, int]:
    total = session.scalar(select(func.count(KnowledgeEntry.id))) or 0

    def resegment(entry: KnowledgeEntry, _vector: object) -> None:
        entry.search_title, entry.search_text = segmented(entry.title), segmented(entry.body)

    done = embed_in_batches(session, embedder, select(KnowledgeEntry), total, resegment, progress)
    return {"entries": done}
