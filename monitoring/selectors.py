"""Reads of monitoring: stations, observations as frames, ingest runs and the data-quality view."""

from __future__ import annotations

import calendar
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from areas.models import Area
from areas.rounding import float_to_units, round_half_even_div

from . import standards
from .aqi import (
    EDITION_2012,
    EDITION_2026,
    EDITION_2026_START,
    SO2_1H_CAP,
    AqiResult,
    check_edition,
    column_decimals,
    edition_for,
    hourly_aqi,
)
from .china_time import CHINA_TZ, natural_day_bounds, natural_day_of
from .dust import DustMarks, Scope
from .models import (
    CODE_BY_POLLUTANT,
    POLLUTANT_BY_CODE,
    AreaDay,
    AreaPeriod,
    AssessmentStation,
    DustDay,
    DustFall,
    IngestRun,
    Observation,
    PeriodKind,
    Pollutant,
    Station,
    StationDay,
    StationPeriod,
)
from .statistics import MIN_HOURS_24H, STATS_FIELDS, VALUE_COLUMNS, period_statistics, rescore_daily


def station_list(*, active_on: date | None = None) -> QuerySet[Station]:
    stations = Station.objects.select_related("area")
    if active_on is not None:
        stations = stations.exclude(active_from__gt=active_on).exclude(active_until__lt=active_on)
    return stations.order_by("code")


def observations_frame(
    *, first: date, last: date, station_codes: Iterable[str] | None = None, pollutants: Iterable[str] | None = None
) -> pd.DataFrame:
    """Hourly values of natural days first..last (HJ 663: D 01:00 … D+1 00:00).

    Columns: ``station`` (code), ``time`` (datetime64[ns, Asia/Shanghai], end of the hour), ``pollutant``
    (code name: pm25, pm10, so2, no2, o3, co), ``value`` (float64; µg/m³, CO mg/m³), ``flavour`` (1 real-time,
    2 reviewed), ``flags`` (bit 1: above the plausibility ceiling).
    """
    start, end = natural_day_bounds(first, last)
    rows = Observation.objects.filter(time__gt=start, time__lte=end)
    if station_codes is not None:
        rows = rows.filter(station__code__in=list(station_codes))
    if pollutants is not None:
        rows = rows.filter(pollutant__in=[int(POLLUTANT_BY_CODE[code]) for code in pollutants])
    return hourly_frame(
        _read_observations(rows.values_list("station_id", "time", "pollutant", "value", "flavour", "flags"))
    )


