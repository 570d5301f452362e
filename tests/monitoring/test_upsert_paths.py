"""The two write paths of the ingest (monitoring.upsert): direct COPY of new data vs the staging upsert."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from monitoring import services, tasks, upsert
from monitoring.models import POLLUTANT_BY_CODE, IngestRun, Observation, RejectedRow
from tests.services import require

HEADER = b"station_code,time,PM2.5,PM10,O3,CO\n"
FILE = HEADER + (
    b"1625A,2022-01-01T01:00+08:00,101,168,12,1.4\n"
    b"1625A,2022-01-01T02:00+08:00,95,150,,1.25\n"
    b"2878A,2022-01-01T01:00+08:00,88,abc,20,0.9\n"
    b"2878A,2022-01-02T00:00+08:00,77.5,140,31,2.05\n"
    b"2878A,2022-01-02T00:00+08:00,1,1,1,1\n"
)


def ingest(content: bytes, name: str = "wide.csv") -> IngestRun:
    run = services.ingest_run_create(content=content, file_name=name, source=IngestRun.Source.COMMAND)
    tasks.ingest_file.apply(args=[run.pk])
    run.refresh_from_db()
    return run


def table() -> list[tuple[Any, ...]]:
    return sorted(Observation.objects.values_list("station__code", "pollutant", "time", "value", "flavour", "flags"))


def summary(run: IngestRun) -> tuple[Any, ...]:
    rejected = sorted(run.rejected_rows.values_list("line", "field", "raw_value", "reason"))
    return (
        run.state,
        run.values_read,
        run.values_stored,
        run.values_updated,
        run.values_unchanged,
        run.values_duplicate,
        run.values_rejected,
        sorted(map(tuple, run.affected_days)),
        rejected,
    )


def test_new_data_take_the_direct_copy_and_store_what_the_upsert_would(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    staged: list[int] = []
    original_stage = upsert.stage
    monkeypatch.setattr(upsert, "stage", lambda frame, **kw: staged.append(len(frame)) or original_stage(frame, **kw))
    direct = ingest(FILE)
    assert staged == []  # nothing stored overlapped: no staging table
    direct_table, direct_summary = table(), summary(direct)
    assert direct.values_stored == 14
    Observation.objects.all().delete()
    RejectedRow.objects.all().delete()

    # The same file through the staging upsert (forced: every frame "overlaps").
    monkeypatch.setattr(upsert, "overlaps_stored", lambda frame: True)
    upserted = ingest(FILE, name="again.csv")
    assert staged == [14]
    assert table() == direct_table
    assert summary(upserted) == direct_summary
    assert set(Observation.objects.values_list("ingest_run_id", flat=True)) == {upserted.pk}


def test_overlapping_data_take_the_upsert_and_a_reingest_stores_nothing(db: None) -> None:
    first = ingest(FILE)
    before = table()
    again = ingest(FILE, name="again.csv")
    assert (again.values_stored, again.values_updated, again.values_unchanged) == (0, 0, 14)
    assert again.affected_days == []
    assert table() == before
    # A new hour of one station next to stored hours of the other is still new data for its stations.
    later = ingest(HEADER + b"2878A,2022-01-03T01:00+08:00,60,70,80,0.5\n", name="later.csv")
    assert (later.values_stored, later.values_updated) == (4, 0)
    assert later.affected_days == [["2878A", "2022-01-03"]]
    assert first.values_stored + later.values_stored == Observation.objects.count()


def test_new_data_found_overlapping_at_write_time_fall_back_to_the_upsert(db: None) -> None:
    ingest(HEADER + b"1625A,2022-01-01T01:00+08:00,100,168,12,1.4\n")
    run = services.ingest_run_create(content=FILE, file_name="late.csv", source=IngestRun.Source.COMMAND)
    from monitoring import formats
    from monitoring.services import _prepared_frame

    parsed = formats.parse_file(FILE, file_name="late.csv", known_stations={"1625A", "2878A"})
    frame = _prepared_frame(parsed, flavour=1)
    # Prepared as new data (as if the first file had not been committed yet), written after it was.
    prepared = upsert.Prepared(frame=frame, staged=False)
    try:
        result = upsert.write(prepared, run_id=run.pk)
    finally:
        upsert.drop_staging()
    # 1625A at 01:00 was stored: PM2.5 100 -> 101 is an update, its other three items are unchanged.
    assert (result.stored, result.updated) == (10, 1)
    assert Observation.objects.count() == 14


@pytest.mark.realstack
def test_binary_copy_round_trips_published_decimals(db: None) -> None:
    require("PostgreSQL", connection.vendor == "postgresql", "binary COPY is PostgreSQL's: set DATABASE_URL")
    values = [0.0, 0.1, 1.25, 2.05, 37.6, 1e-7, 12345.678, 0.3, 999.9]
    rows = "".join(f"1625A,2022-01-01T{h + 1:02d}:00+08:00,{v!r},1,1,1\n" for h, v in enumerate(values))
    ingest(HEADER + rows.encode())
    stored = list(
        Observation.objects.filter(pollutant=POLLUTANT_BY_CODE["pm25"]).order_by("time").values_list("value", flat=True)
    )
    assert len(stored) == len(values)
    assert sorted(stored) == sorted(values)


def whole_days_file(stations: tuple[str, ...], first_hour: int, hours: int) -> bytes:
    """A wide file of every item for ``hours`` consecutive hours from 2022-01-01 00:00 + ``first_hour`` h."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    start = datetime(2022, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
    lines = [b"station_code,time,PM2.5,PM10,SO2,NO2,O3,CO\n"]
    for index, code in enumerate(stations):
        for h in range(first_hour, first_hour + hours):
            stamp = (start + timedelta(hours=h)).strftime("%Y-%m-%dT%H:%M+08:00")
            values = (40 + h % 17 + index, 70 + h % 23, 9 + h % 5, 30 + h % 11, 20 + (h * 7) % 150, 0.6 + (h % 9) / 10)
            lines.append(f"{code},{stamp},{','.join(f'{v:g}' for v in values)}\n".encode())
    return b"".join(lines)


