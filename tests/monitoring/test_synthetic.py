"""The synthetic demo/benchmark data look like CNEMC data and are reproducible."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from monitoring.synthetic import POLLUTANTS, hour_stamps, synthetic_hourly_long, synthetic_hourly_wide


def test_hour_stamps_cover_natural_days_from_0100_to_next_midnight():
    stamps = hour_stamps(date(2024, 2, 28), date(2024, 2, 29))
    assert stamps[0] == pd.Timestamp("2024-02-28 01:00", tz="Asia/Shanghai")
    assert stamps[-1] == pd.Timestamp("2024-03-01 00:00", tz="Asia/Shanghai")
    assert len(stamps) == 48


def test_same_seed_gives_same_data_and_values_are_rounded_as_published():
    first = synthetic_hourly_wide(["A", "B"], start=date(2023, 1, 1), end=date(2023, 1, 31), seed=7)
    again = synthetic_hourly_wide(["A", "B"], start=date(2023, 1, 1), end=date(2023, 1, 31), seed=7)
    pd.testing.assert_frame_equal(first, again)
    for pollutant in ("pm25", "pm10", "so2", "no2", "o3"):
        values = first[pollutant].dropna()
        assert (values == np.round(values)).all()
    assert (first["co"].dropna() * 10 == np.round(first["co"].dropna() * 10)).all()


def test_winter_particles_and_summer_ozone_dominate():
    wide = synthetic_hourly_wide(["A"], start=date(2022, 1, 1), end=date(2022, 12, 31))
    month = wide["time"].dt.month
    assert wide.loc[month == 1, "pm25"].mean() > 2 * wide.loc[month == 7, "pm25"].mean()
    assert wide.loc[month == 6, "o3"].mean() > 2 * wide.loc[month == 12, "o3"].mean()


def test_long_layout_drops_missing_hours():
    wide = synthetic_hourly_wide(["A"], start=date(2022, 1, 1), end=date(2022, 1, 10))
    long = synthetic_hourly_long(["A"], start=date(2022, 1, 1), end=date(2022, 1, 10))
    assert len(long) == int(wide[list(POLLUTANTS)].notna().sum().sum())
    assert set(long["pollutant"]) == set(POLLUTANTS)