def hourly_frame(frame: pd.DataFrame, *, station_codes: Mapping[int, str] | None = None) -> pd.DataFrame:
    """Stored rows as ``observations_frame`` returns them: codes instead of ids and numbers, sorted.

    ``frame``: columns ``station`` (id), ``time`` (datetime64[ns] UTC, naive or aware), ``pollutant`` (number),
    ``value``, ``flavour``, ``flags``. ``station_codes``: id → code of the registry (None: read it here).
    """
    # Station ids -> codes and pollutant numbers -> code names through small lookup arrays, then one lexsort on
    # integers (code order, code-name order, time) instead of sorting millions of strings.
    ids = frame["station"].to_numpy(dtype=np.int64)
    if station_codes is None:
        known = dict(Station.objects.filter(id__in=np.unique(ids).tolist()).values_list("id", "code"))
    else:
        known = {int(i): station_codes[int(i)] for i in np.unique(ids) if int(i) in station_codes}
    station_ids = np.array(sorted(known), dtype=np.int64)
    codes = np.array([known[i] for i in station_ids], dtype=object)
    if not np.isin(ids, station_ids).all():  # a value of a station no longer in the registry: left out
        frame = frame[np.isin(ids, station_ids)]
        ids = frame["station"].to_numpy(dtype=np.int64)
    station_at = np.searchsorted(station_ids, ids)
    station_rank = np.argsort(np.argsort(codes, kind="stable"), kind="stable")
    pollutant_numbers = np.array(sorted(CODE_BY_POLLUTANT), dtype=np.int64)
    pollutant_names = np.array([CODE_BY_POLLUTANT[n] for n in pollutant_numbers], dtype=object)
    pollutant_at = np.searchsorted(pollutant_numbers, frame["pollutant"].to_numpy(dtype=np.int64))
    pollutant_rank = np.argsort(np.argsort(pollutant_names, kind="stable"), kind="stable")
    moments = frame["time"]
    if isinstance(moments.dtype, pd.DatetimeTZDtype):
        moments = moments.dt.tz_convert("UTC").dt.tz_localize(None)
    times = moments.to_numpy(dtype="datetime64[ns]").astype(np.int64)
    order = np.lexsort((times, pollutant_rank[pollutant_at], station_rank[station_at]))
    return pd.DataFrame(
        {
            "station": codes[station_at[order]],
            "time": pd.DatetimeIndex(times[order].astype("datetime64[ns]")).tz_localize("UTC").tz_convert(CHINA_TZ),
            "pollutant": pollutant_names[pollutant_at[order]],
            "value": frame["value"].to_numpy(dtype=np.float64)[order],
            "flavour": frame["flavour"].to_numpy(dtype=np.int16)[order],
            "flags": frame["flags"].to_numpy(dtype=np.int16)[order],
        },
        columns=OBSERVATION_COLUMNS,
        copy=False,  # new arrays already: no consolidation copy of millions of rows
    )


OBSERVATION_COLUMNS = ["station", "time", "pollutant", "value", "flavour", "flags"]


def _read_observations(rows: QuerySet[Any]) -> pd.DataFrame:
    """The rows of a values_list query (station_id, time, pollutant, value, flavour, flags) as a frame, without
    the ORM's per-row conversions (millions of rows). ``time`` comes back as datetime64[ns] UTC (naive).

    PostgreSQL: ``COPY (query) TO STDOUT WITH (FORMAT binary)``. The six columns are NOT NULL and of fixed
    width, so every tuple has the same layout and numpy reads the whole buffer at once (PostgreSQL docs,
    "COPY", Binary Format). SQLite: a plain cursor, whose time stamps are Django's naive-UTC text.
    """
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.BytesIO()
            query = cursor.cursor.mogrify(sql, params).decode()
            cursor.cursor.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT binary)", buffer)
            return _binary_observations(buffer.getvalue())
        cursor.execute(sql, params)
        frame = pd.DataFrame(cursor.fetchall(), columns=OBSERVATION_COLUMNS)
    frame["time"] = pd.to_datetime(frame["time"], utc=True, format="ISO8601").dt.tz_localize(None)
    return frame


_BINARY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
_BINARY_TUPLE = np.dtype(
    [
        ("n", ">i2"),
        ("l_station", ">i4"),
        ("station", ">i8"),
        ("l_time", ">i4"),
        ("time", ">i8"),  # timestamptz: microseconds since 2000-01-01 00:00 UTC
        ("l_pollutant", ">i4"),
        ("pollutant", ">i2"),
        ("l_value", ">i4"),
        ("value", ">f8"),
        ("l_flavour", ">i4"),
        ("flavour", ">i2"),
        ("l_flags", ">i4"),
        ("flags", ">i2"),
    ]
)
_PG_EPOCH = np.datetime64("2000-01-01T00:00:00", "us")


