"""Links between entries: related, duplicate of, follow-up of.

A link is stored once, from one entry to the other, and shown on both. Reading links goes
through the viewer's permissions, so a link never reveals an entry the viewer may not see.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from ckhub.auth import audit
from ckhub.auth.permissions import Capability, Viewer
from ckhub.errors import Problem, forbidden
from ckhub.i18n_marker import N_
from ckhub.knowledge.models import EntryLink, KnowledgeEntry
from ckhub.knowledge.queries import visible_entry
from ckhub.search.filters import SearchFilters, entry_conditions

LINK_KINDS = {
    "related": N_("Related"),
    "duplicate": N_("Duplicate"),
    "follow_up": N_("Follow-up"),
}


@dataclass(frozen=True)
class LinkedEntry:
    entry: KnowledgeEntry
    kind: str
    outgoing: bool  # True: this entry links to the other ("duplicate of", "follow-up of")


def link_entries(
    session: Session, viewer: Viewer, from_id: int, to_id: int, kind: str = "related"
) -> None:
    """Link two entries the viewer can see (a second link between them replaces the first)."""
    if not viewer.can(Capability.WRITE_KNOWLEDGE):
        raise forbidden()
    if kind not in LINK_KINDS:
        raise Problem(
            "invalid-link",
            "Unknown kind of link “{kind}”; use one of: {kinds}.",
            422,
            kind=kind,
            kinds=", ".join(LINK_KINDS),
        )
    if from_id == to_id:
        raise Problem("invalid-link", "An entry cannot be linked to itself.", 422)
    visible_entry(session, viewer, from_id)
    visible_entry(session, viewer, to_id)
    _delete_between(session, from_id, to_id)
    session.add(EntryLink(from_entry_id=from_id, to_entry_id=to_id, kind=kind))
    audit.record(session, viewer, "entry.linked", "knowledge_entry", from_id, to=to_id, kind=kind)
    session.commit()


def unlink_entries(session: Session, viewer: Viewer, entry_id: int, other_id: int) -> None:
    if not viewer.can(Capability.WRITE_KNOWLEDGE):
        raise forbidden()
    visible_entry(session, viewer, entry_id)
    visible_entry(session, viewer, other_id)
    _delete_between(session, entry_id, other_id)
    audit.record(session, viewer, "entry.unlinked", "knowledge_entry", entry_id, to=other_id)
    session.commit()


def _delete_between(session: Session, one: int, other: int) -> None:
    session.execute(
        delete(EntryLink).where(
            or_(
                (EntryLink.from_entry_id == one) & (EntryLink.to_entry_id == other),
                (EntryLink.from_entry_id == other) & (EntryLink.to_entry_id == one),
            )
        )
    )


def linked_entries(session: Session, viewer: Viewer, entry_id: int) -> list[LinkedEntry]:
    """Entries linked to or from `entry_id` that the viewer may see."""
    links = session.scalars(
        select(EntryLink).where(
            or_(EntryLink.from_entry_id == entry_id, EntryLink.to_entry_id == entry_id)
        )
    ).all()
    other_of = {
        (link.to_entry_id if link.from_entry_id == entry_id else link.from_entry_id): link
        for link in links
    }
    visible = session.scalars(
        select(KnowledgeEntry).where(
            KnowledgeEntry.id.in_(other_of), entry_conditions(viewer, SearchFilters())
        )
    ).all()
    return [
        LinkedEntry(entry, other_of[entry.id].kind, other_of[entry.id].from_entry_id == entry_id)
        for entry in sorted(visible, key=lambda e: e.occurred_at, reverse=True)
    ]