def station_days() -> list[tuple[Any, ...]]:
    from monitoring.models import StationDay

    fields = ("station__code", "date", "pm25", "pm10", "so2", "no2", "co", "o3_8h", "o3_1h", "aqi", "category")
    rest = ("primary_pollutants", "valid", "edition", "flavour")
    return sorted(StationDay.objects.values_list(*fields, *rest))


def stored_results() -> dict[str, list[tuple[Any, ...]]]:
    """Every stored result, without ids and computation times."""
    from monitoring.models import AreaDay, AreaPeriod, StationDay, StationPeriod

    out = {}
    for model, key in (
        (StationDay, "station__code"),
        (AreaDay, "area__code"),
        (StationPeriod, "station__code"),
        (AreaPeriod, "area__code"),
    ):
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if f.attname not in {"id", "computed_at", "station_id", "area_id"}
        ]
        out[model.__name__] = sorted(model.objects.values_list(key, *names))
    return out


def rebuilt_results() -> dict[str, list[tuple[Any, ...]]]:
    """The same results rebuilt from the stored hours by the full recompute."""
    from monitoring import results
    from monitoring.models import AreaDay, AreaPeriod, StationDay, StationPeriod

    for model in (StationDay, AreaDay, StationPeriod, AreaPeriod):
        model.objects.all().delete()
    results.plan_execute_inline(results.plan_full())
    return stored_results()


