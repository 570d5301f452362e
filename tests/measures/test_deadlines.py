"""Deadlines on China dates: official holidays and make-up working days (chinesecalendar)."""

from __future__ import annotations

from datetime import date

import pytest

from measures.deadlines import (
    Escalation,
    add_working_days,
    deadline_state,
    is_working_day,
    working_days_after,
)


def state(deadline: date | None, today: date, *, soon: int = 5, warning: int = 10):
    return deadline_state(deadline, today=today, due_soon_working_days=soon, warning_after_working_days=warning)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2024, 2, 4), True),  # Sunday, make-up working day before the 2024 Spring Festival
        (date(2024, 2, 12), False),  # Monday inside the Spring Festival holiday
        (date(2024, 2, 18), True),  # Sunday, make-up working day after it
        (date(2024, 9, 29), True),  # Sunday, make-up day before National Day
        (date(2024, 10, 3), False),  # National Day holiday
        (date(2024, 10, 12), True),  # Saturday, make-up day after it
        (date(2024, 3, 16), False),  # an ordinary Saturday
    ],
)
def test_working_days_follow_the_official_holiday_calendar(day, working):
    assert is_working_day(day) is working


def test_working_days_across_spring_festival_count_make_up_sunday():
    # (8 Feb, 19 Feb 2024]: 9 Feb, Sunday 18 Feb (make-up) and 19 Feb; 10-17 Feb are the holiday.
    assert working_days_after(date(2024, 2, 8), date(2024, 2, 19)) == 3
    assert working_days_after(date(2024, 2, 19), date(2024, 2, 8)) == -3
    assert add_working_days(date(2024, 2, 9), 1) == date(2024, 2, 18)


def test_deadline_after_the_holiday_is_due_soon_though_eleven_calendar_days_away():
    result = state(date(2024, 2, 19), date(2024, 2, 8))
    assert result.level is Escalation.REMINDER
    assert result.working_days_left == 3
    assert result.is_due_soon
    assert not result.is_overdue


def test_deadline_far_in_working_days_is_not_yet_due_soon():
    result = state(date(2024, 3, 29), date(2024, 3, 1))
    assert result.level is Escalation.NONE
    assert result.working_days_left == 20


def test_deadline_day_itself_is_still_on_time():
    result = state(date(2024, 9, 30), date(2024, 9, 30))
    assert result.level is Escalation.REMINDER
    assert result.working_days_left == 0


def test_overdue_during_national_day_holiday_from_the_first_calendar_day():
    result = state(date(2024, 9, 30), date(2024, 10, 3))
    assert result.level is Escalation.OVERDUE
    assert result.working_days_overdue == 1
    assert result.calendar_days_overdue == 3


def test_long_overdue_goes_on_the_warning_list_counting_make_up_days():
    # (27 Sep, 14 Oct 2024]: 29 Sep (make-up), 30 Sep, 8-11 Oct, 12 Oct (make-up), 14 Oct = 8 working days.
    result = state(date(2024, 9, 27), date(2024, 10, 14), warning=8)
    assert result.working_days_overdue == 8
    assert result.level is Escalation.WARNING
    assert state(date(2024, 9, 27), date(2024, 10, 14), warning=9).level is Escalation.OVERDUE


def test_no_deadline_is_never_due():
    result = state(None, date(2024, 1, 1))
    assert result.level is Escalation.NONE
    assert result.working_days_left is None


def test_invalid_ladder_settings_are_refused():
    with pytest.raises(ValueError, match="warning_after_working_days"):
        state(date(2024, 1, 1), date(2024, 1, 1), warning=0)


def test_the_calendar_covers_2026_and_falls_back_to_weekdays_beyond_its_notices():
    from measures.deadlines import calendar_covers, is_working_day

    assert calendar_covers(date(2026, 10, 10))
    assert is_working_day(date(2026, 10, 10))  # a Saturday made a working day by the 2026 notice
    assert not is_working_day(date(2026, 10, 1))  # National Day
    assert not calendar_covers(date(2040, 1, 2))
    assert is_working_day(date(2040, 1, 2))  # a Monday, no notice yet: Monday-Friday
    assert not is_working_day(date(2040, 1, 7))  # a Saturday
