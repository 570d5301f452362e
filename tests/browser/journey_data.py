"""Monitoring figures for the journey tests, built through the real pipeline.

Synthetic hours (monitoring.synthetic) for a short period are written as a long-format CSV and ingested
with the real services (ingest_run_create + tasks.ingest_file_enqueue: the Celery ingest task runs eagerly, then
the recompute of the stored daily and period results); progress.services.scores_recompute then stores the
progress figures the pages read.

The journeys run on a frozen Monday morning early in the year (MONDAY_MORNING): a year-to-date statistic
is valid only while every month so far meets the data-capture rule (GB 3095-2012 Table 4, >= 27 daily
values a month), so a short, fast data set must start on 1 January to give year-to-date figures.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from django.utils import timezone

from monitoring import services as monitoring_services
from monitoring import tasks as monitoring_tasks
from monitoring.aqi import DISPLAY_NAMES
from monitoring.models import IngestRun
from monitoring.synthetic import synthetic_hourly_long
from progress import services as progress_services

NATIONAL = ("1625A", "2878A", "3200A", "3512A", "3513A")  # fixtures/stations.csv, all in 东昌府区
LINQING = "371581"
LINQING_STATION = "LQJ01"
#: Monday 3 March 2025, 09:00 in Liaocheng, in the 2021-2025 plan's last year (journeys.md: "where the
#: city stands against each 2025 target this year"): the year so far is 1 January - 2 March (61 days).
MONDAY_MORNING = "2025-03-03 09:00 +0800"


@dataclass(frozen=True)
class JourneyFigures:
    first: date
    last: date
    years: list[int]


def long_csv(frame: pd.DataFrame) -> bytes:
    """station_code,time,pollutant,value (docs/interfaces.md §2, long layout)."""
    out = frame.rename(columns={"station": "station_code"}).copy()
    out["pollutant"] = out["pollutant"].map(DISPLAY_NAMES)
    out["time"] = out["time"].dt.strftime("%Y-%m-%dT%H:%M+08:00")
    buffer = io.StringIO()
    out[["station_code", "time", "pollutant", "value"]].to_csv(buffer, index=False, float_format="%g")
    return buffer.getvalue().encode()


def _hours(first: date, last: date, *, seed: int, linqing_factor: float) -> bytes:
    frame = synthetic_hourly_long([*NATIONAL, LINQING_STATION], start=first, end=last, seed=seed)
    # 临清市's station reads dirtier particles than the city's national stations, so it is "worse than the city".
    dirty = (frame["station"] == LINQING_STATION) & frame["pollutant"].isin(["pm25", "pm10"])
    frame.loc[dirty, "value"] = (frame.loc[dirty, "value"] * linqing_factor).round()
    return long_csv(frame)


def ingest(content: bytes, *, name: str) -> IngestRun:
    run = monitoring_services.ingest_run_create(content=content, file_name=name, source=IngestRun.Source.COMMAND)
    monitoring_tasks.ingest_file_enqueue(run)  # outside a transaction: the eager task runs at once
    run.refresh_from_db()
    assert run.state == IngestRun.State.SUCCEEDED, run.error_message
    return run


def hours_csv(first: date, last: date, *, seed: int, linqing_factor: float = 1.6) -> bytes:
    """Synthetic hours of the five national stations and 临清市's station, long layout."""
    return _hours(first, last, seed=seed, linqing_factor=linqing_factor)


def journey_figures_load(*, days: int = 60, left_out: int = 0) -> JourneyFigures:
    """`days` days ending `left_out` days before yesterday, and the same days a year earlier (for "same
    period last year"); progress figures computed for both years.

    Registers one county station in 临清市 next to the five national stations; the plan (bootstrap) must
    already be loaded.
    """
    monitoring_services.stations_import(
        content=(
            "code,name,county_code,network,latitude,longitude\n"
            f"{LINQING_STATION},临清市旅程测试站,{LINQING},county,36.8384,115.7060\n"
        ).encode()
    )
    last = timezone.localdate() - timedelta(days=1 + left_out)
    first = last - timedelta(days=days - 1)
    year_ago = (first - timedelta(days=365), last - timedelta(days=365))
    ingest(_hours(*year_ago, seed=11, linqing_factor=1.0), name="journey-last-year.csv")
    ingest(_hours(first, last, seed=12, linqing_factor=1.6), name="journey-this-year.csv")
    years = sorted({year_ago[0].year, first.year, last.year})
    progress_services.scores_recompute(years=years)
    return JourneyFigures(first=first, last=last, years=years)
