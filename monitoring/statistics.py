"""Daily and period air-quality statistics exactly as HJ 663-2013 / GB 3095-2012 define them.

The spec is ``docs/aqi-rules.md`` (§1, §2, §4, §5). All arithmetic is on integers: hourly values are
rounded (GB/T 8170) to integer "units" (µg/m³; CO tenths of mg/m³), so every mean is the exact rational
``sum / count`` and is rounded half to even by integer division (``areas.rounding``).

Public interface (the data contract the database layer builds on):
- ``station_daily(hourly, edition=None)``: one row per station and natural day.
- ``area_daily(station_daily, area_stations, edition=None)``: one row per area and day.
- ``period_statistics(daily, start=, end=, kind=, dust_days=, dust_deducted=, limits=)`` -> ``PeriodStats``.
- ``period_statistics_frame(daily, key=, periods=, dust_days=, dust_deducted=, limits=)``: the batch form.
- ``rescore_daily(daily, is_2026)``: a daily series scored under other AQI rules (like-for-like comparisons).
- ``Period.year(y)``, ``Period.month(y, m)``, ``Period.ytd(end)``; ``daily_records(frame)``.

Missing values in the output frames: ``pd.NA`` in the integer (``Int64``) columns, NaN in ``co``;
``daily_records`` gives plain Python values with ``None``. No Django import (pure module).
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from areas.rounding import IntArray, float_to_units, round_half_even_div, units_to_float
from monitoring.aqi import (
    BASIC_DAILY_COLUMNS,
    DECIMALS,
    EDITION_2012,
    EDITION_2026,
    EDITION_2026_START,
    DailyAqiArrays,
    check_edition,
    column_decimals,
    daily_aqi_arrays,
)
from monitoring.percentiles import grouped_percentile_units
from monitoring.standards import LimitSet, composite_weights, limits_in_force

from .china_time import china_wall_times

BoolArray = npt.NDArray[np.bool_]

#: All times are China Standard Time (aqi-rules §1).
HOURLY_COLUMNS: Final = ("station", "time", "pollutant", "value")
MEAN_POLLUTANTS: Final = ("so2", "no2", "co", "pm10", "pm25")
HOURLY_POLLUTANTS: Final = (*MEAN_POLLUTANTS, "o3")
#: The daily value columns, in output order: the one list of them (the stored results, the API, the pages).
VALUE_COLUMNS: Final = (*BASIC_DAILY_COLUMNS, "o3_1h")
AQI_COLUMNS: Final = ("aqi", "category", "primary_pollutants", "valid", "edition")

# GB 3095-2012 Table 4 / HJ 663-2013 §6.1 (aqi-rules §2).
MIN_HOURS_24H: Final = 20  # a 24-h mean needs at least 20 hourly values
MIN_HOURS_8H_WINDOW: Final = 6  # an 8-h moving mean needs at least 6 of its 8 hours
MIN_WINDOWS_MDA8: Final = 14  # the MDA8 needs at least 14 of the 17 windows ending 08:00 ... 24:00
MDA8_EXCEEDANCE: Final = 160  # ... or a (rounded) max above 160 µg/m³ (HJ 663-2013 §6.1.2)
MIN_HOURS_O3_1H: Final = 20  # the daily max 1-h needs 20 hours [project rule] ...
O3_1H_EXCEEDANCE: Final = 200  # ... or any hour above 200 µg/m³ [project rule]


def _edition_flags(days: npt.NDArray[np.datetime64], edition: str | None) -> BoolArray:
    """Per row, True when the 2026 edition applies (from 2026-03-01, aqi-rules §7) or is forced."""
    if edition is not None:
        check_edition(edition)
        return np.full(days.shape, edition == EDITION_2026, dtype=bool)
    flags: BoolArray = days >= np.datetime64(EDITION_2026_START, "D")
    return flags


def _output_frame(
    key_name: str,
    keys: npt.NDArray[np.object_],
    days: npt.NDArray[np.datetime64],
    values: Mapping[str, tuple[IntArray, BoolArray]],
    is_2026: BoolArray,
) -> pd.DataFrame:
    """Assemble the daily output frame (values, then the daily AQI of aqi-rules §3)."""
    data: dict[str, Any] = {
        key_name: keys,
        "date": pd.DatetimeIndex(days).date if len(days) else np.array([], dtype=object),
    }
    for column in VALUE_COLUMNS:
        units, present = values[column]
        decimals = column_decimals(column)
        if decimals:
            data[column] = np.where(present, units_to_float(units, decimals), np.nan)
        else:
            data[column] = pd.array(np.where(present, units, 0), dtype="Int64")
            data[column][~present] = pd.NA
    data.update(_aqi_columns(daily_aqi_arrays(values, is_2026), is_2026))
    return pd.DataFrame(data, columns=[key_name, "date", *VALUE_COLUMNS, *AQI_COLUMNS])


def _aqi_columns(result: DailyAqiArrays, is_2026: BoolArray) -> dict[str, Any]:
    """The AQI_COLUMNS of a daily frame from the vectorised daily AQI (missing where the day is not valid)."""
    aqi = pd.array(result.aqi, dtype="Int64")
    aqi[~result.valid] = pd.NA
    category = pd.array(result.category, dtype="Int64")
    category[~result.valid] = pd.NA
    return {
        "aqi": aqi,
        "category": category,
        "primary_pollutants": result.primary_pollutants,
        "valid": result.valid,
        "edition": np.where(is_2026, EDITION_2026, EDITION_2012).astype(object),
    }


def _empty_daily(key_name: str) -> pd.DataFrame:
    empty_units = np.zeros(0, dtype=np.int64)
    empty_mask = np.zeros(0, dtype=bool)
    return _output_frame(
        key_name,
        np.array([], dtype=object),
        np.array([], dtype="datetime64[D]"),
        dict.fromkeys(VALUE_COLUMNS, (empty_units, empty_mask)),
        empty_mask,
    )


# --------------------------------------------------------------------------------------------------
# Station daily values
# --------------------------------------------------------------------------------------------------
def _local_hours(time: pd.Series) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.int64]]:
    """(natural day, hour index 0..23) of end-of-hour time stamps (HJ 663-2013 App. A, Table A.1).

    Day D is made of the values stamped D 01:00 ... D 23:00 and D+1 00:00 (D's 24:00), so the day is the
    date of ``stamp - 1 h`` in China time and the index ``i`` is the hour ending at ``i + 1`` o'clock.
    """
    if not isinstance(time.dtype, pd.DatetimeTZDtype):
        raise ValueError(
            "hourly data: column 'time' must hold time-zone-aware timestamps "
            f"(got dtype {time.dtype}); convert with pd.to_datetime(..., utc=True) or tz_localize"
        )
    local = china_wall_times(time)
    off_hour = local != local.astype("datetime64[h]")
    if np.any(off_hour):
        first = time[off_hour].iloc[0]
        raise ValueError(f"hourly data: time stamps must be on the full hour (first offending value: {first})")
    shifted = local - np.timedelta64(1, "h")
    days = shifted.astype("datetime64[D]")
    hours = ((shifted - days) // np.timedelta64(1, "h")).astype(np.int64)
    return days, hours


def _hourly_grid(
    hourly: pd.DataFrame,
) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.datetime64], dict[str, tuple[IntArray, BoolArray]]]:
    """Station-days and, per pollutant, a (station-days x 24) grid of rounded hourly units and presence."""
    missing = [c for c in HOURLY_COLUMNS if c not in hourly.columns]
    if missing:
        raise ValueError(f"hourly data: missing column(s) {', '.join(missing)}; expected {', '.join(HOURLY_COLUMNS)}")
    frame = hourly.loc[:, list(HOURLY_COLUMNS)]
    frame = frame[frame["value"].notna()]  # a missing value is an absent hour
    pollutant_index = pd.Categorical(frame["pollutant"], categories=HOURLY_POLLUTANTS).codes.astype(np.int64)
    if np.any(pollutant_index < 0):
        unknown = sorted({str(p) for p in frame["pollutant"][pollutant_index < 0].unique()})
        raise ValueError(
            f"hourly data: unknown pollutant code(s) {', '.join(unknown)}; expected {', '.join(HOURLY_POLLUTANTS)}"
        )
    values = pd.to_numeric(frame["value"], errors="coerce").to_numpy(dtype=np.float64)
    if np.any(np.isnan(values)):
        bad = frame["value"][np.isnan(values)].iloc[0]
        raise ValueError(f"hourly data: non-numeric value {bad!r}")
    if np.any(values < 0):
        row = frame[values < 0].iloc[0]
        raise ValueError(
            f"hourly data: negative value {row['value']} for station {row['station']}, "
            f"{row['pollutant']} at {row['time']}"
        )
    days, hours = _local_hours(frame["time"])
    station_codes, station_uniques = pd.factorize(frame["station"].astype(str), sort=True)
    day_numbers = days.astype(np.int64)
    first_day = int(day_numbers.min()) if day_numbers.size else 0
    span = int(day_numbers.max()) - first_day + 1 if day_numbers.size else 1
    composite = station_codes.astype(np.int64) * span + (day_numbers - first_day)
    row_of, unique_composite = pd.factorize(composite, sort=True)
    n_cells = 0
    n_rows = len(unique_composite)
    keys = np.asarray(station_uniques, dtype=object)[np.asarray(unique_composite) // span]
    out_days = (np.asarray(unique_composite) % span + first_day).astype("datetime64[D]")
    grids: dict[str, tuple[IntArray, BoolArray]] = {}
    for index, pollutant in enumerate(HOURLY_POLLUTANTS):
        mine = pollutant_index == index
        # HJ 663-2013 §6.3: hourly values are rounded (GB/T 8170) before use: µg/m³ to integers, CO to 0.1.
        units, _ = float_to_units(values[mine], DECIMALS[pollutant])
        grid = np.zeros((n_rows, 24), dtype=np.int64)
        present = np.zeros((n_rows, 24), dtype=bool)
        grid[row_of[mine], hours[mine]] = units
        present[row_of[mine], hours[mine]] = True
        grids[pollutant] = (grid, present)
        n_cells += int(np.count_nonzero(present))
    if n_cells != len(frame):  # two rows landed in one (station, hour, pollutant) cell
        cell = (row_of.astype(np.int64) * 24 + hours) * len(HOURLY_POLLUTANTS) + pollutant_index
        row = frame[pd.Series(cell).duplicated().to_numpy()].iloc[0]
        raise ValueError(
            f"hourly data: more than one value for station {row['station']}, {row['pollutant']} at {row['time']}"
        )
    return keys, out_days, grids


def _daily_values(grids: Mapping[str, tuple[IntArray, BoolArray]]) -> dict[str, tuple[IntArray, BoolArray]]:
    """The daily values of aqi-rules §2 from the hourly grids, rounded, with their validity."""
    out: dict[str, tuple[IntArray, BoolArray]] = {}
    for pollutant in MEAN_POLLUTANTS:
        grid, present = grids[pollutant]
        count = present.sum(axis=1)
        total = np.where(present, grid, 0).sum(axis=1)
        # GB 3095-2012 Table 4 / HJ 663 §6.1: 24-h mean of the day's hourly values, valid with >= 20 hours.
        out[pollutant] = (round_half_even_div(total, np.maximum(count, 1)), count >= MIN_HOURS_24H)
    grid, present = grids["o3"]
    count = present.sum(axis=1)
    # O3 daily max 1-h: valid with >= 20 hours, or any value above 200 [project rule, aqi-rules §2].
    maximum = np.where(present, grid, -1).max(axis=1)
    out["o3_1h"] = (np.maximum(maximum, 0), (count >= MIN_HOURS_O3_1H) | (maximum > O3_1H_EXCEEDANCE))
    # O3 8-h moving means at 08:00 ... 24:00 over the day's own hours X-7 ... X (HJ 663-2013 §6.1.2,
    # GB 3095-2012 Table 4): grid column i is the hour ending at i+1 o'clock, so the window ending at X
    # covers columns X-8 ... X-1.
    zeros = np.zeros((grid.shape[0], 1), dtype=np.int64)
    cum_sum = np.concatenate((zeros, np.cumsum(np.where(present, grid, 0), axis=1)), axis=1)
    cum_count = np.concatenate((zeros, np.cumsum(present, axis=1, dtype=np.int64)), axis=1)
    window_sum = cum_sum[:, 8:25] - cum_sum[:, 0:17]
    window_count = cum_count[:, 8:25] - cum_count[:, 0:17]
    window_valid = window_count >= MIN_HOURS_8H_WINDOW
    # Rounding is monotone, so the max of the rounded window means is the rounded max (the MDA8).
    window_mean = round_half_even_div(window_sum, np.maximum(window_count, 1))
    mda8 = np.where(window_valid, window_mean, -1).max(axis=1)
    valid_windows = window_valid.sum(axis=1)
    mda8_valid = (valid_windows >= MIN_WINDOWS_MDA8) | ((valid_windows >= 1) & (mda8 > MDA8_EXCEEDANCE))
    out["o3_8h"] = (np.maximum(mda8, 0), mda8_valid)
    return out


def station_daily(hourly: pd.DataFrame, *, edition: str | None = None) -> pd.DataFrame:
    """Daily values and daily AQI per station and natural day (aqi-rules §1-§3).

    ``hourly`` has the columns station (str), time (tz-aware, the END of the averaging hour, any zone),
    pollutant ("so2", "no2", "co", "pm10", "pm25", "o3") and value (µg/m³; CO mg/m³; NaN = absent). Missing
    hours are absent rows. Returns one row per (station, date) with data, columns station, date
    (``datetime.date``), so2, no2, co, pm10, pm25, o3_8h, o3_1h (rounded; missing when not valid), aqi,
    category, primary_pollutants (tuple of display names), valid (a valid monitoring day) and edition
    ("2012"/"2026" by date unless ``edition`` forces one). Bad input raises ``ValueError`` saying what.
    """
    if edition is not None:
        check_edition(edition)
    if len(hourly) == 0:
        missing = [c for c in HOURLY_COLUMNS if c not in hourly.columns]
        if missing:
            raise ValueError(f"hourly data: missing column(s) {', '.join(missing)}")
        return _empty_daily("station")
    keys, days, grids = _hourly_grid(hourly)
    if len(keys) == 0:
        return _empty_daily("station")
    values = _daily_values(grids)
    return _output_frame("station", keys, days, values, _edition_flags(days, edition))


# --------------------------------------------------------------------------------------------------
# Area (county, city) daily values
# --------------------------------------------------------------------------------------------------
def _column_units(series: pd.Series, column: str, decimals: int) -> tuple[IntArray, BoolArray]:
    """A numeric column (Int64, float or object with None) as rounded integer units and presence."""
    try:
        numbers = pd.to_numeric(series, errors="raise").astype("float64").to_numpy()
    except (TypeError, ValueError) as exc:
        raise ValueError(f"daily data: column {column!r} must be numeric ({exc})") from exc
    if np.any(numbers[~np.isnan(numbers)] < 0):
        raise ValueError(f"daily data: column {column!r} has a negative value")
    return float_to_units(numbers, decimals)


def _day_numbers(series: pd.Series, what: str) -> npt.NDArray[np.datetime64]:
    try:
        days = pd.to_datetime(series).to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{what}: column 'date' must hold dates ({exc})") from exc
    return days


def area_min_stations(n_stations: int) -> int:
    """Fewest stations with a valid value for an area item to be valid (HJ 663-2013 §6.1.4, aqi-rules §4).

    At least 75 % of the area's assessment stations, or 50 % when the area has fewer than 4 stations.
    """
    if n_stations <= 0:
        raise ValueError("an area needs at least one assessment station")
    if n_stations < 4:
        return -(-n_stations // 2)
    return -(-3 * n_stations // 4)


def area_daily(
    station_daily: pd.DataFrame,
    area_stations: Mapping[str, Sequence[str]],
    *,
    edition: str | None = None,
) -> pd.DataFrame:
    """Daily values and AQI per area and date from the assessment stations' daily values (aqi-rules §4).

    ``station_daily`` is the frame of ``station_daily`` (or the same columns read back from storage).
    ``area_stations`` maps an area code to its assessment stations (the caller chooses them: national
    stations for the city; national/provincial/county stations in the county for a county). For each area,
    date and item: the arithmetic mean of the stations' valid daily values (HJ 663-2013 Table A.2; MDA8 is
    the mean of the station MDA8s), rounded, valid only when ``area_min_stations`` stations have a valid
    value; then the daily AQI. Returns the columns of ``station_daily`` with "area" instead of "station",
    one row per area and date on which at least one of its stations has a row.
    """
    if edition is not None:
        check_edition(edition)
    members: list[tuple[str, str]] = []
    n_stations: dict[str, int] = {}
    for area, stations in area_stations.items():
        if isinstance(stations, str):
            raise ValueError(f"area {area}: the stations must be a sequence of codes, not the string {stations!r}")
        unique = sorted({str(s) for s in stations})
        n_stations[str(area)] = len(unique)
        if not unique:
            raise ValueError(f"area {area}: no assessment stations")
        members.extend((str(area), s) for s in unique)
    missing = [c for c in ("station", "date", *VALUE_COLUMNS) if c not in station_daily.columns]
    if missing:
        raise ValueError(f"station daily data: missing column(s) {', '.join(missing)}")
    if not members or len(station_daily) == 0:
        return _empty_daily("area")
    frame = station_daily.loc[:, ["station", "date", *VALUE_COLUMNS]].copy()
    frame["station"] = frame["station"].astype(str)
    frame["_day"] = _day_numbers(frame["date"], "station daily data")
    duplicated = frame.duplicated(subset=["station", "_day"])
    if duplicated.any():
        row = frame[duplicated].iloc[0]
        raise ValueError(f"station daily data: more than one row for station {row['station']} on {row['date']}")
    membership = pd.DataFrame(members, columns=["area", "station"])
    joined = membership.merge(frame, on="station", how="inner")
    if len(joined) == 0:
        return _empty_daily("area")
    group, uniques = pd.factorize(pd.MultiIndex.from_arrays([joined["area"], joined["_day"]]), sort=True)
    n_groups = len(uniques)
    group = group.astype(np.int64)
    area_keys = np.asarray(uniques.get_level_values(0), dtype=object)
    days = np.asarray(uniques.get_level_values(1)).astype("datetime64[D]")
    required = np.array([area_min_stations(n_stations[a]) for a in area_keys], dtype=np.int64)
    values: dict[str, tuple[IntArray, BoolArray]] = {}
    for column in VALUE_COLUMNS:
        units, present = _column_units(joined[column], column, column_decimals(column))
        count = np.bincount(group[present], minlength=n_groups).astype(np.int64)
        # Sums of integers below 2**53 are exact in float64 weights.
        total = np.rint(np.bincount(group[present], weights=units[present], minlength=n_groups)).astype(np.int64)
        mean = round_half_even_div(total, np.maximum(count, 1))
        values[column] = (mean, (count >= required) & (count > 0))
    return _output_frame("area", area_keys, days, values, _edition_flags(days, edition))


def rescore_daily(daily: pd.DataFrame, is_2026: BoolArray | bool) -> pd.DataFrame:
    """The same daily values scored under other AQI rules: aqi, category, primary_pollutants, valid and
    edition recomputed, row by row, under HJ 633-2026 where ``is_2026`` is True and HJ 633-2012 elsewhere.

    For comparisons across 2026-03-01 made like for like (aqi-rules §7): the concentrations do not depend
    on the edition, only what is made of them. ``daily`` has the columns of ``station_daily``/``area_daily``
    (any key column); the other columns are kept as they are.
    """
    missing = [c for c in VALUE_COLUMNS if c not in daily.columns]
    if missing:
        raise ValueError(f"daily data: missing column(s) {', '.join(missing)}")
    flags = np.broadcast_to(np.asarray(is_2026, dtype=bool), (len(daily),))
    values = {c: _column_units(daily[c], c, column_decimals(c)) for c in VALUE_COLUMNS}
    return daily.assign(**_aqi_columns(daily_aqi_arrays(values, flags), flags))


def daily_records(frame: pd.DataFrame) -> Iterator[dict[str, Any]]:
    """The rows of a daily frame as plain Python dicts (ints, floats, dates, tuples; None when missing)."""
    columns = list(frame.columns)
    for row in frame.itertuples(index=False, name=None):
        record: dict[str, Any] = {}
        for column, value in zip(columns, row, strict=True):
            if isinstance(value, tuple):
                record[column] = value
            elif value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
                record[column] = None
            elif isinstance(value, np.integer):
                record[column] = int(value)
            elif isinstance(value, np.bool_):
                record[column] = bool(value)
            else:
                record[column] = value
        yield record


# --------------------------------------------------------------------------------------------------
# Periods: month, year, year to date
# --------------------------------------------------------------------------------------------------
PeriodKind = Literal["year", "month", "ytd"]
PERIOD_KINDS: Final = ("year", "month", "ytd")
#: GB 3095-2012 Table 4 / HJ 663-2013 App. A: an annual statistic needs >= 324 daily values in the year ...
MIN_DAYS_YEAR: Final = 324
#: ... and >= 27 in each month (25 in February); a monthly statistic the same.
MIN_DAYS_MONTH: Final = 27
MIN_DAYS_FEBRUARY: Final = 25
#: Good day: AQI <= 100 (优良); heavy-or-worse day: AQI > 200 (重度及以上), aqi-rules §5.
GOOD_MAX_AQI: Final = 100
HEAVY_MIN_AQI_EXCLUSIVE: Final = 200
MEAN_ITEMS: Final = ("pm25", "pm10", "so2", "no2")
#: (field, daily column, p): GB 3095-2012 Table 1 percentiles, by A.6.
PERCENTILE_ITEMS: Final = (
    ("co_p95", "co", 95),
    ("o3_8h_p90", "o3_8h", 90),
    ("so2_p98", "so2", 98),
    ("no2_p98", "no2", 98),
    ("pm10_p95", "pm10", 95),
    ("pm25_p95", "pm25", 95),
)
#: Dust-storm deduction (扣沙, 环办监测〔2016〕120号) removes these items of the marked days.
DUST_ITEMS: Final = ("pm10", "pm25")


def month_minimum(month: int) -> int:
    """Daily values a month needs for a valid statistic: 27, or 25 in February (GB 3095-2012 Table 4)."""
    return MIN_DAYS_FEBRUARY if month == 2 else MIN_DAYS_MONTH


@dataclass(frozen=True)
class Period:
    """A statistics period: a calendar year, a calendar month, or a year (or month) to date.

    ``end`` is inclusive. A month period may end before the month's last day (month to date).
    """

    kind: PeriodKind
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.kind not in PERIOD_KINDS:
            raise ValueError(f"unknown period kind {self.kind!r}; expected one of {', '.join(PERIOD_KINDS)}")
        if self.end < self.start:
            raise ValueError(f"period end {self.end} is before its start {self.start}")
        if self.kind in ("year", "ytd"):
            if (self.start.month, self.start.day) != (1, 1) or self.end.year != self.start.year:
                raise ValueError(f"a {self.kind} period runs from 1 January to a day of the same year")
            if self.kind == "year" and (self.end.month, self.end.day) != (12, 31):
                raise ValueError("a year period ends on 31 December (use kind='ytd' for a year to date)")
        elif self.start.day != 1 or (self.end.year, self.end.month) != (self.start.year, self.start.month):
            raise ValueError("a month period runs from the 1st to a day of the same month")

    @classmethod
    def year(cls, year: int) -> Period:
        """The calendar year."""
        return cls("year", date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """The calendar month."""
        return cls("month", date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))

    @classmethod
    def ytd(cls, end: date) -> Period:
        """1 January to ``end`` (inclusive)."""
        return cls("ytd", date(end.year, 1, 1), end)

    @property
    def edition(self) -> str:
        """The edition(s) the period's days fall under: "2012", "2026" or "2012+2026"."""
        if self.end < EDITION_2026_START:
            return EDITION_2012
        if self.start >= EDITION_2026_START:
            return EDITION_2026
        return f"{EDITION_2012}+{EDITION_2026}"

    @property
    def limits(self) -> LimitSet:
        """The Grade-II limits the period's composite index is computed with: those in force on its last day
        [project rule, aqi-rules §7]."""
        return limits_in_force(self.end)


