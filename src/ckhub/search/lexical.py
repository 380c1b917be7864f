"""Full-text ranking over the segmented text: SQLite FTS5 (BM25) or PostgreSQL tsvector.

Title words weigh more than body words (×5 in BM25; class A against D in ts_rank): a title says
what an entry is about, a long body mentions much besides. Measured on the CovidFAQ dev set,
where lexical nDCG@10 rose from 0.514 to about 0.56 (docs/benchmarks.md).
"""

from __future__ import annotations

from sqlalchemy import (
    ColumnElement,
    Float,
    cast,
    column,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import Session

from ckhub.knowledge.models import KnowledgeEntry

_fts = table("entry_fts", column("rowid"))
# fts5vocab over entry_fts (migration 0009): how many entries hold each token.
_vocab = table("entry_fts_vocab", column("term"), column("doc"))
TITLE_WEIGHT = 5.0
# Exactly the expression of the GIN index made in migration 0003, literal for literal: PostgreSQL
# uses an expression index only for the identical expression (no bound parameters).
PG_DOCUMENT = (
    "(setweight(array_to_tsvector(string_to_array(knowledge_entries.search_title, ' ')), 'A')"
    " || array_to_tsvector(string_to_array(knowledge_entries.search_text, ' ')))"
)


def _fts5_query(tokens: list[str]) -> str:
    # Every token quoted (FTS5 syntax characters inside are then literal) and OR-ed: BM25 ranks
    # entries matching more and rarer tokens first.
    return " OR ".join('"' + token.replace('"', '""') + '"' for token in tokens)


def _tsquery(tokens: list[str]) -> str:
    return " | ".join(
        "'" + token.replace("'", "''").replace("\\", "\\\\") + "'" for token in tokens
    )


def lexical_ranking(
    session: Session, tokens: list[str], conditions: ColumnElement[bool], limit: int
) -> list[tuple[int, float]]:
    """(entry id, score) best first; higher score is better on both databases."""
    if not tokens:
        return []
    if session.get_bind().dialect.name == "sqlite":
        return _fts5_ranking(session, _without_ubiquitous(session, tokens), conditions, limit)
    return _tsvector_ranking(session, tokens, conditions, limit)


def _tsvector_ranking(
    session: Session, tokens: list[str], conditions: ColumnElement[bool], limit: int
) -> list[tuple[int, float]]:
    document: ColumnElement[object] = literal_column(PG_DOCUMENT)
    wanted = cast(_tsquery(tokens), TSQUERY)
    # Weights of classes D, C, B, A: the title (A) counts five times the body (D).
    weights: ColumnElement[object] = literal_column("'{0.2,0.2,0.4,1.0}'::real[]")
    rank = func.ts_rank(weights, document, wanted)
    query = (
        select(KnowledgeEntry.id, rank.label("score"))
        .where(document.op("@@")(wanted))
        .where(conditions)
        .order_by(rank.desc(), KnowledgeEntry.id)
        .limit(limit)
    )
    return [(int(row[0]), float(row[1])) for row in session.execute(query)]


# In a large workspace, a token in more than this share of entries says little about any of them
# (BM25 gives it a low weight) but makes SQLite rank every entry that has it: it is left out when
# rarer tokens remain. Small workspaces rank everything (it is cheap there, and on the 68-entry
# CovidFAQ set leaving such tokens out cost lexical nDCG@10 0.08).
UBIQUITOUS_SHARE = 0.2
PRUNE_FROM = 20_000


def _without_ubiquitous(session: Session, tokens: list[str]) -> list[str]:
    total = session.scalar(select(func.max(KnowledgeEntry.id))) or 0
    if total < PRUNE_FROM:
        return tokens
    counts = dict(
        session.execute(
            select(_vocab.c.term, _vocab.c.doc).where(_vocab.c.term.in_(set(tokens)))
        ).all()
    )
    kept = [t for t in tokens if counts.get(t, 0) <= UBIQUITOUS_SHARE * total]
    return kept or tokens


def _fts5_ranking(
    session: Session, tokens: list[str], conditions: ColumnElement[bool], limit: int
) -> list[tuple[int, float]]:
    """Rank in the full-text index alone, then keep the entries the conditions allow (in
    windows that widen when few survive): joining every match to its entry before ranking cost
    more than the ranking itself at 100k entries."""
    bm25 = literal_column(f"bm25(entry_fts, {TITLE_WEIGHT}, 1.0)", Float)
    match = text("entry_fts MATCH :match").bindparams(match=_fts5_query(tokens))
    window, results = max(limit * 3, 300), []
    while True:
        ranked = session.execute(
            select(_fts.c.rowid, bm25).where(match).order_by(bm25).limit(window)
        ).all()
        allowed = set(
            session.scalars(
                select(KnowledgeEntry.id).where(
                    KnowledgeEntry.id.in_([row[0] for row in ranked]), conditions
                )
            )
        )
        results = [(int(row[0]), -float(row[1])) for row in ranked if row[0] in allowed]
        if len(results) >= limit or len(ranked) < window:
            return results[:limit]
        window *= 4  # few survived: the filters are narrow, look further at once
