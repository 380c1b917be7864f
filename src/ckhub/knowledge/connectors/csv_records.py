"""Delimited text read record by record, each with the lines it came from.

A quote opened and never closed makes every later line part of one cell: Python's csv module
(like Excel) reads on to the end of the file and returns one record holding the rest of it,
without a word. Such a record is recognised here — it ran into the end of the file over several
lines, and its lines hold an odd number of quote characters, which a closed quote never leaves —
and reported as broken, and the lines after its first are read again as records of their own,
so one stray quote costs one row instead of the rest of the file.

Two stray quotes pair up instead: the second closes the cell the first opened, and the rows
between them become one cell of one record. Such a record spans several lines and either has
another number of cells than the header or closes its quote in a way RFC 4180 does not allow
(a quote followed by more text, as in `说明书写着"防水"`; Python's csv only allows it in lenient
mode). It is reported the same way and its lines after the first are read again. A real cell over
several lines is closed by a quote that ends the cell and keeps the header's width, so it stays
whole; two stray quotes that happen to look like that (the second ending a cell) cannot be told
from one and stay undetected.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class CsvRecord:
    cells: list[str]
    first_line: int  # the file's lines, from 1; a quoted cell may span several
    last_line: int
    error: str = ""  # set when the record could not be read: its cells are then empty
    read_again: bool = False  # a stray quote: the lines after the first were read again

    @property
    def lines(self) -> str:
        """Where it is, for messages: "line 7" or "lines 7–9"."""
        if self.last_line > self.first_line:
            return f"lines {self.first_line}–{self.last_line}"
        return f"line {self.first_line}"


UNCLOSED_QUOTE = "a quote opened here is never closed (the lines after it were read again)"


def paired_quote(last_line: int) -> str:
    return (
        f"a quote opened here is closed only on line {last_line}, taking the rows between into"
        " one cell (a stray quote?); the lines after it were read again"
    )


class _KeptLines:
    """The lines the csv reader takes, kept until the record they make has been read."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self.taken: list[str] = []
        self.ended = False

    def __iter__(self) -> _KeptLines:
        return self

    def __next__(self) -> str:
        try:
            line = next(self._lines)
        except StopIteration:
            self.ended = True
            raise
        self.taken.append(line)
        return line

    @property
    def rest(self) -> Iterator[str]:
        """The lines not taken yet."""
        return self._lines

    def take(self) -> list[str]:
        taken, self.taken = self.taken, []
        return taken


Quoting = Literal[0, 1, 2, 3]  # csv.QUOTE_MINIMAL, …_ALL, …_NONNUMERIC, …_NONE


def sniff_delimiter(text: str) -> str:
    """Tab or comma, by which the first line holds more of."""
    first_line = text.split("\n", 1)[0]
    return "\t" if first_line.count("\t") > first_line.count(",") else ","


def read_records(
    lines: Iterable[str], delimiter: str = ",", quoting: Quoting = csv.QUOTE_MINIMAL
) -> Iterator[CsvRecord]:
    """Every record of the text, blank lines included (as records without cells)."""
    pending: Iterator[str] = iter(lines)
    line = 1
    width: int | None = None  # the header's: the first record with cells
    while True:
        source = _KeptLines(pending)
        reader = csv.reader(source, delimiter=delimiter, quoting=quoting)
        while True:
            try:
                cells, error = next(reader), ""
            except StopIteration:
                return
            except csv.Error as unreadable:  # e.g. a cell over csv's size limit
                cells, error = [], f"unreadable: {unreadable}"
            taken = source.take()
            last = line + max(len(taken), 1) - 1
            several = not error and len(taken) > 1 and quoting != csv.QUOTE_NONE
            if several and source.ended and _odd_quotes(taken):
                error = UNCLOSED_QUOTE
            elif several and width is not None and not _well_formed(taken, cells, width, delimiter):
                error = paired_quote(last)
            if several and error:  # report where the quote opened, read the lines after it again
                yield CsvRecord([], line, line, error, read_again=True)
                pending, line = itertools.chain(taken[1:], source.rest), line + 1
                break
            if width is None and cells:
                width = len(cells)
            yield CsvRecord(cells, line, last, error)
            line = last + 1


def _odd_quotes(taken: list[str]) -> bool:
    """A closed quote leaves an even number of quote characters; an open one an odd number."""
    return sum(text.count('"') for text in taken) % 2 == 1


def _well_formed(taken: list[str], cells: list[str], width: int, delimiter: str) -> bool:
    """The header's width, and every quote as RFC 4180 has it: a closing quote ends its cell."""
    if len(cells) != width:
        return False
    try:
        next(csv.reader(taken, delimiter=delimiter, strict=True))
    except csv.Error:
        return False
    return True
