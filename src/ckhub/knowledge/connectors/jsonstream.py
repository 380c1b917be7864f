"""Reading JSON records one at a time: JSON lines, a top-level array, or an array under a key
(`{"tickets": [...]}`), without loading the whole file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

CHUNK = 1 << 16
_decoder = json.JSONDecoder()


class JsonRecordError(ValueError):
    """A record that is not valid JSON; reading goes on with the next line or element."""


def iter_records(text: TextIO, array_key: str | None = None) -> Iterator[Any]:
    """Records of a JSON-lines file, a JSON array, or the array under `array_key` of an object.

    A record that does not parse is yielded as a JsonRecordError (JSON lines only: inside an
    array a syntax error makes the rest unreadable, and the error says so).
    """
    head = text.read(CHUNK)
    stripped = head.lstrip("\ufeff \t\r\n")
    if stripped.startswith("[") or (stripped.startswith("{") and _is_wrapper(stripped, array_key)):
        yield from _array_elements(text, head, array_key)
        return
    buffer = head
    while True:
        newline = buffer.find("\n")
        if newline < 0:
            more = text.read(CHUNK)
            if more:
                buffer += more
                continue
            line, buffer = buffer, ""
        else:
            line, buffer = buffer[:newline], buffer[newline + 1 :]
        if line.strip():
            try:
                yield json.loads(line)
            except json.JSONDecodeError as error:
                yield JsonRecordError(f"not valid JSON ({error.msg} at column {error.colno})")
        if not buffer and newline < 0:
            return


def _is_wrapper(start: str, key: str | None) -> bool:
    return key is not None and f'"{key}"' in start[:CHUNK]


def _array_elements(text: TextIO, buffer: str, key: str | None) -> Iterator[Any]:
    position = (
        buffer.find(f'"{key}"') if key and buffer.lstrip("\ufeff \t\r\n").startswith("{") else 0
    )
    position = buffer.index("[", max(position, 0)) + 1
    while True:
        # Skip separators; refill when the next element may be cut off.
        while True:
            while position < len(buffer) and buffer[position] in " \t\r\n,":
                position += 1
            if position < len(buffer):
                break
            more = text.read(CHUNK)
            if not more:
                return
            buffer, position = buffer[position:] + more, 0
        if buffer[position] == "]":
            return
        while True:
            try:
                record, end = _decoder.raw_decode(buffer, position)
                break
            except json.JSONDecodeError as error:
                more = text.read(CHUNK)
                if not more:
                    yield JsonRecordError(
                        f"not valid JSON ({error.msg}); the rest of the array cannot be read"
                    )
                    return
                buffer, position = buffer[position:] + more, 0
        yield record
        buffer, position = buffer[end:], 0
