"""Reading hourly station files: format detection from the header, decoding, validation.

Pure Python/pandas, no Django. Three layouts are recognised from the header (interfaces.md §2):

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

import io
import re
import zipfile
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
import pandas as pd

POLLUTANTS = ("pm25", "pm10", "so2", "no2", "o3", "co")
CHINA_TZ = ZoneInfo("Asia/Shanghai")

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


class Unreadable(StrEnum):
    """Why a whole file could not be read."""

    EMPTY_FILE = "empty_file"
    ENCODING = "encoding"
    BINARY = "binary"
    CORRUPT_XLSX = "corrupt_xlsx"
    UNSUPPORTED_FORMAT = "unsupported_format"


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

    ``frame`` columns: ``line`` (int64), ``station_code`` (str), ``time`` (datetime64[ns, UTC], end of the
    hour), ``pollutant`` (one of ``POLLUTANTS``), ``value`` (float64, ≥ 0).
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


def _read_xlsx(content: bytes) -> pd.DataFrame:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise UnreadableFileError(Unreadable.CORRUPT_XLSX, str(exc)) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = [[_cell_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
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


def _read_csv(text: str) -> pd.DataFrame:
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            skipinitialspace=True,
        )
    except pd.errors.EmptyDataError as exc:
        raise UnreadableFileError(Unreadable.EMPTY_FILE, "no header line") from exc
    except pd.errors.ParserError as exc:
        raise UnreadableFileError(Unreadable.UNSUPPORTED_FORMAT, str(exc).strip()) from exc
    frame.columns = [_normalise_header(name) for name in frame.columns]
    frame.index = pd.RangeIndex(2, 2 + len(frame))  # physical line numbers; the header is line 1
    return frame.fillna("")


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
    if plus_day:
        moment += timedelta(days=1)
    if moment.minute or moment.second or moment.microsecond:
        return Reason.NOT_ON_HOUR
    return moment.astimezone(UTC)


def _first_present(frame: pd.DataFrame, names: tuple[str, ...]) -> str:
    for name in names:
        if name in frame.columns:
            return name
    raise UnreadableFileError(Unreadable.UNSUPPORTED_FORMAT, f"missing column {names[0]}")


def _stripped(values: npt.NDArray[np.object_]) -> npt.NDArray[np.object_]:
    """``str.strip`` of every cell, done once per distinct text (stations and times repeat by the thousand)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return np.asarray([str(u).strip() for u in uniques], dtype=object)[codes]


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
    codes, uniques = pd.factorize(raw, use_na_sentinel=False)
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
    if is_xlsx(content, file_name):
        table, encoding = _read_xlsx(content), "xlsx"
    else:
        text, encoding = decode_text(content)
        table = _read_csv(text)
    columns = tuple(str(name) for name in table.columns)
    file_format = detect_format(columns)
    station_col = "stationcode" if file_format is FileFormat.CNEMC else _first_present(table, STATION_ALIASES)
    time_col = "timepoint" if file_format is FileFormat.CNEMC else _first_present(table, TIME_ALIASES)

    lines = table.index.to_numpy(dtype=np.int64)
    station = _stripped(table[station_col].astype(str).to_numpy(dtype=object))
    # Lines that are entirely blank carry nothing (a trailing newline, a spacer row); only a line without a
    # station code can be one.
    keep = np.ones(len(table), dtype=bool)
    no_station = np.flatnonzero(station == "")
    if len(no_station):
        candidates = table.iloc[no_station].astype(str)
        blank = ~(candidates.apply(lambda col: col.str.strip()) != "").any(axis=1).to_numpy()
        keep[no_station[blank]] = False

    rejected: list[Rejection] = []
    skipped_unregistered = 0
    # Row-level checks: station, then time. A bad row is reported once, not once per value.
    missing_station = keep & (station == "")
    rejected += _rejections(lines[missing_station], station_col, station[missing_station], Reason.MISSING_STATION)
    keep &= ~missing_station
    if known_stations is not None:
        codes, uniques = pd.factorize(station, use_na_sentinel=False)
        unknown = keep & ~np.isin(np.asarray(uniques, dtype=object), list(known_stations))[codes]
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
    for reason in (Reason.BAD_TIME, Reason.NOT_ON_HOUR):
        mask = keep & (reasons == reason.value)
        rejected += _rejections(lines[mask], time_col, time_raw[mask], reason)
    keep &= reasons == ""
    rows = np.flatnonzero(keep)

    # One cell per candidate value, in file order (by line, then by column): line, station, time, pollutant,
    # field name, raw text.
    if file_format is FileFormat.LONG:
        pollutant_raw = _stripped(table["pollutant"].astype(str).to_numpy(dtype=object)[rows])
        p_codes, p_uniques = pd.factorize(pollutant_raw, use_na_sentinel=False)
        normalised = np.asarray([normalise_pollutant(str(name)) or "" for name in p_uniques], dtype=object)
        pollutant = normalised[p_codes] if len(rows) else np.zeros(0, dtype=object)
        unknown_item = pollutant == ""
        rejected += _rejections(
            lines[rows][unknown_item], "pollutant", pollutant_raw[unknown_item], Reason.UNKNOWN_POLLUTANT
        )
        rows = rows[~unknown_item]
        pollutant = pollutant[~unknown_item]
        raw = table["value"].astype(str).to_numpy(dtype=object)[rows]
        field_names: npt.NDArray[np.object_] = np.full(len(rows), "value", dtype=object)
        cell_rows = rows
    else:
        if file_format is FileFormat.CNEMC:
            value_columns = {name: code for name, code in CNEMC_COLUMNS.items() if name in table.columns}
        else:
            value_columns = {name: code for name in table.columns if (code := normalise_pollutant(name))}
        names = list(value_columns)
        width = len(names)
        matrix = table[names].astype(str).to_numpy(dtype=object)[rows] if width else np.zeros((len(rows), 0), object)
        raw = matrix.reshape(-1)  # row-major: by line, then by column
        cell_rows = np.repeat(rows, width)
        pollutant = np.tile(np.asarray(list(value_columns.values()), dtype=object), len(rows))
        field_names = np.tile(np.asarray(names, dtype=object), len(rows))

    numbers, empty = _numbers(raw)
    not_numeric = ~empty & ~np.isfinite(numbers)
    negative = ~empty & ~not_numeric & (numbers < 0)
    valid = ~(empty | not_numeric | negative)

    # The natural key (station, hour, pollutant) as one integer, for duplicates and filled gaps.
    s_codes, s_uniques = pd.factorize(station[cell_rows], use_na_sentinel=False)
    hours = stamps[cell_rows] // 3_600_000_000_000
    hour_span = int(hours.max() - hours.min() + 1) if len(hours) else 1
    p_index = pd.Categorical(pollutant, categories=list(POLLUTANTS)).codes.astype(np.int64)
    key = (s_codes.astype(np.int64) * hour_span + (hours - (hours.min() if len(hours) else 0))) * len(
        POLLUTANTS
    ) + p_index
    valid_at = np.flatnonzero(valid)
    first = ~pd.Series(key[valid_at]).duplicated(keep="first").to_numpy()
    duplicates = int((~first).sum())
    taken = valid_at[first]

    # An empty cell whose key has a value elsewhere in the file (CNEMC's second snapshot filling a gap)
    # is not an error: the value is there.
    empty_at = np.flatnonzero(empty)
    if len(empty_at) and len(taken):
        filled = pd.Series(key[empty_at]).isin(pd.Series(key[taken])).to_numpy()
        duplicates += int(filled.sum())
        empty_at = empty_at[~filled]
    cell_lines = lines[cell_rows]
    for at, reason in (
        (empty_at, Reason.EMPTY),
        (np.flatnonzero(not_numeric), Reason.NOT_NUMERIC),
        (np.flatnonzero(negative), Reason.NEGATIVE),
    ):
        rejected += _rejections(cell_lines[at], field_names[at], raw[at], reason)

    frame = pd.DataFrame(
        {
            "line": cell_lines[taken],
            "station_code": np.asarray(s_uniques, dtype=object)[s_codes[taken]],
            "time": pd.DatetimeIndex(stamps[cell_rows][taken].astype("datetime64[ns]")).tz_localize(UTC),
            "pollutant": pollutant[taken].astype(object),
            "value": numbers[taken].astype(np.float64),
        },
        columns=list(FRAME_COLUMNS),
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
