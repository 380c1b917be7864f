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
    entry = KnowledgeEntry
    if session.get_bind().dialect.name == "sqlite":
        bm25 = literal_column(f"bm25(entry_fts, {TITLE_WEIGHT}, 1.0)", Float)
        query = (
            select(entry.id, (-bm25).label("score"))
            .select_from(_fts.join(entry, entry.id == _fts.c.rowid))
            .where(text("entry_fts MATCH :match").bindparams(match=_fts5_query(tokens)))
            .where(conditions)
            .order_by(bm25)
            .limit(limit)
        )
    else:
        document: ColumnElement[object] = literal_column(PG_DOCUMENT)
        wanted = cast(_tsquery(tokens), TSQUERY)
        # Weights of classes D, C, B, A: the title (A) counts five times the body (D).
        weights: ColumnElement[object] = literal_column("'{0.2,0.2,0.4,1.0}'::real[]")
        rank = func.ts_rank(weights, document, wanted)
        query = (
            select(entry.id, rank.label("score"))
            .where(document.op("@@")(wanted))
            .where(conditions)
            .order_by(rank.desc(), entry.id)
            .limit(limit)
        )
    return [(int(row[0]), float(row[1])) for row in session.execute(query)]
