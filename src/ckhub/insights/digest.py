"""The weekly insights digest of a team: a page, and an e-mail to each member on Monday.

What happened last week (Monday to Sunday) as the team's members may see it: how much customers
said and how negative it was against the week before, the topics that spiked, what customers
complained about most, the same for the issue types the team owns (Taxonomy), and the topics the
team follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.auth.models import Team
from ckhub.auth.permissions import Role, Viewer
from ckhub.auth.service import active_members
from ckhub.i18n_marker import N_
from ckhub.insights.dashboard import AspectRow, SpikeRow, aspect_rows, insights_dashboard
from ckhub.insights.filters import InsightFilters
from ckhub.insights.models import Topic, TopicSubscription
from ckhub.insights.trends import TrendLine, overall_line, trend_lines
from ckhub.knowledge.models import IssueTypeOwner
from ckhub.notify.inbox import notify_user
from ckhub.periods import last_complete_week
from ckhub.search.filters import SearchFilters
from ckhub.settings import Settings
from ckhub.web.i18n import translate
from ckhub.workdays import today_of, zone_of

DIGEST_EVENT = "insights.digest"
SHOWN = 5


@dataclass
class Week:
    entries: int
    negative: int

    @property
    def negative_share(self) -> float:
        return self.negative / self.entries if self.entries else 0.0


@dataclass
class TeamDigest:
    team: Team
    week: date  # its Monday
    this_week: Week
    week_before: Week
    spikes: list[SpikeRow]
    complaints: list[AspectRow]
    owned: Week  # entries of the issue types the team owns
    owned_complaints: list[AspectRow]
    followed: list[tuple[Topic, int]]  # followed topics and their entries this week


def team_viewer(team: Team) -> Viewer:
    """What every member of the team may see: staff content and the team's own."""
    return Viewer(user_id=None, username=f"team:{team.name}", role=Role.EMPLOYEE,
                  team_ids=frozenset({team.id}))  # fmt: skip


def _week(line: TrendLine) -> Week:
    return Week(line.total, sum(line.negative))


def team_digest(session: Session, team: Team, week: date) -> TeamDigest:
    viewer, zone = team_viewer(team), zone_of(session)
    filters = InsightFilters(zone=zone, days=7, weekly=True, until=week + timedelta(days=6))
    board = insights_dashboard(session, viewer, filters)
    before = InsightFilters(zone=zone, days=7, weekly=True, until=week - timedelta(days=1))
    owned_types = tuple(
        session.scalars(
            select(IssueTypeOwner.issue_type_id).where(IssueTypeOwner.team_id == team.id)
        )
    )
    owned_filters = InsightFilters(
        zone=zone,
        days=7,
        weekly=True,
        until=filters.until,
        facets=SearchFilters(issue_type_ids=owned_types),
    )
    followed_ids = set(
        session.scalars(
            select(TopicSubscription.topic_id).where(TopicSubscription.team_id == team.id)
        )
    )
    this_week_by_topic = {line.key: line.total for line in board.topic_lines}
    followed = [
        (topic, this_week_by_topic.get(topic.id, 0))
        for topic in session.scalars(select(Topic).where(Topic.id.in_(followed_ids)))
    ]
    owned_rows = aspect_rows(session, viewer, owned_filters) if owned_types else []
    return TeamDigest(
        team,
        week,
        _week(board.feeling),
        _week(overall_line(trend_lines(session, viewer, before), before)),
        board.spikes[:SHOWN],
        board.negative_aspects[:SHOWN],
        _week(overall_line(trend_lines(session, viewer, owned_filters), owned_filters))
        if owned_types
        else Week(0, 0),
        sorted((r for r in owned_rows if r.negative), key=lambda r: -r.negative)[:SHOWN],
        sorted(followed, key=lambda pair: -pair[1]),
    )


def digest_text(digest: TeamDigest, language: str) -> str:
    """The digest as plain text in `language`, for the e-mail."""

    def t(message: str, **params: object) -> str:
        return translate(language, message, **params)

    now, before = digest.this_week, digest.week_before
    summary = t(
        N_(
            "{entries} entries last week ({before} the week before); {negative}% negative "
            "({negative_before}% the week before)."
        ),
        entries=now.entries,
        before=before.entries,
        negative=round(now.negative_share * 100),
        negative_before=round(before.negative_share * 100),
    )
    lines = [summary, ""]
    if digest.spikes:
        lines.append(t(N_("Topics that spiked:")))
        for row in digest.spikes:
            expected = t(N_("about {expected} expected"), expected=round(row.spike.expected, 1))
            lines.append(f"- {row.topic.title}: {row.spike.observed} ({expected})")
        lines.append("")
    if digest.complaints:
        lines.append(t(N_("What customers complained about most:")))
        lines += [f"- {row.group.label}: {row.negative}" for row in digest.complaints]
        lines.append("")
    if digest.owned.entries:
        lines.append(
            t(N_("Issue types your team owns: {entries} entries, {negative}% negative."),
              entries=digest.owned.entries, negative=round(digest.owned.negative_share * 100))
        )  # fmt: skip
        lines += [f"- {row.group.label}: {row.negative}" for row in digest.owned_complaints]
        lines.append("")
    if digest.followed:
        lines.append(t(N_("Topics your team follows:")))
        lines += [f"- {topic.title}: {count}" for topic, count in digest.followed]
    return "\n".join(lines).strip()


def send_weekly_digests(session: Session, settings: Settings, today: date | None = None) -> int:
    """Last week's digest to every active member of every team (once per team and week)."""
    week = last_complete_week(today or today_of(session))
    sent = 0
    for team in session.scalars(select(Team).order_by(Team.id)):
        members = active_members(session, team.id)
        if not members:
            continue
        digest = team_digest(session, team, week)
        for member in members:
            language = member.locale or settings.default_locale
            if notify_user(
                session,
                settings,
                member.id,
                category=DIGEST_EVENT,
                subject=N_("Weekly insights for {team}: week of {week}"),
                body=N_("{summary}"),
                link=f"/insights/digest?team={team.id}&week={week.isoformat()}",
                dedup_key=f"{DIGEST_EVENT}|{team.id}|{week.isoformat()}",
                team=team.name,
                week=week.isoformat(),
                summary=digest_text(digest, language),
            ):
                sent += 1
    session.commit()
    return sent
