"""Upload page, run pages, progress endpoint, rejected-rows download and data-quality view."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from monitoring import services
from monitoring.models import IngestRun, Observation

HEADER = b"station_code,time,pollutant,value\n"
CONTENT = HEADER + b"1625A,2022-01-01T01:00+08:00,PM10,120\n1625A,2022-01-01T02:00+08:00,PM10,oops\n"


@pytest.fixture
def run(db: None) -> IngestRun:
    from monitoring.tasks import ingest_file

    created = services.ingest_run_create(content=CONTENT, file_name="hours.csv", source=IngestRun.Source.COMMAND)
    ingest_file.apply(args=[created.pk])
    created.refresh_from_db()
    return created


def test_bureau_staff_upload_a_file_and_land_on_the_finished_run(
    client: Any, bureau: Any, db: None, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(bureau)
    assert client.get(reverse("monitoring:upload")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("monitoring:upload"), {"file": SimpleUploadedFile("hours.csv", CONTENT), "flavour": 1}
        )
    run = IngestRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:run-detail", args=[run.pk])
    assert (run.state, run.source, run.started_by, run.values_stored, run.values_rejected) == (
        "succeeded",
        "upload",
        bureau,
        1,
        1,
    )
    assert run.file.read() == CONTENT  # the original is kept
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "ingest-progress.js" in page.content.decode()
    assert "数值不是数字" in page.content.decode()


def test_upload_rejects_a_file_of_the_wrong_type_with_a_message(client: Any, bureau: Any, db: None) -> None:
    client.force_login(bureau)
    response = client.post(reverse("monitoring:upload"), {"file": SimpleUploadedFile("a.pdf", b"%PDF"), "flavour": 1})
    assert response.status_code == 200
    assert "不支持的文件类型" in response.content.decode()
    assert IngestRun.objects.count() == 0


def test_county_official_gets_403_and_the_public_the_login_page(client: Any, official_a: Any, run: IngestRun) -> None:
    urls = [
        reverse("monitoring:upload"),
        reverse("monitoring:run-list"),
        reverse("monitoring:run-detail", args=[run.pk]),
        reverse("monitoring:run-progress", args=[run.pk]),
        reverse("monitoring:run-rejected", args=[run.pk]),
        reverse("monitoring:quality"),
    ]
    for url in urls:
        anonymous = client.get(url)
        assert anonymous.status_code == 302
        assert reverse("accounts:login") in anonymous["Location"]
    client.force_login(official_a)
    for url in urls:
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("monitoring:upload"), {"file": SimpleUploadedFile("h.csv", CONTENT), "flavour": 1})
    assert response.status_code == 403
    assert IngestRun.objects.count() == 1


def test_progress_endpoint_reports_state_counts_and_percent(client: Any, bureau: Any, run: IngestRun) -> None:
    client.force_login(bureau)
    data = client.get(reverse("monitoring:run-progress", args=[run.pk])).json()
    assert data["state"] == "succeeded"
    assert data["finished"] is True
    assert (data["percent"], data["done"], data["total"]) == (100, 1, 1)
    assert (data["read"], data["stored"], data["rejected"]) == (2, 1, 1)
    queued = services.ingest_run_create(content=CONTENT, file_name="later.csv", source=IngestRun.Source.UPLOAD)
    IngestRun.objects.filter(pk=queued.pk).update(state="running", progress_done=25, progress_total=100)
    data = client.get(reverse("monitoring:run-progress", args=[queued.pk])).json()
    assert (data["finished"], data["percent"]) == (False, 25)


def test_bureau_staff_download_rejected_rows_as_csv(client: Any, bureau: Any, run: IngestRun) -> None:
    client.force_login(bureau)
    response = client.get(reverse("monitoring:run-rejected", args=[run.pk]))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("行号,字段,原始值,原因代码")
    assert lines[1] == "3,value,oops,not_numeric,数值不是数字"


def test_a_rejected_value_that_begins_like_a_formula_is_downloaded_as_text(client: Any, bureau: Any, db: None) -> None:
    """A partner's file is untrusted: its raw values reach the bureau's spreadsheet as text (areas.exports)."""
    from monitoring.tasks import ingest_file

    content = HEADER + b'1625A,2022-01-01T01:00+08:00,PM10,"=HYPERLINK(""http://x.example"",""1"")"\n'
    created = services.ingest_run_create(content=content, file_name="bad.csv", source=IngestRun.Source.COMMAND)
    ingest_file.apply(args=[created.pk])
    client.force_login(bureau)
    text = client.get(reverse("monitoring:run-rejected", args=[created.pk])).content.decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(text)))[1]
    assert row[2] == '\'=HYPERLINK("http://x.example","1")'


def test_run_list_shows_runs(client: Any, bureau: Any, run: IngestRun) -> None:
    client.force_login(bureau)
    response = client.get(reverse("monitoring:run-list"))
    assert "hours.csv" in response.content.decode()


@time_machine.travel(datetime(2022, 1, 1, 5, 30, tzinfo=UTC), tick=False)
def test_data_quality_shows_capture_flagged_values_and_stale_feeds(
    client: Any, bureau: Any, db: None, settings: Any
) -> None:
    from monitoring.tasks import ingest_file

    settings.MONITORING_STALE_AFTER_HOURS = 6
    content = HEADER + b"".join(
        f"1625A,2022-01-01T{hour:02d}:00+08:00,PM10,{700 if hour == 3 else 100}\n".encode() for hour in range(1, 13)
    )
    created = services.ingest_run_create(content=content, file_name="h.csv", source=IngestRun.Source.COMMAND)
    ingest_file.apply(args=[created.pk])
    assert Observation.objects.filter(flags=1).count() == 1
    client.force_login(bureau)
    response = client.get(reverse("monitoring:quality"), {"month": "2022-01"})
    assert response.status_code == 200
    capture = {row.station.code: row for row in response.context["capture"]}
    assert capture["1625A"].hours_expected == 31 * 24
    assert capture["1625A"].hours_present == {"pm10": 12}
    assert [item.value for item in response.context["flagged"]] == [700.0]
    # 1625A reported until 12:00 China time (04:00 UTC); the other four never reported.
    assert sorted(item.station.code for item in response.context["stale"]) == ["2878A", "3200A", "3512A", "3513A"]
    assert client.get(reverse("monitoring:quality"), {"month": "2022-13"}).status_code == 404


@pytest.mark.parametrize("per_statement", [400, 2])
def test_capture_counts_each_stations_hours_of_the_months_natural_days(
    db: None, monkeypatch: Any, per_statement: int
) -> None:
    """The natural day ends with the hour ending at 00:00 (HJ 663): 1 Feb 00:00 is January's, 1 Mar 00:00 is
    February's. Counted in statements of ``per_statement`` stations."""
    from monitoring import selectors
    from monitoring.tasks import ingest_file

    monkeypatch.setattr(selectors, "CAPTURE_STATIONS_PER_STATEMENT", per_statement)
    rows = [
        "1625A,2022-02-01T00:00+08:00,PM10,50",
        "1625A,2022-02-01T01:00+08:00,PM10,50",
        "1625A,2022-03-01T00:00+08:00,PM10,50",
        "1625A,2022-03-01T01:00+08:00,PM10,50",
        "3513A,2022-02-14T08:00+08:00,CO,0.8",
        "3513A,2022-02-14T09:00+08:00,PM2.5,30",
    ]
    created = services.ingest_run_create(
        content=HEADER + "".join(f"{row}\n" for row in rows).encode(),
        file_name="h.csv",
        source=IngestRun.Source.COMMAND,
    )
    ingest_file.apply(args=[created.pk])
    capture = {row.station.code: row.hours_present for row in selectors.data_capture(year=2022, month=2)}
    assert capture == {"1625A": {"pm10": 2}, "2878A": {}, "3200A": {}, "3512A": {}, "3513A": {"co": 1, "pm25": 1}}


