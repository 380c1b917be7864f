"""Importing usage events and recomputing customer signals."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Capability, Viewer
from ckhub.errors import Problem, forbidden
from ckhub.knowledge.connectors.base import RowError
from ckhub.knowledge.connectors.tables import TABLE_KINDS, open_table
from ckhub.knowledge.connectors.times import parse_time
from ckhub.knowledge.customers import CustomerRef, match_customer
from ckhub.timeutil import utcnow
from ckhub.usage.models import CustomerSignal, UsageEvent
from ckhub.usage.signals import ADOPTION_DAYS, BASELINE_WEEKS, SPIKE_DAYS, compute_signals, is_error

# Column names for each field of an event, as exports name them (lower-case).
USAGE_COLUMNS = {
    "customer": ("customer_id", "account_id", "tenant_id", "user_id", "客户编号", "客户id", "客户"),
    "customer_email": ("email", "customer_email", "邮箱"),
    "event": ("event", "event_name", "action", "name", "事件", "行为"),
    "occurred_at": ("occurred_at", "time", "timestamp", "date", "datetime", "时间", "发生时间"),
    "event_id": ("event_id", "id", "uuid", "事件id"),
}
BATCH = 1000


@dataclass
class UsageReport:
    rows: int = 0
    stored: int = 0
    duplicate: int = 0
    failed: int = 0
    customers: int = 0
    errors: list[RowError] = field(default_factory=list)


def _columns(header: list[str], given: dict[str, str]) -> dict[str, str]:
    lowered = {column.lower(): column for column in header}
    chosen = dict(given)
    for name, synonyms in USAGE_COLUMNS.items():
        match = next((lowered[synonym] for synonym in synonyms if synonym in lowered), None)
        if name not in chosen and match is not None and match not in chosen.values():
            chosen[name] = match
    missing = [name for name in ("event", "occurred_at") if name not in chosen]
    if missing or ("customer" not in chosen and "customer_email" not in chosen):
        raise Problem(
            "usage-columns",
            "A usage file needs a customer, an event and a time column; found: {columns}.",
            422,
            columns=", ".join(header),
        )
    return chosen


def import_usage(
    session: Session,
    viewer: Viewer,
    kind: str,
    path: Path,
    source: str,
    timezone: str,
    mapping: dict[str, str] | None = None,
    progress: Callable[[int], None] = lambda done: None,
) -> UsageReport:
    """Store usage events (idempotent per event), then recompute the customers' signals."""
    if not viewer.can(Capability.WRITE_KNOWLEDGE):
        raise forbidden()
    if kind not in TABLE_KINDS:
        raise Problem(
            "unknown-import-kind",
            "Unknown import kind “{kind}”; use one of: {kinds}.",
            422,
            kind=kind,
            kinds=", ".join(TABLE_KINDS),
        )
    report = UsageReport()
    touched: set[int] = set()
    customers: dict[str, int | None] = {}
    with open_table(path, kind) as table:
        columns = _columns(table.header, mapping or {})
        used = set(columns.values())
        for number, row in table.rows:
            report.rows += 1
            if isinstance(row, RowError):
                _fail(report, row)
                continue
            parsed = _parse_row(session, number, row, columns, used, source, timezone, customers)
            if isinstance(parsed, RowError):
                _fail(report, parsed)
                continue
            if record_event(session, source=source, **parsed.__dict__) is None:
                report.duplicate += 1
                continue
            touched.add(parsed.customer_id)
            report.stored += 1
            if report.rows % BATCH == 0:
                session.commit()
                progress(report.rows)
    session.commit()
    report.customers = len(touched)
    recompute_signals(session, touched)
    return report


def _fail(report: UsageReport, error: RowError) -> None:
    report.failed += 1
    if len(report.errors) < 1000:
        report.errors.append(error)


@dataclass
class _ParsedEvent:
    customer_id: int
    event: str
    occurred_at: datetime
    properties: dict[str, Any]
    event_id: str


