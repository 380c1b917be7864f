"""Uploaded import files waiting for their mapping: stored in <var_dir>/imports under a random
token, with the upload's details beside them."""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import BinaryIO

from ckhub.errors import Problem, not_found
from ckhub.i18n_marker import N_
from ckhub.settings import Settings

# Table formats by file suffix (a .txt export is tab-separated more often than not).
TABLE_FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".txt": "tsv",
    ".xlsx": "xlsx",
    ".json": "json",
    ".jsonl": "jsonl",
}
# What a file may hold, chosen on the upload form, and the suffixes each accepts. "table" and
# "usage" are tables (their format comes from the suffix); the others are connectors' kinds.
UPLOAD_KINDS: dict[str, tuple[str, ...]] = {
    "table": tuple(TABLE_FORMATS),
    "zendesk": (".json",),
    "email": (".eml", ".mbox"),
    "transcript": (".txt", ".vtt", ".srt"),
    "meeting": (".md", ".markdown", ".txt"),
    "usage": tuple(TABLE_FORMATS),
}
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
CHUNK = 1 << 20


@dataclass
class PendingUpload:
    token: str
    filename: str
    kind: str  # a table format (csv, xlsx, …), a connector (zendesk, email, …) or "usage"
    source: str
    channel: str
    visibility: str
    team: str
    uploaded_by: str
    table_format: str = ""  # of a table: csv, tsv, xlsx, json or jsonl
    suffix: str = ""  # kept: transcripts are parsed by their suffix (.vtt, .srt, .txt)

    def path(self, settings: Settings) -> Path:
        return _folder(settings) / f"{self.token}{self.suffix or '.' + self.kind}"

    @property
    def needs_mapping(self) -> bool:
        """Tables of entries get the mapping step; other kinds know their fields."""
        return self.kind in TABLE_FORMATS.values()


def _folder(settings: Settings) -> Path:
    folder = settings.var_dir / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _details_path(settings: Settings, token: str) -> Path:
    # Not <token>.json: that is where an uploaded .json file itself is kept.
    return _folder(settings) / f"{token}.details.json"


def save_upload(settings: Settings, stream: BinaryIO, details: PendingUpload) -> PendingUpload:
    """Copy the upload to disk in chunks, refusing it past the size limit."""
    limit = settings.max_upload_mb * 1024 * 1024
    path = details.path(settings)
    written = 0
    with path.open("wb") as out:
        while chunk := stream.read(CHUNK):
            written += len(chunk)
            if written > limit:
                out.close()
                path.unlink(missing_ok=True)
                raise Problem(
                    "file-too-large",
                    "The file is larger than {mb} MB; import it with `ckhub import` instead.",
                    413,
                    mb=settings.max_upload_mb,
                )
            out.write(chunk)
    if written == 0:
        path.unlink(missing_ok=True)
        raise Problem("empty-file", "The file is empty.", 422)
    _details_path(settings, details.token).write_text(json.dumps(asdict(details)), "utf-8")
    return details


def new_upload(filename: str, upload_kind: str = "table", **details: str) -> PendingUpload:
    suffix = Path(filename).suffix.lower()
    accepted = UPLOAD_KINDS.get(upload_kind)
    if accepted is None:
        raise Problem("unknown-import-kind", "Unknown import kind “{kind}”.", 422, kind=upload_kind)
    if suffix not in accepted:
        raise Problem(
            "unsupported-file",
            "This kind of import takes {suffixes} files.",
            415,
            suffixes=", ".join(accepted),
        )
    table_format = TABLE_FORMATS.get(suffix, "") if upload_kind in ("table", "usage") else ""
    return PendingUpload(
        token=secrets.token_hex(16),
        filename=Path(filename).name,
        kind=table_format if upload_kind == "table" else upload_kind,
        table_format=table_format,
        suffix=suffix,
        **details,
    )


def load_upload(settings: Settings, token: str) -> PendingUpload:
    meta = _details_path(settings, token)
    if not _TOKEN.match(token) or not meta.exists():
        raise not_found(N_("Upload"))
    return PendingUpload(**json.loads(meta.read_text("utf-8")))
