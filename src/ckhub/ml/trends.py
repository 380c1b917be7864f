"""Spikes in counts over time, judged against each series' own past.

For every period, the count is compared with the periods just before it (the baseline): how
likely is a count at least this high if the series went on as it was? Counts of customer
messages are over-dispersed (quiet weeks, busy weeks), so when the baseline varies more than a
Poisson process would, the test uses the negative binomial with the baseline's own mean and
variance; otherwise Poisson. A period is a spike when that probability is below ALPHA — a
series that is always noisy needs a bigger jump than a steady one, and no fixed threshold is
involved. MIN_COUNT keeps 0 → 2 from counting as a wave. A spike over a baseline of almost
nothing (mean below one a period) is an emerging series.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scipy.stats import nbinom, poisson

ALPHA = 0.001
MIN_COUNT = 5
FLOOR = 0.5  # an empty baseline still expects a little, so one message is no surprise
EMERGING_MEAN = 1.0


@dataclass(frozen=True)
class Spike:
    index: int  # which period
    observed: int
    expected: float
    p_value: float
    emerging: bool


def surprise(observed: int, history: Sequence[int]) -> tuple[float, float]:
    """(expected count, probability of at least `observed`) given the baseline periods."""
    mean = sum(history) / len(history)
    variance = (
        sum((count - mean) ** 2 for count in history) / (len(history) - 1)
        if len(history) > 1
        else mean
    )
    expected = max(mean, FLOOR)
    if variance > mean > 0:
        size = mean * mean / (variance - mean)
        return expected, float(nbinom.sf(observed - 1, size, size / (size + mean)))
    return expected, float(poisson.sf(observed - 1, expected))


def find_spikes(
    counts: Sequence[int],
    baseline: int,
    alpha: float = ALPHA,
    min_count: int = MIN_COUNT,
    start: int = 0,
) -> list[Spike]:
    """Spikes among periods `start` … end, each tested against up to `baseline` periods before
    it (at least half of that must exist)."""
    found = []
    for index in range(max(start, baseline // 2), len(counts)):
        observed = counts[index]
        if observed < min_count:
            continue
        history = counts[max(0, index - baseline) : index]
        expected, p_value = surprise(observed, history)
        if p_value < alpha and observed > expected:
            mean = sum(history) / len(history)
            found.append(Spike(index, observed, expected, p_value, mean < EMERGING_MEAN))
    return found
