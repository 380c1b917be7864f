"""Background tasks of usage: importing an uploaded file of events; daily signal recomputation."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from ckhub.auth.permissions import Viewer
from ckhub.db.engine import session_scope
from ckhub.jobs.registry import JobContext, job_handler
from ckhub.usage.service import import_usage, recompute_signals


@job_handler("usage.recompute_signals")
def recompute(context: JobContext) -> dict[str, Any]:
    """Signals age (inactivity grows, spikes fade): recompute them daily."""
    with session_scope(context.session_factory) as session:
        return {"customers": recompute_signals(session)}


@job_handler("usage.import")
def import_job(context: JobContext) -> dict[str, Any]:
    """Import an uploaded file of usage events; the result holds counts and failed rows."""
    params = context.params
    viewer = Viewer.system(params.get("started_by", "import"))
    with session_scope(context.session_factory) as session:
        report = import_usage(
            session,
            viewer,
            params["kind"],
            Path(params["path"]),
            params["source"],
            context.settings.default_timezone,
            progress=lambda done: context.progress(done, 0, str(done)),
        )
    return asdict(report)
