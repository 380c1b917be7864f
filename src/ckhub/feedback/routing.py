"""Routing: which team (and owner) a new item goes to. The first rule, by position, whose every
set condition (kind, product line, issue type) matches wins; without one, the team that owns the
item's issue type (the taxonomy's owner team), if any."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.auth import audit
from ckhub.auth.permissions import Viewer
from ckhub.errors import Problem
from ckhub.feedback.models import FeedbackItem, RoutingRule
from ckhub.feedback.workflow import delete_setting, require_manager
from ckhub.i18n_marker import N_
from ckhub.knowledge.taxonomy import owner_team_of_issue_type


def rules(session: Session) -> list[RoutingRule]:
    return list(session.scalars(select(RoutingRule).order_by(RoutingRule.position, RoutingRule.id)))


def _matches(rule: RoutingRule, item: FeedbackItem) -> bool:
    return all(
        wanted is None or wanted == actual
        for wanted, actual in (
            (rule.kind_id, item.kind_id),
            (rule.product_line_id, item.product_line_id),
            (rule.issue_type_id, item.issue_type_id),
        )
    )


def route(session: Session, item: FeedbackItem) -> RoutingRule | None:
    """Assign the item's team and owner (those already set stay); returns the rule used."""
    for rule in rules(session):
        if _matches(rule, item):
            item.team_id = item.team_id or rule.team_id
            item.owner_id = item.owner_id or rule.owner_id
            return rule
    item.team_id = item.team_id or owner_team_of_issue_type(session, item.issue_type_id)
    return None


def add_rule(
    session: Session,
    viewer: Viewer,
    *,
    team_id: int | None,
    owner_id: int | None = None,
    kind_id: int | None = None,
    product_line_id: int | None = None,
    issue_type_id: int | None = None,
) -> RoutingRule:
    require_manager(viewer)
    if team_id is None:
        raise Problem("team-required", "A rule routes to a team: choose one.", 422, field="team")
    last = max((rule.position for rule in rules(session)), default=0)
    rule = RoutingRule(
        position=last + 1, team_id=team_id, owner_id=owner_id, kind_id=kind_id,
        product_line_id=product_line_id, issue_type_id=issue_type_id,
    )  # fmt: skip
    session.add(rule)
    session.flush()
    audit.record(session, viewer, "feedback.rule_added", "feedback_routing_rule", rule.id)
    session.commit()
    return rule


def remove_rule(session: Session, viewer: Viewer, rule_id: int) -> None:
    delete_setting(
        session, viewer, RoutingRule, rule_id, N_("Routing rule"), "feedback.rule_removed"
    )
