"""Literal hourly files for the stored-results tests."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8))

STATIONS = ("1625A", "2878A", "3200A", "3512A", "3513A")
BASE = {"PM2.5": 40, "PM10": 80, "SO2": 10, "NO2": 30, "CO": 0.8, "O3": 60}


def hours_of(day: date) -> list[str]:
    """The 24 stamps of natural day D: D 01:00 … D+1 00:00 (HJ 663-2013)."""
    start = datetime(day.year, day.month, day.day, 1, tzinfo=CHINA)
    return [(start + timedelta(hours=h)).isoformat(timespec="minutes") for h in range(24)]


def long_file(
    days: list[date],
    *,
    stations: tuple[str, ...] = STATIONS,
    overrides: Mapping[date, Mapping[str, float]] | None = None,
) -> bytes:
    """Every station, hour and item of the days, at BASE values (or the day's overrides)."""
    lines = ["station_code,time,pollutant,value"]
    for day in days:
        values = {**BASE, **(overrides or {}).get(day, {})}
        for code in stations:
            for stamp in hours_of(day):
                lines += [f"{code},{stamp},{item},{value}" for item, value in values.items()]
    return ("\n".join(lines) + "\n").encode()
