"""Reporting periods of recurring duties (measures/periods.py): pure Python, checked against the State
Council's holiday notices for the working days."""

from __future__ import annotations

from datetime import date

import pytest

from measures.periods import (
    OZONE_SEASON_DUE,
    Period,
    duty_progress,
    monthly_due,
    periods,
    valid_yearly_due,
)


@pytest.mark.parametrize(
    ("year", "month", "due"),
    [
        # October 2024: 1-7 off for National Day, Saturday 12 October a make-up working day.
        (2024, 9, date(2024, 10, 12)),
        # February 2024: Sunday 4 February a make-up working day before the Spring Festival.
        (2024, 1, date(2024, 2, 6)),
        # October 2021: 1-7 off, Saturday 9 October a make-up working day.
        (2021, 9, date(2021, 10, 13)),
        # May 2024: 1-5 off for Labour Day, so the 6th to the 10th.
        (2024, 4, date(2024, 5, 10)),
    ],
)
def test_a_month_falls_due_on_the_fifth_working_day_of_the_next(year: int, month: int, due: date) -> None:
    assert monthly_due(year, month, 5) == due


def test_an_ordinary_month_counts_weekdays() -> None:
    assert monthly_due(2024, 5, 1) == date(2024, 6, 3)  # 1 June 2024 is a Saturday
    assert monthly_due(2024, 5, 3) == date(2024, 6, 5)


def test_a_working_day_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="1-20"):
        monthly_due(2024, 5, 0)
    with pytest.raises(ValueError, match="1-20"):
        monthly_due(2024, 5, 21)


def test_a_yearly_due_day_must_be_a_day_every_year_has() -> None:
    assert valid_yearly_due(*OZONE_SEASON_DUE)
    assert valid_yearly_due(12, 31)
    assert not valid_yearly_due(2, 29)
    assert not valid_yearly_due(2, 30)
    assert not valid_yearly_due(13, 1)


def test_monthly_periods_span_the_plan_and_a_month_begun_part_way_is_owed() -> None:
    owed = periods("month", first_day=date(2021, 7, 15), last_day=date(2025, 12, 31))
    assert len(owed) == 54
    assert owed[0] == Period("2021-07", date(2021, 7, 1), date(2021, 7, 31), date(2021, 8, 6))
    assert owed[-1].key == "2025-12"
    assert owed[-1].due == date(2026, 1, 8)  # 1-3 January 2026 off, Sunday 4 January a make-up working day
    assert [p.key for p in owed[:3]] == ["2021-07", "2021-08", "2021-09"]


def test_yearly_periods_fall_due_on_their_day_and_one_due_before_the_duty_starts_is_not_owed() -> None:
    owed = periods("year", first_day=date(2021, 1, 1), last_day=date(2025, 12, 31))
    assert [(p.key, p.due) for p in owed] == [(str(y), date(y, 12, 31)) for y in range(2021, 2026)]
    ozone = periods("year", first_day=date(2021, 7, 1), last_day=date(2025, 12, 31), yearly_due_on=OZONE_SEASON_DUE)
    assert [(p.key, p.due) for p in ozone] == [(str(y), date(y, 4, 30)) for y in range(2022, 2026)]


def test_one_off_work_owes_no_periods() -> None:
    assert periods("once", first_day=date(2021, 1, 1), last_day=date(2025, 12, 31)) == ()


YEARS = periods("year", first_day=date(2021, 1, 1), last_day=date(2025, 12, 31))


def test_a_duty_is_chased_for_its_earliest_period_not_approved() -> None:
    states = {"2021": "approved", "2022": "submitted", "2023": "approved"}
    progress = duty_progress(YEARS, states, today=date(2024, 6, 1))
    assert [s.period.key for s in progress.due] == ["2021", "2022", "2023"]
    assert [s.period.key for s in progress.approved] == ["2021", "2023"]
    assert [s.period.key for s in progress.late] == ["2022"]
    assert progress.open_period is not None
    assert progress.open_period.period.key == "2022"
    assert progress.open_period.state == "submitted"
    assert not progress.is_done


def test_a_period_is_late_only_after_its_due_day_and_not_before_it_begins() -> None:
    on_the_day = duty_progress(YEARS, {"2021": "approved"}, today=date(2022, 12, 31))
    assert [s.period.key for s in on_the_day.due] == ["2021", "2022"]
    assert on_the_day.late == []
    assert on_the_day.open_period is not None
    assert on_the_day.open_period.period.key == "2022"
    next_day = duty_progress(YEARS, {"2021": "approved"}, today=date(2023, 1, 1))
    assert [s.period.key for s in next_day.late] == ["2022"]
    before_start = duty_progress(YEARS, {}, today=date(2020, 6, 1))
    assert before_start.open_period is None
    assert before_start.due == []


def test_a_duty_is_done_only_when_every_period_is_approved() -> None:
    almost = {str(y): "approved" for y in range(2021, 2025)}
    assert not duty_progress(YEARS, almost, today=date(2026, 1, 1)).is_done
    every = almost | {"2025": "approved"}
    done = duty_progress(YEARS, every, today=date(2026, 1, 1))
    assert done.is_done
    assert done.open_period is None
    assert done.late == []