def _binary_observations(data: bytes) -> pd.DataFrame:
    if not data.startswith(_BINARY_SIGNATURE):
        raise ValueError("COPY output is not PostgreSQL's binary format")
    extension = int.from_bytes(data[15:19], "big")
    body = data[19 + extension : -2]  # header (signature, flags, extension) ... trailer (-1)
    tuples = np.frombuffer(body, dtype=_BINARY_TUPLE)
    widths = {"l_station": 8, "l_time": 8, "l_pollutant": 2, "l_value": 8, "l_flavour": 2, "l_flags": 2}
    if len(body) % _BINARY_TUPLE.itemsize or np.any(tuples["n"] != 6):
        raise ValueError("COPY output: unexpected tuple layout")
    for name, width in widths.items():
        if np.any(tuples[name] != width):
            raise ValueError(f"COPY output: unexpected width or NULL in {name[2:]}")
    return pd.DataFrame(
        {
            "station": tuples["station"].astype(np.int64),
            "time": (_PG_EPOCH + tuples["time"].astype(np.int64).astype("timedelta64[us]")).astype("datetime64[ns]"),
            "pollutant": tuples["pollutant"].astype(np.int64),
            "value": tuples["value"].astype(np.float64),
            "flavour": tuples["flavour"].astype(np.int16),
            "flags": tuples["flags"].astype(np.int16),
        },
        copy=False,
    )


def ingest_run_list(*, limit: int = 50) -> QuerySet[IngestRun]:
    return IngestRun.objects.select_related("started_by").order_by("-created_at", "-id")[:limit]


def ingest_run_affected_days(run: IngestRun) -> dict[str, set[date]]:
    """Station code → natural days (HJ 663) whose values the run inserted or changed."""
    affected: dict[str, set[date]] = {}
    for code, day in run.affected_days:
        affected.setdefault(str(code), set()).add(date.fromisoformat(day))
    return affected


def ingest_run_progress(run: IngestRun) -> dict[str, object]:
    """What the progress bar needs, as JSON-ready values."""
    # The rows are staged chunk by chunk, then written in one transaction: until that has committed the bar
    # stops short of 100 % (the page says it is writing).
    staged = 100 * run.progress_done // run.progress_total if run.progress_total else 0
    percent = 100 if run.state == IngestRun.State.SUCCEEDED else 0 if run.is_finished else min(staged, 99)
    return {
        "id": run.pk,
        "state": run.state,
        "state_label": str(run.get_state_display()),
        "finished": run.is_finished,
        "failed": run.state == IngestRun.State.FAILED,
        "done": run.progress_done,
        "total": run.progress_total,
        "percent": percent,
        "read": run.values_read,
        "stored": run.values_stored,
        "updated": run.values_updated,
        "unchanged": run.values_unchanged,
        "rejected": run.values_rejected,
        "error": run.error_message,
    }


# --- Data quality -----------------------------------------------------------------


@dataclass(frozen=True)
class CaptureRow:
    station: Station
    hours_expected: int
    hours_present: dict[str, int]  # pollutant code → hours with a value

    @property
    def cells(self) -> list[tuple[str, int, float]]:
        """(pollutant code, hours present, capture %) in the table's column order."""
        return [
            (code, self.hours_present.get(code, 0), 100 * self.hours_present.get(code, 0) / self.hours_expected)
            for code in CODE_BY_POLLUTANT.values()
        ]


def data_capture(*, year: int, month: int) -> list[CaptureRow]:
    """Hours present / hours expected per station and pollutant for one month of natural days.

    Counted station by station (one statement: a UNION ALL of one count per station), so that each count
    reads only the month's entries of the observation key (station, time, pollutant): one count over the
    month of every station scanned the whole table, years of hours, and grew with it."""
    days = calendar.monthrange(year, month)[1]
    start, end = natural_day_bounds(date(year, month, 1), date(year, month, days))
    stations = list(station_list(active_on=date(year, month, days)))
    present: dict[int, dict[str, int]] = {}
    for chunk in _chunks([station.pk for station in stations], CAPTURE_STATIONS_PER_STATEMENT):
        counts = [
            Observation.objects.filter(station_id=pk, time__gt=start, time__lte=end)
            .values("station_id", "pollutant")
            .annotate(hours=Count("time"))
            .order_by()
            for pk in chunk
        ]
        for row in counts[0].union(*counts[1:], all=True):
            present.setdefault(row["station_id"], {})[CODE_BY_POLLUTANT[row["pollutant"]]] = row["hours"]
    return [
        CaptureRow(station=station, hours_expected=days * 24, hours_present=present.get(station.pk, {}))
        for station in stations
    ]


