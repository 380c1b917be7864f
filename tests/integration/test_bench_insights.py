"""`ckhub bench insights` loads every insights page through the web app and times it."""

from __future__ import annotations

from pathlib import Path

from ckhub.bench.insights import WINDOWS, run_insights_bench


def test_every_insights_page_is_loaded_and_timed(tmp_path: Path) -> None:
    report = run_insights_bench(2, tmp_path, "")
    assert report["rollups"]["rebuilt"] is True  # brought up to date before the pages are timed
    results = report["results"]
    for window in WINDOWS:
        assert results[f"dashboard {window} counted"]["n"] == 3
        assert results[f"dashboard {window} kept"]["n"] == 2
    assert results["topic list"]["p50_ms"] > 0 and results["entries behind a point"]["n"] == 3
