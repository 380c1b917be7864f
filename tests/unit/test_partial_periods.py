"""Which chart periods are only partly counted: they are shaded, not read as a fall."""

from __future__ import annotations

from datetime import date

from ckhub.periods import partial_periods, period_starts

MONDAY = date(2026, 11, 16)
WEDNESDAY = date(2026, 11, 18)
SUNDAY = date(2026, 11, 22)


def test_the_week_holding_today_is_partial_until_it_is_over() -> None:
    weeks = period_starts(date(2026, 11, 2), WEDNESDAY, weekly=True)
    assert partial_periods(weeks, True, last_day=WEDNESDAY, today=WEDNESDAY) == [2]
    # On Sunday the week still has a day to go; on the Monday after, it is whole.
    assert partial_periods(weeks, True, last_day=SUNDAY, today=SUNDAY) == [2]
    assert partial_periods(weeks, True, last_day=SUNDAY, today=date(2026, 11, 23)) == []


def test_a_window_cut_mid_week_leaves_its_last_week_partial() -> None:
    weeks = period_starts(date(2026, 10, 1), WEDNESDAY, weekly=True)
    assert partial_periods(weeks, True, last_day=WEDNESDAY, today=date(2027, 1, 4)) == [
        len(weeks) - 1
    ]


def test_days_only_today_is_partial() -> None:
    days = period_starts(MONDAY, WEDNESDAY, weekly=False)
    assert partial_periods(days, False, last_day=WEDNESDAY, today=WEDNESDAY) == [2]
    assert partial_periods(days, False, last_day=WEDNESDAY, today=date(2026, 11, 19)) == []


def test_counting_that_begins_mid_week_leaves_the_first_week_partial() -> None:
    weeks = period_starts(WEDNESDAY, date(2026, 12, 6), weekly=True)
    found = partial_periods(weeks, True, date(2026, 12, 6), date(2026, 12, 7), first_day=WEDNESDAY)
    assert found == [0]