# SQLite allows at most 500 SELECTs in one compound statement.
CAPTURE_STATIONS_PER_STATEMENT = 400


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for first in range(0, len(items), size):
        yield items[first : first + size]


def flagged_observations(*, limit: int = 200) -> QuerySet[Observation]:
    """The latest values above the plausibility ceiling (uses the partial index on flagged rows). The run is
    named by its id only: loading each row's run with its list of affected days took half a second."""
    return Observation.objects.filter(flags__gt=0).select_related("station").order_by("-time")[:limit]


@dataclass(frozen=True)
class StaleStation:
    station: Station
    last_time: datetime | None


def stale_stations(*, now: datetime | None = None, hours: int | None = None) -> list[StaleStation]:
    """Active stations with no value in the last ``hours`` hours (MONITORING_STALE_AFTER_HOURS)."""
    now = now or timezone.now()
    hours = hours if hours is not None else settings.MONITORING_STALE_AFTER_HOURS
    latest = Observation.objects.filter(station=OuterRef("pk")).order_by("-time").values("time")[:1]
    stations = station_list(active_on=timezone.localdate(now)).annotate(last_time=Subquery(latest))
    limit = now - timedelta(hours=hours)
    return [
        StaleStation(station=station, last_time=station.last_time)
        for station in stations
        if station.last_time is None or station.last_time < limit
    ]


POLLUTANT_LABELS = {code: Pollutant(value).label for value, code in CODE_BY_POLLUTANT.items()}


# --- Stored results: daily values, period statistics, dust days ----------------------

#: The city's area code; its assessment stations are the national-network stations (aqi-rules §4).
CITY_CODE = "371500"
#: Flavour names in frames and the API (aqi-rules §6).
FLAVOUR_NAMES = {1: "realtime", 2: "reviewed"}
# statistics.VALUE_COLUMNS in the order the daily-results frame has always had (PM first, as the pages list
# them; tests/monitoring/test_results.py holds the two lists to the same columns).
RESULT_VALUE_COLUMNS = ("pm25", "pm10", "so2", "no2", "co", "o3_8h", "o3_1h")
_DAY_FIELDS = ("date", *RESULT_VALUE_COLUMNS, "aqi", "category", "primary_pollutants", "valid", "edition", "flavour")


#: Which networks' stations make an area's figure by default (aqi-rules §4, HJ 663-2013 §6.1.4): the city's are
#: the national-network stations; a county's are its own national, provincial and county stations. Township
#: micro-stations never enter an assessment [project rule]. A station is given these areas when it is
#: registered; from then on which stations assess which area is data the bureau keeps (AssessmentStation).
CITY_NETWORKS = frozenset({Station.Network.NATIONAL})
COUNTY_NETWORKS = frozenset({Station.Network.NATIONAL, Station.Network.PROVINCIAL, Station.Network.COUNTY})


def default_assessment_areas(station: Station) -> list[str]:
    """The codes of the areas a newly registered station assesses (CITY_NETWORKS, COUNTY_NETWORKS)."""
    areas = [CITY_CODE] if station.network in CITY_NETWORKS else []
    if station.network in COUNTY_NETWORKS and station.area.code not in areas:
        areas.append(station.area.code)
    return areas


def assessment_stations(area_code: str) -> list[Station]:
    """The stations whose daily values make an area's figure (AssessmentStation)."""
    return list(
        Station.objects.select_related("area").filter(assessment_memberships__area__code=area_code).order_by("code")
    )


