"""CSV, TSV and XLSX files, with a column mapping."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from ckhub.knowledge.connectors.base import ImportOptions, RowError
from ckhub.knowledge.connectors.encoding import open_text
from ckhub.knowledge.connectors.mapping import ColumnMapping, build_mapping
from ckhub.knowledge.connectors.times import parse_time
from ckhub.knowledge.customers import CustomerRef
from ckhub.knowledge.inputs import EntryInput

# A field that swallowed this many lines is almost always an unclosed quote, not a comment.
MAX_FIELD_BYTES = 5 * 1024 * 1024
csv.field_size_limit(MAX_FIELD_BYTES)


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
    body = get("body")
    if "\ufffd" in body:
        body = body.replace("\ufffd", "?")  # bytes that did not decode: keep the rest of the text
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


class DelimitedConnector:
    """CSV (comma) or TSV (tab); the delimiter is sniffed when not given."""

    def __init__(self, kind: str = "csv", delimiter: str | None = None) -> None:
        self.kind = kind
        self.default_channel = "other"
        self.delimiter = delimiter

    def read(
        self, path: Path, options: ImportOptions
    ) -> Iterator[tuple[int, EntryInput | RowError]]:
        with open_text(path) as text:
            sample = text.read(64 * 1024)
            text.seek(0)
            delimiter = self.delimiter or _sniff(sample)
            reader = csv.reader(text, delimiter=delimiter)
            header = [cell.strip() for cell in next(reader, [])]
            mapping = build_mapping(header, options.mapping)
            yield from _rows(reader, header, mapping, options)


def _rows(
    reader: Iterator[list[str]], header: list[str], mapping: ColumnMapping, options: ImportOptions
) -> Iterator[tuple[int, EntryInput | RowError]]:
    number = 1  # the header is row 1, as a spreadsheet shows it
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield number, RowError(number, "", f"unreadable row: {error}")
            continue
        if not any(cell.strip() for cell in cells):
            continue  # blank line
        if len(cells) != len(header):
            yield (
                number,
                RowError(
                    number,
                    "",
                    f"expected {len(header)} columns, found {len(cells)}"
                    " (a stray delimiter or an unclosed quote?)",
                ),
            )
            continue
        yield number, row_to_entry(number, dict(zip(header, cells, strict=True)), mapping, options)


def _sniff(sample: str) -> str:
    first_line = sample.split("\n", 1)[0]
    return "\t" if first_line.count("\t") > first_line.count(",") else ","


class XlsxConnector:
    """The first worksheet of an Excel workbook, read row by row (openpyxl read-only mode)."""

    kind = "xlsx"
    default_channel = "other"

    def read(
        self, path: Path, options: ImportOptions
    ) -> Iterator[tuple[int, EntryInput | RowError]]:
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            rows = workbook.worksheets[0].iter_rows(values_only=True)
            header = [str(cell).strip() if cell is not None else "" for cell in next(rows, ())]
            mapping = build_mapping(header, options.mapping)
            for number, values in enumerate(rows, 2):
                cells = ["" if v is None else _cell_text(v) for v in values][: len(header)]
                if not any(cells):
                    continue
                cells += [""] * (len(header) - len(cells))
                row = dict(zip(header, cells, strict=True))
                yield number, row_to_entry(number, row, mapping, options)
        finally:
            workbook.close()


def _cell_text(value: object) -> str:
    from datetime import datetime

    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # ids typed as numbers: 4711.0 -> 4711
    return str(value)


def preview_rows(path: Path, kind: str, limit: int = 5) -> tuple[list[str], list[list[str]]]:
    """The header and the first rows of a table file, for the mapping step."""
    if kind == "xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            rows = workbook.worksheets[0].iter_rows(values_only=True, max_row=limit + 1)
            table = [["" if v is None else _cell_text(v) for v in row] for row in rows]
        finally:
            workbook.close()
    else:
        with open_text(path) as text:
            sample = text.read(64 * 1024)
            text.seek(0)
            delimiter = "\t" if kind == "tsv" else _sniff(sample)
            reader = csv.reader(text, delimiter=delimiter)
            table = [row for _, row in zip(range(limit + 1), reader, strict=False)]
    if not table:
        return [], []
    header = [cell.strip() for cell in table[0]]
    return header, [row + [""] * (len(header) - len(row)) for row in table[1:]]
