"""Stored results: station and area daily values, month and year statistics, and what to recompute when.

The maths is in the pure modules (``monitoring.statistics``); this module reads observations and stored
daily values through ``monitoring.selectors``, calls the maths and writes the results in bulk (one
``INSERT … ON CONFLICT DO UPDATE`` per scope and period, never per-row saves).

The work is described by a ``RecomputePlan`` (JSON-ready, so Celery tasks can carry its parts) in three
stages that depend on each other:

1. station days (``station_days_recompute``) from the hourly observations;
2. area days (``area_days_recompute``) from the stored station days (HJ 663-2013 Table A.2: the mean of the
   assessment stations' daily values);
3. month and year statistics (``periods_recompute``) from the stored daily values, raw and dust-deducted.

An ingest of new whole days computes the stages its file completes itself, inside its transaction
(``monitoring.file_results``); ``plan_for_run`` leaves those out.

``monitoring.tasks.results_stage`` fans each stage out as a Celery group, the next stage as the chord's
body, so several workers share the work; in eager mode the same chain runs in-process.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from areas.models import Area

from . import selectors, upsert
from .china_time import natural_day_bounds, natural_day_of, natural_days
from .dust import DustMarks, Scope
from .locks import results_lock
from .models import (
    AreaDay,
    AreaPeriod,
    Flavour,
    IngestRun,
    Observation,
    PeriodKind,
    Station,
    StationDay,
    StationPeriod,
)
from .statistics import STATS_FIELDS, VALUE_COLUMNS, Period, area_daily, period_statistics_frame, station_daily

#: Stations per station-day task of a full recompute (one year each): about 2 M hourly values for 40.
STATIONS_PER_TASK = 40
DAILY_FIELDS = (*VALUE_COLUMNS, "aqi", "category", "primary_pollutants", "valid", "edition", "flavour", "computed_at")
PERIOD_FIELDS = tuple(
    name
    for name in (*STATS_FIELDS, "period", "complete", "flavour", "computed_at")
    if name not in {"kind", "start", "dust_deducted"}
)


# --------------------------------------------------------------------------------------------------
# The plan
# --------------------------------------------------------------------------------------------------
@dataclass
class RecomputePlan:
    """What to recompute. Days are ISO strings so the plan travels through Celery's JSON serializer.

    ``station_units``: {"codes": [...], "first": iso, "last": iso, "days": [iso, …] | None} — the stations'
    days (None: every day first..last). ``area_units``: {"area": code, "first", "last", "days"}.
    ``period_units``: {"scope": "station" | "area", "codes": [...], "year": Y, "months": [m, …]} — the months
    listed and the year containing them.
    """

    station_units: list[dict[str, Any]] = field(default_factory=list)
    area_units: list[dict[str, Any]] = field(default_factory=list)
    period_units: list[dict[str, Any]] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return sorted({int(unit["year"]) for unit in self.period_units})

    def as_dict(self) -> dict[str, Any]:
        return {"station_units": self.station_units, "area_units": self.area_units, "period_units": self.period_units}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RecomputePlan:
        return cls(
            station_units=list(data.get("station_units", [])),
            area_units=list(data.get("area_units", [])),
            period_units=list(data.get("period_units", [])),
        )

    @property
    def empty(self) -> bool:
        return not (self.station_units or self.area_units or self.period_units)


def _iso(days: Iterable[date]) -> list[str]:
    return [day.isoformat() for day in sorted(set(days))]


def _unit_days(unit: Mapping[str, Any]) -> list[date] | None:
    days = unit.get("days")
    return None if days is None else [date.fromisoformat(day) for day in days]


def _period_units(scope: Scope, days_by_code: Mapping[str, Iterable[date]]) -> list[dict[str, Any]]:
    """Group entities with the same (year, months) so each month and year is recomputed only where touched."""
    groups: dict[tuple[int, tuple[int, ...]], list[str]] = defaultdict(list)
    for code, days in days_by_code.items():
        months_by_year: dict[int, set[int]] = defaultdict(set)
        for day in days:
            months_by_year[day.year].add(day.month)
        for year, months in months_by_year.items():
            groups[(year, tuple(sorted(months)))].append(code)
    return [
        {"scope": scope, "codes": sorted(codes), "year": year, "months": list(months)}
        for (year, months), codes in sorted(groups.items())
    ]


def _assessed_areas(station_codes: Sequence[str]) -> list[str]:
    """The codes of the areas at least one of the stations assesses."""
    return sorted({area for areas in selectors.assessment_areas_by_station(station_codes).values() for area in areas})


def plan_for_station_days(affected: Mapping[str, Iterable[date]]) -> RecomputePlan:
    """The plan for changed station-days: those days, the areas containing the stations on those days, and
    the months and years containing them (for the stations and the areas)."""
    affected = {code: set(days) for code, days in affected.items() if days}
    if not affected:
        return RecomputePlan()
    stations = {s.code: s for s in Station.objects.select_related("area").filter(code__in=list(affected))}
    by_day_set: dict[tuple[date, ...], list[str]] = defaultdict(list)
    area_days: dict[str, set[date]] = defaultdict(set)
    areas_of = selectors.assessment_areas_by_station(stations)
    for code, days in affected.items():
        if code not in stations:
            continue
        by_day_set[tuple(sorted(days))].append(code)
        for area in areas_of[code]:
            area_days[area] |= days
    station_units = [
        {"codes": sorted(codes), "first": days[0].isoformat(), "last": days[-1].isoformat(), "days": _iso(days)}
        for days, codes in sorted(by_day_set.items())
    ]
    area_units = [
        {"area": area, "first": min(days).isoformat(), "last": max(days).isoformat(), "days": _iso(days)}
        for area, days in sorted(area_days.items())
    ]
    periods = _period_units("station", {c: d for c, d in affected.items() if c in stations})
    periods += _period_units("area", area_days)
    return RecomputePlan(station_units=station_units, area_units=area_units, period_units=periods)


def plan_for_run(run_id: int) -> RecomputePlan:
    """The plan for what an ingest run inserted or changed (``IngestRun.affected_days``)."""
    run = IngestRun.objects.filter(pk=run_id).first()
    if run is None:  # deleted before the task ran: nothing of it left to recompute
        return RecomputePlan()
    plan = plan_for_station_days(selectors.ingest_run_affected_days(run))
    # Stages the ingest computed from its own rows inside its transaction (monitoring.file_results).
    if run.results_stored >= IngestRun.ResultsStored.STATION_DAYS:
        plan.station_units = []
    if run.results_stored >= IngestRun.ResultsStored.AREA_DAYS:
        plan.area_units = []
    if run.results_stored >= IngestRun.ResultsStored.ALL:
        plan.period_units = []
    return plan


def plan_full(*, year: int | None = None) -> RecomputePlan:
    """Everything (or one year): every station with observations, every area with assessment stations."""
    start, end = natural_day_bounds(date(year, 1, 1), date(year, 12, 31)) if year else (None, None)
    rows = Observation.objects.all()
    if start is not None:
        rows = rows.filter(time__gt=start, time__lte=end)
    span = rows.aggregate(first=Min("time"), last=Max("time"))
    if span["first"] is None:
        return RecomputePlan()
    first = natural_day_of(span["first"])
    last = natural_day_of(span["last"])
    stations = list(Station.objects.select_related("area").order_by("code"))
    codes = [s.code for s in stations]
    areas = _assessed_areas(codes)
    plan = RecomputePlan()
    for y in range(first.year, last.year + 1):
        lo, hi = max(first, date(y, 1, 1)), min(last, date(y, 12, 31))
        for index in range(0, len(codes), STATIONS_PER_TASK):
            plan.station_units.append(
                {"codes": codes[index : index + STATIONS_PER_TASK], "first": lo.isoformat(), "last": hi.isoformat()}
            )
        for area in areas:
            plan.area_units.append({"area": area, "first": lo.isoformat(), "last": hi.isoformat()})
        months = list(range(lo.month, hi.month + 1))
        plan.period_units.append({"scope": "station", "codes": codes, "year": y, "months": months})
        plan.period_units.append({"scope": "area", "codes": areas, "year": y, "months": months})
    return plan


def plan_for_area(area_code: str) -> RecomputePlan:
    """An area's daily values and its months and years, over every day its assessment stations have stored
    days (after the bureau changes which stations assess it)."""
    codes = [s.code for s in selectors.assessment_stations(area_code)]
    span = StationDay.objects.filter(station__code__in=codes).aggregate(first=Min("date"), last=Max("date"))
    if span["first"] is None:
        return RecomputePlan()
    first, last = span["first"], span["last"]
    plan = RecomputePlan()
    for year in range(first.year, last.year + 1):
        lo, hi = max(first, date(year, 1, 1)), min(last, date(year, 12, 31))
        plan.area_units.append({"area": area_code, "first": lo.isoformat(), "last": hi.isoformat()})
        months = list(range(lo.month, hi.month + 1))
        plan.period_units.append({"scope": "area", "codes": [area_code], "year": year, "months": months})
    return plan


def plan_for_dust_year(year: int, *, area_code: str | None = None) -> RecomputePlan:
    """A dust mark changes the deducted period series of its year (not the days): a city-wide mark those of
    every station and area, a unit's mark those of the unit and the stations in it (monitoring/dust.py)."""
    stations = Station.objects.select_related("area").order_by("code")
    if area_code is None:
        station_codes = [s.code for s in stations]
        areas = _assessed_areas(station_codes)
    else:
        station_codes = [s.code for s in stations.filter(area__code=area_code)]
        areas = [area_code]
    months = list(range(1, 13))
    units = [("station", station_codes), ("area", areas)]
    return RecomputePlan(
        period_units=[
            {"scope": scope, "codes": codes, "year": year, "months": months} for scope, codes in units if codes
        ]
    )


