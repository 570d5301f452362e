"""Demo monitoring data: stations in every county, synthetic hours through the real pipeline, idempotent."""

from __future__ import annotations

from datetime import date
from typing import Any

from areas.models import Area
from monitoring import tasks
from monitoring.demo import DEMO_STATIONS, demo_monitoring_load
from monitoring.models import AreaDay, AreaPeriod, IngestRun, Observation, Station, StationDay
from monitoring.selectors import assessment_stations


def test_demo_load_runs_the_whole_pipeline_and_a_second_run_adds_nothing(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = demo_monitoring_load(start=date(2024, 12, 30), end=date(2025, 1, 2))
    assert first.files == ["demo-hourly-2024-12-30_2024-12-31.csv", "demo-hourly-2025-01-01_2025-01-02.csv"]
    assert IngestRun.objects.filter(state=IngestRun.State.SUCCEEDED).count() == 2
    demo = Station.objects.filter(code__startswith="DEMO")
    assert demo.count() == len(DEMO_STATIONS) == 10
    assert set(demo.values_list("network", flat=True)) == {"county"}
    units = set(Area.objects.filter(kind__in=Area.ASSESSMENT_UNIT_KINDS).values_list("code", flat=True))
    assert set(demo.values_list("area__code", flat=True)) == units - {"371502"}  # the 7 counties, the 3 zones
    # Every county, zone and the city has an assessment station, and its days were computed from the ingest.
    assert all(assessment_stations(code) for code in units | {"371500"})
    assert StationDay.objects.count() == 15 * 4
    assert AreaDay.objects.filter(area__code="371500").count() == 4
    assert AreaDay.objects.values("area").distinct().count() == 12
    assert AreaPeriod.objects.filter(area__code="371500", period="year").count() == 4  # 2 years, raw and deducted
    values = Observation.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        again = demo_monitoring_load(start=date(2024, 12, 30), end=date(2025, 1, 2))
    assert (again.stations_created, again.files, Observation.objects.count()) == (0, [], values)

    with django_capture_on_commit_callbacks(execute=True):
        later = demo_monitoring_load(start=date(2024, 12, 30), end=date(2025, 1, 3))
    assert later.files == ["demo-hourly-2025-01-03_2025-01-03.csv"]
    assert AreaDay.objects.filter(area__code="371500").count() == 5


def test_demo_stations_lie_in_their_county(db: None) -> None:
    from monitoring.demo import demo_stations_load

    demo_stations_load()
    for station in Station.objects.filter(code__startswith="DEMO"):
        # Liaocheng spans about 35.8-37.0 N, 115.3-116.6 E.
        assert 35.8 < station.latitude < 37.0
        assert 115.3 < station.longitude < 116.6


def test_demo_load_recomputes_once_after_all_years_and_not_when_nothing_is_new(
    db: None, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    from monitoring import services

    plans: list[object] = []
    per_run: list[int] = []
    original = services.results_recompute
    monkeypatch.setattr(services, "results_recompute", lambda **kw: plans.append(original(**kw)))
    monkeypatch.setattr(tasks, "recompute_after_ingest_enqueue", lambda run_id: per_run.append(run_id))
    # One station is enough to see when the recompute runs (all twelve made this the slowest test).
    with django_capture_on_commit_callbacks(execute=True):
        first = demo_monitoring_load(start=date(2023, 12, 31), end=date(2025, 1, 1), station_codes=["1625A"])
    assert len(first.files) == 3
    assert per_run == []  # no recompute per yearly file
    assert len(plans) == 1
    assert {day.year for day in StationDay.objects.values_list("date", flat=True)} == {2023, 2024, 2025}
    with django_capture_on_commit_callbacks(execute=True):
        again = demo_monitoring_load(start=date(2023, 12, 31), end=date(2025, 1, 1), station_codes=["1625A"])
    assert (again.files, again.values_stored, len(plans)) == ([], 0, 1)
