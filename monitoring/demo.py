"""Demo monitoring data for `bootstrap --demo`: county stations and synthetic hours through the real pipeline.

Every county but 东昌府区 (which has the five real national stations), and each of the three functional
zones, gets one demo county-network station, code prefix "DEMO", inside the unit (a zone's at a point in its
built-up area: the zones have no published boundary). Synthetic hourly data (``monitoring.synthetic``)
from 2020-01-01 to yesterday (China date) are written to wide CSV files, one per year, and ingested through
the real ingest service, so the whole pipeline runs: ingest -> recompute of the stored results -> progress
scores.

Idempotent: a year whose demo file already covers the period is skipped; a later run only adds the days
since the last one. Never used for real figures (the demo banner says so).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from areas.models import Area

from . import services, tasks
from .aqi import DISPLAY_NAMES
from .models import IngestRun, Station
from .synthetic import synthetic_hourly_wide

DEMO_START = date(2020, 1, 1)
DEMO_FILE = re.compile(r"^demo-hourly-(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})\.csv$")
#: (code, name, county or zone code, latitude, longitude): near each county seat, inside each zone.
DEMO_STATIONS: tuple[tuple[str, str, str, float, float], ...] = (
    ("DEMO01", "茌平区演示站", "371503", 36.5806, 116.2553),
    ("DEMO02", "阳谷县演示站", "371521", 36.1148, 115.7918),
    ("DEMO03", "莘县演示站", "371522", 36.2340, 115.6710),
    ("DEMO04", "东阿县演示站", "371524", 36.3346, 116.2480),
    ("DEMO05", "冠县演示站", "371525", 36.4843, 115.4420),
    ("DEMO06", "高唐县演示站", "371526", 36.8660, 116.2300),
    ("DEMO07", "临清市演示站", "371581", 36.8384, 115.7060),
    ("DEMO08", "经济技术开发区演示站", "LC-ETDZ", 36.4310, 116.0790),
    ("DEMO09", "高新技术产业开发区演示站", "LC-HTZ", 36.4950, 116.0420),
    ("DEMO10", "江北水城旅游度假区演示站", "LC-JBSC", 36.3930, 115.9640),
)


@dataclass(frozen=True)
class DemoMonitoringResult:
    stations_created: int
    files: list[str]
    values_stored: int


def demo_stations_load() -> int:
    """Register the demo stations (through the registry import); returns how many were created."""
    english = dict(Area.objects.filter(code__in=[s[2] for s in DEMO_STATIONS]).values_list("code", "name_en"))
    lines = ["code,name,name_en,county_code,network,latitude,longitude"]
    lines += [
        f"{code},{name},{english.get(county, '')} demo station,{county},county,{lat},{lon}"
        for code, name, county, lat, lon in DEMO_STATIONS
    ]
    return services.stations_import(content=("\n".join(lines) + "\n").encode()).created


def _covered_until() -> date | None:
    """The last day the demo files ingested so far cover."""
    ends = [
        date.fromisoformat(match.group(2))
        for name in IngestRun.objects.filter(
            file_name__startswith="demo-hourly-", state=IngestRun.State.SUCCEEDED
        ).values_list("file_name", flat=True)
        if (match := DEMO_FILE.match(name))
    ]
    return max(ends) if ends else None


def demo_hourly_csv(station_codes: Sequence[str], *, first: date, last: date) -> bytes:
    """Synthetic hours of natural days first..last in the wide layout (docs/interfaces.md §2)."""
    wide = synthetic_hourly_wide(station_codes, start=first, end=last, seed=first.year * 100 + first.month)
    wide = wide.rename(columns={"station": "station_code", **DISPLAY_NAMES})
    wide["time"] = wide["time"].dt.strftime("%Y-%m-%dT%H:%M+08:00")
    buffer = io.StringIO()
    wide.to_csv(buffer, index=False, float_format="%g")
    return buffer.getvalue().encode()


def demo_monitoring_load(
    *,
    start: date = DEMO_START,
    end: date | None = None,
    station_codes: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> DemoMonitoringResult:
    """Load demo stations and ingest synthetic hours for start..end (default: yesterday), one file per year.

    Each file goes through the real ingest (``ingest_run_create`` + ``ingest_run_execute``, in this process)
    without its own recompute; once every year is stored, one full recompute of the stored results runs
    (``results_recompute``: the Celery fan-out, eager in-process without a broker), followed by one run of
    the progress scores. A later call with nothing new ingests nothing and recomputes nothing.
    """
    end = end or timezone.localdate() - timedelta(days=1)
    created = demo_stations_load()
    codes = list(station_codes) if station_codes is not None else list(Station.objects.values_list("code", flat=True))
    covered = _covered_until()
    first = max(start, covered + timedelta(days=1)) if covered else start
    files: list[str] = []
    stored = 0
    while first <= end:
        last = min(end, date(first.year, 12, 31))
        name = f"demo-hourly-{first.isoformat()}_{last.isoformat()}.csv"
        run = services.ingest_run_create(
            content=demo_hourly_csv(codes, first=first, last=last), file_name=name, source=IngestRun.Source.COMMAND
        )
        run = services.ingest_run_execute(run_id=run.pk, recompute=None)
        if progress:
            progress(f"{name}: {run.get_state_display()}, {run.values_stored} values stored")
        files.append(name)
        stored += run.values_stored
        first = last + timedelta(days=1)
    if stored:
        if progress:
            progress("recompute of the stored results")
        services.results_recompute(dispatch=tasks.results_plan_enqueue)
    return DemoMonitoringResult(stations_created=created, files=files, values_stored=stored)
