"""Plotly figures of progress, built from plain data and sent to the page as JSON. No Django.

The page draws them with the vendored plotly.js (static/vendor/plotly-cartesian.min.js: plotly.js's own
partial bundle of the cartesian trace types, a third of the full one; scatter, bar and heatmap are all the
charts use; never a CDN) through static/js/progress-charts.js. Labels are passed in already translated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import plotly.graph_objects as go

from monitoring.aqi import CATEGORIES

NO_VALID_DAY_COLOUR = "#E5E7EB"
# Index 0: no valid day; 1-6: the AQI categories' colours of HJ 633-2012 Table 2, from monitoring.aqi.
CATEGORY_COLOURS: tuple[str, ...] = (NO_VALID_DAY_COLOUR, *(category.hex_colour for category in CATEGORIES))

LAYOUT: dict[str, Any] = {
    "margin": {"l": 56, "r": 16, "t": 40, "b": 48},
    "height": 300,
    "font": {"family": "system-ui, sans-serif", "size": 12},
    "legend": {"orientation": "h", "y": -0.3},
    "paper_bgcolor": "rgba(0,0,0,0)",
    "plot_bgcolor": "rgba(0,0,0,0)",
}


def _json(figure: go.Figure) -> dict[str, Any]:
    data: dict[str, Any] = figure.to_plotly_json()
    return data


@dataclass(frozen=True)
class Labels:
    title: str
    actual: str
    milestone: str
    last_year: str = ""
    unit: str = ""
    """The value axis's title: the figure's unit (none for an index)."""
    x_title: str = ""


def trajectory_figure(
    *, years: Sequence[int], actual: Sequence[float | None], milestones: Sequence[float | None], labels: Labels
) -> dict[str, Any]:
    """Each year's figure (bars) against the yearly milestones (line), baseline year to plan end."""
    figure = go.Figure()
    figure.add_bar(x=list(years), y=list(actual), name=labels.actual, marker_color="#2563EB")
    figure.add_scatter(
        x=list(years), y=list(milestones), name=labels.milestone, mode="lines+markers", line={"color": "#DC2626"}
    )
    figure.update_layout(
        title={"text": labels.title},
        xaxis={"dtick": 1, "title": {"text": labels.x_title}},
        yaxis={"title": {"text": labels.unit}},
        **LAYOUT,
    )
    return _json(figure)


def monthly_figure(
    *,
    months: Sequence[int],
    this_year: Sequence[float | None],
    last_year: Sequence[float | None],
    labels: Labels,
    partial_month: int | None = None,
    partial_label: str = "",
) -> dict[str, Any]:
    """A monthly trend: this year's monthly figures against the same months last year. The month the
    figures stop inside (``partial_month``) is drawn with a hollow marker and says so when pointed at."""
    figure = go.Figure()
    figure.add_scatter(
        x=list(months),
        y=list(this_year),
        name=labels.actual,
        mode="lines+markers",
        marker={"symbol": ["circle-open" if month == partial_month else "circle" for month in months], "size": 8},
        text=[partial_label if month == partial_month else "" for month in months],
    )
    figure.add_scatter(
        x=list(months), y=list(last_year), name=labels.last_year, mode="lines+markers", line={"dash": "dot"}
    )
    figure.update_layout(
        title={"text": labels.title},
        xaxis={"dtick": 1, "range": [0.5, 12.5], "title": {"text": labels.x_title}},
        yaxis={"title": {"text": labels.unit}},
        **LAYOUT,
    )
    return _json(figure)


@dataclass(frozen=True)
class CalendarLabels:
    title: str
    weekdays: Sequence[str]
    """Monday first, seven names."""
    months: Sequence[str]
    """January first, twelve names."""
    categories: Sequence[str]
    """The six AQI categories' names, 优 first."""
    no_valid_day: str


def calendar_figure(
    *,
    year: int,
    days: Sequence[date],
    categories: Sequence[int | None],
    aqis: Sequence[int | None],
    labels: CalendarLabels,
) -> dict[str, Any]:
    """A calendar heat-map: one cell per day (columns weeks, rows weekdays) in the HJ 633 category colours,
    months named above their first week, each cell's tooltip the date, AQI and category."""
    by_day = {d: (c or 0, a) for d, c, a in zip(days, categories, aqis, strict=True)}
    first = date(year, 1, 1)
    x: list[int] = []
    y: list[int] = []
    z: list[int] = []
    text: list[str] = []
    day = first
    while day.year == year:
        category, aqi = by_day.get(day, (0, None))
        x.append((day - first + timedelta(days=first.weekday())).days // 7)
        y.append(day.weekday())
        z.append(int(category))
        name = labels.categories[category - 1] if category else labels.no_valid_day
        text.append(f"{day.isoformat()} AQI {aqi if aqi is not None else '—'} {name}")
        day += timedelta(days=1)
    n = len(CATEGORY_COLOURS)
    # A discrete colour scale: level k owns the band [k/n, (k+1)/n].
    scale = []
    for level, colour in enumerate(CATEGORY_COLOURS):
        scale += [[level / n, colour], [(level + 1) / n, colour]]
    figure = go.Figure(
        go.Heatmap(
            x=x,
            y=y,
            z=z,
            text=text,
            hoverinfo="text",
            colorscale=scale,
            zmin=-0.5,
            zmax=n - 0.5,
            showscale=False,
            xgap=2,
            ygap=2,
        )
    )
    layout = {**LAYOUT, "height": 220}
    month_weeks = [(date(year, month, 1) - first + timedelta(days=first.weekday())).days // 7 for month in range(1, 13)]
    figure.update_layout(
        title={"text": labels.title},
        yaxis={"autorange": "reversed", "tickvals": list(range(7)), "ticktext": list(labels.weekdays)},
        xaxis={"tickvals": month_weeks, "ticktext": list(labels.months), "side": "top", "showgrid": False},
        **layout,
    )
    return _json(figure)


@dataclass(frozen=True)
class TrendLabels:
    title: str
    values: str
    line: str


def trend_figure(
    *, years: Sequence[int], values: Sequence[float], fitted: Sequence[float | None], labels: TrendLabels
) -> dict[str, Any]:
    """An annual series (markers) and its Theil–Sen line (dashed) over the same years."""
    figure = go.Figure()
    figure.add_scatter(
        x=list(years), y=list(values), name=labels.values, mode="lines+markers", line={"color": "#2563EB"}
    )
    if any(value is not None for value in fitted):
        figure.add_scatter(
            x=list(years), y=list(fitted), name=labels.line, mode="lines", line={"color": "#DC2626", "dash": "dash"}
        )
    figure.update_layout(title={"text": labels.title}, xaxis={"dtick": 1}, **LAYOUT)
    return _json(figure)
