"""Reads for the attainment and trend page: which units attain the standard in force, and whether ozone and
PM2.5 are still rising (the plan's 2035 aim and its ozone aim; docs/editions.md).

Both are read from stored runs (the same run the other pages show for a year), never computed on request
from daily data: attainment from a run's annual figures against the limits its composite index used, the
trends from each complete year's figures of the city.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from areas import selectors as area_selectors
from areas.models import Area
from monitoring import standards, trends

from . import scoring, selectors
from .models import ProgressSnapshot, ScoreRun

#: The annual figures attainment is judged on (GB 3095 Table 1; aqi-rules §7).
ATTAINMENT_FIGURES = standards.LIMITED_FIGURES
#: The annual series whose trend the page shows: the ozone aim's, and PM2.5's.
TREND_FIGURES = ("o3_8h_p90", "pm25")


@dataclass(frozen=True)
class AreaAttainment:
    area: Area
    result: standards.Attainment
    valid_days: int

    @property
    def worst(self) -> standards.ItemAttainment | None:
        """The item furthest above its limit, relative to the limit (None when none exceeds)."""
        above = [i for i in self.result.items if i.verdict is standards.Verdict.NOT_ATTAINED]
        return max(above, key=lambda i: (i.gap or Decimal(0)) / i.limit) if above else None


@dataclass(frozen=True)
class FigureTrend:
    code: str
    trend: trends.Trend
    unit: str


@dataclass(frozen=True)
class AttainmentPage:
    year: int | None
    run: ScoreRun | None
    years: list[int]
    limits: standards.LimitSet | None
    provisional: bool
    city: AreaAttainment | None
    units: list[AreaAttainment]
    trends: list[FigureTrend]

    @property
    def units_attaining(self) -> int:
        return sum(u.result.verdict is standards.Verdict.ATTAINED for u in self.units)

    @property
    def units_without_verdict(self) -> int:
        return sum(u.result.verdict is standards.Verdict.NOT_ENOUGH_DATA for u in self.units)


def _annual_figures(run: ScoreRun) -> dict[int, dict[str, Decimal | None]]:
    """Area pk -> the run's year-to-date figures used for attainment (None where invalid)."""
    rows = ProgressSnapshot.objects.filter(
        run=run, month=0, cumulative=False, indicator__in=[*ATTAINMENT_FIGURES, "valid_days"]
    ).values_list("area_id", "indicator", "actual")
    figures: dict[int, dict[str, Decimal | None]] = {}
    for area_id, code, actual in rows:
        figures.setdefault(area_id, {})[code] = actual
    return figures


def verdicts(run: ScoreRun, areas: Sequence[Area]) -> dict[str, standards.Verdict]:
    """Area code -> its attainment verdict on the run's figures (not enough data before any figure)."""
    if run.as_of is None:
        return dict.fromkeys((area.code for area in areas), standards.Verdict.NOT_ENOUGH_DATA)
    limits = standards.limit_set(run.composite_limits or standards.GB3095_2012.code)
    figures = _annual_figures(run)
    return {area.code: standards.attainment(figures.get(area.pk, {}), limits).verdict for area in areas}


def _trends(*, public: bool, city: Area) -> list[FigureTrend]:
    """Each complete year's city figure (the run pages show for it), and its Theil–Sen / Mann–Kendall trend."""
    runs = selectors.latest_runs(selectors.run_years(public=public), public=public)
    complete = {year: run for year, run in runs.items() if run.as_of == datetime.date(year, 12, 31)}
    values: dict[str, dict[int, Decimal | None]] = {code: {} for code in TREND_FIGURES}
    rows = ProgressSnapshot.objects.filter(
        run__in=list(complete.values()), area=city, month=0, cumulative=False, indicator__in=TREND_FIGURES
    ).values_list("run__year", "indicator", "actual")
    for year, code, actual in rows:
        values[code][year] = actual
    return [
        FigureTrend(
            code,
            trends.annual_trend({y: None if v is None else float(v) for y, v in values[code].items()}),
            scoring.FIGURE_BY_CODE[code].unit,
        )
        for code in TREND_FIGURES
    ]


def attainment_page(*, year: int | None, public: bool) -> AttainmentPage:
    """The year's attainment of every assessment unit and the city, and the city's trends."""
    years = selectors.run_years(public=public)
    areas: Sequence[Area] = area_selectors.ranked_areas()
    city = next((a for a in areas if a.kind == Area.Kind.CITY), None)
    if year is None:
        year = years[0] if years else None
    run = selectors.latest_run(year, public=public) if year is not None else None
    trend_list = _trends(public=public, city=city) if city is not None else []
    if run is None or run.as_of is None:
        return AttainmentPage(year, None, years, None, False, None, [], trend_list)
    limits = standards.limit_set(run.composite_limits or standards.GB3095_2012.code)
    figures = _annual_figures(run)
    results = []
    city_result = None
    for area in areas:
        own = figures.get(area.pk, {})
        valid_days = int(own.get("valid_days") or 0)
        entry = AreaAttainment(area, standards.attainment(own, limits), valid_days)
        if area.kind == Area.Kind.CITY:
            city_result = entry
        elif area.is_assessment_unit:
            results.append(entry)
    provisional = run.as_of != datetime.date(run.year, 12, 31)
    return AttainmentPage(year, run, years, limits, provisional, city_result, results, trend_list)
