"""Background tasks of the knowledge base."""

from __future__ import annotations

from typing import Any

from ckhub.db.engine import session_scope
from ckhub.jobs.registry import JobContext, job_handler
from ckhub.knowledge.reindex import reindex_entries
from ckhub.ml.embedders import get_embedder


@job_handler("knowledge.reindex")
def reindex(context: JobContext) -> dict[str, Any]:
    """Recompute search tokens and embeddings of every entry."""
    embedder = get_embedder(context.settings.embedder)
    with session_scope(context.session_factory) as session:
        return reindex_entries(session, embedder, lambda done, total: context.progress(done, total))
