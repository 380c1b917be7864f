"""What every connector produces: numbered rows that are entries or errors."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ckhub.knowledge.inputs import EntryInput


@dataclass(frozen=True)
class RowError:
    """Why one row of a file could not become an entry (row numbers count from 1)."""

    row: int
    field: str
    reason: str


@dataclass
class ImportOptions:
    source: str  # e.g. "zendesk", "crm-export", "weibo"
    channel: str = ""  # default channel when the file has none
    mapping: dict[str, list[str]] = field(default_factory=dict)
    timezone: str = "Asia/Shanghai"  # for times without a zone
    visibility: str = "internal"
    team: str = ""


class Connector(Protocol):
    kind: str
    default_channel: str

    def read(
        self, path: Path, options: ImportOptions
    ) -> Iterator[tuple[int, EntryInput | RowError]]:
        """Rows one at a time (never the whole file at once), each an entry or an error."""
