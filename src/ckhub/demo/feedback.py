"""The demo's feedback loop: routing rules for the demo teams, the bulk-export storyline as a
public, planned item with every key customer who asked as a requester, and the suggestions the
scan finds among the demo entries."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.auth.models import Team
from ckhub.auth.service import find_user_by_login
from ckhub.demo.service import DEMO_ACTOR
from ckhub.feedback import routing
from ckhub.feedback.service import ItemInput, add_source, create_item, update_item
from ckhub.feedback.suggestions import scan_new_entries
from ckhub.feedback.workflow import change_status, kind_by_key
from ckhub.knowledge.models import KnowledgeEntry
from ckhub.ml.embedders import Embedder
from ckhub.settings import Settings

# kind → (team, owner): requests to Product, bugs to Engineering, complaints to Support.
DEMO_ROUTES = {
    "feature_request": ("Product", "pm.liu"),
    "bug": ("Engineering", "dev.sun"),
    "complaint": ("Support", "km.wang"),
}
BULK_EXPORT_TITLE = "批量导出报表 / Bulk export of reports"


def _team_id(session: Session, name: str) -> int:
    team_id = session.scalar(select(Team.id).where(Team.name == name))
    assert team_id is not None, f"demo team {name} is missing"
    return team_id


def add_demo_routes(session: Session) -> None:
    for kind, (team, owner) in DEMO_ROUTES.items():
        user = find_user_by_login(session, owner)
        routing.add_rule(
            session, DEMO_ACTOR, team_id=_team_id(session, team),
            owner_id=user.id if user else None, kind_id=kind_by_key(session, kind).id,
        )  # fmt: skip


def load_demo_feedback(session: Session, settings: Settings, embedder: Embedder) -> dict[str, int]:
    """Rules, the bulk-export item (public, planned) and the suggestions; returns counts."""
    add_demo_routes(session)
    asks = list(
        session.scalars(
            select(KnowledgeEntry.id)
            .where(KnowledgeEntry.source_id.like("bulk-export-%"))
            .order_by(KnowledgeEntry.occurred_at)
        )
    )
    items = 0
    if asks:
        item = create_item(
            session, settings, DEMO_ACTOR,
            ItemInput(title=BULK_EXPORT_TITLE, kind="feature_request", entry_id=asks[0],
                      description="一次导出所有报表（Excel/CSV），不用逐个下载。"),
            embedder,
        )  # fmt: skip
        for entry_id in asks[1:]:
            add_source(session, settings, DEMO_ACTOR, item.id, entry_id)
        update_item(session, DEMO_ACTOR, item.id, title=item.title, description=item.description,
                    is_public=True, team_id=item.team_id, owner_id=item.owner_id,
                    embedder=embedder)  # fmt: skip
        change_status(session, settings, DEMO_ACTOR, item.id, "planned",
                      "排进下个版本 / Planned for the next release")  # fmt: skip
        items = 1
    suggested = scan_new_entries(session, embedder.name, limit=10**9)
    return {"feedback_items": items, "feedback_suggestions": suggested}
