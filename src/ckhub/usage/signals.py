"""Turning a customer's usage events into signals.

- adoption: the share of the product's features (every distinct non-error event seen across all
  customers in the window) this customer used in the last 30 days, with the features listed.
- error_spike: error events in the last 7 days against the customer's own weekly baseline of the
  8 weeks before, tested with a one-sided Poisson test (p < 0.01) and at least 5 errors, so a
  customer who always logs many errors is not flagged, and one who suddenly does is.
- inactive: days since the last event; an alert once a previously active customer has been
  silent for 14 days.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

ERROR_EVENT = re.compile(r"error|fail|crash|exception|timeout|错误|失败|崩溃|报错", re.IGNORECASE)
ADOPTION_DAYS = 30
SPIKE_DAYS = 7
BASELINE_WEEKS = 8
SPIKE_P_VALUE = 0.01
SPIKE_MIN_ERRORS = 5
INACTIVE_DAYS = 14


def is_error(event: str, properties: dict[str, Any]) -> bool:
    level = str(properties.get("level", "")).lower()
    return level in ("error", "fatal", "critical") or bool(ERROR_EVENT.search(event))


def poisson_tail(observed: int, expected: float) -> float:
    """P(X ≥ observed) for X ~ Poisson(expected)."""
    if observed <= 0:
        return 1.0
    expected = max(expected, 1e-9)
    term = math.exp(-expected)
    below = term
    for k in range(1, observed):
        term *= expected / k
        below += term
    return max(0.0, 1.0 - below)


@dataclass
class Signal:
    kind: str
    value: float
    alert: bool
    detail: dict[str, Any] = field(default_factory=dict)


def compute_signals(
    events: list[tuple[str, datetime, dict[str, Any]]], features: set[str], now: datetime
) -> list[Signal]:
    """Signals of one customer from its (event, time, properties), newest or not."""
    if not events:
        return []
    recent_features = Counter(
        event
        for event, at, props in events
        if at >= now - timedelta(days=ADOPTION_DAYS) and not is_error(event, props)
    )
    adoption = len(recent_features) / len(features) if features else 0.0
    signals = [
        Signal(
            "adoption",
            round(adoption, 3),
            False,
            {"used": sorted(recent_features), "of": len(features)},
        )
    ]

    errors = [at for event, at, props in events if is_error(event, props)]
    this_week = sum(1 for at in errors if at >= now - timedelta(days=SPIKE_DAYS))
    baseline_start = now - timedelta(days=SPIKE_DAYS + 7 * BASELINE_WEEKS)
    before = sum(1 for at in errors if baseline_start <= at < now - timedelta(days=SPIKE_DAYS))
    weekly = before / BASELINE_WEEKS
    p_value = poisson_tail(this_week, weekly)
    spike = this_week >= SPIKE_MIN_ERRORS and p_value < SPIKE_P_VALUE
    signals.append(
        Signal(
            "error_spike",
            float(this_week),
            spike,
            {"baseline_per_week": round(weekly, 2), "p_value": round(p_value, 5)},
        )
    )

    last = max(at for _, at, _ in events)
    silent = (now - last).total_seconds() / 86400
    signals.append(
        Signal(
            "inactive",
            round(silent, 1),
            silent >= INACTIVE_DAYS,
            {"last_event_at": last.isoformat()},
        )
    )
    return signals
