"""The insights JSON API: trends with the planted spike, topics, aspects and the insight table,
counted only over what the caller may see."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ckhub.auth import tokens
from ckhub.auth.permissions import Role
from ckhub.auth.service import viewer_for
from ckhub.periods import last_complete_week
from ckhub.workdays import today_of
from tests.factories import make_user
from tests.integration.test_insights_dashboard import _history


def _api(client: TestClient, db: Session) -> TestClient:
    person = make_user(db, "emp.sun", Role.EMPLOYEE)  # not in 研发: the hidden entry stays hidden
    client.headers["Authorization"] = (
        f"Bearer {tokens.create_token(db, viewer_for(db, person.user), 'bi').secret}"
    )
    return client


def test_trends_topics_aspects_and_table_as_json(client: TestClient, db: Session) -> None:
    _history(db)
    api = _api(client, db)

    overall = api.get("/api/v1/insights/trends?days=90&grain=week").json()
    assert overall["dimension"] == "overall" and overall["grain"] == "week"
    (line,) = overall["lines"]
    assert len(line["entries"]) == len(overall["periods"])
    assert line["total"] == 24 + 8  # twelve weeks of two themes, the wave; not the hidden one

    by_topic = api.get("/api/v1/insights/trends?days=90&grain=week&dimension=topic").json()
    spiking = [line for line in by_topic["lines"] if line["spikes"]]
    assert len(spiking) == 1 and spiking[0]["spikes"][0]["emerging"]
    assert spiking[0]["spikes"][0]["period"] == by_topic["periods"][-1]

    topics = api.get("/api/v1/insights/topics").json()
    export = next(topic for topic in topics if topic["id"] == spiking[0]["key"])
    assert export["entries"] == 8 and export["keywords"]

    aspects = api.get("/api/v1/insights/aspects?days=90").json()
    assert aspects and all(row["mentions"] >= row["negative"] for row in aspects)

    table = api.get("/api/v1/insights/table?days=90").json()
    assert table and {"topic", "aspect", "sentiment", "suggested_owner_team"} <= set(table[0])
    assert all("internal repro" not in row["quote"] for row in table)

    by_aspect = api.get("/api/v1/insights/trends?days=90&dimension=aspect").json()
    mentioned = {row["id"]: row["mentions"] for row in aspects}
    assert by_aspect["lines"] and all(
        line["total"] == mentioned[line["key"]] for line in by_aspect["lines"]
    )  # the same mentions, period by period

    # This week is not over: it is named, so that its lower count does not read as a fall;
    # a window ending on a past Sunday has none.
    assert overall["partial"] == [overall["periods"][-1]]
    sunday = last_complete_week(today_of(db)) + timedelta(days=6)
    ended = api.get(f"/api/v1/insights/trends?days=90&until={sunday}").json()
    assert ended["partial"] == [] and ended["periods"][-1] == str(sunday - timedelta(days=6))
    cut = api.get(f"/api/v1/insights/trends?days=90&until={sunday - timedelta(days=3)}").json()
    assert cut["partial"] == [cut["periods"][-1]]

    wrong = api.get("/api/v1/insights/trends?dimension=weather")
    assert wrong.status_code == 422 and "weather" in wrong.json()["detail"]


def test_the_insights_api_needs_a_staff_token(client: TestClient) -> None:
    assert client.get("/api/v1/insights/topics").status_code == 401
