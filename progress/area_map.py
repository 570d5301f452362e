"""The city map of the public page and the dashboard: each assessment unit coloured by a figure of the shown
run (composite index, PM2.5, good-day ratio) or by whether it attains the standard in force, the stations
on it, and a table with the same figures for readers who cannot use the map.

The counties' outlines are fixtures/liaocheng-counties.geojson (its licence beside it); the functional
zones have no published boundary and are drawn as dots at the mean position of their assessment stations.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from areas import selectors as area_selectors
from areas.models import Area
from monitoring import selectors as monitoring_selectors
from monitoring.standards import Verdict

from . import attainment, charts, maps, scoring
from .figure_names import figure_name
from .models import ProgressSnapshot, ScoreRun

COUNTY_OUTLINES = settings.BASE_DIR / "fixtures" / "liaocheng-counties.geojson"
MAP_FIGURES = ("composite_index", "pm25", "good_day_ratio")
VERDICT_LABELS = {
    Verdict.ATTAINED: _("达标"),
    Verdict.NOT_ATTAINED: _("未达标"),
    Verdict.NOT_ENOUGH_DATA: _("数据不足"),
}


@functools.cache
def county_outlines() -> dict[str, tuple[tuple[float, float], list[list[list[float]]]]]:
    """County code -> (label position, outer rings) from the vendored GeoJSON."""
    data = json.loads(COUNTY_OUTLINES.read_text(encoding="utf-8"))
    return {
        feature["id"]: (
            tuple(feature["properties"]["centre"]),
            [polygon[0] for polygon in feature["geometry"]["coordinates"]],
        )
        for feature in data["features"]
    }


@dataclass(frozen=True)
class MapRow:
    """A unit in the map's table: its figures as shown and the colour each one gives it on the map."""

    area: Area
    cells: list[tuple[str, str, str]]
    """(figure code, shown value, colour) in the order of the map's menu."""


@dataclass(frozen=True)
class AreaMap:
    chart: dict[str, Any]
    headings: list[str]
    rows: list[MapRow]


def _shapes(units: list[Area]) -> dict[str, charts.MapShape]:
    """Each unit's outline, or (no outline: a zone) the mean position of its assessment stations; a zone
    without stations is not drawn."""
    outlines = county_outlines()
    positions = monitoring_selectors.assessment_positions([a.code for a in units if a.code not in outlines])
    shapes = {}
    for area in units:
        if area.code in outlines:
            centre, rings = outlines[area.code]
            shapes[area.code] = charts.MapShape(code=area.code, name=area.localized_name, centre=centre, rings=rings)
        elif points := positions.get(area.code):
            centre = (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
            shapes[area.code] = charts.MapShape(code=area.code, name=area.localized_name, centre=centre)
    return shapes


def _title(code: str) -> str:
    unit = scoring.FIGURE_BY_CODE[code].unit
    return f"{figure_name(code)} ({unit})" if unit else figure_name(code)


def area_map(run: ScoreRun | None) -> AreaMap | None:
    """The map of ``run``'s year-to-date figures (None without a run or without any unit to draw)."""
    if run is None:
        return None
    units = area_selectors.assessment_units()
    shapes = _shapes(units)
    if not shapes:
        return None
    drawn = [area for area in units if area.code in shapes]
    values: dict[str, dict[str, Decimal | None]] = {code: {} for code in MAP_FIGURES}
    for code, indicator, actual in ProgressSnapshot.objects.filter(
        run=run, month=0, cumulative=False, area__in=drawn, indicator__in=MAP_FIGURES
    ).values_list("area__code", "indicator", "actual"):
        values[indicator][code] = actual
    layers: list[charts.MapLayer] = []
    cells: dict[str, list[tuple[str, str, str]]] = {area.code: [] for area in drawn}
    for figure in MAP_FIGURES:
        own = {area.code: values[figure].get(area.code) for area in drawn}
        colours = maps.figure_colours(own, higher_is_worse=scoring.FIGURE_BY_CODE[figure].lower_is_better)
        shown = {code: scoring.shown(value, figure) for code, value in own.items()}
        layers.append(
            charts.MapLayer(
                title=_title(figure),
                colours=colours.colours,
                texts={area.code: f"{area.localized_name}: {shown[area.code]}" for area in drawn},
                legend=[
                    (c.colour, f"{scoring.shown(c.low, figure)}–{scoring.shown(c.high, figure)}")
                    for c in colours.classes
                ]
                + [(maps.NO_VALUE_COLOUR, gettext_now("无数据"))],
            )
        )
        for area in drawn:
            cells[area.code].append((figure, shown[area.code], colours.colours[area.code]))
    verdicts = attainment.verdicts(run, drawn)
    verdict_colours = maps.attainment_colours({code: verdict.value for code, verdict in verdicts.items()})
    layers.append(
        charts.MapLayer(
            title=gettext_now("是否达到现行空气质量标准"),
            colours=verdict_colours,
            texts={area.code: f"{area.localized_name}: {VERDICT_LABELS[verdicts[area.code]]}" for area in drawn},
            legend=[(maps.ATTAINMENT_COLOURS[v.value], str(label)) for v, label in VERDICT_LABELS.items()],
        )
    )
    for area in drawn:
        cells[area.code].append(("attainment", str(VERDICT_LABELS[verdicts[area.code]]), verdict_colours[area.code]))
    stations = [
        charts.MapPoint(name=f"{s.localized_name} ({s.code})", longitude=s.longitude, latitude=s.latitude)
        for s in monitoring_selectors.station_list(active_on=run.as_of)
    ]
    chart = charts.area_map_chart(
        shapes=[shapes[area.code] for area in drawn],
        stations=stations,
        layers=layers,
        station_label=gettext_now("监测站点"),
    )
    return AreaMap(
        chart=chart,
        headings=[layer.title for layer in layers],
        rows=[MapRow(area=area, cells=cells[area.code]) for area in drawn],
    )
