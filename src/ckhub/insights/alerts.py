"""Following topics, and telling followers when one spikes.

Anyone on the staff may follow a topic for themselves; knowledge managers may also subscribe a
team (every member is told) or a webhook address. Every morning the last complete day and the
last complete week of every topic are tested against the topic's own past (ml/trends.py); a
spike is recorded once (TopicAlert) and each follower hears of it once: a notification in ckhub
with an e-mail beside it, or a webhook delivery through the outbox.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.auth import audit
from ckhub.auth.models import TeamMember, User
from ckhub.auth.permissions import Capability, Viewer
from ckhub.errors import Problem
from ckhub.i18n_marker import N_
from ckhub.insights.filters import InsightFilters
from ckhub.insights.models import Topic, TopicAlert, TopicSubscription
from ckhub.insights.trends import trend_lines
from ckhub.notify.inbox import notify_user
from ckhub.notify.webhooks import checked_url, queue_webhook
from ckhub.periods import last_complete_week
from ckhub.settings import Settings
from ckhub.workdays import today_of, zone_of

SPIKE_EVENT = "insights.spike"


def follow_topic(
    session: Session,
    viewer: Viewer,
    topic_id: int,
    team_id: int | None = None,
    webhook_url: str | None = None,
) -> TopicSubscription:
    """Subscribe the viewer, or (knowledge managers) a team or a webhook, to a topic's spikes."""
    if not viewer.can(Capability.STAFF_AREA) or viewer.user_id is None:
        raise Problem("forbidden", "Only staff may follow topics.", 403)
    on_behalf = team_id is not None or bool(webhook_url)
    if on_behalf and not viewer.can(Capability.MANAGE_KNOWLEDGE):
        raise Problem("forbidden", "Only knowledge managers may subscribe teams or webhooks.", 403)
    topic = session.get(Topic, topic_id)
    if topic is None or topic.status != "active":
        raise Problem("not-found", "No such topic.", 404)
    wanted = {
        "topic_id": topic.id,
        "user_id": None if on_behalf else viewer.user_id,
        "team_id": team_id,
        "webhook_url": checked_url(webhook_url) if webhook_url else None,
    }
    existing = session.scalar(
        select(TopicSubscription).filter_by(**wanted)  # NULLs compare as IS NULL here
    )
    if existing is not None:
        return existing
    subscription = TopicSubscription(**wanted, created_by_id=viewer.user_id)
    session.add(subscription)
    session.flush()
    audit.record(
        session, viewer, "topic.followed", "topic", topic.id,
        team_id=team_id, webhook=bool(webhook_url),
    )  # fmt: skip
    session.commit()
    return subscription


def unfollow(session: Session, viewer: Viewer, subscription_id: int) -> None:
    subscription = session.get(TopicSubscription, subscription_id)
    if subscription is None:
        raise Problem("not-found", "No such subscription.", 404)
    own = subscription.user_id is not None and subscription.user_id == viewer.user_id
    if not own and not viewer.can(Capability.MANAGE_KNOWLEDGE):
        raise Problem("forbidden", "Only knowledge managers may end others' subscriptions.", 403)
    audit.record(session, viewer, "topic.unfollowed", "topic", subscription.topic_id)
    session.delete(subscription)
    session.commit()


def subscriptions_of(session: Session, topic_id: int) -> list[TopicSubscription]:
    return list(
        session.scalars(
            select(TopicSubscription)
            .where(TopicSubscription.topic_id == topic_id)
            .order_by(TopicSubscription.id)
        )
    )


def _last_complete_periods(today: date, zone: str) -> list[InsightFilters]:
    """Yesterday, and last week (Monday to Sunday), the workspace's days."""
    last_sunday = last_complete_week(today) + timedelta(days=6)
    return [
        InsightFilters(zone=zone, days=1, weekly=False, until=today - timedelta(days=1)),
        InsightFilters(zone=zone, days=7, weekly=True, until=last_sunday),
    ]


def check_spikes(session: Session, settings: Settings, today: date | None = None) -> int:
    """Record and announce spikes in every topic's last complete day and week; returns how
    many new spikes were found. Counts cover every entry (the system's view): a follower learns
    that a topic spiked, and the topic's page shows them only the entries they may see."""
    found = 0
    for filters in _last_complete_periods(today or today_of(session), zone_of(session)):
        grain = "week" if filters.weekly else "day"
        for line in trend_lines(session, Viewer.system("insights"), filters, "topic"):
            for spike in line.spikes:
                period = line.periods[spike.index]
                topic = session.get(Topic, line.key)
                if (
                    topic is None
                    or topic.status != "active"
                    or session.scalar(
                        select(TopicAlert.id).filter_by(
                            topic_id=topic.id, grain=grain, period=period
                        )
                    )
                ):
                    continue
                alert = TopicAlert(
                    topic_id=topic.id, grain=grain, period=period, observed=spike.observed,
                    expected=spike.expected, p_value=spike.p_value, emerging=spike.emerging,
                )  # fmt: skip
                session.add(alert)
                session.flush()
                _announce(session, settings, topic, alert)
                found += 1
    session.commit()
    return found


def _announce(session: Session, settings: Settings, topic: Topic, alert: TopicAlert) -> None:
    link = f"/insights/topics/{topic.id}"
    params = {
        "topic": topic.title,
        "observed": alert.observed,
        "expected": f"{alert.expected:.1f}",
        "period": alert.period.isoformat(),
    }
    week = alert.grain == "week"
    for subscription in subscriptions_of(session, topic.id):
        if subscription.webhook_url:
            queue_webhook(
                session,
                subscription.webhook_url,
                SPIKE_EVENT,
                {
                    "topic": {"id": topic.id, "title": topic.title, "keywords": topic.keywords},
                    "grain": alert.grain,
                    "period": alert.period.isoformat(),
                    "observed": alert.observed,
                    "expected": round(alert.expected, 2),
                    "p_value": alert.p_value,
                    "emerging": alert.emerging,
                    "url": f"{settings.base_url.rstrip('/')}{link}",
                },
                dedup_key=f"{SPIKE_EVENT}|{alert.id}|{subscription.id}",
            )
            continue
        for user_id in _people(session, subscription):
            notify_user(
                session,
                settings,
                user_id,
                category=SPIKE_EVENT,
                subject=N_("Topic spiking: {topic}"),
                body=N_(
                    "{observed} entries about “{topic}” in the week from {period}, where its "
                    "past made about {expected} likely."
                )
                if week
                else N_(
                    "{observed} entries about “{topic}” on {period}, where its past made "
                    "about {expected} likely."
                ),
                link=link,
                dedup_key=f"{SPIKE_EVENT}|{alert.id}",
                **params,
            )


def _people(session: Session, subscription: TopicSubscription) -> list[int]:
    if subscription.user_id is not None:
        return [subscription.user_id]
    return list(
        session.scalars(
            select(TeamMember.user_id)
            .join(User, User.id == TeamMember.user_id)
            .where(TeamMember.team_id == subscription.team_id, User.is_active.is_(True))
        )
    )
