"""The weekly feedback report of a team (Monday to Sunday): new items, the items open at the
week's end with the highest impact, the stuck ones (past their due date at the week's end) and
the shipped ones, with links. The same report is a page, an e-mail to the team's members on
Monday, and `ckhub report feedback --team T --week W`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ckhub.auth.models import Team
from ckhub.auth.service import active_members, get_team_by_name
from ckhub.errors import Problem
from ckhub.feedback.models import FeedbackItem, FeedbackStatus, FeedbackStatusChange
from ckhub.feedback.queries import ItemRow, rows_where
from ckhub.i18n_marker import N_
from ckhub.notify.inbox import notify_user
from ckhub.periods import last_complete_week
from ckhub.settings import Settings
from ckhub.timeutil import as_utc
from ckhub.web.i18n import translate
from ckhub.workdays import day_of, day_start, today_of, zone_of

REPORT_EVENT = "feedback.weekly_report"
SHOWN = 10
SHIPPED = "shipped"


@dataclass
class FeedbackReport:
    team: Team
    week: date  # its Monday
    new: list[ItemRow]
    highest_impact: list[ItemRow]
    stuck: list[ItemRow]  # as the week ended, however they moved since
    shipped: list[ItemRow]
    stuck_due: dict[int, datetime]  # item id → its due date as the week ended
    zone: str  # the workspace's: whose days the e-mail names

    @property
    def is_empty(self) -> bool:
        return not (self.new or self.highest_impact or self.stuck or self.shipped)


def _iso_week(text: str) -> tuple[int, int]:
    year, _, week = text.upper().partition("-W")
    return int(year), int(week)


def parse_week(value: str, today: date) -> date:
    """A week given as a date in it (YYYY-MM-DD) or ISO week (2026-W46); empty: the last week
    complete on `today`."""
    text = value.strip()
    if not text:
        return last_complete_week(today)
    try:
        day = (
            date.fromisocalendar(*_iso_week(text), 1)
            if "W" in text.upper()
            else date.fromisoformat(text)
        )
    except ValueError as exc:
        raise Problem("invalid-week", "“{week}” is not a week: give 2026-W46 or a date.", 422,
                      week=text) from exc  # fmt: skip
    return day - timedelta(days=day.weekday())


def team_report(session: Session, team: Team, week: date) -> FeedbackReport:
    zone = zone_of(session)  # the workspace's week
    start, end = day_start(week, zone), day_start(week + timedelta(days=7), zone)
    mine = FeedbackItem.team_id == team.id
    shipped_ids = (
        select(FeedbackStatusChange.item_id)
        .join(FeedbackStatus, FeedbackStatus.id == FeedbackStatusChange.to_status_id)
        .where(
            FeedbackStatus.key == SHIPPED,
            FeedbackStatusChange.changed_at >= start,
            FeedbackStatusChange.changed_at < end,
        )
    )
    stuck_due = _stuck_as_the_week_ended(session, team, end)
    stuck = rows_where(session, mine, FeedbackItem.id.in_(list(stuck_due)), limit=SHOWN)
    open_then = _open_as_the_week_ended(team, end, FeedbackStatusChange.item_id)
    return FeedbackReport(
        team=team,
        week=week,
        new=rows_where(session, mine, FeedbackItem.created_at >= start,
                       FeedbackItem.created_at < end, sort="impact", limit=SHOWN),
        highest_impact=rows_where(session, mine, FeedbackItem.id.in_(open_then),
                                  sort="impact", limit=SHOWN),
        stuck=sorted(stuck, key=lambda row: stuck_due[row.item.id]),
        shipped=rows_where(session, mine, FeedbackStatus.key == SHIPPED,
                           FeedbackItem.id.in_(shipped_ids), sort="impact", limit=SHOWN),
        stuck_due=stuck_due,
        zone=zone,
    )  # fmt: skip


def _open_as_the_week_ended(team: Team, end: datetime, *columns: Any) -> Select[Any]:
    """`columns` of the team's items that were open at `end`: their last status change before it
    is to an open status. Every item has one from its creation, so an item created later has
    none. A report of a past week so shows that week (open, stuck), not today; only the impact
    is counted as it is now."""
    last_moves = (
        select(func.max(FeedbackStatusChange.id))
        .join(FeedbackItem, FeedbackItem.id == FeedbackStatusChange.item_id)
        .where(FeedbackItem.team_id == team.id, FeedbackStatusChange.changed_at < end)
        .group_by(FeedbackStatusChange.item_id)
    )
    return (
        select(*columns)
        .join(FeedbackStatus, FeedbackStatus.id == FeedbackStatusChange.to_status_id)
        .where(FeedbackStatusChange.id.in_(last_moves), FeedbackStatus.is_closed.is_(False))
    )


def _stuck_as_the_week_ended(session: Session, team: Team, end: datetime) -> dict[int, datetime]:
    """The team's items that were open and past their due date when the week ended, with that
    due date, the SHOWN most overdue: it was due its status's due days after its last move
    before the end (as the reminders count)."""
    moves = session.execute(
        _open_as_the_week_ended(
            team,
            end,
            FeedbackStatusChange.item_id,
            FeedbackStatusChange.changed_at,
            FeedbackStatus.due_days,
        ).where(FeedbackStatus.due_days.is_not(None))
    ).all()
    due = {
        item_id: as_utc(moved_at) + timedelta(days=due_days or 0)
        for item_id, moved_at, due_days in moves
    }
    overdue = sorted((at, item_id) for item_id, at in due.items() if at < end)
    return {item_id: at for at, item_id in overdue[:SHOWN]}


SECTIONS = (
    ("new", N_("New items")),
    ("highest_impact", N_("Open items with the highest impact")),
    ("stuck", N_("Stuck items (past their due date)")),
    ("shipped", N_("Shipped this week")),
)


def report_text(report: FeedbackReport, language: str, base_url: str) -> str:
    """The report as plain text in `language` (the e-mail and the CLI)."""
    lines = [translate(language, N_("Feedback report for {team}, week of {week}"),
                       team=report.team.name, week=report.week.isoformat()), ""]  # fmt: skip
    base = base_url.rstrip("/")
    for key, heading in SECTIONS:
        rows: list[ItemRow] = getattr(report, key)
        lines.append(translate(language, heading) + f" ({len(rows)})")
        for row in rows:
            impact = translate(
                language,
                N_("impact {impact}, {requesters} requesters"),
                impact=row.item.impact,
                requesters=row.item.requester_count,
            )
            stuck_due = report.stuck_due.get(row.item.id) if key == "stuck" else None
            due = f", {day_of(stuck_due, report.zone).isoformat()}" if stuck_due else ""
            link = f"{base}/feedback/{row.item.id}"
            lines.append(f"- #{row.item.id} {row.item.title} ({impact}{due}) {link}")
        if not rows:
            lines.append("  —")
        lines.append("")
    return "\n".join(lines).strip()


def team_by_name_or_id(session: Session, value: str) -> Team:
    team = session.get(Team, int(value)) if value.isdigit() else get_team_by_name(session, value)
    if team is None:
        raise Problem("unknown-team", "There is no team “{team}”.", 404, team=value)
    return team


def send_weekly_reports(session: Session, settings: Settings, today: date | None = None) -> int:
    """Last week's report to every active member of every team with something in it (once per
    member, team and week)."""
    week = last_complete_week(today or today_of(session))
    sent = 0
    for team in session.scalars(select(Team).order_by(Team.id)):
        report = team_report(session, team, week)
        if report.is_empty:
            continue
        for member in active_members(session, team.id):
            language = member.locale or settings.default_locale
            if notify_user(
                session, settings, member.id, category=REPORT_EVENT,
                subject=N_("Feedback report for {team}, week of {week}"),
                body=N_("{summary}"),
                link=f"/feedback/report?team={team.id}&week={week.isoformat()}",
                dedup_key=f"{REPORT_EVENT}|{team.id}|{week.isoformat()}",
                team=team.name, week=week.isoformat(),
                summary=report_text(report, language, settings.base_url),
            ):  # fmt: skip
                sent += 1
    session.commit()
    return sent
