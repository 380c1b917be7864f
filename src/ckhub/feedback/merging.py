"""Merging duplicates, and undoing a merge.

A merge moves everything of the duplicate to the item it duplicates — sources (so every
requester and their words), votes, comments, followers — and marks the duplicate "duplicate".
The ids of what moved are kept with the merge, so an undo moves exactly those back; whatever was
added to the target since stays there. A vote or source the target already has (the same
person, the same entry) stays on the duplicate: counting it twice would inflate the impact.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ckhub.auth import audit
from ckhub.auth.permissions import Viewer
from ckhub.errors import Problem, not_found
from ckhub.feedback.models import (
    FeedbackComment,
    FeedbackFollower,
    FeedbackItem,
    FeedbackMerge,
    FeedbackSource,
    FeedbackStatus,
    FeedbackVote,
)
from ckhub.feedback.requesters import refresh_impact
from ckhub.feedback.workflow import (
    DUPLICATE,
    get_item,
    require_manage,
    require_not_merged,
    set_status,
    status_by_key,
)
from ckhub.i18n_marker import N_
from ckhub.settings import Settings
from ckhub.timeutil import utcnow


def _ids(session: Session, query: Any) -> list[int]:
    return [int(value) for value in session.scalars(query)]


def _move(session: Session, model: Any, ids: list[int], to_item: int) -> None:
    if ids:
        session.execute(update(model).where(model.id.in_(ids)).values(item_id=to_item))


def merge_items(
    session: Session,
    settings: Settings,
    viewer: Viewer,
    duplicate_id: int,
    target_id: int,
    note: str = "",
) -> FeedbackMerge:
    """Merge the duplicate into the target; both must be the viewer's to manage."""
    if duplicate_id == target_id:
        raise Problem("merge-into-itself", "An item cannot be merged into itself.", 422)
    duplicate, target = get_item(session, duplicate_id), get_item(session, target_id)
    require_manage(viewer, duplicate)
    require_manage(viewer, target)
    require_not_merged(duplicate)
    require_not_merged(target)
    on_target = select(FeedbackSource.entry_id).where(
        FeedbackSource.item_id == target.id, FeedbackSource.entry_id.is_not(None)
    )
    voters = select(FeedbackVote.user_id).where(FeedbackVote.item_id == target.id)
    followers = select(FeedbackFollower.user_id).where(FeedbackFollower.item_id == target.id)
    moved = {
        "sources": _ids(session, select(FeedbackSource.id).where(
            FeedbackSource.item_id == duplicate.id,
            FeedbackSource.entry_id.is_(None) | FeedbackSource.entry_id.not_in(on_target),
        )),
        "votes": _ids(session, select(FeedbackVote.id).where(
            FeedbackVote.item_id == duplicate.id, FeedbackVote.user_id.not_in(voters)
        )),
        "comments": _ids(session, select(FeedbackComment.id).where(
            FeedbackComment.item_id == duplicate.id
        )),
        "followers": _ids(session, select(FeedbackFollower.user_id).where(
            FeedbackFollower.item_id == duplicate.id, FeedbackFollower.user_id.not_in(followers)
        )),
    }  # fmt: skip
    _move(session, FeedbackSource, moved["sources"], target.id)
    _move(session, FeedbackVote, moved["votes"], target.id)
    _move(session, FeedbackComment, moved["comments"], target.id)
    _move_followers(session, duplicate.id, target.id, moved["followers"])
    merge = FeedbackMerge(
        target_id=target.id, source_id=duplicate.id, source_status_id=duplicate.status_id,
        moved=moved, merged_by_id=viewer.user_id,
    )  # fmt: skip
    session.add(merge)
    written = note.strip() or f"#{duplicate.id} → #{target.id}"
    set_status(session, settings, viewer, duplicate, status_by_key(session, DUPLICATE), written)
    duplicate.merged_into_id = target.id
    refresh_impact(session, settings, target)
    refresh_impact(session, settings, duplicate)
    audit.record(session, viewer, "feedback.merged", "feedback_item", duplicate.id,
                 target=target.id, moved={k: len(v) for k, v in moved.items()})  # fmt: skip
    session.commit()
    return merge


def _move_followers(session: Session, from_item: int, to_item: int, user_ids: list[int]) -> None:
    if user_ids:
        session.execute(
            update(FeedbackFollower)
            .where(FeedbackFollower.item_id == from_item, FeedbackFollower.user_id.in_(user_ids))
            .values(item_id=to_item)
        )


def undo_merge(session: Session, settings: Settings, viewer: Viewer, merge_id: int) -> FeedbackItem:
    """Put the duplicate back as it was: what moved returns, and its status before the merge."""
    merge = session.get(FeedbackMerge, merge_id)
    if merge is None or merge.undone_at is not None:
        raise not_found(N_("Merge"))
    duplicate, target = get_item(session, merge.source_id), get_item(session, merge.target_id)
    require_manage(viewer, duplicate)
    require_manage(viewer, target)
    moved = merge.moved
    for model, key in ((FeedbackSource, "sources"), (FeedbackVote, "votes"),
                       (FeedbackComment, "comments")):  # fmt: skip
        ids = _ids(session, select(model.id).where(
            model.id.in_(moved.get(key, [])), model.item_id == target.id
        ))  # fmt: skip
        _move(session, model, ids, duplicate.id)
    still_following = _ids(session, select(FeedbackFollower.user_id).where(
        FeedbackFollower.item_id == target.id,
        FeedbackFollower.user_id.in_(moved.get("followers", [])),
    ))  # fmt: skip
    _move_followers(session, target.id, duplicate.id, still_following)
    duplicate.merged_into_id = None
    merge.undone_at, merge.undone_by_id = utcnow(), viewer.user_id
    before = session.get(FeedbackStatus, merge.source_status_id)
    assert before is not None
    set_status(session, settings, viewer, duplicate, before, f"#{duplicate.id} ↚ #{target.id}")
    refresh_impact(session, settings, target)
    refresh_impact(session, settings, duplicate)
    audit.record(session, viewer, "feedback.unmerged", "feedback_item", duplicate.id,
                 target=target.id)  # fmt: skip
    session.commit()
    return duplicate


def merges_into(session: Session, item_id: int) -> list[FeedbackMerge]:
    """The merges into this item that stand (for the item page's "undo")."""
    return list(
        session.scalars(
            select(FeedbackMerge)
            .where(FeedbackMerge.target_id == item_id, FeedbackMerge.undone_at.is_(None))
            .order_by(FeedbackMerge.merged_at)
        )
    )
