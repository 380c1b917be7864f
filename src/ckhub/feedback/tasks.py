"""Background tasks of the feedback loop: daily reminders and escalations, the weekly report.
(Suggestions from new entries are read by the knowledge area's minute job, after embedding.)"""

from __future__ import annotations

from typing import Any

from ckhub.db.engine import session_scope
from ckhub.feedback.reminders import remind_stuck_items
from ckhub.feedback.report import send_weekly_reports
from ckhub.jobs.registry import JobContext, job_handler


@job_handler("feedback.remind")
def remind_job(context: JobContext) -> dict[str, Any]:
    """Owners of items past their due date are reminded; team leads a period later."""
    with session_scope(context.session_factory) as session:
        run = remind_stuck_items(session, context.settings)
        return {"reminded": run.reminded, "escalated": run.escalated}


@job_handler("feedback.weekly_report")
def weekly_report_job(context: JobContext) -> dict[str, Any]:
    """Last week's feedback report to the members of every team (Monday morning)."""
    with session_scope(context.session_factory) as session:
        return {"sent": send_weekly_reports(session, context.settings)}