@dataclass(frozen=True)
class PeriodStats:
    """Statistics of one entity (station, county, city) over one period. None = validity rule fails."""

    kind: PeriodKind
    start: date
    end: date
    edition: str
    composite_limits: str
    dust_deducted: bool
    valid_days: int
    good_days: int
    heavy_days: int
    good_day_ratio: float | None
    heavy_day_ratio: float | None
    pm25: int | None
    pm10: int | None
    so2: int | None
    no2: int | None
    co_p95: float | None
    o3_8h_p90: int | None
    so2_p98: int | None
    no2_p98: int | None
    pm10_p95: int | None
    pm25_p95: int | None
    composite_index: float | None


STATS_FIELDS: Final = tuple(PeriodStats.__dataclass_fields__)
#: The statistics that are None when their rule fails (every field from good_day_ratio on).
OPTIONAL_FIELDS: Final = STATS_FIELDS[STATS_FIELDS.index("good_day_ratio") :]


def _completeness(
    group: IntArray, day: npt.NDArray[np.datetime64], present: BoolArray, n_groups: int, period: Period
) -> BoolArray:
    """Per group, whether an item's daily values in ``period`` satisfy the data-capture rule.

    GB 3095-2012 Table 4 / HJ 663-2013 App. A: a month needs >= 27 daily values (25 in February); a year
    >= 324 and every month's rule. Running (incomplete) months and years to date [project rule]: the data so
    far must not already have missed more days than the complete month (or year) may miss, i.e. the
    statistic is valid while the complete period can still become valid. A complete month or year gets
    exactly the standard's rule.
    """
    ok = np.ones(n_groups, dtype=bool)
    month_start = period.start
    while month_start <= period.end:
        days_in_month = calendar.monthrange(month_start.year, month_start.month)[1]
        month_end = min(period.end, month_start.replace(day=days_in_month))
        in_month = present & (day >= np.datetime64(month_start)) & (day <= np.datetime64(month_end))
        count = np.bincount(group[in_month], minlength=n_groups)
        elapsed = (month_end - month_start).days + 1
        allowed_missing = days_in_month - month_minimum(month_start.month)
        ok &= (elapsed - count) <= allowed_missing
        month_start = month_end + timedelta(days=1)
    if period.kind in ("year", "ytd"):
        in_period = present & (day >= np.datetime64(period.start)) & (day <= np.datetime64(period.end))
        count = np.bincount(group[in_period], minlength=n_groups)
        elapsed = (period.end - period.start).days + 1
        days_in_year = 366 if calendar.isleap(period.start.year) else 365
        ok &= (elapsed - count) <= days_in_year - MIN_DAYS_YEAR
    return ok


