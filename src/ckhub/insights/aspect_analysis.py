"""Reading entries' sentences and aspects, with their feeling, and grouping aspect wordings.

Entries are read once they have a sentiment (their vector arrived) and again when their text
changes (AspectState keeps the content hash read) or when the way aspects are read has changed
since (READER_VERSION). A transcript is read for its customer's words
(knowledge/entry_text.py). A text of one clause reuses the entry's own sentiment, computed from
its stored vector; only texts with several clauses (and transcripts) embed their clauses
(ml/aspects.py, ml/sentiment.py), so most entries cost no embedding at all.

Wordings are grouped by meaning (insights/aspect_groups.py, aspect_grouping.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.orm import Session

from ckhub.insights.aspect_groups import (
    AspectGrouper,
    grouping_outdated,
    regroup_aspects,
    relabel_groups,
)
from ckhub.insights.models import AspectState, EntryAspect
from ckhub.knowledge.entry_text import customer_text, embedding_text, feeling_key
from ckhub.knowledge.entry_vectors import has_vector
from ckhub.knowledge.models import EntrySentence, KnowledgeEntry, ProductLine
from ckhub.knowledge.sentiment_models import current_sentiment_model
from ckhub.ml.aspects import clauses, extract_aspects
from ckhub.ml.embedders import get_embedder
from ckhub.ml.sentences import sentence_score, sentences
from ckhub.ml.sentiment import SentimentModel, label_of

# Raised whenever extraction changes what it finds, so that entries read before are read again
# (by the minute job, a thousand a run, or at once by `ckhub analyze aspects`).
# 2: transcripts' speaker labels ("客服: 好的") and whom a greeting addresses (客服你好) are no
# aspects; clauses break at a list's numbers ("1、…2、…") and not inside a number (2.3版本).
# 3: a transcript's sentences and aspects are the customer's (客服: 好的，已经为您记录 is not).
# 4: clauses are read from their query vectors, as the entries' feeling (ml/sentiment.py).
READER_VERSION = 4
BATCH = 500
KNOWN_CLAUSES = 200_000  # scores kept (a few MB), then forgotten and kept afresh


def _unread(embedder_name: str, limit: int) -> Select[Any]:
    # Only entries whose feeling was read from their feeling vector: a one-clause text reuses
    # it, and entries embedded before those vectors existed are read again when they get one.
    felt = has_vector(feeling_key(embedder_name))
    return (
        select(KnowledgeEntry)
        .outerjoin(AspectState, AspectState.entry_id == KnowledgeEntry.id)
        .where(
            KnowledgeEntry.deleted_at.is_(None),
            KnowledgeEntry.sentiment_score.is_not(None),
            felt,
            or_(
                AspectState.entry_id.is_(None),
                AspectState.content_hash != KnowledgeEntry.content_hash,
                AspectState.reader_version < READER_VERSION,
            ),
        )
        .order_by(KnowledgeEntry.id)
        .limit(limit)
    )


def _scorer(model: SentimentModel, known: dict[str, float]) -> Callable[[list[str]], list[float]]:
    def score(parts: list[str]) -> list[float]:
        missing = [part for part in parts if part not in known]
        if missing:
            known.update(zip(missing, (r.score for r in model.analyze(missing)), strict=True))
        return [known[part] for part in parts]

    return score


def product_names(session: Session) -> frozenset[str]:
    """The product lines' own names (手机, 平板, tablets…): what the feeling is about is a part
    or a quality of the product (电池, 屏幕, 同步), not the product itself, which the product-line
    breakdown already shows."""
    names: set[str] = set()
    for line in session.scalars(select(ProductLine)):
        english = line.name_en.strip().lower()
        names |= {line.name_zh.strip(), english, english.removesuffix("s")}
    return frozenset(name for name in names if name)


def _own_score(entry: KnowledgeEntry, text: str) -> float | None:
    """The entry's sentiment when it was surely read from this very text. Not for a
    transcript's customer's words: its feeling was read from them only if it was embedded since
    they have their own vector (knowledge/entry_vectors.py); older ones were read whole."""
    return entry.sentiment_score if text == embedding_text(entry.title, entry.body) else None


def _sentences(
    text: str, entry: KnowledgeEntry, score: Callable[[list[str]], list[float]]
) -> list[EntrySentence]:
    """The entry's sentences with their feeling; a one-sentence text keeps the entry's own."""
    found = sentences(text)
    own = _own_score(entry, text)
    if len(found) == 1 and own is not None:
        scores = [own]
    else:
        scores = []
        for sentence in found:
            parts = clauses(sentence) or [sentence]
            scores.append(sentence_score(list(zip(parts, score(parts), strict=True))))
    return [
        EntrySentence(
            entry_id=entry.id,
            position=position,
            text=sentence,
            sentiment=label_of(value),
            score=round(value, 4),
        )
        for position, (sentence, value) in enumerate(zip(found, scores, strict=True))
    ]


def analyze_aspects(
    session: Session,
    embedder_name: str,
    limit: int | None = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> int:
    """Read the sentences and aspects of entries not read yet (or changed since), with their
    feeling; returns how many entries."""
    model = current_sentiment_model(session, embedder_name)
    if model is None:
        return 0
    embedder = get_embedder(embedder_name)
    if grouping_outdated(session):
        regroup_aspects(session, embedder)
    grouper = AspectGrouper(session, embedder)
    products = product_names(session)
    counted = _unread(embedder_name, 10**9).with_only_columns(KnowledgeEntry.id)
    total = session.scalar(select(func.count()).select_from(counted.subquery())) or 0
    total = min(total, limit) if limit is not None else total
    done = 0
    # Clause scores are kept across batches: greetings, sign-offs and pasted phrases recur.
    known: dict[str, float] = {}
    while done < total:
        entries = list(session.scalars(_unread(embedder_name, min(BATCH, total - done))))
        if not entries:
            break
        texts = [customer_text(entry) for entry in entries]  # a transcript: the customer's words
        if len(known) > KNOWN_CLAUSES:
            known.clear()
        for entry, text in zip(entries, texts, strict=True):
            parts = clauses(text)
            own = _own_score(entry, text)
            if len(parts) == 1 and own is not None:
                known[parts[0]] = own  # the entry's own, from its vector
        score = _scorer(model, known)
        read_sentences = [
            _sentences(text, entry, score) for entry, text in zip(entries, texts, strict=True)
        ]
        found = [
            [aspect for aspect in aspects if aspect.term.lower() not in products]
            for aspects in extract_aspects(texts, score)
        ]
        groups = grouper.groups(Counter(aspect.term for aspects in found for aspect in aspects))
        ids = [entry.id for entry in entries]
        for table in (EntryAspect, EntrySentence, AspectState):
            session.execute(delete(table).where(table.entry_id.in_(ids)))
        for entry, aspects, entry_sentences in zip(entries, found, read_sentences, strict=True):
            session.add_all(entry_sentences)
            for aspect in aspects:
                session.add(
                    EntryAspect(
                        entry_id=entry.id,
                        group_id=groups[aspect.term],
                        term=aspect.term[:64],
                        clause=aspect.clause[:500],
                        sentiment=label_of(aspect.score),
                        score=round(aspect.score, 4),
                    )
                )
            session.add(
                AspectState(
                    entry_id=entry.id,
                    content_hash=entry.content_hash,
                    reader_version=READER_VERSION,
                )
            )
        session.commit()
        done += len(entries)
        progress(done, total)
    relabel_groups(session)
    return done
