"""The measure board's burn-down chart, built in Python with plotly (no Django) and sent to the page as JSON,
which static/js/charts.js draws (no inline script: the Content-Security-Policy forbids one).

Planned line: assignments whose deadline has not yet passed at each month end (what would remain
if every assignment were approved exactly on its deadline). Actual line: assignments not yet
approved at each month end, up to today. Assignments without a deadline are left out.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

import plotly.graph_objects as go


@dataclass(frozen=True)
class BurndownInput:
    deadline: date | None
    done_on: date | None


@dataclass(frozen=True)
class BurndownSeries:
    dates: list[date]
    planned: list[int]
    actual: list[int | None]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def burndown_series(items: list[BurndownInput], *, today: date) -> BurndownSeries:
    """Month-end counts from the month before the first deadline to the month of the last one."""
    dated = [i for i in items if i.deadline is not None]
    if not dated:
        return BurndownSeries(dates=[], planned=[], actual=[])
    first = min(i.deadline for i in dated if i.deadline is not None)
    last = max(i.deadline for i in dated if i.deadline is not None)
    year, month = (first.year, first.month - 1) if first.month > 1 else (first.year - 1, 12)
    dates: list[date] = []
    while (year, month) <= (last.year, last.month):
        dates.append(_month_end(year, month))
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    total = len(dated)
    planned = [sum(1 for i in dated if i.deadline is not None and i.deadline > d) for d in dates]
    actual: list[int | None] = [
        total - sum(1 for i in dated if i.done_on is not None and i.done_on <= d)
        if d <= _month_end(today.year, today.month)
        else None
        for d in dates
    ]
    return BurndownSeries(dates=dates, planned=planned, actual=actual)


def burndown_chart(series: BurndownSeries, *, planned_label: str, actual_label: str, y_title: str) -> dict[str, Any]:
    """The chart as plotly JSON (plotly.js is served from static/vendor)."""
    chart = go.Figure()
    chart.add_trace(
        go.Scatter(
            x=series.dates,
            y=series.planned,
            name=planned_label,
            mode="lines",
            line={"dash": "dash", "color": "#5b6775"},
        )
    )
    chart.add_trace(
        go.Scatter(x=series.dates, y=series.actual, name=actual_label, mode="lines+markers", line={"color": "#0b6e4f"})
    )
    chart.update_layout(
        height=320,
        margin={"l": 50, "r": 20, "t": 20, "b": 40},
        # ISO dates read the same in both languages (plotly would name the months in English).
        xaxis={"tickformat": "%Y-%m-%d", "hoverformat": "%Y-%m-%d"},
        yaxis={"title": {"text": y_title}, "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.2},
        font={"family": "system-ui, sans-serif"},
    )
    data: dict[str, Any] = chart.to_plotly_json()
    return data
