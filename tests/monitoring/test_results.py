"""Stored results: station and area days from the real CNEMC hours, recompute after ingest, corrections."""

from __future__ import annotations

from datetime import date
from typing import Any

from monitoring.models import AreaDay, Flavour, StationDay
from monitoring.selectors import observations_frame
from monitoring.statistics import area_daily, daily_records, station_daily
from tests.data import CNEMC_DIR

HEADER = b"station_code,time,pollutant,value\n"
CITY = "371500"
DONGCHANGFU = "371502"


def test_real_cnemc_day_gives_the_pure_functions_figures_for_every_station_and_the_city(
    ingest_and_recompute: Any,
) -> None:
    ingest_and_recompute((CNEMC_DIR / "hourly_2022-01-01.csv").read_bytes(), name="hourly_2022-01-01.csv")
    hourly = observations_frame(first=date(2022, 1, 1), last=date(2022, 1, 1))
    expected_stations = {r["station"]: r for r in daily_records(station_daily(hourly))}
    stored = {s.station.code: s for s in StationDay.objects.select_related("station")}
    assert set(stored) == set(expected_stations) == {"1625A", "2878A", "3200A", "3512A", "3513A"}
    for code, row in expected_stations.items():
        mine = stored[code]
        for column in ("pm25", "pm10", "so2", "no2", "co", "o3_8h", "o3_1h", "aqi", "category", "valid"):
            assert getattr(mine, column) == row[column], (code, column)
        assert mine.primary_pollutants == list(row["primary_pollutants"])
        assert (mine.edition, mine.flavour) == ("2012", Flavour.REALTIME)
    city = AreaDay.objects.get(area__code=CITY, date=date(2022, 1, 1))
    expected_city = next(daily_records(area_daily(station_daily(hourly), {CITY: list(expected_stations)})))
    assert (city.aqi, city.pm25, city.co, city.valid, city.stations) == (
        expected_city["aqi"],
        expected_city["pm25"],
        expected_city["co"],
        True,
        5,
    )


def test_the_stored_daily_columns_are_the_daily_value_columns() -> None:
    from monitoring import selectors
    from monitoring.statistics import VALUE_COLUMNS

    assert sorted(selectors.RESULT_VALUE_COLUMNS) == sorted(VALUE_COLUMNS)