# --------------------------------------------------------------------------------------------------
# Stage 1: station days
# --------------------------------------------------------------------------------------------------
def _runs(days: Sequence[date]) -> list[tuple[date, date]]:
    """Contiguous runs of sorted days, so scattered days do not read the years between them."""
    runs: list[tuple[date, date]] = []
    for day in sorted(days):
        if runs and day - runs[-1][1] <= timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _day_flavour(hourly: pd.DataFrame) -> pd.DataFrame:
    """Per station and natural day, the lowest flavour among its hours: real-time if any real-time value
    entered, else reviewed (aqi-rules §6). HJ 663: the 00:00 value belongs to the day before."""
    day = natural_days(hourly["time"])
    codes, stations = pd.factorize(hourly["station"].to_numpy(dtype=object))
    frame = pd.DataFrame({"s": codes, "d": day.astype(np.int64), "flavour": hourly["flavour"].to_numpy()})
    least = frame.groupby(["s", "d"], sort=False)["flavour"].min().reset_index()
    return pd.DataFrame(
        {
            "station": np.asarray(stations, dtype=object)[least["s"].to_numpy()],
            "day": least["d"].to_numpy().astype("datetime64[D]"),
            "flavour": least["flavour"].to_numpy(),
        }
    )


def station_days_compute(hourly: pd.DataFrame) -> pd.DataFrame:
    """The daily values of every station and natural day in ``hourly`` (as ``selectors.observations_frame``
    returns it), with each day's flavour. Pure computation: no database access (the ingest runs it while its
    ``COPY`` holds the connection)."""
    daily = station_daily(hourly)
    daily["day"] = pd.to_datetime(daily["date"]).to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    return daily.merge(_day_flavour(hourly), on=["station", "day"], how="left")