def assessment_positions(area_codes: Iterable[str]) -> dict[str, list[tuple[float, float]]]:
    """For each area code, the (longitude, latitude) of its assessment stations (one query)."""
    result: dict[str, list[tuple[float, float]]] = {code: [] for code in area_codes}
    rows = AssessmentStation.objects.filter(area__code__in=list(result)).values_list(
        "area__code", "station__longitude", "station__latitude"
    )
    for area_code, longitude, latitude in rows.order_by("area__code", "station__code"):
        result[area_code].append((longitude, latitude))
    return result


def assessment_areas_by_station(station_codes: Iterable[str]) -> dict[str, list[str]]:
    """For each station code, the codes of the areas whose figures it enters (one query)."""
    result: dict[str, list[str]] = {code: [] for code in station_codes}
    rows = AssessmentStation.objects.filter(station__code__in=list(result)).values_list("station__code", "area__code")
    for station_code, area_code in rows.order_by("station__code", "area__code"):
        result[station_code].append(area_code)
    return result


@dataclass(frozen=True)
class AreaStations:
    """An area and the stations that assess it (none: the area has no figures, and says so)."""

    area: Area
    stations: list[Station]


def assessment_table() -> list[AreaStations]:
    """Every area with its assessment stations, in the areas' order (two queries)."""
    by_area: dict[int, list[Station]] = {}
    memberships = AssessmentStation.objects.select_related("station").order_by("station__code")
    for membership in memberships:
        by_area.setdefault(membership.area_id, []).append(membership.station)
    return [AreaStations(area, by_area.get(area.pk, [])) for area in Area.objects.order_by("sort_order", "code")]


def assessable_stations() -> list[Station]:
    """Stations that may assess an area: every network but the township micro-stations (aqi-rules §4)."""
    return list(
        Station.objects.select_related("area")
        .exclude(network=Station.Network.TOWNSHIP)
        .order_by("area__sort_order", "code")
    )


def assessment_history(area: Area, *, limit: int = 30) -> list[Any]:
    """The latest changes to an area's assessment stations, newest first, with who made them and why."""
    return list(
        AssessmentStation.history.filter(area_id=area.pk)
        .select_related("history_user", "station")
        .order_by("-history_date", "-history_id")[:limit]
    )


def assessment_areas(station: Station) -> list[str]:
    """The codes of the areas whose figures a station enters."""
    return assessment_areas_by_station([station.code])[station.code]


