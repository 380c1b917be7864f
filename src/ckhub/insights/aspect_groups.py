"""The aspect groups kept in the database: new wordings join them as entries are read, and all
wordings are grouped again when the grouping rule changes (insights/aspect_grouping.py)."""

from __future__ import annotations

from collections import Counter

import numpy as np
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from ckhub.insights.aspect_grouping import WordingGroups
from ckhub.insights.models import AspectGroup, AspectGroupingState, AspectTerm, EntryAspect
from ckhub.ml.embedders import Embedder
from ckhub.timeutil import utcnow

# Raised whenever the rule changes: groups made by an older one are made again.
# 2: a wording must also be close to the group's name (SAME_NAME), placed most mentioned first.
GROUPING_VERSION = 2
STATE_ID = 1


def _unit(vectors: np.ndarray) -> np.ndarray:
    matrix = np.asarray(vectors, dtype=np.float32)
    unit: np.ndarray = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
    return unit


class AspectGrouper:
    """Term → aspect group, creating groups for terms that join none."""

    def __init__(self, session: Session, embedder: Embedder) -> None:
        self.session = session
        self.embedder = embedder
        known = session.execute(
            select(AspectTerm.term, AspectTerm.group_id, AspectTerm.vector)
            .where(AspectTerm.model == embedder.name)
            .order_by(AspectTerm.mentions.desc(), AspectTerm.term)  # names first
        ).all()
        self.group_of = {term: group_id for term, group_id, _ in known}
        self.known = WordingGroups(embedder.dim)
        if known:
            self.known.extend(
                [term for term, _, _ in known],
                np.vstack([np.frombuffer(vector, np.float32) for _, _, vector in known]),
                [group_id for _, group_id, _ in known],
            )

    def groups(self, counts: Counter[str]) -> dict[str, int]:
        """The group of each term; new terms are placed most mentioned first, so that the words
        customers use most name the groups they start."""
        new = sorted((t for t in counts if t not in self.group_of), key=lambda t: (-counts[t], t))
        if new:
            vectors = _unit(self.embedder.embed_queries(new))

            def start_group(position: int) -> int:
                group = AspectGroup(label=new[position])
                self.session.add(group)
                self.session.flush()
                return group.id

            placed = self.known.place(new, vectors, start_group)
            for term, group_id, vector in zip(new, placed, vectors, strict=True):
                self.group_of[term] = group_id
                self.session.add(
                    AspectTerm(term=term, group_id=group_id, model=self.embedder.name,
                               vector=vector.tobytes())
                )  # fmt: skip
        return {term: self.group_of[term] for term in counts}


def grouping_outdated(session: Session) -> bool:
    state = session.get(AspectGroupingState, STATE_ID)
    return state is None or state.version < GROUPING_VERSION


def regroup_aspects(session: Session, embedder: Embedder) -> int:
    """Place every wording again, most mentioned first; returns how many changed group. A new
    group keeps the id of its name's old group when no bigger group took it already."""
    relabel_groups(session)  # counts the mentions that order the wordings
    terms = session.scalars(
        select(AspectTerm)
        .where(AspectTerm.model == embedder.name)
        .order_by(AspectTerm.mentions.desc(), AspectTerm.term)
    ).all()
    moved: dict[str, int] = {}
    if terms:
        vectors = np.vstack([np.frombuffer(term.vector, np.float32) for term in terms])
        placed = WordingGroups(vectors.shape[1]).place(
            [term.term for term in terms], vectors, lambda position: -position - 1
        )
        ids: dict[int, int] = {}  # a placed group (by its name's position) → its id
        taken: set[int] = set()
        for term, key in zip(terms, placed, strict=True):
            if key not in ids:
                ids[key] = _kept_or_new_group(session, term, taken)
                taken.add(ids[key])
            if term.group_id != ids[key]:
                moved[term.term] = term.group_id = ids[key]
        session.flush()
        _move_mentions(session, moved)
        in_use = select(AspectTerm.group_id).distinct()
        session.execute(delete(AspectGroup).where(AspectGroup.id.not_in(in_use)))
    session.merge(AspectGroupingState(id=STATE_ID, version=GROUPING_VERSION, regrouped_at=utcnow()))
    session.commit()
    relabel_groups(session)
    return len(moved)


def relabel_groups(session: Session) -> None:
    """Count each term's mentions and name each group after its most mentioned term."""
    counts = dict(
        session.execute(select(EntryAspect.term, func.count()).group_by(EntryAspect.term)).all()
    )
    best: dict[int, tuple[int, str]] = {}
    for term in session.scalars(select(AspectTerm)):
        term.mentions = int(counts.get(term.term, 0))
        if term.mentions > best.get(term.group_id, (-1, ""))[0]:
            best[term.group_id] = (term.mentions, term.term)
    for group in session.scalars(select(AspectGroup)):
        if group.id in best:
            group.label = best[group.id][1]
    session.commit()


def _kept_or_new_group(session: Session, name: AspectTerm, taken: set[int]) -> int:
    if name.group_id not in taken:
        return name.group_id
    group = AspectGroup(label=name.term)
    session.add(group)
    session.flush()
    return group.id


def _move_mentions(session: Session, moved: dict[str, int]) -> None:
    """Entries' mentions follow their wordings, a few hundred wordings a statement."""
    terms = list(moved)
    for start in range(0, len(terms), 500):
        chunk = terms[start : start + 500]
        rows = session.execute(
            select(EntryAspect.id, EntryAspect.term).where(EntryAspect.term.in_(chunk))
        ).all()
        if rows:
            session.execute(
                update(EntryAspect),
                [{"id": row_id, "group_id": moved[term]} for row_id, term in rows],
            )
