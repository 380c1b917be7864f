"""Table-like files (CSV, TSV, XLSX, JSON, JSON lines) with a column mapping."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ckhub.knowledge.connectors.base import ImportOptions, RowError
from ckhub.knowledge.connectors.mapping import ColumnMapping, build_mapping
from ckhub.knowledge.connectors.tables import open_table
from ckhub.knowledge.connectors.times import parse_time
from ckhub.knowledge.customers import CustomerRef
from ckhub.knowledge.inputs import EntryInput


def row_to_entry(
    number: int, row: dict[str, str], mapping: ColumnMapping, options: ImportOptions
) -> EntryInput | RowError:
    """One mapped row as an entry, or the first thing wrong with it."""

    def get(name: str) -> str:
        return mapping.value(row, name)

    occurred = None
    if get("occurred_at"):
        try:
            occurred = parse_time(get("occurred_at"), options.timezone)
        except ValueError as problem:
            return RowError(number, "occurred_at", str(problem))
    body = get("body").replace("\ufffd", "?")  # bytes that did not decode: keep the rest
    tags = tuple(tag.strip() for tag in get("tags").replace("，", ",").split(",") if tag.strip())
    return EntryInput(
        channel=get("channel") or options.channel,
        source=options.source,
        source_id=get("source_id"),
        title=get("title"),
        body=body,
        occurred_at=occurred,
        customer=CustomerRef(
            source=options.source,
            external_id=get("customer_external_id"),
            email=get("customer_email"),
            phone=get("customer_phone"),
            name=get("customer_name"),
        ),
        product_line=get("product_line"),
        issue_type=get("issue_type"),
        tags=tags,
        visibility=get("visibility") or options.visibility,
        team=get("team") or options.team,
        language=get("language") or None,
    )


class TableConnector:
    """Any table-like file; columns map to entry fields (`--map`, or guessed from the header)."""

    default_channel = "other"

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def read(
        self, path: Path, options: ImportOptions
    ) -> Iterator[tuple[int, EntryInput | RowError]]:
        with open_table(path, self.kind) as table:
            mapping = build_mapping(table.header, options.mapping)
            for number, row in table.rows:
                if isinstance(row, RowError):
                    yield number, row
                else:
                    yield number, row_to_entry(number, row, mapping, options)