def _days_frame(rows: list[tuple[Any, ...]], key: str, fields: Sequence[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=[key, *fields])
    for column in (*VALUE_COLUMNS, "aqi", "category"):
        frame[column] = frame[column].astype("float64" if column_decimals(column) else "Int64")
    frame["valid"] = frame["valid"].astype(bool)
    if "primary_pollutants" in fields:
        frame["primary_pollutants"] = [tuple(v or ()) for v in frame["primary_pollutants"]]
    frame[key] = frame[key].astype(object)
    return frame


def _day_fields(primary_pollutants: bool) -> tuple[str, ...]:
    # The JSON list costs as much to decode as the rest of the row; the statistics do not use it.
    return _DAY_FIELDS if primary_pollutants else tuple(f for f in _DAY_FIELDS if f != "primary_pollutants")


def station_days_frame(
    *, station_codes: Iterable[str], first: date, last: date, primary_pollutants: bool = True
) -> pd.DataFrame:
    """Stored station daily values: station (code), date, the value columns, aqi, category,
    primary_pollutants (tuple; left out when ``primary_pollutants`` is False), valid, edition, flavour
    (1 real-time, 2 reviewed)."""
    fields = _day_fields(primary_pollutants)
    rows = list(
        StationDay.objects.filter(station__code__in=list(station_codes), date__gte=first, date__lte=last)
        .order_by("station__code", "date")
        .values_list("station__code", *fields)
    )
    return _days_frame(rows, "station", fields)


def area_days_frame(
    *, area_codes: Iterable[str], first: date, last: date, primary_pollutants: bool = True
) -> pd.DataFrame:
    """Stored area daily values, the columns of ``station_days_frame`` with ``area`` (code) as the key."""
    fields = _day_fields(primary_pollutants)
    rows = list(
        AreaDay.objects.filter(area__code__in=list(area_codes), date__gte=first, date__lte=last)
        .order_by("area__code", "date")
        .values_list("area__code", *fields)
    )
    return _days_frame(rows, "area", fields)


def daily_results_frame(*, area_codes: Sequence[str] | None, start: date, end: date) -> pd.DataFrame:
    """Stored daily results of areas (the city is "371500") for start..end, for progress and dashboards.

    Columns: area (code), date, aqi, category, primary_pollutants, valid, pm25, pm10, so2, no2, co, o3_8h,
    o3_1h, edition, flavour ("realtime"/"reviewed"). ``area_codes`` None: every area. A code that is a station
    code rather than an area code gives that station's days (under the same ``area`` column), so a calendar
    can show a station.
    """
    codes = None if area_codes is None else [str(code) for code in area_codes]
    parts = [
        area_days_frame(
            area_codes=codes if codes is not None else Area.objects.values_list("code", flat=True),
            first=start,
            last=end,
        )
    ]
    if codes is not None:
        known_areas = set(Area.objects.filter(code__in=codes).values_list("code", flat=True))
        station_codes = [code for code in codes if code not in known_areas]
        if station_codes:
            parts.append(
                station_days_frame(station_codes=station_codes, first=start, last=end).rename(
                    columns={"station": "area"}
                )
            )
    frame = (
        pd.concat([p for p in parts if not p.empty], ignore_index=True) if any(not p.empty for p in parts) else parts[0]
    )
    frame["flavour"] = frame["flavour"].map(FLAVOUR_NAMES).astype(object)
    columns = ["area", "date", "aqi", "category", "primary_pollutants", "valid", *RESULT_VALUE_COLUMNS]
    return frame[[*columns, "edition", "flavour"]].reset_index(drop=True)


def results_last_updated() -> datetime | None:
    """When stored results were last computed (None before the first recompute)."""
    latest = [model.objects.aggregate(last=Max("computed_at"))["last"] for model in (StationDay, AreaDay, AreaPeriod)]
    present = [moment for moment in latest if moment is not None]
    return max(present) if present else None


def dust_marks(start: date, end: date) -> DustMarks:
    """The days the bureau marked as dust-affected (扣沙, 环办监测〔2016〕120号) between start and end inclusive,
    city-wide and per assessment unit, with the area each station lies in (whom a unit's mark touches)."""
    citywide: set[date] = set()
    by_area: dict[str, set[date]] = defaultdict(set)
    marks = DustDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "area__code")
    for day, area_code in marks:
        (citywide if area_code is None else by_area[area_code]).add(day)
    area_of_station = dict(Station.objects.values_list("code", "area__code")) if by_area else {}
    return DustMarks(
        citywide=frozenset(citywide),
        by_area={code: frozenset(days) for code, days in by_area.items()},
        area_of_station=area_of_station,
    )


def dust_day_list(*, year: int | None = None) -> QuerySet[DustDay]:
    days = DustDay.objects.select_related("marked_by", "area")
    if year is not None:
        days = days.filter(date__year=year)
    return days.order_by("-date", "area__code")


def scope_daily(*, scope: str, code: str, start: date, end: date) -> QuerySet[Any]:
    """Stored daily results of one station (scope "station") or area ("county", "city"), oldest first."""
    if scope == "station":
        return StationDay.objects.filter(station__code=code, date__gte=start, date__lte=end).order_by("date")
    return AreaDay.objects.filter(area__code=code, date__gte=start, date__lte=end).order_by("date")


