"""The two write paths of the ingest (monitoring.upsert): direct COPY of new data vs the staging upsert."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from monitoring import services, tasks, upsert
from monitoring.models import POLLUTANT_BY_CODE, IngestRun, Observation, RejectedRow
from targets.services import areas_load
from tests.services import require

HEADER = b"station_code,time,PM2.5,PM10,O3,CO\n"
FILE = HEADER + (
    b"1625A,2022-01-01T01:00+08:00,101,168,12,1.4\n"
    b"1625A,2022-01-01T02:00+08:00,95,150,,1.25\n"
    b"2878A,2022-01-01T01:00+08:00,88,abc,20,0.9\n"
    b"2878A,2022-01-02T00:00+08:00,77.5,140,31,2.05\n"
    b"2878A,2022-01-02T00:00+08:00,1,1,1,1\n"
)


@pytest.fixture
def stations(db: Any) -> None:
    areas_load()
    services.stations_load_national()


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
    stations: None, monkeypatch: pytest.MonkeyPatch
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


def test_overlapping_data_take_the_upsert_and_a_reingest_stores_nothing(stations: None) -> None:
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


def test_new_data_found_overlapping_at_write_time_fall_back_to_the_upsert(stations: None) -> None:
    ingest(HEADER + b"1625A,2022-01-01T01:00+08:00,100,168,12,1.4\n")
    run = services.ingest_run_create(content=FILE, file_name="late.csv", source=IngestRun.Source.COMMAND)
    from monitoring import formats
    from monitoring.services import _prepared_frame

    parsed = formats.parse_file(FILE, file_name="late.csv", known_stations={"1625A", "2878A"})
    frame = _prepared_frame(parsed, flavour=1)
    # Prepared as new data (as if the first file had not been committed yet), written after it was.
    prepared = upsert.Prepared(frame=frame, staged=False, payload=[])
    try:
        result = upsert.write(prepared, run_id=run.pk)
    finally:
        upsert.drop_staging()
    # 1625A at 01:00 was stored: PM2.5 100 -> 101 is an update, its other three items are unchanged.
    assert (result.stored, result.updated) == (10, 1)
    assert Observation.objects.count() == 14


@pytest.mark.realstack
def test_binary_copy_round_trips_published_decimals(stations: None) -> None:
    require("PostgreSQL", connection.vendor == "postgresql", "binary COPY is PostgreSQL's: set DATABASE_URL")
    values = [0.0, 0.1, 1.25, 2.05, 37.6, 1e-7, 12345.678, 0.3, 999.9]
    rows = "".join(f"1625A,2022-01-01T{h + 1:02d}:00+08:00,{v!r},1,1,1\n" for h, v in enumerate(values))
    ingest(HEADER + rows.encode())
    stored = list(
        Observation.objects.filter(pollutant=POLLUTANT_BY_CODE["pm25"]).order_by("time").values_list("value", flat=True)
    )
    assert len(stored) == len(values)
    assert sorted(stored) == sorted(values)
