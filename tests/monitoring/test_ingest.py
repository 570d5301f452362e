"""The ingest job: idempotence, corrections, flavours, bad input, the command and the scheduled fetch."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from monitoring import fetch, services, tasks
from monitoring.models import Flavour, IngestRun, Observation, Pollutant, RejectedRow
from monitoring.selectors import ingest_run_affected_days, observations_frame
from tests.data import CNEMC_DIR

DATA = CNEMC_DIR
HEADER = b"station_code,time,pollutant,value\n"


def ingest(content: bytes, *, name: str = "hours.csv", flavour: int = Flavour.REALTIME) -> IngestRun:
    run = services.ingest_run_create(content=content, file_name=name, source=IngestRun.Source.COMMAND, flavour=flavour)
    tasks.ingest_file.apply(args=[run.pk])
    run.refresh_from_db()
    return run


def all_values() -> set[tuple[str, int, datetime, float]]:
    return set(Observation.objects.values_list("station__code", "pollutant", "time", "value"))


def test_real_long_files_and_raw_cnemc_files_store_the_same_observations(db: None) -> None:
    for day in ("2022-01-01", "2023-06-01"):
        ingest((DATA / f"hourly_{day}.csv").read_bytes(), name=f"hourly_{day}.csv")
    from_long = all_values()
    assert len(from_long) == 720 + 711
    Observation.objects.all().delete()
    raw_runs = [ingest(path.read_bytes(), name=path.name) for path in sorted(DATA.glob("raw/*.csv"))]
    assert all(run.state == IngestRun.State.SUCCEEDED for run in raw_runs)
    assert all_values() == from_long
    double = next(run for run in raw_runs if run.file_name == "2023-06-01T02.csv")
    assert (double.values_stored, double.values_duplicate, double.values_rejected) == (30, 30, 0)


def test_missing_cnemc_values_are_reported_as_empty(db: None) -> None:
    run = ingest((DATA / "raw/2023-06-01T10.csv").read_bytes(), name="2023-06-01T10.csv")
    reasons = set(run.rejected_rows.values_list("line", "field", "reason"))
    # 3200A (line 4) lacks O3; 3513A (line 6) lacks SO2, NO2 and O3 at 10:00 (data README).
    assert reasons == {(4, "o3_24h", "empty"), (6, "so2", "empty"), (6, "no2", "empty"), (6, "o3_24h", "empty")}
    assert run.values_stored == 26


def test_reingesting_the_same_file_changes_nothing(db: None) -> None:
    content = (DATA / "hourly_2022-01-01.csv").read_bytes()
    first = ingest(content)
    before = set(Observation.objects.values_list("station__code", "pollutant", "time", "value", "ingest_run_id"))
    again = ingest(content)
    assert (first.values_stored, first.values_updated) == (720, 0)
    assert (again.values_read, again.values_stored, again.values_updated, again.values_unchanged) == (720, 0, 0, 720)
    assert again.affected_days == []
    after = set(Observation.objects.values_list("station__code", "pollutant", "time", "value", "ingest_run_id"))
    assert after == before


def test_a_correction_replaces_the_value_and_counts_as_updated(db: None) -> None:
    ingest(HEADER + b"1625A,2022-01-02T00:00+08:00,PM2.5,101\n1625A,2022-01-01T23:00+08:00,PM2.5,90\n")
    run = ingest(HEADER + b"1625A,2022-01-02T00:00+08:00,PM2.5,105\n1625A,2022-01-01T23:00+08:00,PM2.5,90\n")
    assert (run.values_stored, run.values_updated, run.values_unchanged) == (0, 1, 1)
    assert Observation.objects.get(time=datetime(2022, 1, 1, 16, tzinfo=UTC)).value == 105.0
    # The 00:00 value is the previous natural day's 24:00 (HJ 663).
    assert ingest_run_affected_days(run) == {"1625A": {date(2022, 1, 1)}}


def test_realtime_never_overwrites_reviewed_but_reviewed_replaces_realtime(db: None) -> None:
    row = b"1625A,2022-01-01T10:00+08:00,PM10,"
    ingest(HEADER + row + b"150\n")
    reviewed = ingest(HEADER + row + b"140\n", flavour=Flavour.REVIEWED)
    assert reviewed.values_updated == 1
    late_realtime = ingest(HEADER + row + b"150\n")
    assert (late_realtime.values_updated, late_realtime.values_unchanged, late_realtime.values_kept_reviewed) == (
        0,
        1,
        1,
    )
    stored = Observation.objects.get(pollutant=Pollutant.PM10)
    assert (stored.value, stored.flavour, stored.ingest_run_id) == (140.0, Flavour.REVIEWED, reviewed.pk)


def test_a_file_of_only_bad_rows_stores_nothing_and_reports_every_row(db: None) -> None:
    content = (
        HEADER + b"1625A,2022-01-01T01:00+08:00,PM2.5,\n"
        b"1625A,2022-01-01T02:00+08:00,PM2.5,abc\n"
        b"1625A,2022-01-01T03:00+08:00,PM2.5,-1\n"
        b"NOPE1,2022-01-01T04:00+08:00,PM2.5,50\n"
    )
    run = ingest(content)
    assert run.state == IngestRun.State.SUCCEEDED
    assert Observation.objects.count() == 0
    assert (run.values_read, run.values_rejected, run.values_stored) == (4, 4, 0)
    assert list(RejectedRow.objects.filter(run=run).values_list("line", "reason")) == [
        (2, "empty"),
        (3, "not_numeric"),
        (4, "negative"),
        (5, "unknown_station"),
    ]


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (b"\xff\xfe\x00\x00garbage", "hours.csv", "CSV"),
        (b"foo,bar\n1,2\n", "hours.csv", "表头"),
        (b"PK\x03\x04broken", "hours.xlsx", "Excel"),
        (b"", "hours.csv", "为空"),
    ],
)
def test_an_unreadable_file_fails_the_run_cleanly(db: None, content: bytes, name: str, words: str) -> None:
    run = ingest(content, name=name)
    assert run.state == IngestRun.State.FAILED
    assert words in run.error_message
    assert run.finished_at is not None
    assert Observation.objects.count() == 0
    assert RejectedRow.objects.count() == 0


def test_values_above_the_plausibility_ceiling_are_stored_and_flagged(db: None, settings: Any) -> None:
    settings.MONITORING_PLAUSIBILITY_CEILING = {**settings.MONITORING_PLAUSIBILITY_CEILING, "pm10": 600.0}
    run = ingest(HEADER + b"1625A,2022-01-01T01:00+08:00,PM10,1200\n1625A,2022-01-01T02:00+08:00,PM10,600\n")
    assert run.values_flagged == 1
    flags = dict(Observation.objects.values_list("value", "flags"))
    assert flags == {1200.0: 1, 600.0: 0}


def test_observations_frame_reads_natural_days(db: None) -> None:
    ingest((DATA / "hourly_2022-01-01.csv").read_bytes())
    frame = observations_frame(first=date(2022, 1, 1), last=date(2022, 1, 1), station_codes=["1625A"])
    assert len(frame) == 24 * 6
    assert frame["time"].min().isoformat() == "2022-01-01T01:00:00+08:00"
    assert frame["time"].max().isoformat() == "2022-01-02T00:00:00+08:00"
    first_pm25 = frame[(frame["pollutant"] == "pm25")].iloc[0]
    assert first_pm25["value"] == 101.0


def test_successful_ingest_hands_the_run_to_the_recompute_after_commit(
    db: None, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    monkeypatch.setattr(services, "results_recompute_for_run", lambda *, run_id, **_: seen.append(run_id))
    with django_capture_on_commit_callbacks(execute=True):
        run = ingest(HEADER + b"1625A,2022-01-01T01:00+08:00,PM10,120\n")
    assert seen == [run.pk]


def test_recompute_of_a_run_deleted_before_the_task_ran_has_nothing_to_do(db: Any) -> None:
    assert tasks.recompute_after_ingest.apply(args=[987654]).get() is True
    from monitoring.models import StationDay

    assert not StationDay.objects.exists()


def test_ingest_command_prints_a_summary_line_and_where_rejected_rows_are(db: None, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes(HEADER + b"1625A,2022-01-01T01:00+08:00,PM10,120\n1625A,2022-01-01T02:00+08:00,PM10,x\n")
    from io import StringIO

    out = StringIO()
    call_command("ingest", str(good), stdout=out)
    run = IngestRun.objects.get()
    assert "read 2, stored 1, updated 0" in out.getvalue()
    assert "rejected 1" in out.getvalue()
    assert f"/monitoring/ingest/runs/{run.pk}/rejected.csv" in out.getvalue()
    assert run.source == IngestRun.Source.COMMAND


def test_ingest_command_fails_only_when_a_file_cannot_be_read(db: None, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes(HEADER + b"1625A,2022-01-01T01:00+08:00,PM10,-5\n")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"what,is,this\n")
    call_command("ingest", str(good))  # only rejected rows: exit 0
    with pytest.raises(CommandError, match=r"bad\.csv"):
        call_command("ingest", str(good), str(bad), str(tmp_path / "missing.csv"))


def fetch_now(**kwargs: Any) -> list[IngestRun]:
    """The scheduled fetch as the beat task runs it, in this process."""
    return fetch.fetch_new_files(enqueue=tasks.ingest_file_enqueue, **kwargs)


def test_scheduled_fetch_does_nothing_without_a_source(settings: Any, db: Any) -> None:
    settings.MONITORING_FETCH_SOURCE = ""
    assert tasks.fetch_new_files.apply().get() == []
    assert "monitoring-fetch-new-files" in settings.CELERY_BEAT_SCHEDULE


def test_scheduled_fetch_from_a_folder_ingests_new_files_once(
    db: None, settings: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    source = tmp_path / "incoming"
    source.mkdir()
    for path in sorted(DATA.glob("raw/2022-01-01T0*.csv")):
        (source / path.name).write_bytes(path.read_bytes())
    settings.MONITORING_FETCH_SOURCE = str(source)
    with django_capture_on_commit_callbacks(execute=True):
        first = fetch_now()
    assert len(first) == 9
    assert all(run.source == IngestRun.Source.SCHEDULED for run in first)
    assert Observation.objects.count() == 9 * 30  # eager mode: ingested at once
    assert fetch_now() == []  # same checksums: not ingested again
    # A re-published file with a corrected value has a new checksum and updates the value.
    name = "2022-01-01T05.csv"
    lines = (source / name).read_text(encoding="utf-8").splitlines()
    fields = lines[1].split(",")
    fields[10] = str(int(fields[10]) + 7)  # pm2_5
    lines[1] = ",".join(fields)
    (source / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        again = fetch_now()
    assert [run.file_name for run in again] == [name]
    again[0].refresh_from_db()
    assert again[0].values_updated == 1


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """A quiet HTTP server of ``folder`` on a free port, for the scheduled fetch; yields its address."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def test_scheduled_fetch_from_an_http_file_pattern_with_look_back(
    db: None, settings: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    served = tmp_path / "www"
    served.mkdir()
    for path in DATA.glob("raw/2022-01-01T1[0-2].csv"):
        (served / path.name).write_bytes(path.read_bytes())

    with serving(served) as address:
        settings.MONITORING_FETCH_SOURCE = f"{address}/{{time:%Y-%m-%dT%H}}.csv"
        settings.MONITORING_FETCH_LOOKBACK_HOURS = 2
        now = datetime(2022, 1, 1, 4, 30, tzinfo=UTC)  # 12:30 China time: look back to 10:00
        with django_capture_on_commit_callbacks(execute=True):
            runs = fetch_now(now=now)
    assert sorted(run.file_name for run in runs) == ["2022-01-01T10.csv", "2022-01-01T11.csv", "2022-01-01T12.csv"]
    assert Observation.objects.count() == 3 * 30


