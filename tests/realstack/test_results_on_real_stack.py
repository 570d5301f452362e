"""Ingest -> recompute of the stored results through a real Celery worker on Redis and PostgreSQL.

The worker runs the ingest, then (after its commit) the recompute fan-out: the station, area and period tasks
as chords on the Redis result backend, and last the progress scores, which hear of the new results through
monitoring's hook (connected by progress at the worker's start-up). The test polls the database until the
city's year and then its scores appear.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import pytest

from monitoring.models import AreaDay, AreaPeriod, StationDay
from monitoring.selectors import observations_frame
from monitoring.statistics import area_daily, daily_records, station_daily
from progress.models import ProgressSnapshot, ScoreRun
from tests.data import CNEMC_DIR
from tests.realstack.test_ingest_on_real_stack import WAIT_SECONDS, real_stack, run_on_worker

pytestmark = pytest.mark.realstack
__all__ = ["real_stack"]
CITY_STATIONS = ["1625A", "2878A", "3200A", "3512A", "3513A"]


def wait_for(condition: Any) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"the worker did not finish the recompute within {WAIT_SECONDS} s")
        time.sleep(0.5)


@pytest.mark.django_db(transaction=True)
def test_worker_ingest_is_followed_by_the_recompute_of_days_areas_and_periods(real_stack: None) -> None:
    run_on_worker((CNEMC_DIR / "hourly_2022-01-01.csv").read_bytes(), "hourly_2022-01-01.csv")
    wait_for(lambda: AreaPeriod.objects.filter(area__code="371500", period="year").count() == 2)
    day = date(2022, 1, 1)
    assert StationDay.objects.filter(date=day).count() == 5
    hourly = observations_frame(first=day, last=day)
    expected = next(daily_records(area_daily(station_daily(hourly), {"371500": CITY_STATIONS})))
    city = AreaDay.objects.get(area__code="371500", date=day)
    assert (city.aqi, city.pm25, city.co, city.primary_pollutants) == (
        expected["aqi"],
        expected["pm25"],
        expected["co"],
        list(expected["primary_pollutants"]),
    )
    year = AreaPeriod.objects.get(area__code="371500", period="year", dust_deducted=False)
    assert (year.valid_days, year.end) == (1, date(2022, 12, 31))
    # The scores of 2022, computed on the worker from the results above.
    wait_for(lambda: ScoreRun.objects.filter(year=2022).exists())
    pm25 = ProgressSnapshot.objects.get(run__year=2022, area__code="371500", month=0, indicator="pm25")
    assert (pm25.valid_days, pm25.actual) == (1, None)  # one valid day is no annual figure (GB 3095-2012 Table 4)