def station_days_payload(daily: pd.DataFrame, *, station_ids: Mapping[str, int]) -> upsert.RowsPayload:
    """``station_days_compute``'s rows converted for ``upsert.rows_write``; ``station_ids``: code → id of the
    registry (stations not in it are left out). No database access."""
    daily = daily[daily["station"].isin(station_ids)].assign(computed_at=timezone.now())
    daily["station_id"] = daily["station"].map(station_ids)
    return upsert.rows_payload(StationDay, daily, key=("station", "date"), update=DAILY_FIELDS)


def station_days_store(daily: pd.DataFrame, *, days: Sequence[date] | None = None) -> int:
    """Store ``station_days_compute``'s rows (only those on ``days`` when given); returns the rows written."""
    if days is not None:
        daily = daily[daily["day"].isin({np.datetime64(day, "D") for day in days})]
    ids = dict(Station.objects.filter(code__in=daily["station"].unique().tolist()).values_list("code", "id"))
    return upsert.rows_write(station_days_payload(daily, station_ids=ids))


def station_days_recompute(
    *, station_codes: Sequence[str], first: date, last: date, days: Sequence[date] | None = None
) -> int:
    """Recompute and store the daily values of these stations on ``days`` (or every day first..last).

    Reads the hours of each natural day (HJ 663: D 01:00 … D+1 00:00; MDA8 windows use only the day's own
    hours, aqi-rules §2) in one selector call per contiguous run of days. Returns the rows written.
    """
    runs = [(first, last)] if days is None else _runs(days)
    written = 0
    for lo, hi in runs:
        with transaction.atomic():
            results_lock("station-days", station_codes, range(lo.year, hi.year + 1))
            hourly = selectors.observations_frame(first=lo, last=hi, station_codes=station_codes)
            if not hourly.empty:
                written += station_days_store(station_days_compute(hourly), days=days)
    return written