def test_rejected_values_are_stored_with_their_text_exactly(db: None) -> None:
    awkward = ['"1,5"', '"say ""ten"""', '"two\nlines"', "\\N", "", "-3"]
    rows = "".join(f"1625A,2022-01-01T{hour + 1:02d}:00+08:00,PM10,{text}\n" for hour, text in enumerate(awkward))
    run = ingest(HEADER + rows.encode())
    stored = list(RejectedRow.objects.filter(run=run).order_by("line").values_list("raw_value", "reason"))
    assert stored == [
        ("1,5", "not_numeric"),
        ('say "ten"', "not_numeric"),
        ("two\nlines", "not_numeric"),
        ("\\N", "not_numeric"),
        ("", "empty"),
        ("-3", "negative"),
    ]


def test_scheduled_fetch_skips_files_past_the_size_limit_and_takes_the_rest(
    db: None, settings: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """The upload's limit holds for the fetch too: a larger file in the folder or on the server is not read
    (a warning says so), and the fetch goes on with the others."""
    source = tmp_path / "incoming"
    source.mkdir()
    small = DATA / "raw/2022-01-01T01.csv"
    (source / small.name).write_bytes(small.read_bytes())
    (source / "2022-01-01T02.csv").write_bytes(b"x" * 5000)
    settings.MONITORING_FETCH_SOURCE = str(source)
    settings.STATION_FILE_MAX_BYTES = 4000
    assert small.stat().st_size < 4000
    with django_capture_on_commit_callbacks(execute=True):
        runs = fetch_now()
    assert [run.file_name for run in runs] == [small.name]

    served = tmp_path / "www"
    served.mkdir()
    (served / "2022-01-01T12.csv").write_bytes(b"x" * 5000)

    with serving(served) as address:
        settings.MONITORING_FETCH_SOURCE = f"{address}/{{time:%Y-%m-%dT%H}}.csv"
        settings.MONITORING_FETCH_LOOKBACK_HOURS = 0
        assert fetch_now(now=datetime(2022, 1, 1, 4, 30, tzinfo=UTC)) == []