def test_new_whole_days_get_every_result_from_the_file_equal_to_a_recompute(
    db: None, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitoring import results

    scored: list[list[int]] = []
    monkeypatch.setattr(services, "results_changed_announce", lambda *, years: scored.append(years))
    with django_capture_on_commit_callbacks(execute=True):
        run = ingest(whole_days_file(("1625A", "2878A"), first_hour=1, hours=48))
    assert run.results_stored == IngestRun.ResultsStored.ALL
    assert results.plan_for_run(run.pk).empty  # nothing left for the recompute but the scores
    assert scored == [[2022]]
    from_file = stored_results()
    assert len(from_file["StationDay"]) == 4
    assert all(row[-3] for row in from_file["StationDay"])
    assert {row[0] for row in from_file["AreaDay"]} == {"371500", "371502"}  # the city and 东昌府区
    assert from_file["StationPeriod"]
    assert from_file["AreaPeriod"]
    assert rebuilt_results() == from_file


def test_whole_days_beside_other_stations_data_leave_the_areas_to_the_recompute(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    from monitoring import results

    with django_capture_on_commit_callbacks(execute=True):
        ingest(whole_days_file(("3200A",), first_hour=1, hours=24))  # another city station, same day
        run = ingest(whole_days_file(("1625A",), first_hour=1, hours=24))
    assert run.results_stored == IngestRun.ResultsStored.STATION_DAYS
    plan = results.plan_for_run(run.pk)
    assert not plan.station_units
    assert plan.area_units
    assert plan.period_units
    after = stored_results()
    assert {row[0] for row in after["AreaDay"]} == {"371500", "371502"}
    assert rebuilt_results() == after


def test_whole_days_later_in_a_year_with_stored_days_leave_the_periods_to_the_recompute(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    from monitoring import results

    with django_capture_on_commit_callbacks(execute=True):
        first = ingest(whole_days_file(("1625A", "2878A"), first_hour=1, hours=24))
        second = ingest(whole_days_file(("1625A", "2878A"), first_hour=25, hours=24))
    assert first.results_stored == IngestRun.ResultsStored.ALL
    assert second.results_stored == IngestRun.ResultsStored.AREA_DAYS
    plan = results.plan_for_run(second.pk)
    assert not plan.station_units
    assert not plan.area_units
    assert plan.period_units
    after = stored_results()
    assert rebuilt_results() == after


def test_hours_stored_earlier_in_the_year_without_results_yet_leave_the_periods_to_the_recompute(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    from monitoring import results

    january_first = services.ingest_run_create(
        content=whole_days_file(("1625A",), first_hour=1, hours=24), file_name="a.csv", source=IngestRun.Source.COMMAND
    )
    services.ingest_run_execute(run_id=january_first.pk, recompute=False)  # its recompute has not run yet
    with django_capture_on_commit_callbacks(execute=True):
        later = ingest(whole_days_file(("1625A",), first_hour=25, hours=24))
    assert later.results_stored == IngestRun.ResultsStored.AREA_DAYS
    assert results.plan_for_run(later.pk).period_units
    results.plan_execute_inline(results.plan_for_run(january_first.pk))
    after = stored_results()
    assert {row[1].isoformat() for row in after["StationDay"]} == {"2022-01-01", "2022-01-02"}
    assert rebuilt_results() == after


def test_hours_joining_stored_hours_of_their_day_are_recomputed_from_the_table(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    from monitoring import results

    with django_capture_on_commit_callbacks(execute=True):
        morning = ingest(whole_days_file(("1625A",), first_hour=1, hours=12))
    assert morning.results_stored == IngestRun.ResultsStored.ALL  # nothing else stored: the file holds it all
    assert station_days()[0][-3] is False  # 12 hours: not a valid day (HJ 663-2013 §4.1, 20 hours)
    with django_capture_on_commit_callbacks(execute=True):
        evening = ingest(whole_days_file(("1625A",), first_hour=13, hours=12))
    assert (evening.values_stored, evening.results_stored) == (72, IngestRun.ResultsStored.NONE)
    assert results.plan_for_run(evening.pk).station_units  # read back: the day's morning is in the table
    after_both = stored_results()
    assert after_both["StationDay"][0][1].isoformat() == "2022-01-01"
    assert after_both["StationDay"][0][-3] is True
    assert rebuilt_results() == after_both


def test_work_alongside_the_copy_reports_either_side_failing() -> None:
    done: list[str] = []

    def fail() -> None:
        raise ValueError("copy failed")

    with pytest.raises(ValueError, match="copy failed"):
        upsert._alongside(fail, lambda: done.append("foreground"))
    assert done == ["foreground"]
    with pytest.raises(KeyError):
        upsert._alongside(lambda: done.append("background"), lambda: {}["missing"])
    assert done == ["foreground", "background"]
