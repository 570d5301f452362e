"""Reproduce CNEMC's published figures for Liaocheng's five national stations exactly.

Data: ../shared/data/cnemc-liaocheng/ (see its README): raw per-hour CNEMC files (real-time AQI and primary
pollutant per station-hour; 24-h means, O3 daily max 1-h and MDA8 at D+1 00:00) and long files of the
1-h values. Reminder: in the CNEMC files the latest 1-h O3 value is the ``o3_24h`` column and ``o3`` is the
max 1-h O3 of the last 24 hours.
"""

from __future__ import annotations

import csv
from datetime import date

import pandas as pd
import pytest

from monitoring.aqi import hourly_aqi
from monitoring.statistics import daily_records, station_daily
from tests.data import CNEMC_DIR

DATA = CNEMC_DIR

PRIMARY_NAMES = {
    "细颗粒物(PM2.5)": "PM2.5",
    "颗粒物(PM10)": "PM10",
    "臭氧1小时": "O3",
    "臭氧8小时": "O3",
    "二氧化氮": "NO2",
    "二氧化硫": "SO2",
    "一氧化碳": "CO",
}
LONG_POLLUTANTS = {"PM2.5": "pm25", "PM10": "pm10", "SO2": "so2", "NO2": "no2", "O3": "o3", "CO": "co"}


def number(text: str) -> float | None:
    return float(text) if text.strip() else None


def raw_rows() -> list[dict[str, str]]:
    """Every Liaocheng row of the raw files; the same station and hour twice in one file: keep the first."""
    rows: list[dict[str, str]] = []
    for path in sorted((DATA / "raw").glob("*.csv")):
        seen: set[tuple[str, str]] = set()
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                key = (row["stationcode"], row["timepoint"])
                if key not in seen:
                    seen.add(key)
                    rows.append(row)
    return rows


RAW = raw_rows()


def one_hour_values(row: dict[str, str]) -> dict[str, float | None]:
    return {
        "pm25": number(row["pm2_5"]),
        "pm10": number(row["pm10"]),
        "so2": number(row["so2"]),
        "no2": number(row["no2"]),
        "co": number(row["co"]),
        "o3": number(row["o3_24h"]),  # the swapped column: o3_24h is the latest 1-h O3
    }


def test_the_raw_files_hold_every_station_hour_once():
    assert len(RAW) == 2 * 24 * 5


def test_every_published_real_time_aqi_and_primary_pollutant_is_reproduced():
    with_aqi = [row for row in RAW if row["aqi"].strip()]
    assert len(with_aqi) == len(RAW) - 5
    for row in with_aqi:
        result = hourly_aqi(one_hour_values(row))
        where = (row["stationcode"], row["timepoint"])
        assert result.aqi == int(row["aqi"]), where
        published = {PRIMARY_NAMES[name] for name in row["primarypollutant"].split(",") if name}
        assert set(result.primary_pollutants) == published, where
        assert len(result.primary_pollutants) == len(published), where


def test_no_real_time_aqi_where_cnemc_published_none():
    without = [row for row in RAW if not row["aqi"].strip()]
    assert {(r["stationcode"], r["timepoint"][11:13]) for r in without} == {
        ("3200A", "09"),
        ("3200A", "10"),
        ("3513A", "10"),
        ("3513A", "11"),
        ("3513A", "12"),
    }
    for row in without:
        assert hourly_aqi(one_hour_values(row)).aqi is None


def long_hourly(day: str) -> pd.DataFrame:
    frame = pd.read_csv(DATA / f"hourly_{day}.csv", dtype={"station_code": str})
    return pd.DataFrame(
        {
            "station": frame["station_code"],
            "time": pd.to_datetime(frame["time"], utc=True),
            "pollutant": frame["pollutant"].map(LONG_POLLUTANTS),
            "value": frame["value"].astype(float),
        }
    )


def test_long_files_hold_the_raw_1h_values():
    long = long_hourly("2022-01-01")
    raw = next(r for r in RAW if r["stationcode"] == "3513A" and r["timepoint"] == "2022-01-01T05:00:00")
    mine = long[(long["station"] == "3513A") & (long["time"] == pd.Timestamp("2022-01-01T05:00+08:00"))]
    assert dict(zip(mine["pollutant"], mine["value"], strict=True)) == one_hour_values(raw)


@pytest.mark.parametrize("day", ["2022-01-01", "2023-06-01"])
def test_published_daily_means_max_1h_and_mda8_are_reproduced(day):
    result = {r["station"]: r for r in daily_records(station_daily(long_hourly(day)))}
    next_midnight = (pd.Timestamp(day) + pd.Timedelta(days=1)).strftime("%Y-%m-%dT00:00:00")
    published = [row for row in RAW if row["timepoint"] == next_midnight]
    assert len(published) == 5
    for row in published:
        mine = result[row["stationcode"]]
        assert mine["date"] == date.fromisoformat(day)
        assert mine["pm25"] == int(row["pm2_5_24h"])
        assert mine["pm10"] == int(row["pm10_24h"])
        assert mine["so2"] == int(row["so2_24h"])
        assert mine["no2"] == int(row["no2_24h"])
        assert mine["co"] == float(row["co_24h"])  # "1" and "1.0" alike
        assert mine["o3_1h"] == int(row["o3"])  # the swapped column: o3 is the daily max 1-h here
        assert mine["o3_8h"] == int(row["o3_8h"])
        assert mine["valid"]
        assert mine["edition"] == "2012"
