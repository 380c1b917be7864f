"""Reads of the knowledge base, always through the viewer's permissions (in the query)."""

from __future__ import annotations

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ckhub.auth.permissions import Viewer
from ckhub.errors import not_found
from ckhub.i18n_marker import N_
from ckhub.knowledge.models import EntryEmbedding, EntrySentence, KnowledgeEntry
from ckhub.search.engine import SearchEngine
from ckhub.search.filters import SearchFilters, entry_conditions


def visible_entry(session: Session, viewer: Viewer, entry_id: int) -> KnowledgeEntry:
    """The entry, if it exists and the viewer may see it; otherwise "not found" (not 403, so
    restricted entries do not reveal that they exist)."""
    entry = session.scalar(
        select(KnowledgeEntry)
        .where(KnowledgeEntry.id == entry_id, entry_conditions(viewer, SearchFilters()))
        .options(selectinload(KnowledgeEntry.tags), selectinload(KnowledgeEntry.customer))
    )
    if entry is None:
        raise not_found(N_("Entry"))
    return entry


def customer_timeline(
    session: Session, viewer: Viewer, customer_id: int, limit: int = 200
) -> list[KnowledgeEntry]:
    """The customer's entries the viewer may see, newest first."""
    query = (
        select(KnowledgeEntry)
        .where(entry_conditions(viewer, SearchFilters(customer_id=customer_id)))
        .order_by(KnowledgeEntry.occurred_at.desc(), KnowledgeEntry.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query).all())


def similar_entries(
    session: Session, engine: SearchEngine, viewer: Viewer, entry: KnowledgeEntry, limit: int = 5
) -> list[tuple[KnowledgeEntry, float]]:
    """Entries closest in meaning to `entry` (by its stored embedding), the viewer's to see."""
    stored = session.get(EntryEmbedding, (entry.id, engine.embedder.name))
    if stored is None:
        return []
    vector = np.frombuffer(stored.vector, dtype=np.float32)
    conditions = entry_conditions(viewer, SearchFilters()) & (KnowledgeEntry.id != entry.id)
    ranked = engine.index.ranking(session, vector, conditions, limit)
    found = {
        e.id: e
        for e in session.scalars(
            select(KnowledgeEntry).where(KnowledgeEntry.id.in_([i for i, _ in ranked]))
        )
    }
    return [(found[entry_id], score) for entry_id, score in ranked if entry_id in found]


def sentences_of(session: Session, entry_id: int) -> list[EntrySentence]:
    """An entry's sentences with their feeling, in order (empty until they are read)."""
    return list(
        session.scalars(
            select(EntrySentence)
            .where(EntrySentence.entry_id == entry_id)
            .order_by(EntrySentence.position)
        )
    )


def visible_entry_ids(session: Session, viewer: Viewer, entry_ids: set[int]) -> set[int]:
    """Which of these entries the viewer may see (other areas show quotes from entries)."""
    if not entry_ids:
        return set()
    return set(
        session.scalars(
            select(KnowledgeEntry.id).where(
                KnowledgeEntry.id.in_(sorted(entry_ids)),
                entry_conditions(viewer, SearchFilters()),
            )
        )
    )
