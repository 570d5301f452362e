"""Progress test data: literal daily results behind monkeypatched monitoring selectors."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from monitoring.dust import DustMarks
from monitoring.models import AssessmentStation
from progress import selectors

CITY, COUNTY_A, COUNTY_B = "371500", "371502", "371581"
TODAY = date(2025, 4, 1)


def day_rows(area: str, start: date, aqis: list[int], *, pm25: int, flavour: str = "realtime") -> list[dict]:
    """Literal daily results as monitoring stores them; valid days with all six items."""
    return [
        {
            "area": area,
            "date": start + timedelta(days=i),
            "aqi": aqi,
            "category": 1,
            "primary_pollutants": [],
            "valid": True,
            "pm25": pm25,
            "pm10": 80,
            "so2": 10,
            "no2": 30,
            "co": 1.0,
            "o3_8h": 100,
            "o3_1h": 120,
            "edition": "2012",
            "flavour": flavour,
        }
        for i, aqi in enumerate(aqis)
    ]


def frame(*parts: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([row for part in parts for row in part])


# 1 Jan - 31 Mar 2025: 90 days, 58 good, 30 lightly polluted, 2 heavy.
CITY_2025 = [80] * 58 + [130] * 30 + [220] * 2


@pytest.fixture
def stored(monkeypatch):
    """Monkeypatched monitoring selectors returning literal frames (city, county A; county B has no stations)."""
    return install_daily_results(monkeypatch)


@pytest.fixture
def stored_into_2026(monkeypatch):
    """As ``stored``, and the city's first quarter of 2026 (a year after the 2021-2025 plan's end)."""
    return install_daily_results(monkeypatch, day_rows(CITY, date(2026, 1, 1), CITY_2025, pm25=48))


def install_daily_results(monkeypatch, *more: list[dict], data: pd.DataFrame | None = None) -> pd.DataFrame:
    """Make targets.selectors read the literal frames below (and ``more``) instead of monitoring's stored
    results; ``data``: read that frame instead."""
    if data is None:
        data = frame(
            day_rows(CITY, date(2025, 1, 1), CITY_2025, pm25=50),
            day_rows(CITY, date(2024, 1, 1), [90] * 91, pm25=55),
            day_rows(COUNTY_A, date(2025, 1, 1), [90] * 90, pm25=60),
            day_rows(COUNTY_A, date(2024, 1, 1), [90] * 91, pm25=50),
            day_rows(CITY, date(2020, 1, 1), [70] * 240 + [140] * 126, pm25=46),
            *more,
        )

    def daily_results(*, area_codes, start, end):
        dates = pd.to_datetime(data["date"]).dt.date
        rows = data[(dates >= start) & (dates <= end)]
        if area_codes is not None:
            rows = rows[rows["area"].isin(area_codes)]
        return rows.reset_index(drop=True)

    # County A's figures differ from the city's, so it is assessed on other stations than the city (here one
    # of the five national stations): "worse than the city" is judged only then.
    AssessmentStation.objects.filter(area__code=COUNTY_A).exclude(station__code="1625A").delete()
    monkeypatch.setattr(selectors, "daily_results", daily_results)
    monkeypatch.setattr(selectors, "dust_marks", lambda start, end: DustMarks())
    monkeypatch.setattr(selectors, "results_last_updated", lambda: None)
    return data