def _ratio_tenths(part: IntArray, whole: IntArray) -> tuple[npt.NDArray[np.float64], BoolArray]:
    """part / whole x 100 rounded half to even to one decimal (aqi-rules §5); undefined where whole is 0."""
    has = whole > 0
    tenths = round_half_even_div(part * 1000, np.maximum(whole, 1))
    return units_to_float(tenths, 1), has


def _prepare_daily(daily: pd.DataFrame, key: str) -> dict[str, Any]:
    missing = [c for c in (key, "date", "aqi", "valid", *MEAN_ITEMS, "co", "o3_8h") if c not in daily.columns]
    if missing:
        raise ValueError(f"daily data: missing column(s) {', '.join(missing)}")
    keys, uniques = pd.factorize(daily[key].astype(str), sort=True)
    day = _day_numbers(daily["date"], "daily data")
    duplicated = pd.DataFrame({"k": keys, "d": day}).duplicated().to_numpy()
    if np.any(duplicated):
        row = daily[duplicated].iloc[0]
        raise ValueError(f"daily data: more than one row for {key} {row[key]} on {row['date']}")
    valid = daily["valid"].fillna(False).to_numpy(dtype=bool)
    aqi_units, aqi_present = _column_units(daily["aqi"], "aqi", 0)
    items = {c: _column_units(daily[c], c, column_decimals(c)) for c in BASIC_DAILY_COLUMNS}
    return {
        "group": keys.astype(np.int64),
        "uniques": np.asarray(uniques, dtype=object),
        "day": day,
        "valid": valid & aqi_present,
        "aqi": aqi_units,
        "items": items,
    }


