"""Reading hourly files: formats, encodings, validation (pure, no database)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import Workbook

from monitoring import formats
from monitoring.formats import FileFormat, ParsedFile, Reason, Unreadable, UnreadableFileError, parse_file
from tests.data import CNEMC_DIR

DATA = CNEMC_DIR
STATIONS = {"1625A", "2878A", "3200A", "3512A", "3513A"}
CNEMC_HEADER = (
    "timepoint,stationcode,longitude,latitude,area,positionname,primarypollutant,aqi,pm10,pm10_24h,pm2_5,"
    "pm2_5_24h,o3,o3_24h,o3_8h,o3_8h_24h,no2,no2_24h,so2,so2_24h,co,co_24h"
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_long_file_is_read_with_times_as_end_of_hour_in_utc() -> None:
    content = (
        b"station_code,time,pollutant,value\n"
        b"1625A,2022-01-01T01:00+08:00,PM2.5,101\n"
        b"1625A,2022-01-01T01:00+08:00,co,1.4\n"
    )
    parsed = parse_file(content, file_name="a.csv", known_stations=STATIONS)
    assert parsed.file_format is FileFormat.LONG
    assert parsed.encoding == "utf-8"
    assert parsed.frame["pollutant"].tolist() == ["pm25", "co"]
    assert parsed.frame["value"].tolist() == [101.0, 1.4]
    assert parsed.frame["time"].iloc[0] == utc(2021, 12, 31, 17)
    assert str(parsed.frame["time"].dtype) == "datetime64[ns, UTC]"
    assert parsed.frame["line"].tolist() == [2, 3]


def test_time_without_offset_is_china_time_and_24_00_is_next_midnight() -> None:
    content = (
        b"station_code,time,pollutant,value\n"
        b"1625A,2022-01-01 16:00,PM25,50\n"
        b"1625A,2022-01-01T24:00,pm2_5,60\n"
        b"1625A,2022-01-01T08:00Z,PM10,70\n"
    )
    parsed = parse_file(content, file_name="a.csv")
    # 16:00 China = 08:00 UTC; 2022-01-01 24:00 China = 2022-01-02 00:00 China = 2022-01-01 16:00 UTC.
    assert parsed.frame["time"].tolist() == [utc(2022, 1, 1, 8), utc(2022, 1, 1, 16), utc(2022, 1, 1, 8)]


def test_wide_file_gives_one_value_per_pollutant_column() -> None:
    content = b"station_code,time,PM2.5,PM10,O3\n1625A,2022-01-01T01:00+08:00,101,168,\n"
    parsed = parse_file(content, file_name="wide.csv", known_stations=STATIONS)
    assert parsed.file_format is FileFormat.WIDE
    assert parsed.frame["pollutant"].tolist() == ["pm25", "pm10"]
    assert [(r.line, r.field, r.raw_value, r.reason) for r in parsed.rejections] == [(2, "o3", "", Reason.EMPTY)]


def test_utf8_with_bom_is_read() -> None:
    content = "\ufeffstation_code,time,pollutant,value\n1625A,2022-01-01T01:00+08:00,SO2,9\n".encode()
    parsed = parse_file(content, file_name="bom.csv")
    assert parsed.encoding == "utf-8-sig"
    assert parsed.file_format is FileFormat.LONG
    assert parsed.frame["value"].tolist() == [9.0]


def test_gbk_cnemc_export_is_read_and_o3_comes_from_the_o3_24h_column() -> None:
    row = (
        "2023-06-01T10:00:00,1625A,115.9848,36.4372,聊城市,区政府,颗粒物(PM10),"
        "44,44,60,23,30,192,110,72,72,8,11,12,9,0.9,0.8"
    )
    content = f"{CNEMC_HEADER}\n{row}\n".encode("gbk")
    parsed = parse_file(content, file_name="cnemc.csv", known_stations=STATIONS)
    assert parsed.encoding == "gbk"
    assert parsed.file_format is FileFormat.CNEMC
    values = dict(zip(parsed.frame["pollutant"], parsed.frame["value"], strict=True))
    # The export's O3 columns are swapped: o3_24h is the latest 1-h value, o3 the 24-h max.
    assert values == {"pm25": 23.0, "pm10": 44.0, "so2": 12.0, "no2": 8.0, "o3": 110.0, "co": 0.9}
    assert set(parsed.frame["time"]) == {utc(2023, 6, 1, 2)}


def test_xlsx_workbook_is_read_with_spreadsheet_row_numbers() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["station_code", "time", "PM2.5", "CO"])
    excel_time = datetime(2022, 1, 1, 1, tzinfo=UTC).replace(tzinfo=None)  # Excel stores naive times
    sheet.append(["1625A", excel_time, 101, 1.4])  # read as China time
    sheet.append(["2878A", "2022-01-01T01:00+08:00", "abc", 1.2])
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = parse_file(buffer.getvalue(), file_name="hours.xlsx", known_stations=STATIONS)
    assert parsed.encoding == "xlsx"
    assert parsed.file_format is FileFormat.WIDE
    assert parsed.frame[["station_code", "pollutant", "value"]].values.tolist() == [
        ["1625A", "pm25", 101.0],
        ["1625A", "co", 1.4],
        ["2878A", "co", 1.2],
    ]
    assert set(parsed.frame["time"]) == {utc(2021, 12, 31, 17)}
    assert [(r.line, r.field, r.reason) for r in parsed.rejections] == [(3, "pm2.5", Reason.NOT_NUMERIC)]


def test_bad_values_are_rejected_with_line_field_and_reason() -> None:
    content = (
        b"station_code,time,pollutant,value\n"
        b"1625A,2022-01-01T01:00+08:00,PM2.5,\n"
        b"1625A,2022-01-01T02:00+08:00,PM2.5,n/a\n"
        b"1625A,2022-01-01T03:00+08:00,PM2.5,-3\n"
        b"9999X,2022-01-01T04:00+08:00,PM2.5,40\n"
        b"1625A,yesterday,PM2.5,40\n"
        b"1625A,2022-01-01T05:30+08:00,PM2.5,40\n"
        b"1625A,2022-01-01T06:00+08:00,benzene,40\n"
        b",2022-01-01T06:00+08:00,PM2.5,40\n"
    )
    parsed = parse_file(content, file_name="bad.csv", known_stations=STATIONS)
    assert parsed.frame.empty
    assert [(r.line, r.field, r.raw_value, r.reason) for r in parsed.rejections] == [
        (2, "value", "", Reason.EMPTY),
        (3, "value", "n/a", Reason.NOT_NUMERIC),
        (4, "value", "-3", Reason.NEGATIVE),
        (5, "station_code", "9999X", Reason.UNKNOWN_STATION),
        (6, "time", "yesterday", Reason.BAD_TIME),
        (7, "time", "2022-01-01T05:30+08:00", Reason.NOT_ON_HOUR),
        (8, "pollutant", "benzene", Reason.UNKNOWN_POLLUTANT),
        (9, "station_code", "", Reason.MISSING_STATION),
    ]
    assert parsed.values_read == 8


def test_an_hour_of_another_offset_must_be_on_the_hour_in_china_time_and_the_rest_is_stored() -> None:
    """Issue 14: 01:00+05:30 is 03:30 in China time; 01:00+09:00 is 00:00 and is kept."""
    content = (
        b"station_code,time,pollutant,value\n"
        b"1625A,2024-03-05T01:00+05:30,PM2.5,40\n"
        b"1625A,2024-03-05T01:00+09:00,PM2.5,41\n"
        b"1625A,2024-03-05T01:00Z,PM2.5,42\n"
    )
    parsed = parse_file(content, file_name="offsets.csv", known_stations=STATIONS)
    assert [(r.line, r.raw_value, r.reason) for r in parsed.rejections] == [
        (2, "2024-03-05T01:00+05:30", Reason.NOT_ON_HOUR)
    ]
    assert list(parsed.frame["value"]) == [41.0, 42.0]


def test_years_outside_2000_to_2099_are_refused_row_by_row_not_the_file() -> None:
    """Issue 14: years pandas cannot hold (or a time before year 1 in UTC) used to fail the whole file."""
    content = (
        b"station_code,time,pollutant,value\n"
        b"1625A,2300-01-01T01:00,PM2.5,40\n"
        b"1625A,0001-01-01T01:00,PM2.5,40\n"
        b"1625A,9999-12-31T23:00-05:00,PM2.5,40\n"
        b"1625A,1999-12-31T23:00,PM2.5,40\n"
        b"1625A,2024-03-05T01:00,PM2.5,43\n"
    )
    parsed = parse_file(content, file_name="years.csv", known_stations=STATIONS)
    assert [(r.line, r.reason) for r in parsed.rejections] == [
        (2, Reason.TIME_OUT_OF_RANGE),
        (3, Reason.TIME_OUT_OF_RANGE),
        (4, Reason.TIME_OUT_OF_RANGE),
        (5, Reason.TIME_OUT_OF_RANGE),
    ]
    assert list(parsed.frame["value"]) == [43.0]


def test_duplicate_key_in_one_file_keeps_the_first_value_without_an_error() -> None:
    content = (
        b"station_code,time,pollutant,value\n"
        b"1625A,2022-01-01T01:00+08:00,PM2.5,101\n"
        b"1625A,2022-01-01T01:00+08:00,PM2.5,999\n"
    )
    parsed = parse_file(content, file_name="dup.csv")
    assert parsed.frame["value"].tolist() == [101.0]
    assert parsed.duplicates == 1
    assert parsed.rejections == ()


def test_cnemc_rows_of_unregistered_stations_are_counted_not_listed() -> None:
    rows = [
        "2023-06-01T10:00:00,1001A,116.1,39.9,北京,万寿西宫,,30,30,40,20,22,100,90,60,55,10,12,3,3,0.3,0.3",
        "2023-06-01T10:00:00,1002A,116.2,39.9,北京,定陵,,,,,,,,,,,,,,,,",
        "2023-06-01T10:00:00,1625A,115.9848,36.4372,聊城市,区政府,,44,44,60,23,30,192,110,72,72,8,11,12,9,0.9,0.8",
    ]
    content = ("\n".join([CNEMC_HEADER, *rows]) + "\n").encode()
    parsed = parse_file(content, file_name="2023-06-01T10.csv", known_stations=STATIONS)
    assert parsed.skipped_unregistered == 2
    assert parsed.rejections == ()
    assert set(parsed.frame["station_code"]) == {"1625A"}


def test_real_cnemc_double_snapshot_keeps_one_value_per_key() -> None:
    parsed = parse_file((DATA / "raw/2023-06-01T02.csv").read_bytes(), file_name="T02.csv", known_stations=STATIONS)
    assert len(parsed.frame) == 30
    assert parsed.duplicates == 30
    assert not parsed.frame.duplicated(["station_code", "time", "pollutant"]).any()


@pytest.mark.parametrize(
    ("content", "file_name", "code"),
    [
        (b"", "empty.csv", Unreadable.EMPTY_FILE),
        (b"\n\n", "blank.csv", Unreadable.EMPTY_FILE),
        (b"name,colour\nrose,red\n", "flowers.csv", Unreadable.UNSUPPORTED_FORMAT),
        (b"PK\x03\x04 this is no workbook", "broken.xlsx", Unreadable.CORRUPT_XLSX),
        (b"station_code,time,value\n\x00\x01\x02", "binary.csv", Unreadable.BINARY),
        (b"station_code,time,pollutant,value\n1625A,\xff\xfe\xff,PM2.5,1\n", "mojibake.csv", Unreadable.ENCODING),
    ],
)
def test_unreadable_files_raise_a_specific_error(content: bytes, file_name: str, code: Unreadable) -> None:
    with pytest.raises(UnreadableFileError) as caught:
        parse_file(content, file_name=file_name)
    assert caught.value.code is code


def test_real_long_and_raw_cnemc_files_give_the_same_values() -> None:
    import pandas as pd

    for day, next_day in (("2022-01-01", "2022-01-02"), ("2023-06-01", "2023-06-02")):
        long = parse_file((DATA / f"hourly_{day}.csv").read_bytes(), file_name="long.csv", known_stations=STATIONS)
        raw_files = [*sorted(DATA.glob(f"raw/{day}T*.csv")), DATA / f"raw/{next_day}T00.csv"]
        raw = pd.concat(
            [parse_file(p.read_bytes(), file_name=p.name, known_stations=STATIONS).frame for p in raw_files]
        )
        key = ["station_code", "time", "pollutant"]
        left = long.frame.set_index(key)["value"].sort_index()
        right = raw.set_index(key)["value"].sort_index()
        pd.testing.assert_series_equal(left, right)


# Two ways of reading a CSV give one result: the value columns read as numbers by the C parser (quick, for
# clean files) and every cell read as text (for anything else). The text path is the reference.


def text_path(content: bytes, monkeypatch: pytest.MonkeyPatch, **kwargs: Any) -> ParsedFile:
    with monkeypatch.context() as patch:
        patch.setattr(formats, "_read_csv_numeric", lambda text: None)
        return parse_file(content, **kwargs)


def reads_values_as_numbers(content: bytes) -> bool:
    return formats._read_csv_numeric(formats.decode_text(content)[0]) is not None


def assert_same_result(numeric: ParsedFile, text: ParsedFile) -> None:
    pd.testing.assert_frame_equal(numeric.frame, text.frame, check_exact=True)
    # The sign of a zero and every bit of each value, not only equality.
    assert numeric.frame["value"].to_numpy().tobytes() == text.frame["value"].to_numpy().tobytes()
    assert numeric.rejections == text.rejections
    assert (numeric.file_format, numeric.encoding, numeric.columns) == (text.file_format, text.encoding, text.columns)
    assert (numeric.duplicates, numeric.skipped_unregistered) == (text.duplicates, text.skipped_unregistered)


WIDE_HEADER = b"station_code,time,PM2.5,PM10,O3\n"


def wide(*cells: str) -> bytes:
    """A wide file with one row per (PM2.5, PM10, O3) triple, one hour apart."""
    rows = [f"1625A,2022-01-01T{hour:02d}:00+08:00,{value}\n" for hour, value in enumerate(cells, start=1)]
    return WIDE_HEADER + "".join(rows).encode()


def synthetic_wide_csv() -> bytes:
    from monitoring.synthetic import synthetic_hourly_wide

    names = {"pm25": "PM2.5", "pm10": "PM10", "so2": "SO2", "no2": "NO2", "o3": "O3", "co": "CO"}
    table = synthetic_hourly_wide(["1625A", "2878A", "3200A"], start=date(2024, 1, 1), end=date(2024, 1, 31), seed=7)
    table = table.rename(columns={"station": "station_code", **names})
    table["time"] = table["time"].dt.strftime("%Y-%m-%dT%H:%M+08:00")
    return table.to_csv(index=False, float_format="%g").encode()


def test_synthetic_month_with_gaps_is_read_as_numbers_with_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    content = synthetic_wide_csv()
    assert reads_values_as_numbers(content)
    parsed = parse_file(content, file_name="month.csv", known_stations=STATIONS)
    assert_same_result(parsed, text_path(content, monkeypatch, file_name="month.csv", known_stations=STATIONS))
    assert len(parsed.frame) > 10_000
    assert {r.reason for r in parsed.rejections} == {Reason.EMPTY}  # the synthetic gaps
    assert {r.raw_value for r in parsed.rejections} == {""}


CNEMC_FILES = sorted(DATA.glob("hourly_*.csv")) + sorted(DATA.glob("raw/*.csv"))


@pytest.mark.parametrize("path", CNEMC_FILES, ids=lambda path: path.name)
def test_every_real_cnemc_file_is_read_as_numbers_with_the_same_result(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = path.read_bytes()
    assert reads_values_as_numbers(content)
    assert_same_result(
        parse_file(content, file_name=path.name, known_stations=STATIONS),
        text_path(content, monkeypatch, file_name=path.name, known_stations=STATIONS),
    )


def test_empty_cells_and_cells_of_only_spaces_stay_on_the_quick_path_and_report_an_empty_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    content = wide("12,,  ", '"",   ,7', " 5 ,6 ,+8", "1e1,.5,0") + b",,,,\n  ,  ,  ,  ,  \n"
    assert reads_values_as_numbers(content)
    parsed = parse_file(content, file_name="gaps.csv", known_stations=STATIONS)
    assert_same_result(parsed, text_path(content, monkeypatch, file_name="gaps.csv", known_stations=STATIONS))
    assert [(r.line, r.field, r.raw_value, r.reason) for r in parsed.rejections] == [
        (2, "o3", "", Reason.EMPTY),
        (2, "pm10", "", Reason.EMPTY),
        (3, "pm10", "", Reason.EMPTY),
        (3, "pm2.5", "", Reason.EMPTY),
    ]
    assert parsed.frame["value"].tolist() == [12.0, 7.0, 5.0, 6.0, 8.0, 10.0, 0.5, 0.0]


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(
            b"station_code,time,pollutant,value\n"
            b"1625A,2022-01-01T01:00+08:00,PM2.5,101\n"
            b"1625A,2022-01-01T01:00+08:00,PM2.5,999\n"
            b"1625A,2022-01-01T02:00+08:00,pm2_5,\n"
            b"1625A,2022-01-01T02:00+08:00,PM25,40\n"
            b"2878A,2022-01-01T03:00+08:00,benzene,1\n"
            b"9999X,2022-01-01T03:00+08:00,CO,1\n",
            id="long with duplicates, a filled gap and bad rows",
        ),
        pytest.param(
            WIDE_HEADER + b"1625A,2022-01-01T01:00+08:00,1,2,3\n1625A,2022-01-01T01:00+08:00,9,,9\n"
            b"1625A,2022-01-01T02:00+08:00,,5,\n1625A,2022-01-01T02:00+08:00,4,,6\n",
            id="wide with a repeated station hour",
        ),
        pytest.param(
            b"station_code,time,PM2.5,pm25\n1625A,2022-01-01T01:00+08:00,1,2\n1625A,2022-01-01T02:00+08:00,,3\n",
            id="wide with one pollutant in two columns",
        ),
        pytest.param(
            (DATA / "raw/2023-06-01T02.csv").read_bytes()
            + (DATA / "raw/2023-06-01T10.csv").read_bytes().split(b"\n", 1)[1],
            id="cnemc double snapshot and gaps",
        ),
        pytest.param(
            "\ufeffstation_code,time,PM2.5,备注\r\n1625A,2022-01-01T01:00+08:00,3,好\r\n".encode(), id="BOM, CRLF"
        ),
        pytest.param(
            "station_code,time,PM2.5,备注\n1625A,2022-01-01T01:00+08:00,3,好\n,2022-01-01T02:00+08:00,4,\n".encode(
                "gbk"
            ),
            id="GBK",
        ),
        pytest.param(
            WIDE_HEADER + b"1625A,2022-01-01T01:00+08:00,1\n1625A,2022-01-01T02:00+08:00,1,2,3\n", id="short row"
        ),
        pytest.param(
            b"station_code,PM2.5,time\n1625A,3\n1625A,4,2022-01-01T01:00+08:00\n", id="short row without its time"
        ),
    ],
)
def test_quick_path_gives_the_text_path_result(content: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    assert reads_values_as_numbers(content)
    for known in (None, STATIONS):
        assert_same_result(
            parse_file(content, file_name="x.csv", known_stations=known),
            text_path(content, monkeypatch, file_name="x.csv", known_stations=known),
        )


def test_an_empty_cell_whose_value_is_elsewhere_in_the_file_is_a_duplicate_not_an_error() -> None:
    content = wide(",2,3", "4,5,6") + b"1625A,2022-01-01T01:00+08:00,1,,\n"  # the gap at 01:00 is filled later
    assert reads_values_as_numbers(content)
    parsed = parse_file(content, file_name="x.csv", known_stations=STATIONS)
    assert parsed.rejections == ()
    assert parsed.duplicates == 1 + 2  # the filled gap, then the two later empty cells whose values came first
    assert parsed.frame[["line", "pollutant", "value"]].values.tolist() == [
        [2, "pm10", 2.0],
        [2, "o3", 3.0],
        [3, "pm25", 4.0],
        [3, "pm10", 5.0],
        [3, "o3", 6.0],
        [4, "pm25", 1.0],
    ]


def test_a_pollutant_in_two_columns_keeps_the_first_value_of_each_line() -> None:
    content = b"station_code,time,PM2.5,pm25\n1625A,2022-01-01T01:00+08:00,1,2\n1625A,2022-01-01T02:00+08:00,,3\n"
    assert reads_values_as_numbers(content)
    parsed = parse_file(content, file_name="x.csv")
    assert parsed.frame[["line", "pollutant", "value"]].values.tolist() == [[2, "pm25", 1.0], [3, "pm25", 3.0]]
    assert (parsed.duplicates, parsed.rejections) == (2, ())


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("-5", Reason.NEGATIVE),  # the text as written, not "-5.0"
        ("-0", None),  # stored as the text path stores it
        ("inf", Reason.NOT_NUMERIC),
        ("-Infinity", Reason.NOT_NUMERIC),
        ("1e999", Reason.NOT_NUMERIC),
        ("NaN", Reason.NOT_NUMERIC),
        ("nan", Reason.NOT_NUMERIC),
        ("n/a", Reason.NOT_NUMERIC),
        ('"1,5"', Reason.NOT_NUMERIC),
        ("0x10", Reason.NOT_NUMERIC),
        ("１２", Reason.NOT_NUMERIC),  # full-width digits
        ("\t", Reason.EMPTY),  # a tab, not a space: the text path reports it as written
        ('"  "', Reason.EMPTY),  # quoted spaces are kept by the reader
        ("12345678901234567890", None),  # beyond 2**53: rounded by the text path's own rules
    ],
)
def test_cells_whose_report_or_value_needs_the_text_take_the_text_path(
    cell: str, reason: Reason | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = wide(f"1,2,{cell}", "4,,6")
    assert not reads_values_as_numbers(content)
    parsed = parse_file(content, file_name="x.csv", known_stations=STATIONS)
    assert_same_result(parsed, text_path(content, monkeypatch, file_name="x.csv", known_stations=STATIONS))
    on_line_2 = [(r.field, r.raw_value, r.reason) for r in parsed.rejections if r.line == 2]
    if reason is None:
        assert on_line_2 == []
    else:
        assert on_line_2 == [("o3", cell.strip('"') if cell.startswith('"') else cell, reason)]


def test_a_bad_value_in_a_long_file_takes_the_text_path() -> None:
    content = b"station_code,time,pollutant,value\n1625A,2022-01-01T01:00+08:00,PM2.5,-3\n"
    assert not reads_values_as_numbers(content)
    parsed = parse_file(content, file_name="x.csv")
    assert [(r.raw_value, r.reason) for r in parsed.rejections] == [("-3", Reason.NEGATIVE)]


@pytest.mark.parametrize(
    "content",
    [
        b"station_code,time,PM2.5,pm2.5\n1625A,2022-01-01T01:00+08:00,1,2\n",  # two columns, one name
        b"station_code,time,PM2.5\n1625A,2022-01-01T01:00+08:00,1,2\n",  # first row longer than the header
        b"name,colour\nrose,red\n",  # not an hourly file
        b"station_code,time,PM2.5\n1625A,2022-01-01T01:00+08:00,1\n1625A,2022-01-01T02:00+08:00,1,2,3\n",
    ],
)
def test_unusual_layouts_are_left_to_the_text_path(content: bytes) -> None:
    assert not reads_values_as_numbers(content)


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("station_code,time,PM2.5,pm2.5", "column 'PM2.5' appears twice ('pm2.5')"),
        ("station_code,time,PM2.5,PM2.5", "column 'PM2.5' appears twice ('PM2.5')"),
        ("station_code,station_code,time,PM10", "column 'station_code' appears twice ('station_code')"),
        ("station_code,time,pollutant,value,Value", "column 'value' appears twice ('Value')"),
    ],
)
def test_a_column_name_written_twice_makes_the_file_unreadable(header: str, detail: str) -> None:
    content = f"{header}\n1625A,1625A,2022-01-01T01:00+08:00,1,2\n".encode()
    with pytest.raises(UnreadableFileError) as caught:
        parse_file(content, file_name="twice.csv")
    assert caught.value.code is Unreadable.UNSUPPORTED_FORMAT
    assert caught.value.detail == detail
