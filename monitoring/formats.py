"""Reading hourly station files: format detection from the header, decoding, validation.

Pure Python/pandas, no Django. Three layouts are recognised from the header (docs/interfaces.md §2):

- ``long``: ``station_code,time,pollutant,value``;
- ``wide``: ``station_code,time`` and any of the pollutant columns ``PM2.5,PM10,SO2,NO2,O3,CO``;
- ``cnemc``: CNEMC's per-hour national export (``timepoint,stationcode,…,pm2_5,pm10,o3,o3_24h,…``).

CSV in UTF-8, UTF-8 with BOM or GBK, or ``.xlsx`` (first sheet). Times are ISO 8601 and mark the **end** of
the averaging hour (HJ 663-2013 §3); a time without an offset is China time (+08:00). ``24:00`` is accepted
as the next day's 00:00, which is how HJ 663 writes a day's last hour.

The result is a typed frame of valid values plus the rejected values with line number, field and a reason
code; reason codes are translated for people by the caller. A file that cannot be read at all raises
``UnreadableFileError``.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from .china_time import CHINA_TZ

POLLUTANTS = ("pm25", "pm10", "so2", "no2", "o3", "co")

# CNEMC export columns holding the latest 1-h value of each item. The O3 columns are swapped in the
# export: `o3_24h` is the latest 1-h O3 and `o3` the maximum 1-h O3 of the last 24 hours
# (data README, "Columns of the CNEMC files, and the O3 swap").
CNEMC_COLUMNS: dict[str, str] = {
    "pm2_5": "pm25",
    "pm10": "pm10",
    "so2": "so2",
    "no2": "no2",
    "o3_24h": "o3",
    "co": "co",
}

FRAME_COLUMNS = ("line", "station_code", "time", "pollutant", "value")


class FileFormat(StrEnum):
    LONG = "long"
    WIDE = "wide"
    CNEMC = "cnemc"


class Reason(StrEnum):
    """Why a value was not taken. The same codes as ``monitoring.models.RejectedRow.Reason``."""

    EMPTY = "empty"
    NOT_NUMERIC = "not_numeric"
    NEGATIVE = "negative"
    UNKNOWN_STATION = "unknown_station"
    MISSING_STATION = "missing_station"
    UNKNOWN_POLLUTANT = "unknown_pollutant"
    BAD_TIME = "bad_time"
    NOT_ON_HOUR = "not_on_hour"
    TIME_OUT_OF_RANGE = "time_out_of_range"


# [project rule] Hours outside these years are refused row by row: no monitoring record is older, the plan's
# periods end long before the last, and pandas cannot hold times past 2262 at all.
FIRST_YEAR, LAST_YEAR = 2000, 2099

# [project rule] The largest file the ingest reads, checked before anything is parsed so that a hostile or
# broken file is refused in moments and in little memory (docs/ingest-limits.md). A year of a
# province's wide file (200 stations x 8,760 hours) is 1.75 million rows of a dozen columns.
MAX_COLUMNS = 500
MAX_ROWS = 5_000_000
MAX_CELLS = 60_000_000
# An .xlsx is a zip of XML: its parts are checked unpacked, before they are parsed (a 1.5 KB file can unpack
# to gigabytes). 64 MiB of sheet XML is about 150,000 rows of a long file; larger data go as CSV.
XLSX_MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024


class Unreadable(StrEnum):
    """Why a whole file could not be read."""

    EMPTY_FILE = "empty_file"
    ENCODING = "encoding"
    BINARY = "binary"
    CORRUPT_XLSX = "corrupt_xlsx"
    UNSUPPORTED_FORMAT = "unsupported_format"
    TOO_LARGE = "too_large"


class UnreadableFileError(Exception):
    """The file as a whole cannot be read; nothing of it may be stored."""

    def __init__(self, code: Unreadable, detail: str = "") -> None:
        super().__init__(f"{code.value}: {detail}" if detail else code.value)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Rejection:
    """One value (or one row, when the row's station or time is bad) that was not taken."""

    line: int
    field: str
    raw_value: str
    reason: Reason


@dataclass(frozen=True)
class ParsedFile:
    """Valid values, one per station, pollutant and hour (first occurrence kept), and what was left out.

    ``frame`` columns: ``line`` (int64), ``station_code`` (str, categorical), ``time`` (datetime64[ns, UTC],
    end of the hour), ``pollutant`` (one of ``POLLUTANTS``, categorical), ``value`` (float64, ≥ 0).
    """

    file_format: FileFormat
    encoding: str
    frame: pd.DataFrame
    rejections: tuple[Rejection, ...]
    duplicates: int
    skipped_unregistered: int = 0
    columns: tuple[str, ...] = field(default_factory=tuple)

    @property
    def values_read(self) -> int:
        """Every value (or rejected row) the file offered for registered stations."""
        return len(self.frame) + self.duplicates + len(self.rejections)


def normalise_pollutant(name: str) -> str | None:
    """``PM2.5``, ``pm2_5``, ``PM25``, ``O3`` … → the code name (``pm25`` …), or None if not a pollutant."""
    key = re.sub(r"[\s._\-()]", "", name.strip().lower()).replace("₂", "2").replace("₃", "3")
    key = key.replace("μ", "").replace("µ", "")
    return key if key in POLLUTANTS else None


def _normalise_header(name: object) -> str:
    return str(name if name is not None else "").strip().lstrip("\ufeff").strip().lower()


STATION_ALIASES = ("station_code", "stationcode", "station")
TIME_ALIASES = ("time", "timepoint", "datetime")


def detect_format(columns: Collection[str]) -> FileFormat:
    """Recognise the layout from normalised (lower-case) header names."""
    names = set(columns)
    if {"timepoint", "stationcode"} <= names and names & set(CNEMC_COLUMNS):
        return FileFormat.CNEMC
    has_station = bool(names & set(STATION_ALIASES))
    has_time = bool(names & set(TIME_ALIASES))
    if has_station and has_time and {"pollutant", "value"} <= names:
        return FileFormat.LONG
    if has_station and has_time and any(normalise_pollutant(name) for name in names):
        return FileFormat.WIDE
    raise UnreadableFileError(
        Unreadable.UNSUPPORTED_FORMAT,
        "header: " + ",".join(columns) if columns else "no header",
    )


def _header_as_written(text: str) -> list[str]:
    """The CSV header's names as the file writes them (pandas renames a repeated name to ``name.1``)."""
    try:
        return next(csv.reader(io.StringIO(text[:_HEADER_CHARS]), skipinitialspace=True))
    except (StopIteration, csv.Error):
        return []


def _check_distinct_columns(header: Sequence[str]) -> None:
    """No two columns may have one name (``PM2.5`` twice, or ``PM2.5`` and ``pm2.5``): which value counts would
    be unclear. (Two names of one pollutant, ``PM2.5`` and ``pm25``, are allowed: each line keeps the first.)"""
    seen: dict[str, str] = {}
    for written in header:
        name = _normalise_header(written)
        if name in seen:
            raise UnreadableFileError(
                Unreadable.UNSUPPORTED_FORMAT, f"column {seen[name]!r} appears twice ({written!r})"
            )
        seen[name] = written


def _value_columns(file_format: FileFormat, columns: Collection[str]) -> dict[str, str]:
    """Wide and CNEMC files: the columns holding values (name → pollutant code)."""
    if file_format is FileFormat.CNEMC:
        return {name: code for name, code in CNEMC_COLUMNS.items() if name in columns}
    return {name: code for name in columns if (code := normalise_pollutant(name))}


def decode_text(content: bytes) -> tuple[str, str]:
    """Decode CSV bytes: UTF-8 with BOM, UTF-8, then GBK (read as its superset GB 18030)."""
    if b"\x00" in content[:4096]:
        raise UnreadableFileError(Unreadable.BINARY, "the file contains NUL bytes")
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            return content[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise UnreadableFileError(Unreadable.ENCODING, f"byte {exc.start + 3}: not UTF-8") from exc
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gbk"), "gbk"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(Unreadable.ENCODING, f"byte {exc.start}: neither UTF-8 nor GBK") from exc


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_unpacked_size(content: bytes) -> None:
    """Refuse a workbook whose parts unpack to more than ``XLSX_MAX_UNCOMPRESSED_BYTES`` (a zip bomb), from
    the sizes its zip directory declares; the reading stops at the same bound should a part lie."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFileError(Unreadable.CORRUPT_XLSX, str(exc)) from exc
    if unpacked > XLSX_MAX_UNCOMPRESSED_BYTES:
        raise UnreadableFileError(
            Unreadable.TOO_LARGE,
            f"the workbook unpacks to {unpacked:,} bytes; at most {XLSX_MAX_UNCOMPRESSED_BYTES:,} "
            "(send larger data as CSV)",
        )


def _check_shape(rows: int, columns: int) -> None:
    if columns > MAX_COLUMNS:
        raise UnreadableFileError(Unreadable.TOO_LARGE, f"{columns:,} columns; at most {MAX_COLUMNS:,}")
    if rows > MAX_ROWS:
        raise UnreadableFileError(Unreadable.TOO_LARGE, f"more than {MAX_ROWS:,} rows")
    if rows * columns > MAX_CELLS:
        raise UnreadableFileError(
            Unreadable.TOO_LARGE, f"{rows:,} rows x {columns:,} columns; at most {MAX_CELLS:,} cells"
        )


def _xlsx_rows(sheet: Any) -> list[list[str]]:
    """The sheet's rows as text, each without its trailing empty cells, counted against the limits as they
    are read. The sheet's declared dimension is not trusted: ``A1:XFD1048576`` would pad every row to 16,384
    cells."""
    sheet.reset_dimensions()
    rows: list[list[str]] = []
    width = 0
    for values in sheet.iter_rows(values_only=True):
        cells = list(values)
        while cells and (cells[-1] is None or cells[-1] == ""):
            cells.pop()
        width = max(width, len(cells))
        _check_shape(len(rows) + 1, width)
        rows.append([_cell_text(cell) for cell in cells])
    while rows and not rows[-1]:
        rows.pop()  # trailing empty rows
    return rows


def _read_xlsx(content: bytes) -> pd.DataFrame:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _check_unpacked_size(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise UnreadableFileError(Unreadable.CORRUPT_XLSX, str(exc)) from exc
    try:
        rows = _xlsx_rows(workbook.worksheets[0])
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFileError(Unreadable.CORRUPT_XLSX, str(exc)) from exc
    finally:
        workbook.close()
    if not rows:
        raise UnreadableFileError(Unreadable.EMPTY_FILE, "the first sheet is empty")
    header = [_normalise_header(name) for name in rows[0]]
    width = len(header)
    body = [(row + [""] * width)[:width] for row in rows[1:]]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    frame.index = pd.RangeIndex(2, 2 + len(body))  # spreadsheet row numbers
    return frame


_CSV_OPTIONS: dict[str, Any] = {"keep_default_na": False, "skip_blank_lines": False, "skipinitialspace": True}


def _read_csv(text: str) -> pd.DataFrame:
    try:
        frame: pd.DataFrame = pd.read_csv(io.StringIO(text), dtype=str, **_CSV_OPTIONS)
    except pd.errors.EmptyDataError as exc:
        raise UnreadableFileError(Unreadable.EMPTY_FILE, "no header line") from exc
    except pd.errors.ParserError as exc:
        raise UnreadableFileError(Unreadable.UNSUPPORTED_FORMAT, str(exc).strip()) from exc
    frame.columns = [_normalise_header(name) for name in frame.columns]
    frame.index = pd.RangeIndex(2, 2 + len(frame))  # physical line numbers; the header is line 1
    return frame.fillna("")


# The C parser and `to_numeric` read a number with the same routine (pandas' precise xstrtod), except that
# `to_numeric` reads an all-integer column as integers first: beyond 2**53, where a float64 no longer holds
# every integer, the two could round such a text differently.
_EXACT_INTEGERS = float(2**53)
_HEADER_CHARS = 1 << 16


def _read_csv_numeric(text: str) -> pd.DataFrame | None:
    """``_read_csv`` with the value columns read as float64 by the C parser, or None when it cannot stand in.

    It stands in only when every value parsed is finite, non-negative (sign bit included: ``-0``) and below
    2**53, and NaN then always means an empty cell (or one of only spaces), which ``_read_csv`` reads as "":
    with ``""`` as the only missing marker the C parser raises ValueError on every other cell that
    ``_numbers`` would not read ("NaN", "n/a", a tab, "1,2", non-ASCII digits). Infinite and negative cells
    are left to the text path because their rejection reports the text as written. Anything else unusual
    (a header the csv module and pandas read differently, ragged rows, two columns with one name) also goes
    to the text path, which then gives the answer or the error.
    """
    file_names = _header_as_written(text)
    if not file_names:
        return None
    names = [_normalise_header(name) for name in file_names]
    if len(set(names)) < len(names):
        return None
    try:
        file_format = detect_format(names)
    except UnreadableFileError:
        return None
    value_names = {"value"} if file_format is FileFormat.LONG else set(_value_columns(file_format, names))
    value_columns = [raw for raw, name in zip(file_names, names, strict=True) if name in value_names]
    text_columns = [raw for raw, name in zip(file_names, names, strict=True) if name not in value_names]
    try:
        frame: pd.DataFrame = pd.read_csv(
            io.StringIO(text),
            dtype={**dict.fromkeys(text_columns, str), **dict.fromkeys(value_columns, np.float64)},
            na_values={name: [""] for name in value_columns},  # text cells stay "" as in `_read_csv`
            **_CSV_OPTIONS,
        )
    except Exception:  # ValueError for a cell that is not a number; whatever else, the text path decides
        return None
    index = frame.index
    if list(frame.columns) != file_names or not (isinstance(index, pd.RangeIndex) and index.start == 0):
        return None  # e.g. a longer first row made the first column the index
    values = frame[value_columns].to_numpy(dtype=np.float64)
    readable = (values < _EXACT_INTEGERS) & ~np.signbit(values)  # False for NaN, infinities, -0 and below
    if not (readable | np.isnan(values)).all():
        return None
    # The C parser gives "" for the missing cells of a short row too; fill as `_read_csv` does should it not.
    # (`infer_dtype` finds a non-text cell without the cost of `isna` on every cell.)
    if any(pd.api.types.infer_dtype(frame[name], skipna=False) not in ("string", "empty") for name in text_columns):
        frame = frame.fillna(dict.fromkeys(text_columns, ""))
    frame.columns = names
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    return frame


def _check_text_shape(text: str) -> None:
    """Refuse a CSV past the limits before pandas reads it: its header's fields (a comma count of the first
    line) and its lines (a newline count), both read in C at memory speed."""
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]
    _check_shape(text.count("\n") + 1, first_line.count(",") + 1)


def is_xlsx(content: bytes, file_name: str) -> bool:
    return file_name.lower().endswith((".xlsx", ".xlsm")) or content[:4] == b"PK\x03\x04"


def _parse_time(raw: str) -> datetime | Reason:
    text = raw.strip()
    if not text:
        return Reason.BAD_TIME
    plus_day = False
    match = re.match(r"^(\d{4}-\d{2}-\d{2})[T ]24:00(:00)?(.*)$", text)
    if match:  # HJ 663 writes a day's last hour as 24:00.
        text = f"{match.group(1)}T00:00{match.group(3)}"
        plus_day = True
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return Reason.BAD_TIME
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHINA_TZ)
    try:
        if plus_day:
            moment += timedelta(days=1)
        # On the hour in China time (HJ 663's hours are Beijing time's): 01:00+05:30 is 03:30 here.
        china = moment.astimezone(CHINA_TZ)
        utc = moment.astimezone(UTC)
    except OverflowError:  # year 1 in an offset east of UTC, year 9999 west of it
        return Reason.TIME_OUT_OF_RANGE
    if not FIRST_YEAR <= china.year <= LAST_YEAR:
        return Reason.TIME_OUT_OF_RANGE
    if china.minute or china.second or china.microsecond:
        return Reason.NOT_ON_HOUR
    return utc


def _first_present(frame: pd.DataFrame, names: tuple[str, ...]) -> str:
    for name in names:
        if name in frame.columns:
            return name
    raise UnreadableFileError(Unreadable.UNSUPPORTED_FORMAT, f"missing column {names[0]}")


def _factorized(values: npt.NDArray[np.object_]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.object_]]:
    """``pd.factorize(values, use_na_sentinel=False)``, quicker for cells that are all text (no missing values
    to look for first), which they are once read."""
    codes, uniques = pd.factorize(values)
    if len(codes) and codes.min() < 0:
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return codes, np.asarray(uniques, dtype=object)


def _stripped(values: npt.NDArray[np.object_]) -> npt.NDArray[np.object_]:
    """``str.strip`` of every cell, done once per distinct text (stations and times repeat by the thousand)."""
    codes, uniques = _stripped_codes(values)
    return uniques[codes]


def _sorted_categorical(codes: npt.NDArray[np.intp], texts: npt.NDArray[np.object_]) -> pd.Categorical:
    """``texts[codes]`` as a categorical whose categories sort as the texts do (a handful of station codes or
    pollutants over millions of values: the ingest maps each once instead of hashing every cell)."""
    order = np.argsort(texts.astype(str), kind="stable")
    rank = np.empty(len(order), dtype=np.intp)
    rank[order] = np.arange(len(order))
    return pd.Categorical.from_codes(rank[codes], categories=pd.Index(texts[order], dtype=object))  # type: ignore[arg-type]  # an int array is what pandas wants; its stubs say Sequence[int]


def _stripped_codes(values: npt.NDArray[np.object_]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.object_]]:
    """(code, distinct texts) of the stripped cells: ``uniques[codes]`` is ``str.strip`` of every cell."""
    codes, uniques = _factorized(values)
    stripped = np.asarray([str(u).strip() for u in uniques], dtype=object)
    merged, distinct = _factorized(stripped)  # " A" and "A" are one station
    return merged[codes], distinct


def _rejections(
    lines: npt.NDArray[np.int64],
    field_names: npt.NDArray[np.object_] | str,
    raw: npt.NDArray[np.object_],
    reason: Reason,
) -> list[Rejection]:
    field_list = [field_names] * len(lines) if isinstance(field_names, str) else field_names.tolist()
    return [
        Rejection(line=int(line), field=str(name), raw_value=str(value), reason=reason)
        for line, name, value in zip(lines.tolist(), field_list, raw.tolist(), strict=True)
    ]


def _parsed_times(raw: npt.NDArray[np.object_]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.object_]]:
    """(UTC ns since 1970, reason code or "") per cell, parsing each distinct text once."""
    codes, uniques = _factorized(raw)
    stamps = np.zeros(len(uniques), dtype=np.int64)
    reasons = np.full(len(uniques), "", dtype=object)
    for index, text in enumerate(uniques):
        result = _parse_time(str(text))
        if isinstance(result, Reason):
            reasons[index] = result.value
        else:
            stamps[index] = pd.Timestamp(result).value
    return stamps[codes], reasons[codes]


def _numbers(raw: npt.NDArray[np.object_]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """(value, empty) of raw cells: the stripped text as a number (NaN when not one), and whether it is blank.

    ``to_numeric`` already ignores surrounding blanks; only the cells it cannot read are stripped and tried
    again (other Unicode spaces), so the result is that of strip-then-parse for every cell.
    """
    numbers = pd.to_numeric(pd.Series(raw, dtype=object), errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    empty = np.zeros(len(raw), dtype=bool)
    retry = np.flatnonzero(np.isnan(numbers))
    if len(retry):
        text = _stripped(raw[retry])
        empty[retry] = text == ""
        numbers[retry] = pd.to_numeric(pd.Series(text, dtype=object), errors="coerce").to_numpy(
            dtype=np.float64, na_value=np.nan
        )
    return numbers, empty


def parse_file(content: bytes, *, file_name: str, known_stations: Collection[str] | None = None) -> ParsedFile:
    """Read one file. ``known_stations``: the registry's station codes (None: accept every code).

    Raises ``UnreadableFileError`` when the file as a whole cannot be read. Every step works on whole columns
    (a year of a province's wide file has millions of cells); only the distinct station codes and time stamps
    and the rejected cells are handled one by one.
    """
    if not content.strip():
        raise UnreadableFileError(Unreadable.EMPTY_FILE, "0 bytes" if not content else "only blank space")
    numeric_table: pd.DataFrame | None = None  # value columns read as numbers (CSV only)
    if is_xlsx(content, file_name):
        table, encoding = _read_xlsx(content), "xlsx"
    else:
        text, encoding = decode_text(content)
        _check_text_shape(text)
        numeric_table = _read_csv_numeric(text)
        table = numeric_table if numeric_table is not None else _read_csv(text)
    columns = tuple(str(name) for name in table.columns)
    file_format = detect_format(columns)
    _check_distinct_columns(_header_as_written(text) if encoding != "xlsx" else list(columns))
    station_col = "stationcode" if file_format is FileFormat.CNEMC else _first_present(table, STATION_ALIASES)
    time_col = "timepoint" if file_format is FileFormat.CNEMC else _first_present(table, TIME_ALIASES)

    lines = table.index.to_numpy(dtype=np.int64)
    s_codes, s_uniques = _stripped_codes(table[station_col].astype(str).to_numpy(dtype=object))
    station = s_uniques[s_codes]
    # Lines that are entirely blank carry nothing (a trailing newline, a spacer row); only a line without a
    # station code can be one.
    keep = np.ones(len(table), dtype=bool)
    no_station = np.flatnonzero((s_uniques == "")[s_codes])
    if len(no_station):
        candidates = table.iloc[no_station]
        blank = np.ones(len(no_station), dtype=bool)
        for position in range(candidates.shape[1]):
            column = candidates.iloc[:, position]
            if column.dtype == np.float64:  # values read as numbers: NaN is an empty cell
                blank &= column.isna().to_numpy()
            else:
                blank &= (column.astype(str).str.strip() == "").to_numpy()
        keep[no_station[blank]] = False

    rejected: list[Rejection] = []
    skipped_unregistered = 0
    # Row-level checks: station, then time. A bad row is reported once, not once per value.
    missing_station = keep & (s_uniques == "")[s_codes]
    rejected += _rejections(lines[missing_station], station_col, station[missing_station], Reason.MISSING_STATION)
    keep &= ~missing_station
    if known_stations is not None:
        unknown = keep & ~np.isin(s_uniques, list(known_stations))[s_codes]
        if file_format is FileFormat.CNEMC:
            # A national export holds ~3000 stations of which a city registers a handful: count, don't list.
            skipped_unregistered = len(np.unique(lines[unknown]))
        else:
            rejected += _rejections(lines[unknown], station_col, station[unknown], Reason.UNKNOWN_STATION)
        keep &= ~unknown

    time_raw = table[time_col].astype(str).to_numpy(dtype=object)
    stamps = np.zeros(len(table), dtype=np.int64)
    reasons = np.full(len(table), "", dtype=object)
    stamps[keep], reasons[keep] = _parsed_times(time_raw[keep])
    for reason in (Reason.BAD_TIME, Reason.NOT_ON_HOUR, Reason.TIME_OUT_OF_RANGE):
        mask = keep & (reasons == reason.value)
        rejected += _rejections(lines[mask], time_col, time_raw[mask], reason)
    keep &= reasons == ""
    rows = np.flatnonzero(keep)

    # One cell per candidate value, in file order (by line, then by column): `width` cells per row in
    # `rows`, cell i in row i // width and column i % width. Per cell: pollutant (index in POLLUTANTS) and
    # the value; the raw text only on the text path (on the numeric path a rejected cell is an empty one).
    raw: npt.NDArray[np.object_] | None = None
    if file_format is FileFormat.LONG:
        pollutant_raw = _stripped(table["pollutant"].astype(str).to_numpy(dtype=object)[rows])
        p_codes, p_uniques = _factorized(pollutant_raw)
        normalised = [normalise_pollutant(str(name)) for name in p_uniques]
        unique_index = np.asarray([POLLUTANTS.index(name) if name else -1 for name in normalised], dtype=np.int64)
        pollutant_index = unique_index[p_codes] if len(rows) else np.zeros(0, dtype=np.int64)
        unknown_item = pollutant_index < 0
        rejected += _rejections(
            lines[rows][unknown_item], "pollutant", pollutant_raw[unknown_item], Reason.UNKNOWN_POLLUTANT
        )
        rows = rows[~unknown_item]
        pollutant_index = pollutant_index[~unknown_item]
        field_of_column = np.asarray(["value"], dtype=object)
        width = 1
        keys_by_row = False
        if numeric_table is not None:
            numbers = table["value"].to_numpy(dtype=np.float64)[rows]
        else:
            raw = table["value"].astype(str).to_numpy(dtype=object)[rows]
    else:
        value_columns = _value_columns(file_format, table.columns)
        names = list(value_columns)
        width = len(names)
        field_of_column = np.asarray(names, dtype=object)
        column_index = np.asarray([POLLUTANTS.index(code) for code in value_columns.values()], dtype=np.int64)
        pollutant_index = np.tile(column_index, len(rows))
        keys_by_row = len(set(value_columns.values())) == width  # no pollutant in two columns
        if numeric_table is not None:
            numbers = table[names].to_numpy(dtype=np.float64)[rows].reshape(-1)  # row-major: by line, then column
        elif width:
            raw = table[names].astype(str).to_numpy(dtype=object)[rows].reshape(-1)
        else:
            raw = np.zeros(0, dtype=object)

    if raw is not None:
        numbers, empty = _numbers(raw)
    else:
        empty = np.isnan(numbers)  # an empty cell, or one of only blanks (read as "" by _read_csv)
    not_numeric = ~empty & ~np.isfinite(numbers)
    negative = ~empty & ~not_numeric & (numbers < 0)
    valid = ~(empty | not_numeric | negative)

    # The natural key (station, hour, pollutant) as one integer, for duplicates and filled gaps.
    hours = stamps[rows] // 3_600_000_000_000
    first_hour = int(hours.min()) if len(rows) else 0
    hour_span = int(hours.max()) - first_hour + 1 if len(rows) else 1
    row_key = s_codes[rows].astype(np.int64) * hour_span + (hours - first_hour)
    key = np.repeat(row_key, width) * len(POLLUTANTS) + pollutant_index
    valid_at = np.flatnonzero(valid)
    empty_at = np.flatnonzero(empty)
    if keys_by_row and pd.Series(row_key).is_unique:
        # Each (station, hour) on one line and each pollutant in one column: every key is unique, so
        # there is nothing to drop (the checks below would find nothing, hashing every cell to do so).
        duplicates = 0
        taken = valid_at
    else:
        first = ~pd.Series(key[valid_at]).duplicated(keep="first").to_numpy()
        duplicates = int((~first).sum())
        taken = valid_at[first]
        # An empty cell whose key has a value elsewhere in the file (CNEMC's second snapshot filling a gap)
        # is not an error: the value is there. The taken keys are looked up among the (fewer) empty ones.
        if len(empty_at) and len(taken):
            taken_keys = key[taken]
            shared = taken_keys[pd.Series(taken_keys).isin(pd.Series(key[empty_at])).to_numpy()]
            filled = pd.Series(key[empty_at]).isin(pd.Series(shared)).to_numpy()
            duplicates += int(filled.sum())
            empty_at = empty_at[~filled]
    cell_stamps = np.repeat(stamps[rows], width)
    cell_lines = np.repeat(lines[rows], width)
    cell_station = np.repeat(s_codes[rows], width)
    for at, reason in (
        (empty_at, Reason.EMPTY),
        (np.flatnonzero(not_numeric), Reason.NOT_NUMERIC),
        (np.flatnonzero(negative), Reason.NEGATIVE),
    ):
        raw_at = raw[at] if raw is not None else np.full(len(at), "", dtype=object)
        rejected += _rejections(cell_lines[at], field_of_column[at % width], raw_at, reason)

    frame = pd.DataFrame(
        {
            "line": cell_lines[taken],
            "station_code": _sorted_categorical(cell_station[taken], s_uniques),
            "time": pd.DatetimeIndex(cell_stamps[taken].astype("datetime64[ns]")).tz_localize(UTC),
            "pollutant": _sorted_categorical(pollutant_index[taken], np.asarray(POLLUTANTS, dtype=object)),
            "value": numbers[taken].astype(np.float64),
        },
        columns=list(FRAME_COLUMNS),
        copy=False,  # every column is a new array already
    )
    rejected.sort(key=lambda item: (item.line, item.field))
    return ParsedFile(
        file_format=file_format,
        encoding=encoding,
        frame=frame,
        rejections=tuple(rejected),
        duplicates=duplicates,
        skipped_unregistered=skipped_unregistered,
        columns=columns,
    )
