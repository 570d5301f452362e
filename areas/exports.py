"""Every table download of the product, as CSV or Excel: one way, used by every app.

- Numbers are numbers: an ``int``, ``float`` or ``Decimal`` cell is a number cell in Excel; a ``Decimal``
  keeps its places (``Decimal("63.70")`` is shown as 63.70, the way the pages show it).
- CSV is UTF-8 with a byte-order mark, so Excel on Windows opens the Chinese as Chinese.
- Text that a spreadsheet would run as a formula (it begins with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return: OWASP "CSV injection") is shown, never run: in CSV it gets a leading apostrophe, in
  Excel it is written as a text cell. Station files, reasons and names are typed by people and partners.

It sits in areas/, the ground every app stands on, so that every app reaches the same one (docs/style:
cross-cutting helpers live once, in the lowest place all their users can reach). tablib would do the
Excel half (its ``escape`` option) but not the CSV half; openpyxl and the csv module are already here.

Every download's title line carries the marks registered with ``title_mark_register``: the demo mark
("演示数据"), which liaocheng_air registers because the record of loaded demo data lives above this layer.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMATS = ("csv", "xlsx")
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
NUMBER_TYPES = (int, float, Decimal)

Cell = str | int | float | Decimal | datetime.date | datetime.datetime | None


@dataclass(frozen=True)
class Table:
    """What a download holds: an optional title line, a header row, the rows."""

    header: Sequence[Any]
    rows: Iterable[Sequence[Cell]]
    title: str = ""
    sheet_name: str = "Sheet1"
    column_widths: Sequence[int] = ()
    """Excel column widths in characters, from the first column; the rest keep Excel's default."""


def _is_number(value: object) -> bool:
    return isinstance(value, NUMBER_TYPES) and not isinstance(value, bool)


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if _is_number(value):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_LEADS) else text


def csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if table.title:
        writer.writerow([_csv_cell(table.title)])
    writer.writerow([_csv_cell(str(h)) for h in table.header])
    for row in table.rows:
        writer.writerow([_csv_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def _decimal_format(value: Decimal) -> str:
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "0." + "0" * places if places else "0"


def _xlsx_row(sheet: Any, row: int, values: Sequence[Cell], *, bold: bool = False) -> None:
    for column, value in enumerate(values, start=1):
        if value is None:
            continue
        cell = sheet.cell(row=row, column=column)
        if _is_number(value):
            cell.value = value
            if isinstance(value, Decimal):
                cell.number_format = _decimal_format(value)
        elif isinstance(value, datetime.datetime):
            cell.value = value.replace(tzinfo=None)  # Excel has no time zones: the wall time as given
        elif isinstance(value, datetime.date):
            cell.value = value
        else:
            cell.value = str(value)
            cell.data_type = TYPE_STRING  # shown as text, never evaluated, whatever it begins with
        if bold:
            cell.font = Font(bold=True)


def xlsx_bytes(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = table.sheet_name[:31]
    lines: list[tuple[Sequence[Cell], bool]] = [([table.title], True)] if table.title else []
    lines.append(([str(h) for h in table.header], True))
    for number, (values, bold) in enumerate(lines, start=1):
        _xlsx_row(sheet, number, values, bold=bold)
    for number, values in enumerate(table.rows, start=len(lines) + 1):
        _xlsx_row(sheet, number, values)
    for index, width in enumerate(table.column_widths, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


_TITLE_MARKS: list[Callable[[], str]] = []


def title_mark_register(mark: Callable[[], str]) -> None:
    """Add a mark every download's title line carries when ``mark()`` is not empty (asked per download)."""
    if mark not in _TITLE_MARKS:
        _TITLE_MARKS.append(mark)


def marked(table: Table) -> Table:
    """``table`` with the registered marks after its title (a title line of the marks alone if it has none)."""
    marks = [text for text in (mark() for mark in _TITLE_MARKS) if text]
    if not marks:
        return table
    return replace(table, title=" · ".join([table.title, *marks] if table.title else marks))


def table_response(table: Table, *, fmt: str, filename: str) -> HttpResponse:
    """A download of ``table`` as ``filename.csv`` or ``filename.xlsx``; any other format is a 404."""
    if fmt not in FORMATS:
        raise Http404(f"unknown export format {fmt!r}: use csv or xlsx")
    table = marked(table)
    if fmt == "csv":
        response = HttpResponse(csv_bytes(table), content_type=CSV_CONTENT_TYPE)
    else:
        response = HttpResponse(xlsx_bytes(table), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