# --------------------------------------------------------------------------------------------------
# Stage 2: area days
# --------------------------------------------------------------------------------------------------
def _members_by_day(stations: Sequence[Station], days: Sequence[date]) -> dict[tuple[str, ...], list[date]]:
    """An area's assessment stations, grouped by the days on which the same set is active."""
    groups: dict[tuple[str, ...], list[date]] = defaultdict(list)
    for day in days:
        members = tuple(
            s.code
            for s in stations
            if (s.active_from is None or s.active_from <= day) and (s.active_until is None or s.active_until >= day)
        )
        if members:
            groups[members].append(day)
    return groups


def area_days_rows(
    area_code: str, stations: Sequence[Station], stored: pd.DataFrame, days: Sequence[date]
) -> list[pd.DataFrame]:
    """An area's daily values on ``days`` from its stations' stored days (aqi-rules §4), one frame per set of
    active stations."""
    parts = []
    for members, member_days in _members_by_day(stations, days).items():
        mine = stored[stored["station"].isin(members) & stored["date"].isin(set(member_days))]
        if mine.empty:
            continue
        result = area_daily(mine, {area_code: list(members)})
        # The area's flavour: real-time if any of its stations' days is real-time (aqi-rules §6).
        flavour = mine.groupby("date")["flavour"].min()
        result["flavour"] = result["date"].map(flavour)
        result["stations"] = len(members)
        parts.append(result)
    return parts


def area_days_recompute_units(units: Sequence[Mapping[str, Any]]) -> int:
    """Recompute and store the daily values of the areas of several plan units (``{"area", "first", "last",
    "days"}``): one read of their stations' stored days and one write, however many areas."""
    areas = {area.code: area for area in Area.objects.filter(code__in=[unit["area"] for unit in units])}
    units = [unit for unit in units if unit["area"] in areas]  # an area removed since the plan was made
    if not units:
        return 0
    with transaction.atomic():
        years = range(min(int(unit["first"][:4]) for unit in units), max(int(unit["last"][:4]) for unit in units) + 1)
        results_lock("area-days", [unit["area"] for unit in units], years)
        return _area_days_store(units, areas)


