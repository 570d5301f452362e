"""Deadlines on China dates: working days, due soon, overdue and the escalation ladder.

Pure Python (no Django). Working days follow the State Council's yearly holiday notices
(国务院办公厅关于部分节假日安排的通知) as packaged by ``chinesecalendar``: official holidays are
days off even on weekdays, and make-up working days (调休上班日) are working days even on a
Saturday or Sunday. For years the package does not cover yet, Monday-Friday is used and
``calendar_covers`` says so.

The escalation ladder (督办升级) the bureau uses for a deadline-bound assignment not yet approved:

====================  =========================================================================
level                 when
====================  =========================================================================
``none``              no deadline, or more than ``due_soon_working_days`` working days left
``reminder`` (提醒)   the deadline is today or within ``due_soon_working_days`` working days
``overdue`` (逾期)    the deadline has passed by fewer than ``warning_after_working_days``
                      working days
``warning`` (预警)    overdue by ``warning_after_working_days`` working days or more: the
                      county goes on the bureau's warning list (预警名单)
====================  =========================================================================
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

# Years whose official holiday notice the package carries (it raises for any other year).
COVERED_YEARS = frozenset(day.year for day in (*chinese_calendar.holidays, *chinese_calendar.workdays))


def calendar_covers(day: date) -> bool:
    """Whether the official holiday calendar for ``day``'s year is known."""
    return day.year in COVERED_YEARS


# The holiday calendar is fixed package data, so a day's answer never changes: cached, because the
# measure board asks for every day between each overdue deadline and today (hundreds of thousands of
# look-ups, each of which chinesecalendar validates against its whole table).
@lru_cache(maxsize=16384)
def is_working_day(day: date) -> bool:
    """A China working day: official holidays off, make-up working days on (weekdays when unknown)."""
    if calendar_covers(day):
        return bool(chinese_calendar.is_workday(day))
    return day.weekday() < 5


@lru_cache(maxsize=4096)
def working_days_after(start: date, end: date) -> int:
    """Working days in the half-open interval (start, end]; negative when end is before start."""
    if end == start:
        return 0
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        if is_working_day(day):
            count += 1
        day += timedelta(days=1)
    return sign * count


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``days`` >= 0)."""
    if days < 0:
        raise ValueError(f"days must be >= 0, got {days}")
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


class Escalation(enum.Enum):
    NONE = "none"
    REMINDER = "reminder"
    OVERDUE = "overdue"
    WARNING = "warning"


@dataclass(frozen=True)
class DeadlineState:
    """Where a deadline stands on ``today``."""

    deadline: date | None
    today: date
    working_days_left: int | None
    """Working days from today to the deadline (0 on the day itself); negative once overdue."""
    level: Escalation

    @property
    def is_due_soon(self) -> bool:
        return self.level is Escalation.REMINDER

    @property
    def is_overdue(self) -> bool:
        return self.level in (Escalation.OVERDUE, Escalation.WARNING)

    @property
    def working_days_overdue(self) -> int:
        if self.working_days_left is None or self.working_days_left >= 0:
            return 0
        return -self.working_days_left

    @property
    def calendar_days_overdue(self) -> int:
        if self.deadline is None or self.today <= self.deadline:
            return 0
        return (self.today - self.deadline).days


def deadline_state(
    deadline: date | None, *, today: date, due_soon_working_days: int, warning_after_working_days: int
) -> DeadlineState:
    """Classify a deadline for an item not yet done; the deadline day itself is still on time."""
    if due_soon_working_days < 0 or warning_after_working_days < 1:
        raise ValueError("due_soon_working_days must be >= 0 and warning_after_working_days >= 1")
    if deadline is None:
        return DeadlineState(deadline=None, today=today, working_days_left=None, level=Escalation.NONE)
    if today > deadline:
        # Overdue from the first calendar day after the deadline, even over a holiday; the
        # working-day count (at least 1) measures how far along the ladder it is.
        overdue_by = max(1, working_days_after(deadline, today))
        level = Escalation.WARNING if overdue_by >= warning_after_working_days else Escalation.OVERDUE
        return DeadlineState(deadline=deadline, today=today, working_days_left=-overdue_by, level=level)
    left = working_days_after(today, deadline)
    level = Escalation.REMINDER if left <= due_soon_working_days else Escalation.NONE
    return DeadlineState(deadline=deadline, today=today, working_days_left=left, level=level)
