"""Reads of usage signals for pages and filters."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.usage.models import CustomerSignal

SIGNAL_KINDS = ("adoption", "error_spike", "inactive")


def customers_with_alert(session: Session, kind: str) -> set[int]:
    """Customers whose `kind` signal currently needs attention."""
    rows = session.scalars(
        select(CustomerSignal.customer_id).where(
            CustomerSignal.kind == kind, CustomerSignal.alert.is_(True)
        )
    )
    return set(rows)


def alerts_by_customer(session: Session, customer_ids: list[int]) -> dict[int, list[str]]:
    rows = session.execute(
        select(CustomerSignal.customer_id, CustomerSignal.kind).where(
            CustomerSignal.customer_id.in_(customer_ids), CustomerSignal.alert.is_(True)
        )
    )
    found: dict[int, list[str]] = {}
    for customer_id, kind in rows:
        found.setdefault(customer_id, []).append(kind)
    return found
