"""Refreshing the topic model over every live entry, keeping topic ids and staff decisions.

A refresh clusters all embedded entries again (ml/topics.py), then maps each new cluster to the
topic most of its members were in before (at least MATCH_SHARE of those that had one), largest
clusters first, so ids, names and followers stay put as the data drifts. A cluster that matches
no topic by its members but whose centre lies within CENTROID_MATCH of an unclaimed or vanished
topic's centre takes that id (a topic coming back); anything else is a new topic.

Staff decisions outlive refreshes: a renamed topic keeps its id and therefore its name; a topic
merged into another resolves to it, and every cluster that maps to a merge target joins it; a
split topic's family (the topic and the topics split from it) divides its members by the nearest
of the family's centres.

Between refreshes, newly embedded entries join the nearest topic if they are at least as close
to its centre as most of its members are (`assign_new_entries`, every minute).
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import datetime

import numpy as np
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from ckhub.insights.models import EntryTopic, Topic, TopicRun
from ckhub.knowledge.models import EntryEmbedding, KnowledgeEntry
from ckhub.ml.topics import (
    UNASSIGNED,
    Matrix,
    centroids,
    find_topics,
    label_of,
    normalized,
    topic_keywords,
)
from ckhub.timeutil import utcnow

MATCH_SHARE = 0.5
CENTROID_MATCH = 0.97
FLOOR_PERCENTILE = 5
INSERT_BATCH = 5000


def _live_vectors(session: Session, model: str) -> tuple[list[int], Matrix, list[list[str]]]:
    rows = session.execute(
        select(KnowledgeEntry.id, KnowledgeEntry.search_text, EntryEmbedding.vector)
        .join(EntryEmbedding, EntryEmbedding.entry_id == KnowledgeEntry.id)
        .where(EntryEmbedding.model == model, KnowledgeEntry.deleted_at.is_(None))
        .order_by(KnowledgeEntry.id)
    ).all()
    if not rows:
        return [], np.zeros((0, 0), np.float32), []
    vectors = np.vstack([np.frombuffer(vector, dtype=np.float32) for _, _, vector in rows])
    return [int(r[0]) for r in rows], normalized(vectors), [(r[1] or "").split() for r in rows]


class _Topics:
    """The existing topics, with merges resolved to their targets."""

    def __init__(self, session: Session) -> None:
        self.by_id = {topic.id: topic for topic in session.scalars(select(Topic))}
        self.merge_targets = {
            self.final(topic.id) for topic in self.by_id.values() if topic.status == "merged"
        }

    def final(self, topic_id: int) -> int:
        seen = set()
        while self.by_id[topic_id].status == "merged" and topic_id not in seen:
            seen.add(topic_id)
            topic_id = self.by_id[topic_id].merged_into_id or topic_id
        return topic_id

    def family(self, topic_id: int) -> list[Topic]:
        """A topic and the live topics split from it (or from the topic it was split from)."""
        root = self.by_id[topic_id].split_from_id or topic_id
        return [
            topic
            for topic in self.by_id.values()
            if topic.status != "merged"
            and (topic.id == root or topic.split_from_id == root)
            and topic.centroid is not None
        ]


def _match_clusters(
    labels: np.ndarray, ids: list[int], previous: dict[int, int], known: _Topics
) -> dict[int, int]:
    """Cluster number → existing topic id, by where the clusters' members were before."""
    candidates = []
    for cluster in range(int(labels.max()) + 1 if len(labels) else 0):
        members = [ids[i] for i in np.flatnonzero(labels == cluster)]
        votes = Counter(known.final(previous[m]) for m in members if m in previous)
        if votes:
            topic_id, count = votes.most_common(1)[0]
            if count >= MATCH_SHARE * sum(votes.values()):
                candidates.append((count, cluster, topic_id))
    mapping: dict[int, int] = {}
    claimed: set[int] = set()
    for _count, cluster, topic_id in sorted(candidates, reverse=True):
        if topic_id in claimed and topic_id not in known.merge_targets:
            continue
        mapping[cluster] = topic_id
        claimed.add(topic_id)
    return mapping


def _match_by_centre(
    centre: np.ndarray, known: _Topics, claimed: set[int], model: str
) -> int | None:
    best, best_similarity = None, CENTROID_MATCH
    for topic in known.by_id.values():
        if topic.id in claimed or topic.status == "merged" or topic.centroid is None:
            continue
        if topic.model != model:
            continue
        similarity = float(np.frombuffer(topic.centroid, np.float32) @ centre)
        if similarity >= best_similarity:
            best, best_similarity = topic.id, similarity
    return best


