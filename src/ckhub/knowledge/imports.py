"""Importing a file: a connector reads it row by row, batches go through the ingest pipeline.

Every row ends up counted as created, updated, unchanged, duplicate or failed; failures keep
their row number, field and reason. A bad row never stops the good ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ckhub.auth.permissions import Viewer
from ckhub.errors import Problem
from ckhub.knowledge.connectors.base import Connector, ImportOptions, RowError
from ckhub.knowledge.connectors.documents import MeetingNotesConnector, TranscriptConnector
from ckhub.knowledge.connectors.email import EmailConnector
from ckhub.knowledge.connectors.jsonfiles import ZendeskConnector
from ckhub.knowledge.connectors.tables import TABLE_KINDS
from ckhub.knowledge.connectors.tabular import TableConnector
from ckhub.knowledge.inputs import EntryInput
from ckhub.knowledge.service import ingest_entries
from ckhub.ml.embedders import Embedder

BATCH = 200
MAX_REPORTED_ERRORS = 1000

CONNECTORS: dict[str, Connector] = {
    **{kind: TableConnector(kind) for kind in TABLE_KINDS},
    "zendesk": ZendeskConnector(),
    "email": EmailConnector(),
    "transcript": TranscriptConnector(),
    "meeting": MeetingNotesConnector(),
}


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate: int = 0
    failed: int = 0
    errors: list[RowError] = field(default_factory=list)

    def add_error(self, error: RowError) -> None:
        self.failed += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(error)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "errors": [asdict(error) for error in self.errors]}


def connector_for(kind: str) -> Connector:
    if kind not in CONNECTORS:
        raise Problem(
            "unknown-import-kind",
            "Unknown import kind “{kind}”; use one of: {kinds}.",
            422,
            kind=kind,
            kinds=", ".join(sorted(CONNECTORS)),
        )
    return CONNECTORS[kind]


def estimate_rows(path: Path) -> int:
    """Lines in the file (an upper bound for delimited files), for progress bars."""
    if path.is_dir():
        return sum(1 for item in path.rglob("*") if item.is_file())
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True)
        try:
            return max((workbook.worksheets[0].max_row or 1) - 1, 0)
        finally:
            workbook.close()
    lines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
    return max(lines - 1, 0)


def import_file(
    session: Session,
    viewer: Viewer,
    embedder: Embedder,
    kind: str,
    path: Path,
    options: ImportOptions,
    progress: Callable[[int, int], None] = lambda done, total: None,
    job_id: int | None = None,
) -> ImportReport:
    connector = connector_for(kind)
    options.channel = options.channel or connector.default_channel
    total = estimate_rows(path)
    report = ImportReport()
    pending: list[tuple[int, EntryInput]] = []

    def flush() -> None:
        # Vectors come afterwards (knowledge/embedding.py): the import is searchable by words
        # as soon as it finishes instead of waiting for the embedder.
        outcomes = ingest_entries(
            session,
            viewer,
            [entry for _, entry in pending],
            embedder,
            import_job_id=job_id,
            embed=False,
        )
        for (number, _), outcome in zip(pending, outcomes, strict=True):
            if outcome.status == "failed":
                report.add_error(RowError(number, outcome.field, outcome.error))
            else:
                setattr(report, outcome.status, getattr(report, outcome.status) + 1)
        pending.clear()
        progress(report.rows, max(total, report.rows))

    for number, item in connector.read(path, options):
        report.rows += 1
        if isinstance(item, RowError):
            report.add_error(item)
        else:
            pending.append((number, item))
        if len(pending) >= BATCH:
            flush()
    if pending:
        flush()
    report.errors.sort(key=lambda error: error.row)  # reading and storing report separately
    progress(report.rows, report.rows)
    return report
