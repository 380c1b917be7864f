"""Delimited text read record by record, each with the lines it came from.

A quote opened and never closed makes every later line part of one cell: Python's csv module
(like Excel) reads on to the end of the file and returns one record holding the rest of it,
without a word. Such a record is recognised here — it ran into the end of the file over several
lines, and its lines hold an odd number of quote characters, which a closed quote never leaves —
and reported as broken, and the lines after its first are read again as records of their own,
so one stray quote costs one row instead of the rest of the file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class CsvRecord:
    cells: list[str]
    first_line: int  # the file's lines, from 1; a quoted cell may span several
    last_line: int
    error: str = ""  # set when the record could not be read: its cells are then empty

    @property
    def lines(self) -> str:
        """Where it is, for messages: "line 7" or "lines 7–9"."""
        if self.last_line > self.first_line:
            return f"lines {self.first_line}–{self.last_line}"
        return f"line {self.first_line}"


UNCLOSED_QUOTE = "a quote opened here is never closed (the lines after it were read again)"


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
            if not error and _never_closed(taken, source.ended, quoting):
                yield CsvRecord([], line, line, UNCLOSED_QUOTE)  # where the quote opened
                pending, line = iter(taken[1:]), line + 1
                break
            yield CsvRecord(cells, line, last, error)
            line = last + 1


def _never_closed(taken: list[str], ended: bool, quoting: Quoting) -> bool:
    return (
        quoting != csv.QUOTE_NONE
        and ended
        and len(taken) > 1
        and sum(text.count('"') for text in taken) % 2 == 1
    )