def _dust_mask(prepared: Mapping[str, Any], dust_days: Mapping[str, Collection[date]] | Collection[date]) -> BoolArray:
    day: npt.NDArray[np.datetime64] = prepared["day"]
    if isinstance(dust_days, Mapping):
        uniques: npt.NDArray[np.object_] = prepared["uniques"]
        group: IntArray = prepared["group"]
        mask = np.zeros(day.shape, dtype=bool)
        for index, entity in enumerate(uniques):
            marked = dust_days.get(str(entity), ())
            if marked:
                marked_days = np.array(sorted(marked), dtype="datetime64[D]")
                mask |= (group == index) & np.isin(day, marked_days)
        return mask
    if not dust_days:
        return np.zeros(day.shape, dtype=bool)
    result: BoolArray = np.isin(day, np.array(sorted(dust_days), dtype="datetime64[D]"))
    return result


def _stats_for_period(
    prepared: Mapping[str, Any], dust: BoolArray, period: Period, dust_deducted: bool, limits: LimitSet
) -> dict[str, Any]:
    group: IntArray = prepared["group"]
    day: npt.NDArray[np.datetime64] = prepared["day"]
    n_groups = len(prepared["uniques"])
    in_period = (day >= np.datetime64(period.start)) & (day <= np.datetime64(period.end))
    valid = prepared["valid"] & in_period
    aqi: IntArray = prepared["aqi"]
    valid_days = np.bincount(group[valid], minlength=n_groups).astype(np.int64)
    good_days = np.bincount(group[valid & (aqi <= GOOD_MAX_AQI)], minlength=n_groups).astype(np.int64)
    heavy_days = np.bincount(group[valid & (aqi > HEAVY_MIN_AQI_EXCLUSIVE)], minlength=n_groups).astype(np.int64)
    out: dict[str, Any] = {
        "valid_days": valid_days,
        "good_days": good_days,
        "heavy_days": heavy_days,
    }
    for name, part in (("good_day_ratio", good_days), ("heavy_day_ratio", heavy_days)):
        ratio, has = _ratio_tenths(part, valid_days)
        out[name] = (ratio, has)
    complete: dict[str, BoolArray] = {}
    used: dict[str, BoolArray] = {}
    for column, (_, present) in prepared["items"].items():
        complete[column] = _completeness(group, day, present, n_groups, period)
        keep = present & in_period
        if dust_deducted and column in DUST_ITEMS:
            # 扣沙 (环办监测〔2016〕120号): PM10 and PM2.5 of dust-affected days leave the concentration
            # statistics; they still count as captured data for the completeness rule [project rule].
            keep &= ~dust
        used[column] = keep
    units_of: dict[str, IntArray] = {}
    valid_of: dict[str, BoolArray] = {}
    for column in MEAN_ITEMS:
        units, _ = prepared["items"][column]
        keep = used[column]
        count = np.bincount(group[keep], minlength=n_groups).astype(np.int64)
        total = np.rint(np.bincount(group[keep], weights=units[keep], minlength=n_groups)).astype(np.int64)
        # Period mean of the reported daily values, rounded [project rule, aqi-rules §5].
        units_of[column] = round_half_even_div(total, np.maximum(count, 1))
        valid_of[column] = complete[column] & (count > 0)
    for name, column, p in PERCENTILE_ITEMS:
        units, _ = prepared["items"][column]
        keep = used[column]
        value, count = grouped_percentile_units(group[keep], units[keep], n_groups, p)
        units_of[name] = value
        valid_of[name] = complete[column] & (count > 0)
    numerator = np.zeros(n_groups, dtype=np.int64)
    composite_ok = np.ones(n_groups, dtype=bool)
    denominator, weights = composite_weights(limits)
    for name, weight in weights:
        numerator += units_of[name] * weight
        composite_ok &= valid_of[name]
    # Composite index from the reported (rounded) values over the Grade-II limits of ``limits``, two
    # decimals (aqi-rules §5, §7).
    hundredths = round_half_even_div(numerator * 100, denominator)
    out["composite_index"] = (units_to_float(hundredths, 2), composite_ok)
    for name in (*MEAN_ITEMS, *(p[0] for p in PERCENTILE_ITEMS)):
        decimals = 1 if name == "co_p95" else 0
        out[name] = (units_to_float(units_of[name], decimals) if decimals else units_of[name], valid_of[name])
    return out


