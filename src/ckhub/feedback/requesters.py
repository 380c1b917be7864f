"""Requesters: every customer linked to an item through a source, with the words they used,
and the item's impact — the requesters weighted by their tier."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.feedback.models import FeedbackItem, FeedbackSource
from ckhub.knowledge.customers import Reachable, reachable_customers
from ckhub.settings import Settings


@dataclass(frozen=True)
class Requester:
    customer: Reachable
    quotes: list[FeedbackSource]  # their words, oldest first

    @property
    def language(self) -> str:
        """The language they wrote in (their first words), for the message they get."""
        return self.quotes[0].language if self.quotes else "zh"

    @property
    def words(self) -> str:
        return next((source.quote for source in self.quotes if source.quote.strip()), "")


def requesters_of(session: Session, item_id: int) -> list[Requester]:
    """The item's requesters, the most recent last; customers deleted since are left out."""
    sources = session.scalars(
        select(FeedbackSource)
        .where(FeedbackSource.item_id == item_id, FeedbackSource.customer_id.is_not(None))
        .order_by(FeedbackSource.created_at, FeedbackSource.id)
    ).all()
    customers = reachable_customers(session, {source.customer_id or 0 for source in sources})
    by_customer: dict[int, list[FeedbackSource]] = {}
    for source in sources:
        if source.customer_id in customers:
            by_customer.setdefault(source.customer_id, []).append(source)
    return [Requester(customers[cid], quotes) for cid, quotes in by_customer.items()]


def impact_of(requesters: list[Requester], untiered_weight: float) -> float:
    return round(
        sum(
            untiered_weight if r.customer.tier_weight is None else r.customer.tier_weight
            for r in requesters
        ),
        3,
    )


def refresh_impact(session: Session, settings: Settings, item: FeedbackItem) -> None:
    """Recount requesters and impact after sources moved (no commit)."""
    session.flush()
    requesters = requesters_of(session, item.id)
    item.requester_count = len(requesters)
    item.impact = impact_of(requesters, settings.feedback_untiered_weight)
