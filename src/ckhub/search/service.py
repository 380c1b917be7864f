"""Searching the knowledge base: lexical, vector or hybrid, filtered, logged."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ckhub.auth.permissions import Viewer
from ckhub.errors import Problem
from ckhub.knowledge.models import KnowledgeEntry
from ckhub.ml.query_vectors import query_vector
from ckhub.search.engine import SearchEngine
from ckhub.search.filters import SearchFilters, entry_conditions
from ckhub.search.fusion import fuse
from ckhub.search.lexical import lexical_ranking
from ckhub.search.models import SearchClick, SearchQuery
from ckhub.search.snippets import snippet
from ckhub.text.normalize import normalize_text
from ckhub.text.redact import redact
from ckhub.text.segment import query_tokens

MODES = ("hybrid", "lexical", "vector")
_scoring_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="query-scoring")
CANDIDATES = 100  # per component, before fusion; facets count among these
MAX_QUERY = 500
FACET_FIELDS = ("channel", "product_line_id", "issue_type_id", "tier_id", "language")


@dataclass
class SearchHit:
    entry: KnowledgeEntry
    score: float
    similarity: float | None
    snippet: Markup


@dataclass
class SearchResults:
    query: str
    mode: str
    hits: list[SearchHit]
    candidates: int
    facets: dict[str, list[tuple[object, int]]] = field(default_factory=dict)
    query_id: int | None = None

    @property
    def top_similarity(self) -> float | None:
        values = [hit.similarity for hit in self.hits if hit.similarity is not None]
        return max(values) if values else None


def rank_entries(
    session: Session,
    engine: SearchEngine,
    viewer: Viewer,
    query: str,
    filters: SearchFilters,
    mode: str = "hybrid",
    depth: int = CANDIDATES,
) -> tuple[list[tuple[int, float]], dict[int, float]]:
    """Fused (entry id, score) best first, and each candidate's vector similarity."""
    if mode not in MODES:
        raise Problem(
            "invalid-mode", "Search mode is one of: {modes}.", 422, modes=", ".join(MODES)
        )
    conditions = entry_conditions(viewer, filters)
    by_words: list[tuple[int, float]] = []
    by_meaning: list[tuple[int, float]] = []
    # The query's embedding and its similarity to every entry (C and numpy code, the GIL
    # released) are computed while the database runs the word search: on two cores they
    # overlap instead of adding up (docs/benchmarks.md).
    scoring = None
    if mode in ("vector", "hybrid"):
        engine.index.refresh(session)
        scoring = _scoring_pool.submit(
            lambda: engine.index.scores(query_vector(engine.embedder, query))
        )
    if mode in ("lexical", "hybrid"):
        by_words = lexical_ranking(session, query_tokens(query), conditions, depth)
    if scoring is not None:
        by_meaning = engine.index.confirm(session, scoring.result(), conditions, depth)
    similarities = dict(by_meaning)
    if mode == "lexical":
        return by_words, similarities
    if mode == "vector":
        return by_meaning, similarities
    return fuse(by_meaning, by_words), similarities


def search_entries(
    session: Session,
    engine: SearchEngine,
    viewer: Viewer,
    query: str,
    filters: SearchFilters | None = None,
    mode: str = "hybrid",
    limit: int = 20,
    surface: str = "knowledge",
    log: bool = True,
) -> SearchResults:
    filters = filters or SearchFilters()
    cleaned = normalize_text(query)[:MAX_QUERY]
    if not cleaned:
        return SearchResults(cleaned, mode, [], 0)
    fused, similarities = rank_entries(session, engine, viewer, cleaned, filters, mode)
    shown_ids = [entry_id for entry_id, _ in fused[:limit]]
    # Whole entries (text, customer, tags) only for the hits shown; facets need five columns.
    entries = {
        entry.id: entry
        for entry in session.scalars(
            select(KnowledgeEntry)
            .where(KnowledgeEntry.id.in_(shown_ids))
            .options(selectinload(KnowledgeEntry.customer), selectinload(KnowledgeEntry.tags))
        )
    }
    tokens = query_tokens(cleaned)
    hits = [
        SearchHit(
            entries[entry_id],
            score,
            similarities.get(entry_id),
            snippet(entries[entry_id].body, tokens),
        )
        for entry_id, score in fused[:limit]
        if entry_id in entries
    ]
    facets = _facets(session, [entry_id for entry_id, _ in fused])
    results = SearchResults(cleaned, mode, hits, len(fused), facets)
    if log:
        results.query_id = _log(session, viewer, surface, results, filters)
    return results


def _facets(session: Session, entry_ids: list[int]) -> dict[str, list[tuple[object, int]]]:
    """How many candidates have each channel, product line, issue type, tier and language."""
    counts: dict[str, Counter[object]] = {name: Counter() for name in FACET_FIELDS}
    columns = [getattr(KnowledgeEntry, name) for name in FACET_FIELDS]
    for values in session.execute(select(*columns).where(KnowledgeEntry.id.in_(entry_ids))):
        for name, value in zip(FACET_FIELDS, values, strict=True):
            if value is not None:
                counts[name][value] += 1
    return {name: counter.most_common() for name, counter in counts.items()}


def _log(
    session: Session, viewer: Viewer, surface: str, results: SearchResults, filters: SearchFilters
) -> int:
    return log_search(
        session,
        viewer,
        surface,
        results.query,
        [hit.entry.id for hit in results.hits],
        top_similarity=results.top_similarity,
        top_score=results.hits[0].score if results.hits else None,
        mode=results.mode,
        filters=filters.as_log(),
        result_count=results.candidates,
    )


def log_search(
    session: Session,
    viewer: Viewer,
    surface: str,
    query: str,
    result_ids: list[int],
    top_similarity: float | None,
    top_score: float | None = None,
    mode: str = "hybrid",
    filters: dict[str, Any] | None = None,
    result_count: int | None = None,
) -> int:
    """Log one search of any surface (knowledge, help center, assistant) for gap analysis."""
    logged = SearchQuery(
        user_id=viewer.user_id,
        surface=surface,
        query=redact(query).text[:500],  # the log is read by people who may not see contacts
        mode=mode,
        filters=filters or {},
        result_count=len(result_ids) if result_count is None else result_count,
        top_score=top_score,
        top_similarity=top_similarity,
        result_ids=result_ids,
    )
    session.add(logged)
    session.commit()
    return logged.id


def record_click(session: Session, viewer: Viewer, query_id: int, entry_id: int) -> None:
    """Someone opened result `entry_id` of logged search `query_id` (their own search only)."""
    logged = session.get(SearchQuery, query_id)
    if logged is None or logged.user_id != viewer.user_id or entry_id not in logged.result_ids:
        return
    rank = logged.result_ids.index(entry_id) + 1
    session.add(SearchClick(query_id=query_id, entry_id=entry_id, rank=rank))
    session.commit()