def _area_days_store(units: Sequence[Mapping[str, Any]], areas: Mapping[str, Area]) -> int:
    members = {unit["area"]: selectors.assessment_stations(unit["area"]) for unit in units}
    stored = selectors.station_days_frame(
        station_codes=sorted({s.code for stations in members.values() for s in stations}),
        first=min(date.fromisoformat(unit["first"]) for unit in units),
        last=max(date.fromisoformat(unit["last"]) for unit in units),
        primary_pollutants=False,
    )
    if stored.empty:
        return 0
    now = timezone.now()
    parts = []
    for unit in units:
        code, first, last = unit["area"], date.fromisoformat(unit["first"]), date.fromisoformat(unit["last"])
        codes = {s.code for s in members[code]}
        mine = stored[stored["station"].isin(codes) & (stored["date"] >= first) & (stored["date"] <= last)]
        days = _unit_days(unit)
        if days is None:
            days = sorted(set(mine["date"]))
        for part in area_days_rows(code, members[code], mine, days):
            parts.append(part.assign(area_id=areas[code].pk, computed_at=now))
    if not parts:
        return 0
    frame = pd.concat(parts, ignore_index=True)
    return upsert.frame_upsert(AreaDay, frame, key=("area", "date"), update=(*DAILY_FIELDS, "stations"))


def area_days_recompute(*, area_code: str, first: date, last: date, days: Sequence[date] | None = None) -> int:
    """Recompute and store an area's daily values from its stations' stored daily values (aqi-rules §4)."""
    unit = {
        "area": area_code,
        "first": first.isoformat(),
        "last": last.isoformat(),
        "days": None if days is None else _iso(days),
    }
    return area_days_recompute_units([unit])


# --------------------------------------------------------------------------------------------------
# Stage 3: months and years
# --------------------------------------------------------------------------------------------------
def through_date(year: int, *, today: date | None = None) -> date | None:
    """The last day a year's figures run to: 31 December once the year is over, else the last day with a
    stored station day (a year in progress is a year to date). None when the year has no data."""
    today = today or timezone.localdate()
    year_end = date(year, 12, 31)
    if year_end < today:
        return year_end
    last = StationDay.objects.filter(date__year=year).aggregate(last=Max("date"))["last"]
    return min(last, year_end) if last else None


def period_plan(year: int, months: Iterable[int], through: date) -> list[tuple[Period, str, bool]]:
    """(statistics period, stored kind, complete) for the months started by ``through`` and the year."""
    out: list[tuple[Period, str, bool]] = []
    for month in sorted(set(months)):
        start = date(year, month, 1)
        if start > through:
            continue
        end = date(year, month, calendar.monthrange(year, month)[1])
        out.append((Period("month", start, min(end, through)), PeriodKind.MONTH, end <= through))
    complete = through == date(year, 12, 31)
    out.append((Period.year(year) if complete else Period.ytd(through), PeriodKind.YEAR, complete))
    return out


