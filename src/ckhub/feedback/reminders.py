"""Stuck items: once an open item passes its due date its owner is reminded (the team's leads when
nobody owns it); when it is still stuck one more period later (the status's due days again) the
team's leads get an escalation. Each happens once per stay in a status: moving the item clears
both (workflow._record_move)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.feedback.models import FeedbackItem, FeedbackStatus
from ckhub.feedback.workflow import status_name, team_leads
from ckhub.i18n_marker import N_
from ckhub.notify.inbox import notify_user
from ckhub.settings import Settings
from ckhub.timeutil import utcnow
from ckhub.workdays import day_of, zone_of

REMINDED, ESCALATED = "feedback.reminder", "feedback.escalation"


@dataclass
class ReminderRun:
    reminded: int = 0
    escalated: int = 0


def _tell(
    session: Session,
    settings: Settings,
    user_ids: list[int],
    category: str,
    subject: str,
    body: str,
    item: FeedbackItem,
    status: FeedbackStatus,
) -> bool:
    due = day_of(item.due_at, zone_of(session)).isoformat() if item.due_at else ""
    # Once per stay in a status: the stay starts when the item last moved.
    once = f"{category}|{item.id}|{item.status_changed_at.isoformat()}"
    told = False
    for user_id in user_ids:
        told |= notify_user(
            session, settings, user_id, category=category, subject=subject, body=body,
            link=f"/feedback/{item.id}", dedup_key=once,
            id=item.id, title=item.title, status=status_name(status), due=due,
        ) is not None  # fmt: skip
    return told


def remind_stuck_items(
    session: Session, settings: Settings, now: datetime | None = None
) -> ReminderRun:
    """Remind and escalate (daily); returns how many items got each."""
    now = now or utcnow()
    run = ReminderRun()
    stuck = session.execute(
        select(FeedbackItem, FeedbackStatus)
        .join(FeedbackStatus, FeedbackStatus.id == FeedbackItem.status_id)
        .where(
            FeedbackItem.merged_into_id.is_(None),
            FeedbackStatus.is_closed.is_(False),
            FeedbackItem.due_at.is_not(None),
            FeedbackItem.due_at < now,
        )
        .order_by(FeedbackItem.due_at)
    ).all()
    for item, status in stuck:
        leads = team_leads(session, item.team_id)
        if item.reminded_at is None:
            owners = [item.owner_id] if item.owner_id else leads
            if _tell(session, settings, owners, REMINDED,
                     N_("Overdue: #{id} {title}"),
                     N_("“{title}” has been {status} since before its due date {due}. "
                        "Move it on, or note why it waits."),
                     item, status):  # fmt: skip
                run.reminded += 1
            item.reminded_at = now
            continue
        period = timedelta(days=status.due_days or 0)
        assert item.due_at is not None
        if item.escalated_at is None and now >= item.due_at + period and leads:
            if _tell(session, settings, leads, ESCALATED,
                     N_("Escalated: #{id} {title} is stuck"),
                     N_("“{title}” is still {status}, a full period after its due date {due}; "
                        "its owner was reminded."),
                     item, status):  # fmt: skip
                run.escalated += 1
            item.escalated_at = now
    session.commit()
    return run