def _parse_row(
    session: Session,
    number: int,
    row: dict[str, str],
    columns: dict[str, str],
    used: set[str],
    source: str,
    timezone: str,
    customers: dict[str, int | None],
) -> _ParsedEvent | RowError:
    reference = row.get(columns.get("customer", ""), "").strip()
    email = row.get(columns.get("customer_email", ""), "").strip()
    key = f"{reference}|{email}"
    if key not in customers:
        found = match_customer(
            session, CustomerRef(source=source, external_id=reference, email=email)
        )
        if found is None and reference:
            found = match_customer(session, CustomerRef(external_id=reference))
        customers[key] = found.id if found else None
    customer_id = customers[key]
    if customer_id is None:
        return RowError(number, "customer", f"no customer “{reference or email}” (add it first)")
    event = row.get(columns["event"], "").strip()
    if not event:
        return RowError(number, "event", "the event name is empty")
    try:
        occurred = parse_time(row.get(columns["occurred_at"], ""), timezone)
    except ValueError as problem:
        return RowError(number, "occurred_at", str(problem))
    properties = {name: value for name, value in row.items() if name not in used and value != ""}
    given_id = row.get(columns.get("event_id", ""), "").strip()
    return _ParsedEvent(customer_id, event, occurred, properties, given_id)


def record_event(
    session: Session,
    customer_id: int,
    event: str,
    occurred_at: datetime,
    source: str,
    properties: dict[str, Any] | None = None,
    event_id: str = "",
) -> UsageEvent | None:
    """Store one event unless the same event was stored before (the caller commits).

    The source's event id identifies it when given; otherwise its content does.
    """
    properties = properties or {}
    identity = event_id or json.dumps(
        [customer_id, event, occurred_at.isoformat(), properties],
        sort_keys=True,
        ensure_ascii=False,
    )
    dedup = hashlib.sha256(f"{source}|{identity}".encode()).hexdigest()
    if session.scalar(select(UsageEvent.id).where(UsageEvent.dedup_key == dedup)):
        return None
    stored = UsageEvent(
        customer_id=customer_id,
        source=source,
        event=event[:128],
        occurred_at=occurred_at,
        properties=properties,
        dedup_key=dedup,
    )
    session.add(stored)
    session.flush()
    return stored


def recompute_signals(
    session: Session, customer_ids: Iterable[int] | None = None, now: datetime | None = None
) -> int:
    """Recompute the signals of these customers (all with usage when None). Returns how many."""
    now = now or utcnow()
    window = now - timedelta(days=max(ADOPTION_DAYS, SPIKE_DAYS + 7 * BASELINE_WEEKS))
    features = {
        event
        for event, props in session.execute(
            select(UsageEvent.event, UsageEvent.properties).where(UsageEvent.occurred_at >= window)
        )
        if not is_error(event, props)
    }
    query = select(
        UsageEvent.customer_id, UsageEvent.event, UsageEvent.occurred_at, UsageEvent.properties
    )
    if customer_ids is not None:
        ids = sorted(set(customer_ids))
        if not ids:
            return 0
        query = query.where(UsageEvent.customer_id.in_(ids))
    by_customer: dict[int, list[tuple[str, datetime, dict[str, Any]]]] = defaultdict(list)
    for customer_id, event, occurred, props in session.execute(query):
        by_customer[customer_id].append((event, occurred, props))
    for customer_id, events in by_customer.items():
        session.execute(delete(CustomerSignal).where(CustomerSignal.customer_id == customer_id))
        for signal in compute_signals(events, features, now):
            session.add(
                CustomerSignal(
                    customer_id=customer_id,
                    kind=signal.kind,
                    value=signal.value,
                    alert=signal.alert,
                    detail=signal.detail,
                    computed_at=now,
                )
            )
    session.commit()
    return len(by_customer)


def signals_of(session: Session, customer_id: int) -> dict[str, CustomerSignal]:
    rows = session.scalars(select(CustomerSignal).where(CustomerSignal.customer_id == customer_id))
    return {signal.kind: signal for signal in rows}
