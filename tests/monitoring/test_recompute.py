"""Recompute after ingest: corrections reach the day, the area and the period; nothing else is touched."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from areas.models import Area
from monitoring import results
from monitoring.models import AreaDay, AreaPeriod, Station, StationDay, StationPeriod
from tests.monitoring.results_data import long_file

D1, D2 = date(2025, 3, 1), date(2025, 3, 2)


@pytest.fixture
def two_days(ingest_and_recompute: Any) -> Any:
    with time_machine.travel("2025-03-10 12:00 +0800", tick=False):
        ingest_and_recompute(long_file([D1, D2]), name="two-days.csv")
    return ingest_and_recompute


def stamps(model: Any) -> dict[Any, Any]:
    return {row.pk: row.computed_at for row in model.objects.all()}


def test_a_correction_updates_the_value_the_days_aqi_and_the_period(two_days: Any) -> None:
    before_day = StationDay.objects.get(station__code="1625A", date=D2)
    before_city = AreaDay.objects.get(area__code="371500", date=D2)
    month = AreaPeriod.objects.get(area__code="371500", period="month", start=date(2025, 3, 1), dust_deducted=False)
    assert (before_day.pm25, before_day.aqi, before_city.pm25, month.pm25) == (40, 65, 40, 40)
    # PM10 80 -> IAQI 65 is the day's AQI; PM2.5 40 -> 57 (HJ 633-2012 Table 1).
    with time_machine.travel("2025-03-11 12:00 +0800", tick=False):
        # Every hour of 1625A's D2 corrected to 150: its 24-h mean is 150 (IAQI 200); the city mean is
        # (150 + 4 x 40) / 5 = 62, IAQI 50 + 50/40 x 27 = 83.75, rounded up to 84.
        two_days(long_file([D2], stations=("1625A",), overrides={D2: {"PM2.5": 150}}), name="correction.csv")
    day = StationDay.objects.get(station__code="1625A", date=D2)
    city = AreaDay.objects.get(area__code="371500", date=D2)
    month.refresh_from_db()
    assert (day.pm25, day.aqi, day.category, day.primary_pollutants) == (150, 200, 4, ["PM2.5"])
    assert (city.pm25, city.aqi) == (62, 84)
    # Month to date (2 days): PM2.5 40 and 62 -> 51 (GB/T 8170 half to even).
    assert (month.pm25, month.end, month.complete) == (51, D2, False)


def test_reingesting_the_same_file_recomputes_nothing(two_days: Any) -> None:
    before = {model: stamps(model) for model in (StationDay, AreaDay, StationPeriod, AreaPeriod)}
    with time_machine.travel("2025-03-12 12:00 +0800", tick=False):
        run = two_days(long_file([D1, D2]), name="again.csv")
    assert (run.values_stored, run.values_updated, run.affected_days) == (0, 0, [])
    assert {model: stamps(model) for model in before} == before


def test_only_the_affected_station_days_areas_and_periods_are_recomputed(two_days: Any) -> None:
    before = {model: stamps(model) for model in (StationDay, AreaDay, StationPeriod, AreaPeriod)}
    with time_machine.travel("2025-03-11 12:00 +0800", tick=False):
        two_days(long_file([D2], stations=("3512A",), overrides={D2: {"SO2": 12}}), name="fix.csv")
    after = {model: stamps(model) for model in before}
    changed = {model: {pk for pk in after[model] if after[model][pk] != before[model].get(pk)} for model in before}
    assert {(d.station.code, d.date) for d in StationDay.objects.filter(pk__in=changed[StationDay])} == {("3512A", D2)}
    # 3512A is national and in 东昌府区: the city and that county, on D2 only.
    assert {(d.area.code, d.date) for d in AreaDay.objects.filter(pk__in=changed[AreaDay])} == {
        ("371500", D2),
        ("371502", D2),
    }
    assert set(StationPeriod.objects.filter(pk__in=changed[StationPeriod]).values_list("station__code", flat=True)) == {
        "3512A"
    }
    assert set(AreaPeriod.objects.filter(pk__in=changed[AreaPeriod]).values_list("area__code", flat=True)) == {
        "371500",
        "371502",
    }


def test_recompute_command_rebuilds_every_result_the_same(
    two_days: Any, django_capture_on_commit_callbacks: Any
) -> None:
    def snapshot() -> set[tuple[Any, ...]]:
        days = set(StationDay.objects.values_list("station__code", "date", "pm25", "aqi", "valid", "flavour"))
        areas = set(AreaDay.objects.values_list("area__code", "date", "pm25", "aqi", "stations"))
        periods = set(AreaPeriod.objects.values_list("area__code", "period", "start", "end", "dust_deducted", "pm25"))
        return days | areas | periods

    expected = snapshot()
    StationDay.objects.all().delete()
    AreaDay.objects.all().delete()
    AreaPeriod.objects.all().delete()
    with time_machine.travel("2025-03-10 12:00 +0800", tick=False), django_capture_on_commit_callbacks(execute=True):
        call_command("recompute", "--year", "2025", verbosity=0)
    assert snapshot() == expected


def test_township_stations_enter_no_assessment(db: None) -> None:
    """aqi-rules §4 [project rule]: township micro-stations never enter a county or city figure."""
    Station.objects.create(
        code="T001",
        name="乡镇微站",
        area=Area.objects.get(code="371581"),
        network="township",
        latitude=36.8,
        longitude=115.7,
    )
    plan = results.plan_for_station_days({"T001": {D1}, "1625A": {D1}})
    assert {unit["area"] for unit in plan.area_units} == {"371500", "371502"}
    assert {code for unit in plan.station_units for code in unit["codes"]} == {"T001", "1625A"}


def test_a_year_in_progress_is_stored_as_year_to_date(two_days: Any) -> None:
    year = AreaPeriod.objects.get(area__code="371500", period="year", start=date(2025, 1, 1), dust_deducted=False)
    assert (year.end, year.complete, year.valid_days, year.good_days) == (D2, False, 2, 2)
    # Year to date with January and February missing: the 324-day rule cannot be met (null, not a number).
    assert year.pm25 is None