def scope_period(*, scope: str, code: str, year: int, dust_deducted: bool) -> StationPeriod | AreaPeriod | None:
    """The stored year (or year-to-date) statistics of one station or area, raw or dust-deducted."""
    filters = {"period": PeriodKind.YEAR, "start": date(year, 1, 1), "dust_deducted": dust_deducted}
    if scope == "station":
        return StationPeriod.objects.filter(station__code=code, **filters).first()
    return AreaPeriod.objects.filter(area__code=code, **filters).first()


def dust_scope(scope: str) -> Scope:
    """The dust scope of a statistics scope (station, county, city): a county and the city are areas."""
    return "station" if scope == "station" else "area"


def scope_period_under_rules(
    *, scope: str, code: str, year: int, dust_deducted: bool, edition: str
) -> dict[str, Any] | None:
    """A stored year (or year to date) recomputed, on request, with every day under one AQI edition and the
    composite index over that edition's limits (docs/editions.md).

    From the stored daily values of the same days; the stored figures are not touched. HJ 633-2012 uses
    GB 3095-2012's limits; HJ 633-2026 the GB 3095-2026 limits in force on the period's last day, phase one
    for a period before 2026-03-01. None when the year has no stored figures.
    """
    check_edition(edition)
    row = scope_period(scope=scope, code=code, year=year, dust_deducted=dust_deducted)
    if row is None:
        return None
    if scope == "station":
        frame = station_days_frame(station_codes=[code], first=row.start, last=row.end, primary_pollutants=False)
    else:
        frame = area_days_frame(area_codes=[code], first=row.start, last=row.end, primary_pollutants=False)
    if edition == EDITION_2012:
        limits = standards.GB3095_2012
    elif row.end < EDITION_2026_START:
        limits = standards.GB3095_2026_PHASE_ONE
    else:
        limits = standards.limits_in_force(row.end)
    stats = period_statistics(
        rescore_daily(frame, edition == EDITION_2026) if len(frame) else frame,
        start=row.start,
        end=row.end,
        kind="year" if row.complete else "ytd",
        dust_days=dust_marks(row.start, row.end).days_for(dust_scope(scope), code) if dust_deducted else (),
        dust_deducted=dust_deducted,
        limits=limits,
    )
    figures = {name: getattr(stats, name) for name in STATS_FIELDS if name not in {"kind", "end"}}
    return figures | {
        "complete": row.complete,
        "end": row.end,
        "flavour": row.flavour,
        "edition": edition,
        "rules": f"HJ 633-{edition}",
    }


def dust_fall_values(months: list[date]) -> list[DustFall]:
    """The stored dust-fall values of these months (first days), with their points and areas."""
    return list(DustFall.objects.filter(month__in=months).select_related("point__area").order_by("point__code"))


def dust_fall_latest(months: int = 12) -> list[DustFall]:
    """The stored dust-fall values of the latest ``months`` months with any, newest first."""
    latest = list(DustFall.objects.order_by("-month").values_list("month", flat=True).distinct()[:months])
    return list(
        DustFall.objects.filter(month__in=latest).select_related("point__area").order_by("-month", "point__code")
    )


# --- The latest air (the public page /air/): the last natural day with results and each station's latest hour


@dataclass(frozen=True)
class LatestHour:
    """A station's latest hour: its six 1-h values (µg/m³, CO mg/m³) and the real-time AQI made of them
    (``aqi.hourly_aqi``, the edition of the hour's natural day); ``result.aqi`` None when an item is missing."""

    station: Station
    time: datetime
    values: dict[str, float]
    result: AqiResult


@dataclass(frozen=True)
class LatestAir:
    day: date | None
    """The last natural day up to ``up_to`` with stored daily results (None: none yet)."""
    areas: list[tuple[Area, AreaDay | None]]
    stations: list[tuple[Station, StationDay | None]]
    hours: list[LatestHour]
    unassessed: set[str]
    """Codes of the areas without assessment stations (no figures at all, rather than none that day)."""


