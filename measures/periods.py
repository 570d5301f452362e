"""Reporting periods of recurring duties and prohibitions, and when each falls due.

Pure Python (no Django). A recurring duty (常态化工作) or a prohibition (禁止性要求) is not done once: it is
reported for every period of the plan, a month or a year, and each period falls due on its own date.

Project rules (the plan names no reporting dates; each measure may override them, ``Measure`` fields):

* a **monthly** period falls due on the ``working_day``-th China working day of the next month (default
  the 5th: the bureau's monthly figures, such as dust fall, are compiled in the first working week);
* a **yearly** period falls due on a day of its own year (default 31 December); a duty "before each ozone
  season" (每年臭氧污染高发季前) falls due on 30 April.

A period whose due date comes before the duty takes effect is not owed. Working days are those of
``measures.deadlines`` (official holidays and make-up working days).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from measures.deadlines import add_working_days

DEFAULT_MONTHLY_DUE_WORKING_DAY = 5
DEFAULT_YEARLY_DUE = (12, 31)
OZONE_SEASON_DUE = (4, 30)
MAX_MONTHLY_DUE_WORKING_DAY = 20


@dataclass(frozen=True)
class Period:
    """One reporting period: its key as forms store it (``2024`` or ``2024-03``), its span and due date."""

    key: str
    starts: date
    ends: date
    due: date


def monthly_due(year: int, month: int, working_day: int) -> date:
    """The ``working_day``-th working day of the month after ``year-month``."""
    if not 1 <= working_day <= MAX_MONTHLY_DUE_WORKING_DAY:
        raise ValueError(f"working_day must be 1-{MAX_MONTHLY_DUE_WORKING_DAY}, got {working_day}")
    last_day = date(year, month, calendar.monthrange(year, month)[1])
    return add_working_days(last_day, working_day)


def yearly_due(year: int, month: int, day: int) -> date:
    """The yearly due day in ``year`` (raises ValueError for a day no year has, such as 02-30)."""
    if (month, day) == (2, 29):
        raise ValueError("29 February is not a day every year has")
    return date(year, month, day)


def valid_yearly_due(month: int, day: int) -> bool:
    try:
        yearly_due(2001, month, day)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=1024)
def periods(
    report_period: str,
    *,
    first_day: date,
    last_day: date,
    monthly_working_day: int = DEFAULT_MONTHLY_DUE_WORKING_DAY,
    yearly_due_on: tuple[int, int] = DEFAULT_YEARLY_DUE,
) -> tuple[Period, ...]:
    """The periods a duty in force from ``first_day`` to ``last_day`` owes, oldest first.

    ``report_period`` is ``month`` or ``year`` (``once`` owes no periods). A period the duty covers only in
    part is owed when its due date is on or after ``first_day``.
    """
    if report_period not in ("month", "year"):
        return ()
    result = []
    if report_period == "month":
        year, month = first_day.year, first_day.month
        while (year, month) <= (last_day.year, last_day.month):
            starts = date(year, month, 1)
            ends = date(year, month, calendar.monthrange(year, month)[1])
            due = monthly_due(year, month, monthly_working_day)
            if due >= first_day:
                result.append(Period(f"{year}-{month:02d}", starts, ends, due))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return tuple(result)
    for year in range(first_day.year, last_day.year + 1):
        due = yearly_due(year, *yearly_due_on)
        if due >= first_day:
            result.append(Period(str(year), date(year, 1, 1), date(year, 12, 31), due))
    return tuple(result)


@dataclass(frozen=True)
class PeriodStatus:
    """A period of one assignment: its form's review state (``none`` when nothing was filed) and whether it
    is late (its due date has passed and it is not approved)."""

    period: Period
    state: str
    late: bool

    @property
    def approved(self) -> bool:
        return self.state == "approved"


@dataclass(frozen=True)
class DutyProgress:
    """Where a recurring duty stands on ``today``, period by period."""

    statuses: list[PeriodStatus]
    today: date

    @property
    def due(self) -> list[PeriodStatus]:
        """Periods whose due date is today or past."""
        return [s for s in self.statuses if s.period.due <= self.today]

    @property
    def approved(self) -> list[PeriodStatus]:
        """Due periods whose form is approved."""
        return [s for s in self.due if s.approved]

    @property
    def late(self) -> list[PeriodStatus]:
        return [s for s in self.statuses if s.late]

    @property
    def is_done(self) -> bool:
        """Every period of the duty is approved (so it is done only once its last period is)."""
        return bool(self.statuses) and all(s.approved for s in self.statuses)

    @property
    def open_period(self) -> PeriodStatus | None:
        """The period that drives reminders and escalation: the earliest not approved that has begun."""
        for status in self.statuses:
            if not status.approved and status.period.starts <= self.today:
                return status
        return None


def duty_progress(owed: Iterable[Period], states: Mapping[str, str], *, today: date) -> DutyProgress:
    """The duty's periods with the review state of each period's form (``states``: period key → state)."""
    statuses = []
    for period in owed:
        state = states.get(period.key, "none")
        statuses.append(PeriodStatus(period, state, late=state != "approved" and period.due < today))
    return DutyProgress(statuses, today)