def period_statistics_frame(
    daily: pd.DataFrame,
    *,
    key: str,
    periods: Sequence[Period],
    dust_days: Mapping[str, Collection[date]] | Collection[date] = (),
    dust_deducted: bool = False,
    limits: LimitSet | None = None,
) -> pd.DataFrame:
    """Period statistics of many entities and periods at once (aqi-rules §5).

    ``daily`` holds the daily series of many entities (column ``key``, e.g. "station" or "area", plus the
    columns of ``station_daily``). ``dust_days``: the bureau's dust-affected days, one collection for all
    entities or a mapping per entity; used only when ``dust_deducted``. The day counts and ratios follow
    each day's ``aqi`` and ``valid`` as given (``rescore_daily`` scores a series under other rules); the
    composite index divides by ``limits`` (default: each period's own, ``Period.limits``). Returns one row
    per entity and period: ``key`` then the fields of ``PeriodStats`` (missing statistics are None).
    """
    prepared = _prepare_daily(daily, key)
    dust = _dust_mask(prepared, dust_days) if dust_deducted else np.zeros(len(daily), dtype=bool)
    uniques: npt.NDArray[np.object_] = prepared["uniques"]
    parts: list[pd.DataFrame] = []
    for period in periods:
        period_limits = limits or period.limits
        stats = _stats_for_period(prepared, dust, period, dust_deducted, period_limits)
        data: dict[str, Any] = {
            key: uniques,
            "kind": period.kind,
            "start": period.start,
            "end": period.end,
            "edition": period.edition,
            "composite_limits": period_limits.code,
            "dust_deducted": dust_deducted,
        }
        for name in ("valid_days", "good_days", "heavy_days"):
            data[name] = pd.Series([int(v) for v in stats[name]], dtype=object)
        for name in OPTIONAL_FIELDS:
            values, ok = stats[name]
            # object dtype keeps ints as ints beside None (a float column would turn 183 into 183.0).
            data[name] = pd.Series(
                [(v.item() if bool(o) else None) for v, o in zip(values, ok, strict=True)], dtype=object
            )
        parts.append(pd.DataFrame(data, columns=[key, *STATS_FIELDS]))
    if not parts:
        return pd.DataFrame(columns=[key, *STATS_FIELDS])
    return pd.concat(parts, ignore_index=True)


