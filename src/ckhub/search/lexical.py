"""Full-text ranking over the segmented text: SQLite FTS5 (BM25) or PostgreSQL tsvector."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Float, cast, column, func, literal_column, select, table, text
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import Session

from ckhub.knowledge.models import KnowledgeEntry

_fts = table("entry_fts", column("rowid"))


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
        bm25 = literal_column("bm25(entry_fts)", Float)
        query = (
            select(entry.id, (-bm25).label("score"))
            .select_from(_fts.join(entry, entry.id == _fts.c.rowid))
            .where(text("entry_fts MATCH :match").bindparams(match=_fts5_query(tokens)))
            .where(conditions)
            .order_by(bm25)
            .limit(limit)
        )
    else:
        document = func.array_to_tsvector(func.string_to_array(entry.search_text, " "))
        wanted = cast(_tsquery(tokens), TSQUERY)
        rank = func.ts_rank(document, wanted)
        query = (
            select(entry.id, rank.label("score"))
            .where(document.op("@@")(wanted))
            .where(conditions)
            .order_by(rank.desc(), entry.id)
            .limit(limit)
        )
    return [(int(row[0]), float(row[1])) for row in session.execute(query)]
