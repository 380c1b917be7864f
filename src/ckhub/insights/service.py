"""Staff decisions about topics: rename, merge, split. Each is audited and outlives refreshes
(insights/topic_refresh.py explains how)."""

from __future__ import annotations

import numpy as np
from sklearn.cluster import KMeans
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ckhub.auth import audit
from ckhub.auth.permissions import Capability, Viewer
from ckhub.errors import Problem
from ckhub.insights.models import EntryTopic, Topic
from ckhub.knowledge.models import EntryEmbedding, KnowledgeEntry
from ckhub.ml.topics import centroids, label_of, normalized, topic_keywords

MAX_NAME = 200


def _topic(session: Session, viewer: Viewer, topic_id: int) -> Topic:
    if not viewer.can(Capability.MANAGE_KNOWLEDGE):
        raise Problem("forbidden", "Only knowledge managers may change topics.", 403)
    topic = session.get(Topic, topic_id)
    if topic is None or topic.status != "active":
        raise Problem("not-found", "No such topic.", 404)
    return topic


def rename_topic(session: Session, viewer: Viewer, topic_id: int, name: str) -> Topic:
    topic = _topic(session, viewer, topic_id)
    cleaned = " ".join(name.split())[:MAX_NAME]
    topic.name = cleaned or None  # empty: back to the keywords label
    audit.record(session, viewer, "topic.renamed", "topic", topic.id, name=topic.name)
    session.commit()
    return topic


def merge_topics(session: Session, viewer: Viewer, source_id: int, target_id: int) -> Topic:
    """Fold `source` into `target`: its entries move, and later refreshes keep them together."""
    if source_id == target_id:
        raise Problem("invalid-merge", "A topic cannot be merged into itself.", 422)
    source = _topic(session, viewer, source_id)
    target = _topic(session, viewer, target_id)
    session.execute(
        update(EntryTopic).where(EntryTopic.topic_id == source.id).values(topic_id=target.id)
    )
    target.size += source.size
    source.status, source.merged_into_id, source.size = "merged", target.id, 0
    audit.record(session, viewer, "topic.merged", "topic", source.id, into=target.id)
    session.commit()
    return target


def split_topic(session: Session, viewer: Viewer, topic_id: int) -> Topic:
    """Divide a topic's entries in two by meaning; the smaller part becomes a new topic."""
    topic = _topic(session, viewer, topic_id)
    rows = session.execute(
        select(EntryTopic.entry_id, EntryEmbedding.vector, KnowledgeEntry.search_text)
        .join(EntryEmbedding, EntryEmbedding.entry_id == EntryTopic.entry_id)
        .join(KnowledgeEntry, KnowledgeEntry.id == EntryTopic.entry_id)
        .where(EntryTopic.topic_id == topic.id, EntryEmbedding.model == topic.model)
    ).all()
    if len(rows) < 4:
        raise Problem("too-small", "A topic needs at least four entries to be split.", 422)
    vectors = normalized(np.vstack([np.frombuffer(vector, np.float32) for _, vector, _ in rows]))
    halves = KMeans(n_clusters=2, n_init=4, random_state=0).fit_predict(vectors).astype(np.int64)
    if np.sum(halves == 0) < np.sum(halves == 1):
        halves = 1 - halves  # 0: the larger part, which keeps the topic
    centres = centroids(vectors, halves)
    words = topic_keywords([(text or "").split() for _, _, text in rows], halves)
    part = Topic(
        label=label_of(words[1]),
        keywords=words[1],
        size=int(np.sum(halves == 1)),
        split_from_id=topic.split_from_id or topic.id,
        model=topic.model,
        centroid=centres[1].tobytes(),
        floor=topic.floor,
    )
    session.add(part)
    session.flush()
    moved = [int(rows[int(i)][0]) for i in np.flatnonzero(halves == 1)]
    session.execute(
        update(EntryTopic).where(EntryTopic.entry_id.in_(moved)).values(topic_id=part.id)
    )
    topic.size -= len(moved)
    topic.centroid = centres[0].tobytes()
    topic.keywords, topic.label = words[0], label_of(words[0])
    audit.record(session, viewer, "topic.split", "topic", topic.id, new_topic=part.id)
    session.commit()
    return part


def record_export(
    session: Session, viewer: Viewer, kind: str, rows: int, filters: dict[str, str]
) -> None:
    """Exports leave the system: who took what is audited."""
    audit.record(
        session, viewer, audit.AuditAction.EXPORT, "insight_table", None,
        kind=kind, rows=rows, filters=filters,
    )  # fmt: skip
    session.commit()