def period_statistics(
    daily: pd.DataFrame,
    *,
    start: date,
    end: date,
    kind: PeriodKind,
    dust_days: Collection[date] = (),
    dust_deducted: bool = False,
    limits: LimitSet | None = None,
) -> PeriodStats:
    """Statistics of ONE entity's daily series over a year, a month or a year to date (aqi-rules §5).

    ``daily`` has the columns of ``station_daily``/``area_daily`` (date, so2, no2, co, pm10, pm25, o3_8h,
    aqi, valid; no key column needed). ``end`` is inclusive. With ``dust_deducted`` the PM10/PM2.5 values of
    ``dust_days`` are left out of the concentration statistics (扣沙); the day counts are unchanged.
    """
    period = Period(kind, start, end)
    frame = daily.assign(_entity="entity")
    if len(frame) == 0:
        return PeriodStats(
            kind=period.kind,
            start=period.start,
            end=period.end,
            edition=period.edition,
            composite_limits=(limits or period.limits).code,
            dust_deducted=dust_deducted,
            valid_days=0,
            good_days=0,
            heavy_days=0,
            **dict.fromkeys(OPTIONAL_FIELDS),
        )
    row = period_statistics_frame(
        frame, key="_entity", periods=[period], dust_days=dust_days, dust_deducted=dust_deducted, limits=limits
    ).iloc[0]
    return PeriodStats(**{name: _plain(row[name]) for name in STATS_FIELDS})


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return value
