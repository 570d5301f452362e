"""Reads of monitoring: stations, observations as frames, ingest runs and the data-quality view."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
from django.conf import settings
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils import timezone

from .models import CODE_BY_POLLUTANT, POLLUTANT_BY_CODE, IngestRun, Observation, Pollutant, Station

CHINA_TZ = ZoneInfo("Asia/Shanghai")


def station_list(*, active_on: date | None = None) -> QuerySet[Station]:
    stations = Station.objects.select_related("area")
    if active_on is not None:
        stations = stations.exclude(active_from__gt=active_on).exclude(active_until__lt=active_on)
    return stations.order_by("code")


def natural_day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """(exclusive start, inclusive end) of natural days first..last: D 01:00 … (D+1) 00:00 China time (HJ 663)."""
    start = datetime.combine(first, time(0), tzinfo=CHINA_TZ)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=CHINA_TZ)
    return start, end


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
    data = list(rows.values_list("station__code", "time", "pollutant", "value", "flavour", "flags"))
    frame = pd.DataFrame(data, columns=["station", "time", "pollutant", "value", "flavour", "flags"])
    frame["time"] = pd.to_datetime(frame["time"], utc=True).dt.tz_convert(CHINA_TZ)
    frame["pollutant"] = frame["pollutant"].map(CODE_BY_POLLUTANT).astype(object)
    frame["value"] = frame["value"].astype("float64")
    frame["flavour"] = frame["flavour"].astype("int16")
    frame["flags"] = frame["flags"].astype("int16")
    frame["station"] = frame["station"].astype(object)
    return frame.sort_values(["station", "pollutant", "time"], kind="stable").reset_index(drop=True)


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
    percent = 100 if run.is_finished else (100 * run.progress_done // run.progress_total if run.progress_total else 0)
    return {
        "id": run.pk,
        "state": run.state,
        "state_label": str(run.get_state_display()),
        "finished": run.is_finished,
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


# --- Data quality (issue 3 part 7) -----------------------------------------------------------------


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
    """Hours present / hours expected per station and pollutant for one month of natural days."""
    days = calendar.monthrange(year, month)[1]
    start, end = natural_day_bounds(date(year, month, 1), date(year, month, days))
    counts = (
        Observation.objects.filter(time__gt=start, time__lte=end)
        .values("station_id", "pollutant")
        .annotate(hours=Count("id"))
    )
    present: dict[int, dict[str, int]] = {}
    for row in counts:
        present.setdefault(row["station_id"], {})[CODE_BY_POLLUTANT[row["pollutant"]]] = row["hours"]
    return [
        CaptureRow(station=station, hours_expected=days * 24, hours_present=present.get(station.pk, {}))
        for station in station_list(active_on=date(year, month, days))
    ]


def flagged_observations(*, limit: int = 200) -> QuerySet[Observation]:
    """The latest values above the plausibility ceiling (uses the partial index on flagged rows)."""
    return Observation.objects.filter(flags__gt=0).select_related("station", "ingest_run").order_by("-time")[:limit]


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
