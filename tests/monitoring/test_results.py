"""Stored results: station and area days from the real CNEMC hours, recompute after ingest, corrections."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from monitoring import services, tasks
from monitoring.models import AreaDay, Flavour, IngestRun, StationDay
from monitoring.selectors import observations_frame
from monitoring.statistics import area_daily, daily_records, station_daily
from targets.services import areas_load
from tests.data import CNEMC_DIR

HEADER = b"station_code,time,pollutant,value\n"
CITY = "371500"
DONGCHANGFU = "371502"


@pytest.fixture
def stations(db: Any) -> None:
    areas_load()
    services.stations_load_national()


@pytest.fixture
def ingest(stations: None, django_capture_on_commit_callbacks: Any) -> Any:
    """Ingest bytes through the real task; the on-commit recompute chain runs as it would after a commit."""

    def run(content: bytes, *, name: str = "hours.csv", flavour: int = Flavour.REALTIME) -> IngestRun:
        with django_capture_on_commit_callbacks(execute=True):
            created = services.ingest_run_create(
                content=content, file_name=name, source=IngestRun.Source.COMMAND, flavour=flavour
            )
            tasks.ingest_file.apply(args=[created.pk])
        created.refresh_from_db()
        return created

    return run


def test_real_cnemc_day_gives_the_pure_functions_figures_for_every_station_and_the_city(ingest: Any) -> None:
    ingest((CNEMC_DIR / "hourly_2022-01-01.csv").read_bytes(), name="hourly_2022-01-01.csv")
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
