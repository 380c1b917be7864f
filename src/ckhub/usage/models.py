"""Tables of product usage: raw events and the signals derived per customer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ckhub.db.base import Base, CreatedAtMixin
from ckhub.timeutil import utcnow


class UsageEvent(CreatedAtMixin, Base):
    """One product-usage event of one customer (a feature used, an error seen, a sign-in…)."""

    __tablename__ = "usage_events"
    __table_args__ = (Index("ix_usage_events_customer_time", "customer_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(64))
    event: Mapped[str] = mapped_column(String(128), index=True)
    occurred_at: Mapped[datetime]
    properties: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Identifies the event across re-imports (the source's event id, or a hash of its content).
    dedup_key: Mapped[str] = mapped_column(String(64), unique=True)


class CustomerSignal(Base):
    """A signal about one customer derived from usage (adoption, error spike, inactivity)."""

    __tablename__ = "customer_signals"

    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)
    # The number behind the signal: adoption share, error count this week, days inactive.
    value: Mapped[float]
    # Whether the signal needs attention (a spike, an inactive customer); adoption is informative.
    alert: Mapped[bool] = mapped_column(default=False, index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
