"""Hostile and oversized files are refused before they are read, in little memory, with the reason
(monitoring.formats: MAX_COLUMNS, MAX_ROWS, MAX_CELLS, XLSX_MAX_UNCOMPRESSED_BYTES)."""

from __future__ import annotations

import io
import re
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from monitoring import formats, services
from monitoring.models import IngestRun, Observation

HEADER = ["station_code", "time", "pollutant", "value"]
ROW = ["1625A", "2024-01-01T01:00+08:00", "PM2.5", "35"]


def workbook_bytes(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_sheet_xml(content: bytes, change) -> bytes:  # type: ignore[no-untyped-def]
    """The workbook with its first sheet's XML passed through ``change``."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            out.writestr(item.filename, data)
    return target.getvalue()


def test_an_xlsx_declaring_the_whole_sheet_as_its_dimension_is_read_in_little_memory() -> None:
    """A 1.5 KB workbook that declares A1:XFD1048576 grew memory past 8 GiB: the dimension is not trusted."""
    content = with_sheet_xml(
        workbook_bytes([HEADER, ROW]),
        lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml),
    )
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    tracemalloc.start()
    try:
        parsed = formats.parse_file(content, file_name="declared.xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(parsed.frame) == 1
    assert peak < 50 * 1024 * 1024


def test_an_xlsx_that_unpacks_past_the_limit_is_refused_before_it_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A zip bomb: the sizes the zip directory declares are checked before any XML is parsed."""
    monkeypatch.setattr(formats, "XLSX_MAX_UNCOMPRESSED_BYTES", 64 * 1024)
    content = workbook_bytes([HEADER] + [ROW] * 2000)  # ~100 KB of sheet XML, a few KB zipped
    assert len(content) < 64 * 1024
    with pytest.raises(formats.UnreadableFileError) as refused:
        formats.parse_file(content, file_name="bomb.xlsx")
    assert refused.value.code is formats.Unreadable.TOO_LARGE
    assert "unpacks to" in refused.value.detail


def test_an_xlsx_with_more_rows_than_allowed_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formats, "MAX_ROWS", 100)
    with pytest.raises(formats.UnreadableFileError) as refused:
        formats.parse_file(workbook_bytes([HEADER] + [ROW] * 150), file_name="long.xlsx")
    assert refused.value.code is formats.Unreadable.TOO_LARGE


def test_trailing_empty_cells_of_an_xlsx_are_ignored() -> None:
    parsed = formats.parse_file(workbook_bytes([[*HEADER, None, ""], [*ROW, None, None]]), file_name="pad.xlsx")
    assert list(parsed.frame["value"]) == [35.0]
    assert parsed.rejections == ()


def test_a_csv_header_of_a_million_columns_is_refused_at_once() -> None:
    """It took 2 GiB and 140 s and was called a success."""
    content = (",".join(f"c{n}" for n in range(1_000_000)) + "\n1,2\n").encode()
    tracemalloc.start()
    try:
        with pytest.raises(formats.UnreadableFileError) as refused:
            formats.parse_file(content, file_name="wide.csv")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.code is formats.Unreadable.TOO_LARGE
    assert "1,000,000 columns" in refused.value.detail
    assert peak < 50 * 1024 * 1024


def test_a_csv_with_more_rows_or_cells_than_allowed_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    text = ",".join(HEADER) + "\n" + "\n".join([",".join(ROW)] * 50) + "\n"
    monkeypatch.setattr(formats, "MAX_ROWS", 20)
    with pytest.raises(formats.UnreadableFileError, match="rows"):
        formats.parse_file(text.encode(), file_name="long.csv")
    monkeypatch.setattr(formats, "MAX_ROWS", 1000)
    monkeypatch.setattr(formats, "MAX_CELLS", 100)
    with pytest.raises(formats.UnreadableFileError, match="cells"):
        formats.parse_file(text.encode(), file_name="long.csv")


@pytest.mark.django_db
def test_the_run_of_an_oversized_file_fails_with_the_reason_and_stores_nothing() -> None:
    content = (",".join(f"c{n}" for n in range(600)) + "\n").encode()
    run = services.ingest_run_create(content=content, file_name="wide.csv", source=IngestRun.Source.COMMAND)
    run = services.ingest_run_execute(run_id=run.pk, recompute=None)
    assert run.state == IngestRun.State.FAILED
    assert "文件超出导入限制" in run.error_message
    assert "600 columns; at most 500" in run.error_message
    assert Observation.objects.count() == 0
