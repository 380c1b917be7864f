"""The delivery job, run every minute from the schedule (and on demand from the outbox page)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ckhub.db.engine import session_scope
from ckhub.jobs.registry import JobContext, job_handler
from ckhub.notify.delivery import deliver_due
from ckhub.notify.transport import make_transport


@job_handler("notify.deliver")
def deliver(context: JobContext) -> dict[str, Any]:
    with session_scope(context.session_factory) as session:
        report = deliver_due(session, context.settings, make_transport(context.settings))
    return asdict(report)
