"""Signals age (inactivity grows, spikes fade): recompute them daily."""

from __future__ import annotations

from typing import Any

from ckhub.db.engine import session_scope
from ckhub.jobs.registry import JobContext, job_handler
from ckhub.usage.service import recompute_signals


@job_handler("usage.recompute_signals")
def recompute(context: JobContext) -> dict[str, Any]:
    with session_scope(context.session_factory) as session:
        return {"customers": recompute_signals(session)}
