"""Background tasks of the insights area."""

from __future__ import annotations

from typing import Any

from ckhub.db.engine import session_scope
from ckhub.insights.alerts import check_spikes
from ckhub.insights.digest import send_weekly_digests
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


@job_handler("insights.check_spikes")
def check_spikes_job(context: JobContext) -> dict[str, Any]:
    """Test yesterday and last week of every topic against its past; tell its followers."""
    with session_scope(context.session_factory) as session:
        return {"spikes": check_spikes(session, context.settings)}


@job_handler("insights.weekly_digest")
def weekly_digest_job(context: JobContext) -> dict[str, Any]:
    """Last week's insights to every member of every team (Monday morning)."""
    with session_scope(context.session_factory) as session:
        return {"sent": send_weekly_digests(session, context.settings)}
