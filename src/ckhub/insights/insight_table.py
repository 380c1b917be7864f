"""The insight table analysts make by hand: what customers say (a quote) → topic → aspect →
feeling → volume and trend → suggested owner team, one row per topic and aspect, exportable.

The suggested owner is the owner team of the issue type most of the row's entries have
(taxonomy admin: issue type → owner team). The quote is what customers said about the row's
aspect with the row's feeling, put most plainly (see `_quotes`).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from openpyxl import Workbook
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from ckhub.auth.models import Team
from ckhub.auth.permissions import Viewer
from ckhub.i18n_marker import N_
from ckhub.insights.dashboard import entries_link
from ckhub.insights.filters import InsightFilters
from ckhub.insights.models import AspectGroup, EntryAspect, EntryTopic, Topic
from ckhub.knowledge.models import IssueTypeOwner, KnowledgeEntry

ROWS = 200
QUOTE_CHARS = 60  # longer clauses are run-on reviews without punctuation: hard to read in a cell


@dataclass
class InsightRow:
    topic: str
    aspect: str
    mentions: int = 0
    negative: int = 0
    positive: int = 0
    before: int = 0  # mentions in the window of the same length just before
    quote: str = ""
    owner_team: str = ""
    link: str = ""
    issue_types: Counter[int] = field(default_factory=Counter)

    @property
    def sentiment(self) -> str:
        if self.negative > max(self.positive, self.mentions - self.negative - self.positive):
            return "negative"
        if self.positive > self.mentions - self.negative - self.positive:
            return "positive"
        return "neutral"

    @property
    def change(self) -> float | None:
        return (self.mentions - self.before) / self.before if self.before else None


def insight_rows(
    session: Session, viewer: Viewer, filters: InsightFilters, limit: int = ROWS
) -> list[InsightRow]:
    """Rows of the window, most mentioned first (counts over what the viewer may see)."""
    in_window = filters.in_window()
    counted = session.execute(
        select(
            EntryTopic.topic_id,
            EntryAspect.group_id,
            EntryAspect.sentiment,
            KnowledgeEntry.issue_type_id,
            in_window,
            func.count(),
        )
        .join(KnowledgeEntry, KnowledgeEntry.id == EntryAspect.entry_id)
        .outerjoin(EntryTopic, EntryTopic.entry_id == EntryAspect.entry_id)
        .where(filters.conditions(viewer, since=filters.since_before))
        .group_by(
            EntryTopic.topic_id,
            EntryAspect.group_id,
            EntryAspect.sentiment,
            KnowledgeEntry.issue_type_id,
            in_window,
        )
    ).all()
    topics = dict(session.execute(select(Topic.id, func.coalesce(Topic.name, Topic.label))).all())
    aspects = dict(session.execute(select(AspectGroup.id, AspectGroup.label)).all())
    rows: dict[tuple[int | None, int], InsightRow] = {}
    for topic_id, group_id, feeling, issue_type_id, current, count in counted:
        row = rows.setdefault(
            (topic_id, group_id),
            InsightRow(topics.get(topic_id, ""), aspects.get(group_id, "")),
        )
        if not current:
            row.before += count
            continue
        row.mentions += count
        row.negative += count if feeling == "negative" else 0
        row.positive += count if feeling == "positive" else 0
        if issue_type_id is not None:
            row.issue_types[issue_type_id] += count
    owners = dict(
        session.execute(
            select(IssueTypeOwner.issue_type_id, Team.name).join(
                Team, Team.id == IssueTypeOwner.team_id
            )
        ).all()
    )
    shown = sorted(
        ((key, row) for key, row in rows.items() if row.mentions),
        key=lambda pair: (-pair[1].mentions, -pair[1].negative, pair[1].topic, pair[1].aspect),
    )[:limit]
    quotes = _quotes(session, viewer, filters, {group for (_, group), _ in shown})
    for (shown_topic, shown_aspect), row in shown:
        row.quote = quotes.get((shown_topic, shown_aspect, row.sentiment), "")
        if row.issue_types:
            row.owner_team = owners.get(row.issue_types.most_common(1)[0][0], "")
        row.link = entries_link(filters.as_params(topic=shown_topic or "", aspect=shown_aspect))
    return [row for _, row in shown]


def _quotes(
    session: Session, viewer: Viewer, filters: InsightFilters, groups: set[int]
) -> dict[tuple[int | None, int, str], str]:
    """(topic, aspect group, feeling) → the clause of the window that says it most plainly: of
    a readable length and more than the aspect's name, then the most strongly felt (for
    neutral, the least), then the longest. Ranked in the database: a busy aspect has thousands
    of clauses."""
    if not groups:
        return {}
    length = func.length(EntryAspect.clause)
    strength = case(
        (EntryAspect.sentiment == "neutral", -func.abs(EntryAspect.score)),
        else_=func.abs(EntryAspect.score),
    )
    readable = case(
        (and_(length >= func.length(EntryAspect.term) + 2, length <= QUOTE_CHARS), 0), else_=1
    )
    partition = (EntryTopic.topic_id, EntryAspect.group_id, EntryAspect.sentiment)
    ranked = (
        select(
            *partition,
            EntryAspect.clause,
            func.row_number()
            .over(
                partition_by=partition,
                order_by=(readable, strength.desc(), length.desc(), EntryAspect.id),
            )
            .label("rank"),
        )
        .join(KnowledgeEntry, KnowledgeEntry.id == EntryAspect.entry_id)
        .outerjoin(EntryTopic, EntryTopic.entry_id == EntryAspect.entry_id)
        .where(filters.conditions(viewer), EntryAspect.group_id.in_(groups))
        .subquery()
    )
    chosen = select(ranked.c.topic_id, ranked.c.group_id, ranked.c.sentiment, ranked.c.clause)
    return {
        (topic_id, group_id, feeling): clause
        for topic_id, group_id, feeling, clause in session.execute(chosen.where(ranked.c.rank == 1))
    }


FEELING_NAMES = {
    "negative": N_("Negative"),
    "neutral": N_("Neutral"),
    "positive": N_("Positive"),
}
COLUMNS = (
    N_("What customers say"),
    N_("Topic"),
    N_("Aspect"),
    N_("Feeling"),
    N_("Mentions"),
    N_("Negative"),
    N_("Positive"),
    N_("Period before"),
    N_("Change"),
    N_("Suggested owner team"),
    N_("Entries"),
)


def _cell(value: object) -> object:
    """Customers' words are data: a cell starting like a formula (=, +, -, @) would be run by
    Excel (and openpyxl writes "=…" as a formula), so it is quoted."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _values(row: InsightRow, feeling_names: dict[str, str], base_url: str) -> list[object]:
    change = row.change
    return [
        _cell(row.quote),
        _cell(row.topic),
        _cell(row.aspect),
        feeling_names[row.sentiment],
        row.mentions,
        row.negative,
        row.positive,
        row.before,
        f"{change:.0%}" if change is not None else "",
        _cell(row.owner_team),
        f"{base_url.rstrip('/')}{row.link}",
    ]


def as_csv(rows: Sequence[InsightRow], headers: list[str], feeling_names: dict[str, str],
           base_url: str) -> bytes:  # fmt: skip
    """UTF-8 with a byte-order mark, which Excel needs to read Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(_values(row, feeling_names, base_url) for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(rows: Sequence[InsightRow], headers: list[str], feeling_names: dict[str, str],
            base_url: str) -> bytes:  # fmt: skip
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Insights"
    sheet.append(headers)
    for row in rows:
        sheet.append(_values(row, feeling_names, base_url))
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["A"].width = 60
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORTS = {"csv": ("text/csv; charset=utf-8", as_csv), "xlsx": (XLSX, as_xlsx)}
