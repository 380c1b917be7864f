"""Reading any table-like file as numbered rows of {column: text}, one row at a time.

CSV/TSV (delimiter sniffed), XLSX (first sheet), JSON lines or arrays (nested keys flattened to
`a.b`). Row numbers are what a spreadsheet shows (the header is row 1); a JSON record's number is
its position. Broken rows come out as RowError and reading goes on.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ckhub.knowledge.connectors.base import RowError
from ckhub.knowledge.connectors.csv_records import CsvRecord, read_records, sniff_delimiter
from ckhub.knowledge.connectors.encoding import open_text
from ckhub.knowledge.connectors.jsonstream import JsonRecordError, iter_records

# A field this large is almost always an unclosed quote that swallowed the rest of the file.
MAX_FIELD_BYTES = 5 * 1024 * 1024
csv.field_size_limit(MAX_FIELD_BYTES)
TABLE_KINDS = ("csv", "tsv", "xlsx", "json", "jsonl")

Row = dict[str, str]


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, Row | RowError]]


@contextmanager
def open_table(path: Path, kind: str) -> Iterator[Table]:
    if kind == "xlsx":
        with _xlsx(path) as table:
            yield table
    elif kind in ("json", "jsonl"):
        with open_text(path) as text:
            yield _json(text)
    else:
        with open_text(path) as text:
            sample = text.read(64 * 1024)
            text.seek(0)
            delimiter = "\t" if kind == "tsv" else sniff_delimiter(sample)
            records = read_records(text, delimiter)
            first = next(records, None)
            header = [cell.strip() for cell in first.cells] if first else []
            yield Table(header, _delimited_rows(records, header))


def _delimited_rows(
    records: Iterator[CsvRecord], header: list[str]
) -> Iterator[tuple[int, Row | RowError]]:
    number = 1
    for record in records:
        number += 1
        cells = record.cells
        if record.error:  # unreadable, or a quote never closed: the rows after it still count
            yield number, RowError(number, "", record.error)
            continue
        if not any(cell.strip() for cell in cells):
            continue
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
        yield number, dict(zip(header, cells, strict=True))


@contextmanager
def _xlsx(path: Path) -> Iterator[Table]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = [str(cell).strip() if cell is not None else "" for cell in next(rows, ())]

        def numbered() -> Iterator[tuple[int, Row | RowError]]:
            for number, values in enumerate(rows, 2):
                cells = ["" if v is None else cell_text(v) for v in values][: len(header)]
                if any(cells):
                    cells += [""] * (len(header) - len(cells))
                    yield number, dict(zip(header, cells, strict=True))

        yield Table(header, numbered())
    finally:
        workbook.close()


def _json(text: Any) -> Table:
    records = enumerate(iter_records(text), 1)
    first: list[tuple[int, Row | RowError]] = []
    header: list[str] = []
    for number, record in records:  # the first object's keys stand in for a header
        row = _json_row(number, record)
        first.append((number, row))
        if isinstance(row, dict):
            header = list(row)
            break

    def numbered() -> Iterator[tuple[int, Row | RowError]]:
        yield from first
        for number, record in records:
            yield number, _json_row(number, record)

    return Table(header, numbered())


def _json_row(number: int, record: Any) -> Row | RowError:
    if isinstance(record, JsonRecordError):
        return RowError(number, "", str(record))
    if not isinstance(record, dict):
        return RowError(number, "", "a record is not a JSON object")
    return flatten(record)


def flatten(record: Any, prefix: str = "") -> Row:
    """{"a": {"b": 1}, "tags": ["x", "y"]} → {"a.b": "1", "tags": "x,y"}: mappable as columns."""
    flat: Row = {}
    if isinstance(record, dict):
        for key, value in record.items():
            name = f"{prefix}{key}"
            if isinstance(value, dict):
                flat.update(flatten(value, f"{name}."))
            elif isinstance(value, list):
                flat[name] = ",".join(str(item) for item in value if not isinstance(item, dict))
            elif value is not None:
                flat[name] = str(value)
    return flat


def cell_text(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # ids typed as numbers: 4711.0 -> 4711
    return str(value)


def preview_rows(path: Path, kind: str, limit: int = 5) -> tuple[list[str], list[list[str]]]:
    """The header and the first good rows, for the mapping step."""
    with open_table(path, kind) as table:
        rows: list[list[str]] = []
        for _, row in table.rows:
            if isinstance(row, dict):
                rows.append([row.get(column, "") for column in table.header])
            if len(rows) >= limit:
                break
        return table.header, rows
