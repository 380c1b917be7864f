"""Usage signals: adoption, error spikes against the customer's own baseline, inactivity."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ckhub.usage.signals import compute_signals, is_error, poisson_tail

NOW = datetime(2026, 11, 1, tzinfo=UTC)
FEATURES = {"export", "report", "share", "login"}


def _days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def _signals(events):  # type: ignore[no-untyped-def]
    return {s.kind: s for s in compute_signals(events, FEATURES, NOW)}


def test_adoption_counts_features_used_in_30_days() -> None:
    events = [
        ("export", _days_ago(1), {}),
        ("report", _days_ago(5), {}),
        ("share", _days_ago(45), {}),
        ("export_error", _days_ago(2), {}),
    ]
    adoption = _signals(events)["adoption"]
    assert adoption.value == 0.5
    assert adoption.detail["used"] == ["export", "report"]


def test_a_sudden_burst_of_errors_is_a_spike() -> None:
    usual = [("sync_error", _days_ago(8 + 7 * week), {}) for week in range(8)]  # 1 a week
    burst = [("sync_error", _days_ago(day / 3), {}) for day in range(9)]
    spike = _signals(usual + burst)["error_spike"]
    assert spike.value == 9
    assert spike.alert
    assert spike.detail["p_value"] < 0.01


def test_many_errors_as_usual_are_not_a_spike() -> None:
    usual = [("api_timeout", _days_ago(8 + day), {}) for day in range(56) for _ in range(2)]
    this_week = [
        ("api_timeout", _days_ago(day / 2), {}) for day in range(14)
    ]  # 14 a week, as always
    assert not _signals(usual + this_week)["error_spike"].alert


def test_inactivity_after_two_silent_weeks() -> None:
    assert _signals([("login", _days_ago(20), {})])["inactive"].alert
    assert not _signals([("login", _days_ago(3), {})])["inactive"].alert


def test_error_detection_and_poisson_tail() -> None:
    assert is_error("导出失败", {})
    assert is_error("page_view", {"level": "error"})
    assert not is_error("export", {})
    assert abs(poisson_tail(1, 1.0) - (1 - 2.718281828**-1)) < 1e-9
    assert poisson_tail(0, 3.0) == 1.0
