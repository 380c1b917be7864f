"""What one entry to ingest looks like, whatever connector or API call it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ckhub.knowledge.customers import CustomerRef


@dataclass
class EntryInput:
    channel: str
    source: str
    body: str
    source_id: str = ""  # empty: the content hash is used, so a re-import still matches
    title: str = ""
    occurred_at: datetime | None = None
    customer: CustomerRef = field(default_factory=CustomerRef)
    product_line: str = ""  # key or name; empty: tagged automatically
    issue_type: str = ""
    tags: tuple[str, ...] = ()
    visibility: str = "internal"
    team: str = ""  # team name, for visibility "team"
    language: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class RowOutcome:
    """What happened to one input: created, updated, unchanged or failed (with the reason)."""

    status: str
    entry_id: int | None = None
    error: str = ""
    field: str = ""
