"""monitoring/china_time.py: China time and the HJ 663-2013 natural day (the 00:00 value is the day before's 24:00)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd

from monitoring.china_time import CHINA_TZ, natural_day_bounds, natural_day_of, natural_days


def test_the_midnight_value_closes_the_day_before() -> None:
    assert natural_day_of(datetime(2022, 1, 2, 0, 0, tzinfo=CHINA_TZ)) == date(2022, 1, 1)
    assert natural_day_of(datetime(2022, 1, 2, 1, 0, tzinfo=CHINA_TZ)) == date(2022, 1, 2)
    # 16:00 UTC on 1 January is 00:00 on 2 January in China: still 1 January's last hour.
    assert natural_day_of(datetime(2022, 1, 1, 16, 0, tzinfo=UTC)) == date(2022, 1, 1)


def test_the_bounds_of_natural_days_are_01_00_to_the_next_midnight() -> None:
    start, end = natural_day_bounds(date(2024, 2, 28), date(2024, 2, 29))
    assert (start.isoformat(), end.isoformat()) == ("2024-02-28T00:00:00+08:00", "2024-03-01T00:00:00+08:00")


def test_the_vectorised_day_agrees_with_the_single_one() -> None:
    stamps = pd.Series(pd.date_range("2023-12-31 22:00", periods=6, freq="h", tz="UTC"))
    expected = [natural_day_of(stamp.to_pydatetime()) for stamp in stamps]
    assert [pd.Timestamp(day).date() for day in natural_days(stamps)] == expected
    assert expected == [date(2024, 1, 1)] * 6  # 06:00-11:00 China time on 1 January
