"""Background tasks of the help center."""

from __future__ import annotations

from typing import Any

from ckhub.db.engine import session_scope
from ckhub.helpcenter.freshness import check_freshness
from ckhub.jobs.registry import JobContext, job_handler


@job_handler("helpcenter.check_freshness")
def freshness(context: JobContext) -> dict[str, Any]:
    """Mark articles overdue for verification, remind their owners, escalate to team leads."""
    with session_scope(context.session_factory) as session:
        return check_freshness(session, context.settings)
