"""Which text encoding a file uses, decided from its first bytes.

Files from Chinese offices come as UTF-8 (with or without a BOM), GBK/GB18030 (Excel's "CSV"
on Chinese Windows) or UTF-16 (Excel's "Unicode text"). A byte-order mark decides; otherwise a
strict UTF-8 decode of the sample, then a strict GB18030 decode, then charset-normalizer's guess.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from charset_normalizer import from_bytes

SAMPLE_BYTES = 256 * 1024
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decodes(sample: bytes, encoding: str, complete: bool) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        decoder.decode(sample, final=complete)  # a sample may end inside a character
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: Path) -> str:
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
        complete = not handle.read(1)
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return encoding
    if _decodes(sample, "utf-8", complete):
        return "utf-8"
    if _decodes(sample, "gb18030", complete):
        return "gb18030"
    guess = from_bytes(sample).best()
    return guess.encoding if guess is not None else "latin-1"


@contextmanager
def open_text(path: Path, encoding: str | None = None) -> Iterator[TextIO]:
    """The file as text in its detected encoding. Bytes that do not decode later in the file
    become U+FFFD instead of aborting the import; rows holding one are flagged by the caller."""
    chosen = encoding or detect_encoding(path)
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=chosen, errors="replace", newline="")
        try:
            yield text
        finally:
            text.detach()