def period_rows(
    daily: pd.DataFrame,
    *,
    key: str,
    ids: Mapping[str, int],
    periods: Sequence[tuple[Period, str, bool]],
    dust: DustMarks,
) -> pd.DataFrame:
    """Rows of ``StationPeriod`` (``key`` "station") or ``AreaPeriod`` ("area") for the daily values of many
    entities: each of ``periods`` (statistics period, stored kind, complete; see ``_periods``), raw and
    dust-deducted. ``ids``: code → id (other entities are left out). No database access."""
    meta = {(p.kind, p.start, p.end): (kind, complete) for p, kind, complete in periods}
    day_numbers = pd.to_datetime(daily["date"]).dt.date
    flavour_of: dict[tuple[str, date, date], int] = {}
    for period, _, _ in periods:
        inside = daily[(day_numbers >= period.start) & (day_numbers <= period.end)]
        for code, value in inside.groupby(key)["flavour"].min().items():
            flavour_of[(str(code), period.start, period.end)] = int(value)
    tables = [
        period_statistics_frame(
            daily,
            key=key,
            periods=[p for p, _, _ in periods],
            dust_days=dust.for_statistics(key, daily[key].unique()),
            dust_deducted=deducted,
        )
        for deducted in (False, True)
    ]
    table = pd.concat(tables, ignore_index=True)
    table = table[[code in ids for code in table[key]]]  # an entity removed since the plan was made
    periods_of = zip(table[key], table["kind"], table["start"], table["end"], strict=True)
    kinds, completes, flavours = [], [], []
    for code, kind, start, end in periods_of:
        stored_kind, complete = meta[(kind, start, end)]
        kinds.append(stored_kind)
        completes.append(complete)
        flavours.append(flavour_of.get((str(code), start, end)))
    table = table.assign(
        **{f"{key}_id": table[key].map(ids)},
        period=kinds,
        complete=completes,
        flavour=flavours,
        computed_at=timezone.now(),
    )
    return table[table["flavour"].notna()]  # no day in the period


PERIOD_KEY = ("period", "start", "dust_deducted")


def periods_recompute(*, scope: Scope, codes: Sequence[str], year: int, months: Sequence[int]) -> int:
    """Recompute the listed months and the year of these stations or areas, raw and dust-deducted."""
    with transaction.atomic():
        results_lock("station-periods" if scope == "station" else "area-periods", codes, [year])
        return _periods_store(scope=scope, codes=codes, year=year, months=months)


def _periods_store(*, scope: Scope, codes: Sequence[str], year: int, months: Sequence[int]) -> int:
    through = through_date(year)
    if through is None:
        return 0
    first = date(year, 1, 1)
    if scope == "station":
        daily = selectors.station_days_frame(station_codes=codes, first=first, last=through, primary_pollutants=False)
        model: type[StationPeriod | AreaPeriod] = StationPeriod
        ids = dict(Station.objects.filter(code__in=list(codes)).values_list("code", "id"))
    else:
        daily = selectors.area_days_frame(area_codes=codes, first=first, last=through, primary_pollutants=False)
        model = AreaPeriod
        ids = dict(Area.objects.filter(code__in=list(codes)).values_list("code", "id"))
    if daily.empty:
        return 0
    rows = period_rows(
        daily, key=scope, ids=ids, periods=period_plan(year, months, through), dust=selectors.dust_marks(first, through)
    )
    return upsert.frame_upsert(model, rows, key=(scope, *PERIOD_KEY), update=PERIOD_FIELDS)


# --------------------------------------------------------------------------------------------------
# Running a plan in-process (the tasks run the same stages on workers)
# --------------------------------------------------------------------------------------------------
def run_station_unit(unit: Mapping[str, Any]) -> int:
    return station_days_recompute(
        station_codes=unit["codes"],
        first=date.fromisoformat(unit["first"]),
        last=date.fromisoformat(unit["last"]),
        days=_unit_days(unit),
    )


def run_area_unit(unit: Mapping[str, Any]) -> int:
    return area_days_recompute_units([unit])


def run_period_unit(unit: Mapping[str, Any]) -> int:
    return periods_recompute(scope=unit["scope"], codes=unit["codes"], year=int(unit["year"]), months=unit["months"])


def plan_execute_inline(plan: RecomputePlan) -> int:
    """Run every stage of a plan in this process, in order; returns the rows written."""
    written = sum(run_station_unit(unit) for unit in plan.station_units)
    written += area_days_recompute_units(plan.area_units) if plan.area_units else 0
    written += sum(run_period_unit(unit) for unit in plan.period_units)
    return written


__all__ = [
    "Flavour",
    "RecomputePlan",
    "area_days_recompute",
    "periods_recompute",
    "plan_execute_inline",
    "plan_for_dust_year",
    "plan_for_run",
    "plan_for_station_days",
    "plan_full",
    "station_days_recompute",
    "through_date",
]