def latest_air(*, up_to: date) -> LatestAir:
    """The city's and each assessment unit's daily AQI on the last day with results up to ``up_to``, each
    station's on that day, and each station's latest stored hour (only stations with an hour in the 24 hours
    before the latest one, so that a closed station does not show an hour from years ago)."""
    day = AreaDay.objects.filter(date__lte=up_to).aggregate(last=Max("date"))["last"]
    shown_areas = list(Area.objects.filter(kind__in=[Area.Kind.CITY, *Area.ASSESSMENT_UNIT_KINDS]))
    latest_hour = Subquery(Observation.objects.filter(station=OuterRef("pk")).order_by("-time").values("time")[:1])
    stations = list((station_list(active_on=day) if day else station_list()).annotate(latest_hour=latest_hour))
    area_days = {row.area_id: row for row in AreaDay.objects.filter(date=day)} if day else {}
    station_days = {row.station_id: row for row in StationDay.objects.filter(date=day)} if day else {}
    return LatestAir(
        day=day,
        areas=[(area, area_days.get(area.pk)) for area in shown_areas],
        stations=[(station, station_days.get(station.pk)) for station in stations],
        hours=_latest_hours(stations),
        unassessed={area.code for area in shown_areas}
        - set(AssessmentStation.objects.values_list("area__code", flat=True).distinct()),
    )


def latest_area_day(area: Area, *, up_to: date) -> AreaDay | None:
    """An area's daily AQI on its last day with results up to ``up_to`` (the public home's "latest air")."""
    return AreaDay.objects.filter(area=area, date__lte=up_to).order_by("-date").first()


def _latest_hours(stations: list[Station]) -> list[LatestHour]:
    """``stations`` carry their latest stored hour (``latest_hour``, read with them by ``latest_air``)."""
    latest_of = {station.pk: station.latest_hour for station in stations}  # type: ignore[attr-defined]
    times = [moment for moment in latest_of.values() if moment is not None]
    if not times:
        return []
    recent = max(times) - timedelta(hours=24)
    wanted = {pk: moment for pk, moment in latest_of.items() if moment is not None and moment > recent}
    condition = Q()
    for pk, moment in wanted.items():
        condition |= Q(station_id=pk, time=moment)
    values: dict[int, dict[str, float]] = {pk: {} for pk in wanted}
    for station_id, pollutant, value in Observation.objects.filter(condition).values_list(
        "station_id", "pollutant", "value"
    ):
        values[station_id][CODE_BY_POLLUTANT[pollutant]] = value
    hours = []
    for station in stations:
        if station.pk not in wanted:
            continue
        moment, hour_values = wanted[station.pk], values[station.pk]
        so2_24h = None
        if hour_values.get("so2", 0) > SO2_1H_CAP:
            so2_24h = _so2_moving_mean(station.pk, moment)
        edition = edition_for(natural_day_of(moment))
        result = hourly_aqi(hour_values, edition=edition, so2_24h=so2_24h)
        hours.append(LatestHour(station=station, time=moment, values=hour_values, result=result))
    return hours


def _so2_moving_mean(station_id: int, moment: datetime) -> float | None:
    """The mean SO2 of the 24 hours ending at ``moment``: the 2012 edition reports an hour's SO2 above 800 µg/m³
    by its 24-h sub-index (HJ 633-2012 Table 1 note 2); at least 20 hours, as for a daily mean (aqi-rules §1)."""
    hours = list(
        Observation.objects.filter(
            station_id=station_id, pollutant=Pollutant.SO2, time__gt=moment - timedelta(hours=24), time__lte=moment
        ).values_list("value", flat=True)
    )
    if len(hours) < MIN_HOURS_24H:
        return None
    units, _present = float_to_units(np.array(hours, dtype=float), 0)  # each hour rounded first, as a daily mean
    return float(round_half_even_div(np.array([units.sum()]), len(hours))[0])
