"""Plotly charts of progress, built from plain data and sent to the page as JSON. No Django.

The page draws them with the vendored plotly.js (static/vendor/plotly-cartesian.min.js: plotly.js's own
partial bundle of the cartesian trace types, a third of the full one; scatter, bar and heatmap are all the
charts use; never a CDN) through static/js/charts.js. Labels are passed in already translated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import plotly.graph_objects as go

from monitoring.aqi import CATEGORIES

from .maps import ring_path

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


def _json(chart: go.Figure) -> dict[str, Any]:
    data: dict[str, Any] = chart.to_plotly_json()
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


def trajectory_chart(
    *, years: Sequence[int], actual: Sequence[float | None], milestones: Sequence[float | None], labels: Labels
) -> dict[str, Any]:
    """Each year's figure (bars) against the yearly milestones (line), baseline year to plan end."""
    chart = go.Figure()
    chart.add_bar(x=list(years), y=list(actual), name=labels.actual, marker_color="#2563EB")
    chart.add_scatter(
        x=list(years), y=list(milestones), name=labels.milestone, mode="lines+markers", line={"color": "#DC2626"}
    )
    chart.update_layout(
        title={"text": labels.title},
        xaxis={"dtick": 1, "title": {"text": labels.x_title}},
        yaxis={"title": {"text": labels.unit}},
        **LAYOUT,
    )
    return _json(chart)


