"""Spikes are judged against each series' own baseline, not a fixed threshold."""

from __future__ import annotations

from ckhub.ml.trends import find_spikes


def test_a_jump_in_a_steady_series_is_a_spike() -> None:
    steady = [10, 11, 9, 10, 12, 10, 9, 11, 30]
    spikes = find_spikes(steady, baseline=8)
    assert [spike.index for spike in spikes] == [8]
    assert spikes[0].expected == 10.25 and spikes[0].p_value < 0.001
    assert not spikes[0].emerging


def test_the_same_jump_in_a_noisy_series_is_not() -> None:
    noisy = [2, 25, 4, 22, 3, 27, 5, 20, 30]
    assert find_spikes(noisy, baseline=8) == []


def test_something_new_is_an_emerging_spike_but_a_trickle_is_not() -> None:
    assert find_spikes([0, 0, 1, 0, 0, 0, 0, 0, 3], baseline=8) == []  # below MIN_COUNT
    spikes = find_spikes([0, 0, 1, 0, 0, 0, 0, 0, 9], baseline=8)
    assert len(spikes) == 1 and spikes[0].emerging


def test_a_small_rise_is_not_a_spike() -> None:
    assert find_spikes([10, 11, 9, 10, 12, 10, 9, 11, 15], baseline=8) == []
