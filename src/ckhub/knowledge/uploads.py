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

KINDS_BY_SUFFIX = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".txt": "tsv",
    ".xlsx": "xlsx",
    ".json": "json",
    ".jsonl": "jsonl",
}
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
CHUNK = 1 << 20


@dataclass
class PendingUpload:
    token: str
    filename: str
    kind: str
    source: str
    channel: str
    visibility: str
    team: str
    uploaded_by: str

    def path(self, settings: Settings) -> Path:
        return _folder(settings) / f"{self.token}.{self.kind}"


def _folder(settings: Settings) -> Path:
    folder = settings.var_dir / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


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
    (_folder(settings) / f"{details.token}.json").write_text(json.dumps(asdict(details)), "utf-8")
    return details


def new_upload(filename: str, **details: str) -> PendingUpload:
    suffix = Path(filename).suffix.lower()
    if suffix not in KINDS_BY_SUFFIX:
        raise Problem(
            "unsupported-file",
            "ckhub imports .csv, .tsv, .txt, .xlsx, .json and .jsonl files here.",
            415,
        )
    return PendingUpload(
        token=secrets.token_hex(16),
        filename=Path(filename).name,
        kind=KINDS_BY_SUFFIX[suffix],
        **details,
    )


def load_upload(settings: Settings, token: str) -> PendingUpload:
    meta = _folder(settings) / f"{token}.json"
    if not _TOKEN.match(token) or not meta.exists():
        raise not_found(N_("Upload"))
    return PendingUpload(**json.loads(meta.read_text("utf-8")))
