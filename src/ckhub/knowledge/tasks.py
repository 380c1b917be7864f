"""Background tasks of the knowledge base."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ckhub.auth.permissions import Viewer
from ckhub.db.engine import session_scope
from ckhub.feedback.suggestions import scan_new_entries
from ckhub.insights.aspect_analysis import analyze_aspects
from ckhub.insights.rollups import refresh_rollups
from ckhub.insights.topic_refresh import assign_new_entries
from ckhub.jobs.registry import JobContext, job_handler
from ckhub.knowledge.connectors.base import ImportOptions
from ckhub.knowledge.embedding import embed_pending
from ckhub.knowledge.imports import import_file
from ckhub.knowledge.reindex import reindex_entries
from ckhub.knowledge.sentiment import score_sentiment
from ckhub.ml.embedders import get_embedder


@job_handler("knowledge.reindex")
def reindex(context: JobContext) -> dict[str, Any]:
    """Recompute search tokens and embeddings of every entry."""
    embedder = get_embedder(context.settings.embedder)
    with session_scope(context.session_factory) as session:
        return reindex_entries(session, embedder, lambda done, total: context.progress(done, total))


# A run stops after this long and the next minute's run goes on, so runs never queue up.
EMBED_BUDGET_SECONDS = 50
SCORE_PER_RUN = 5000  # from stored vectors: mostly a dot product each, seconds per run
ASPECTS_PER_RUN = 1000  # most reuse the entry's sentiment; texts of several clauses embed them


@job_handler("knowledge.embed_pending")
def embed_pending_job(context: JobContext) -> dict[str, Any]:
    """Embed entries that imports stored without a vector (runs every minute, quietly)."""
    embedder = get_embedder(context.settings.embedder)
    with session_scope(context.session_factory) as session:
        done = embed_pending(session, embedder, EMBED_BUDGET_SECONDS, context.progress)
        # Entries embedded before sentiment existed catch up from their stored vectors.
        done["sentiment_scored"] = score_sentiment(session, embedder.name, limit=SCORE_PER_RUN)
        # …and join the topic they are close to, until the nightly refresh clusters them all.
        done["topics_joined"] = assign_new_entries(session, embedder.name)
        done["aspects_read"] = analyze_aspects(session, embedder.name, limit=ASPECTS_PER_RUN)
        # …and those that read like a request or complaint wait as feedback suggestions.
        done["feedback_suggested"] = scan_new_entries(session, embedder.name)
        # …and the dashboards' counts per period follow what changed.
        done["rollups_rebuilt"] = refresh_rollups(session)
        return done


@job_handler("knowledge.import")
def import_job(context: JobContext) -> dict[str, Any]:
    """Import an uploaded file; the result holds the counts and the per-row error report."""
    params = context.params
    options = ImportOptions(
        source=params["source"],
        channel=params.get("channel", ""),
        mapping=params.get("mapping", {}),
        timezone=context.settings.default_timezone,
        visibility=params.get("visibility", "internal"),
        team=params.get("team", ""),
    )
    viewer = Viewer.system(params.get("started_by", "import"))
    with session_scope(context.session_factory) as session:
        report = import_file(
            session,
            viewer,
            get_embedder(context.settings.embedder),
            params["kind"],
            Path(params["path"]),
            options,
            lambda done, total: context.progress(done, total, f"{done} / {total}"),
            job_id=context.job_id,
        )
    return report.as_dict()
