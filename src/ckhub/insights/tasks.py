"""Background tasks of the insights area."""

from __future__ import annotations

from typing import Any

from ckhub.db.engine import session_scope
from ckhub.insights.topic_refresh import refresh_topics
from ckhub.jobs.registry import JobContext, job_handler


@job_handler("insights.refresh_topics")
def refresh_topics_job(context: JobContext) -> dict[str, Any]:
    """Cluster every entry again (nightly, or started by hand); ids and staff edits are kept."""
    with session_scope(context.session_factory) as session:
        run = refresh_topics(session, context.settings.embedder)
        return {
            "entries": run.entries,
            "topics": run.topics,
            "new_topics": run.new_topics,
            "unassigned": run.unassigned,
            "seconds": run.seconds,
        }
