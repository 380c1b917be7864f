"""Reading the labelled files the benches measure on, saying what is wrong and where.

A bench must not quietly measure on part of a file: every row it leaves out is named with its
line (`problems`, printed by `ckhub bench` on stderr and counted as `skipped` in the JSON), and a
file it cannot measure at all (empty, without the needed columns, no usable row) is refused
with the reason. Files are read in whatever encoding the importer reads (UTF-8 with or without
BOM, GBK/GB18030 from Excel, …).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from ckhub.knowledge.connectors.csv_records import (
    CsvRecord,
    read_records,
    sniff_delimiter,
)
from ckhub.knowledge.connectors.encoding import detect_encoding, open_text

Record = TypeVar("Record")
# Other names public data sets give these columns (waimai_10k and ChnSentiCorp: label,review;
# Kaggle's IMDB: review,sentiment; SST-2: sentence<TAB>label): a column is found by its own name
# first, then by exactly one of these.
COLUMN_NAMES = {
    "text": ("review", "sentence", "content", "comment", "document", "评论", "内容", "文本"),
    "label": ("sentiment", "polarity", "class", "category", "标签", "情感", "极性", "类别"),
}
SHOWN_PROBLEMS = 20  # on stderr; the JSON counts them all
# What a byte sequence that does not decode becomes (the importer's reading, open_text): such a
# row is left out rather than measured on garbled text.
UNDECODED = "\ufffd"


class BenchFileError(ValueError):
    """The file cannot be measured at all."""


@dataclass
class Labelled(Generic[Record]):
    records: list[Record] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "line 7: …", in file order


def _undecoded(encoding: str) -> str:
    return f"bytes that are not {encoding} (the rest of the file is)"


def _label_of(raw: str, labels: Mapping[str, str] | None) -> str | None:
    if labels is None:
        return raw.strip() or None
    return labels.get(raw.strip().lower())


def _expected(labels: Mapping[str, str] | None) -> str:
    return "a label" if labels is None else "one of " + "/".join(labels)


def read_text_labels(
    path: Path, labels: Mapping[str, str] | None = None
) -> Labelled[tuple[str, ...]]:
    """(text, label) rows of a CSV with `text` and `label` columns."""
    return read_labelled_rows(path, ("text",), labels)


def read_labelled_rows(
    path: Path,
    texts: tuple[str, ...],
    labels: Mapping[str, str] | None = None,
    *,
    tab_separated: bool = False,
) -> Labelled[tuple[str, ...]]:
    """(*texts, label) rows. A CSV names its columns in a header (any order and case, or
    another common name: COLUMN_NAMES; more columns are ignored); so may a tab-separated file,
    found by a header with more tabs than commas (as imports tell). With `tab_separated` the
    file has no header, its columns in that order. Quotes are plain characters in tab-separated
    files (as in LCQMC and SST-2). With `labels`, a label is looked up there (lower-cased) and a
    row with another label is a problem."""
    wanted = (*texts, "label")
    found: Labelled[tuple[str, ...]] = Labelled()
    encoding = detect_encoding(path)
    with open_text(path, encoding) as handle:
        first_line = handle.readline()
        handle.seek(0)
        tabs = tab_separated or sniff_delimiter(first_line) == "\t"
        records = read_records(handle, "\t", csv.QUOTE_NONE) if tabs else read_records(handle)
        positions = list(range(len(wanted))) if tab_separated else _positions(path, records, wanted)
        for record in records:
            where, cells = record.lines, record.cells
            if record.read_again:  # a stray quote: the lines after it were read again
                found.problems.append(f"{where}: {record.error}")
                continue
            if record.error:  # e.g. over csv's cell size limit: unsafe to go on
                found.problems.append(f"{where}: {record.error}; the rest of the file was not read")
                break
            if not cells:  # a blank line
                continue
            *values, raw_label = [cells[at] if at < len(cells) else None for at in positions]
            label = None if raw_label is None else _label_of(raw_label, labels)
            empty = [
                name for name, value in zip(texts, values, strict=True) if not (value or "").strip()
            ]
            if any(UNDECODED in cell for cell in cells):
                found.problems.append(f"{where}: {_undecoded(encoding)}")
            elif raw_label is None:
                found.problems.append(f"{where}: no label column in this row")
            elif empty:
                found.problems.append(f"{where}: no {' or '.join(empty)}")
            elif label is None:
                found.problems.append(
                    f"{where}: label {raw_label.strip()!r} is not {_expected(labels)}"
                )
            else:
                found.records.append((*(value or "" for value in values), label))
    return _measurable(path, found)


def _positions(path: Path, records: Iterator[CsvRecord], wanted: tuple[str, ...]) -> list[int]:
    """Where the wanted columns are, from the header line."""
    first = next(records, None)
    header = first.cells if first is not None else None
    if not header:
        raise BenchFileError(f"{path.name} is empty: expected a header line {','.join(wanted)}.")
    names = [cell.strip().lower() for cell in header]
    positions = [_column(names, column) for column in wanted]
    missing = [column for column, at in zip(wanted, positions, strict=True) if at is None]
    if missing:
        others = [f"{column} ({'/'.join(COLUMN_NAMES[column])})" for column in missing
                  if column in COLUMN_NAMES]  # fmt: skip
        also = f"; also read as such: {', '.join(others)}" if others else ""
        raise BenchFileError(
            f"{path.name}: needs the columns {', '.join(wanted[:-1])} and label; its header is "
            f"{','.join(header)}{also}."
        )
    return [at for at in positions if at is not None]


def _column(names: list[str], column: str) -> int | None:
    """Where a column is: by its own name, else by the one other common name present."""
    if column in names:
        return names.index(column)
    present = [names.index(name) for name in COLUMN_NAMES.get(column, ()) if name in names]
    return present[0] if len(present) == 1 else None


def read_absa(path: Path, labels: Mapping[str, str]) -> Labelled[tuple[str, str, str]]:
    """(sentence with $T$, aspect, label) records of the 3-line ABSA format. Blank lines between
    records are allowed; a line out of step is named and reading resumes at the next `$T$`."""
    encoding = detect_encoding(path)
    lines = path.read_text(encoding=encoding, errors="replace").splitlines()
    found: Labelled[tuple[str, str, str]] = Labelled()
    at = 0
    while at < len(lines):
        if not lines[at].strip():
            at += 1
            continue
        if "$T$" not in lines[at]:
            found.problems.append(f"line {at + 1}: expected a sentence with $T$ in it")
            at += 1
            continue
        if at + 2 >= len(lines):
            found.problems.append(f"line {at + 1}: the file ends before its aspect and label")
            break
        template, aspect, raw_label = lines[at : at + 3]
        label = labels.get(raw_label.strip().lower())
        if any(UNDECODED in line for line in lines[at : at + 3]):
            found.problems.append(f"lines {at + 1}–{at + 3}: {_undecoded(encoding)}")
        elif not aspect.strip():
            found.problems.append(f"line {at + 2}: no aspect")
        elif label is None:
            found.problems.append(
                f"line {at + 3}: label {raw_label.strip()!r} is not {_expected(labels)}"
            )
        else:
            found.records.append((template.strip(), aspect.strip(), label))
        at += 3
    return _measurable(path, found)


def _measurable(path: Path, found: Labelled[Record]) -> Labelled[Record]:
    if not found.records:
        why = f" ({found.problems[0]})" if found.problems else ""
        raise BenchFileError(f"{path.name}: no row to measure on{why}.")
    return found