def monthly_chart(
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
    chart = go.Figure()
    chart.add_scatter(
        x=list(months),
        y=list(this_year),
        name=labels.actual,
        mode="lines+markers",
        marker={"symbol": ["circle-open" if month == partial_month else "circle" for month in months], "size": 8},
        text=[partial_label if month == partial_month else "" for month in months],
    )
    chart.add_scatter(
        x=list(months), y=list(last_year), name=labels.last_year, mode="lines+markers", line={"dash": "dot"}
    )
    chart.update_layout(
        title={"text": labels.title},
        xaxis={"dtick": 1, "range": [0.5, 12.5], "title": {"text": labels.x_title}},
        yaxis={"title": {"text": labels.unit}},
        **LAYOUT,
    )
    return _json(chart)


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


def calendar_chart(
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
    chart = go.Figure(
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
    chart.update_layout(
        title={"text": labels.title},
        yaxis={"autorange": "reversed", "tickvals": list(range(7)), "ticktext": list(labels.weekdays)},
        xaxis={"tickvals": month_weeks, "ticktext": list(labels.months), "side": "top", "showgrid": False},
        **layout,
    )
    return _json(chart)


@dataclass(frozen=True)
class TrendLabels:
    title: str
    values: str
    line: str


def trend_chart(
    *, years: Sequence[int], values: Sequence[float], fitted: Sequence[float | None], labels: TrendLabels
) -> dict[str, Any]:
    """An annual series (markers) and its Theil–Sen line (dashed) over the same years."""
    chart = go.Figure()
    chart.add_scatter(
        x=list(years), y=list(values), name=labels.values, mode="lines+markers", line={"color": "#2563EB"}
    )
    if any(value is not None for value in fitted):
        chart.add_scatter(
            x=list(years), y=list(fitted), name=labels.line, mode="lines", line={"color": "#DC2626", "dash": "dash"}
        )
    chart.update_layout(title={"text": labels.title}, xaxis={"dtick": 1}, **LAYOUT)
    return _json(chart)


@dataclass(frozen=True)
class MapShape:
    """An assessment unit on the map: a county's outline, or (a zone, no published boundary) a point."""

    code: str
    name: str
    centre: tuple[float, float]
    rings: Sequence[Sequence[Sequence[float]]] = ()


@dataclass(frozen=True)
class MapLayer:
    """One figure the map can show: each unit's colour and hover text, and the legend's lines."""

    title: str
    colours: dict[str, str]
    texts: dict[str, str]
    legend: Sequence[tuple[str, str]]
    """(colour, text) from best to worst."""


@dataclass(frozen=True)
class MapPoint:
    name: str
    longitude: float
    latitude: float


# Longitude degrees are shorter than latitude degrees by cos(latitude): about 0.80 at Liaocheng (36.5° N).
MAP_ASPECT: float = 0.804


def _legend_annotations(layer: MapLayer) -> list[dict[str, Any]]:
    return [
        {
            "text": f"<span style='color:{colour}'>■</span> {text}",
            "xref": "paper",
            "yref": "paper",
            "x": 1.0,
            "y": 1.0 - 0.07 * index,
            "xanchor": "left",
            "yanchor": "top",
            "showarrow": False,
            "align": "left",
        }
        for index, (colour, text) in enumerate(layer.legend)
    ]


def area_map_chart(
    *, shapes: Sequence[MapShape], stations: Sequence[MapPoint], layers: Sequence[MapLayer], station_label: str
) -> dict[str, Any]:
    """The city's counties (filled outlines) and zones (large dots) in the colours of the first layer, the
    stations as small dots; a menu switches the layer (its colours, hover texts and legend)."""
    chart = go.Figure()
    outlined = [shape for shape in shapes if shape.rings]
    points = [shape for shape in shapes if not shape.rings]
    first = layers[0]
    for shape in outlined:
        xs, ys = ring_path(shape.rings)
        chart.add_scatter(
            x=xs,
            y=ys,
            mode="lines",
            fill="toself",
            fillcolor=first.colours[shape.code],
            line={"color": "#FFFFFF", "width": 1.5},
            name=shape.name,
            meta=shape.code,
            text=first.texts[shape.code],
            hoverinfo="text",
            hoveron="fills",
            showlegend=False,
        )
    chart.add_scatter(
        x=[shape.centre[0] for shape in outlined],
        y=[shape.centre[1] for shape in outlined],
        mode="text",
        text=[shape.name for shape in outlined],
        textposition="bottom center",  # below the county seat, where its station's diamond usually is
        textfont={"size": 11, "color": "#1D2733"},
        hoverinfo="skip",
        showlegend=False,
    )
    chart.add_scatter(
        x=[shape.centre[0] for shape in points],
        y=[shape.centre[1] for shape in points],
        mode="markers",
        marker={"size": 16, "color": [first.colours[s.code] for s in points], "line": {"color": "#1D2733", "width": 1}},
        text=[first.texts[s.code] for s in points],
        meta=[s.code for s in points],
        hoverinfo="text",
        showlegend=False,
    )
    chart.add_scatter(
        x=[station.longitude for station in stations],
        y=[station.latitude for station in stations],
        mode="markers",
        marker={"size": 5, "color": "#1D2733", "symbol": "diamond"},
        text=[f"{station_label}: {station.name}" for station in stations],
        hoverinfo="text",
        showlegend=False,
    )
    count = len(outlined)

    def restyle(layer: MapLayer) -> dict[str, Any]:
        # One list entry per trace: the outlines, then the labels, the zones and the stations (unchanged).
        return {
            "fillcolor": [layer.colours[s.code] for s in outlined] + [None, None, None],
            "text": [layer.texts[s.code] for s in outlined]
            + [[s.name for s in outlined], [layer.texts[s.code] for s in points], chart.data[-1].text],
            "marker.color": [None] * count + [None, [layer.colours[s.code] for s in points], "#1D2733"],
        }

    chart.update_layout(
        **{**LAYOUT, "margin": {"l": 8, "r": 150, "t": 48, "b": 8}, "height": 460},
        xaxis={"visible": False, "scaleanchor": "y", "scaleratio": MAP_ASPECT, "fixedrange": True},
        yaxis={"visible": False, "fixedrange": True},
        annotations=_legend_annotations(first),
        updatemenus=[
            {
                "type": "dropdown",
                "x": 0.0,
                "y": 1.0,
                "xanchor": "left",
                "yanchor": "bottom",
                "pad": {"b": 6},
                "buttons": [
                    {
                        "label": layer.title,
                        "method": "update",
                        "args": [restyle(layer), {"annotations": _legend_annotations(layer)}],
                    }
                    for layer in layers
                ],
            }
        ],
    )
    # No tool bar: nothing to zoom on a map of one city, and on a phone it would cover the menu.
    return {**_json(chart), "config": {"displayModeBar": False}}