def test_a_station_file_with_a_name_too_long_for_the_disk_is_stored(db: None) -> None:
    """A partner's file name may pass the file system's 255 bytes: the run keeps it, the disk its checksum."""
    name = "聊城市" * 40 + ".csv"  # 364 bytes in UTF-8
    run = services.ingest_run_create(content=CONTENT, file_name=name, source=IngestRun.Source.COMMAND)
    assert run.file_name == name
    assert run.file.name.endswith(f"{run.checksum[:32]}.csv")
    assert run.file.read() == CONTENT


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "1999-12", "2100-01"])
def test_data_quality_of_a_month_outside_the_years_any_observation_can_have_is_not_found(
    client: Any, bureau: Any, db: None, month: str
) -> None:
    client.force_login(bureau)
    assert client.get(reverse("monitoring:quality"), {"month": month}).status_code == 404


def stored_originals(settings: Any) -> list[Any]:
    from pathlib import Path

    root = Path(settings.MEDIA_ROOT) / "ingest"
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("errno", "reason"), [(28, "No space left on device"), (30, "Read-only file system")], ids=["full", "read-only"]
)
def test_an_upload_the_disk_cannot_take_fails_cleanly_and_leaves_no_file(
    client: Any, bureau: Any, db: None, settings: Any, monkeypatch: pytest.MonkeyPatch, errno: int, reason: str
) -> None:
    """A full or read-only disk gave a raw 500 and left a truncated file: now the form says why, no run is
    recorded and nothing of the file is left."""
    from django.core.files.storage import FileSystemStorage

    real_save = FileSystemStorage._save

    def half_written(self: FileSystemStorage, name: str, content: Any) -> str:
        real_save(self, name, SimpleUploadedFile(name, CONTENT[:10]))  # part of it reaches the disk
        raise OSError(errno, reason)

    monkeypatch.setattr(FileSystemStorage, "_save", half_written)
    client.force_login(bureau)
    response = client.post(
        reverse("monitoring:upload"), {"file": SimpleUploadedFile("hours.csv", CONTENT), "flavour": 1}
    )
    assert response.status_code == 503
    assert f"服务器无法保存上传的文件（{reason}）" in response.content.decode()
    assert not IngestRun.objects.exists()
    assert stored_originals(settings) == []


def test_a_run_that_cannot_be_recorded_leaves_no_stored_file(
    db: None, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import OperationalError

    def database_gone(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(IngestRun, "save", database_gone)
    with pytest.raises(OperationalError):
        services.ingest_run_create(content=CONTENT, file_name="hours.csv", source=IngestRun.Source.COMMAND)
    assert stored_originals(settings) == []