def refresh_topics(session: Session, model: str) -> TopicRun:
    """Cluster every embedded live entry again and store topics and assignments (one
    transaction; the caller's session is committed)."""
    begin = time.perf_counter()
    started = utcnow()
    ids, vectors, tokens = _live_vectors(session, model)
    labels = find_topics(vectors) if ids else np.zeros(0, np.int64)
    centres = centroids(vectors, labels) if ids else np.zeros((0, 0), np.float32)
    previous = dict(session.execute(select(EntryTopic.entry_id, EntryTopic.topic_id)).all())
    known = _Topics(session)
    mapping = _match_clusters(labels, ids, previous, known)
    claimed = set(mapping.values())
    new_topics = 0
    for cluster in range(len(centres)):
        if cluster in mapping:
            continue
        topic_id = _match_by_centre(centres[cluster], known, claimed, model)
        if topic_id is None:
            topic = Topic(first_seen_at=started, model=model)
            session.add(topic)
            session.flush()
            known.by_id[topic.id] = topic
            topic_id = topic.id
            new_topics += 1
        mapping[cluster] = topic_id
        claimed.add(topic_id)
    assigned = _assign(ids, vectors, labels, mapping, known)
    _store(session, assigned, vectors, ids, tokens, known, model)
    run = TopicRun(
        started_at=started,
        entries=len(ids),
        topics=len(set(assigned.values())),
        new_topics=new_topics,
        unassigned=int(np.sum(labels == UNASSIGNED)),
        seconds=round(time.perf_counter() - begin, 2),
    )
    session.add(run)
    session.commit()
    return run


def _assign(
    ids: list[int], vectors: Matrix, labels: np.ndarray, mapping: dict[int, int], known: _Topics
) -> dict[int, int]:
    """Row index → topic id; members of a split family go to the nearest family centre."""
    assigned = {
        index: mapping[int(label)] for index, label in enumerate(labels) if label != UNASSIGNED
    }
    families: dict[int, list[Topic]] = {}
    for index, topic_id in assigned.items():
        family = families.setdefault(topic_id, known.family(topic_id))
        if len(family) > 1:
            centres = np.vstack([np.frombuffer(t.centroid or b"", np.float32) for t in family])
            assigned[index] = family[int(np.argmax(centres @ vectors[index]))].id
    return assigned


def _store(
    session: Session,
    assigned: dict[int, int],
    vectors: Matrix,
    ids: list[int],
    tokens: list[list[str]],
    known: _Topics,
    model: str,
) -> None:
    members: dict[int, list[int]] = {}
    for index, topic_id in assigned.items():
        members.setdefault(topic_id, []).append(index)
    numbered = np.full(len(ids), UNASSIGNED, dtype=np.int64)
    order = sorted(members)
    for number, topic_id in enumerate(order):
        numbered[members[topic_id]] = number
    words = topic_keywords(tokens, numbered)
    centres = centroids(vectors, numbered) if ids else np.zeros((0, 0), np.float32)
    rows = []
    for number, topic_id in enumerate(order):
        topic = known.by_id[topic_id]
        similarities = vectors[members[topic_id]] @ centres[number]
        topic.keywords = words[number]
        topic.label = label_of(words[number])
        topic.size = len(members[topic_id])
        topic.status = "active"
        topic.model = model
        topic.centroid = centres[number].tobytes()
        topic.floor = float(np.percentile(similarities, FLOOR_PERCENTILE))
        rows += [
            {"entry_id": ids[index], "topic_id": topic_id, "similarity": float(similarity)}
            for index, similarity in zip(members[topic_id], similarities, strict=True)
        ]
    for topic in known.by_id.values():
        if topic.id not in members and topic.status == "active":
            topic.status, topic.size = "gone", 0
    session.execute(delete(EntryTopic))
    for start in range(0, len(rows), INSERT_BATCH):
        session.execute(insert(EntryTopic), rows[start : start + INSERT_BATCH])


def assign_new_entries(session: Session, model: str, limit: int = 5000) -> int:
    """Entries embedded since the last refresh join their nearest topic when close enough."""
    topics = [
        topic
        for topic in session.scalars(
            select(Topic).where(Topic.status == "active", Topic.model == model)
        )
        if topic.centroid is not None
    ]
    if not topics:
        return 0
    rows = session.execute(
        select(KnowledgeEntry.id, EntryEmbedding.vector)
        .join(EntryEmbedding, EntryEmbedding.entry_id == KnowledgeEntry.id)
        .outerjoin(EntryTopic, EntryTopic.entry_id == KnowledgeEntry.id)
        .where(
            EntryEmbedding.model == model,
            KnowledgeEntry.deleted_at.is_(None),
            EntryTopic.entry_id.is_(None),
            KnowledgeEntry.updated_at >= _last_refresh(session),
        )
        .limit(limit)
    ).all()
    if not rows:
        return 0
    centres = np.vstack([np.frombuffer(t.centroid or b"", np.float32) for t in topics])
    vectors = normalized(np.vstack([np.frombuffer(vector, np.float32) for _, vector in rows]))
    similarities = vectors @ centres.T
    joined = 0
    for (entry_id, _), row in zip(rows, similarities, strict=True):
        best = int(np.argmax(row))
        if row[best] >= topics[best].floor:
            session.add(
                EntryTopic(entry_id=entry_id, topic_id=topics[best].id, similarity=float(row[best]))
            )
            topics[best].size += 1
            joined += 1
    session.commit()
    return joined


def _last_refresh(session: Session) -> datetime:
    """Entries changed since (their vector arrived, or their text changed) are new to topics;
    older unassigned ones were left out by the refresh itself (too few like them)."""
    return session.scalar(select(func.max(TopicRun.started_at))) or utcnow()
