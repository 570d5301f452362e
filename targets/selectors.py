"""Reads of the plan: what pages and the API show about targets and milestones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
from django.core.cache import cache
from django.db.models import Prefetch, QuerySet

from .models import Area, DemoDataset, Milestone, Plan, ScoreRun, Target


def demo_data_loaded() -> bool:
    return DemoDataset.objects.exists()


def current_plan() -> Plan | None:
    return Plan.objects.select_related("area").order_by("-start_year").first()


def city_area() -> Area | None:
    return Area.objects.filter(kind=Area.Kind.CITY).first()


def plan_targets(plan: Plan, *, area: Area | None = None) -> QuerySet[Target]:
    """The plan's targets for one area (the city by default), with their milestones in year order."""
    area = area or plan.area
    return (
        Target.objects.filter(plan=plan, area=area)
        .select_related("indicator", "area", "plan")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("year")))
        .order_by("indicator__sort_order", "target_year")
    )


@dataclass(frozen=True)
class TargetRow:
    target: Target
    milestones: list[tuple[int, Decimal | None]]
    """One entry per year of the plan period, None where no milestone is set."""


def plan_years(plan: Plan) -> list[int]:
    return list(range(plan.start_year, plan.end_year + 1))


def target_rows(plan: Plan, *, area: Area | None = None) -> list[TargetRow]:
    years = plan_years(plan)
    rows = []
    for target in plan_targets(plan, area=area):
        by_year = {m.year: m.value for m in target.milestones.all()}
        rows.append(TargetRow(target=target, milestones=[(year, by_year.get(year)) for year in years]))
    return rows


# --- Progress against the plan: inputs from monitoring and measures, stored scores for pages ------------


def daily_results(*, area_codes: Sequence[str] | None, start: date, end: date) -> pd.DataFrame:
    """Stored daily results (monitoring.selectors.daily_results_frame): area, date, aqi, category, pm25 …"""
    from monitoring import selectors as monitoring_selectors

    return monitoring_selectors.daily_results_frame(area_codes=area_codes, start=start, end=end)


def results_last_updated() -> datetime | None:
    from monitoring import selectors as monitoring_selectors

    return monitoring_selectors.results_last_updated()


def dust_days(start: date, end: date) -> set[date]:
    from monitoring import selectors as monitoring_selectors

    return set(monitoring_selectors.dust_days(start, end))


def measures_on_time_shares(*, year: int, as_of: date) -> dict[str, Decimal | None]:
    """Area code -> share (0-1) of assignments due by as_of that were approved on time (measures workflow)."""
    from measures import selectors as measures_selectors

    return {code: c.share for code, c in measures_selectors.measure_completion_by_area(year=year, as_of=as_of).items()}


def reduction_tonnes(*, through_year: int, since_year: int) -> dict[tuple[str, str], Decimal]:
    """(area code, 'nox'|'vocs') -> approved verified tonnes from since_year to through_year."""
    from measures import selectors as measures_selectors

    totals: dict[tuple[str, str], Decimal] = {}
    for year in range(since_year, through_year + 1):
        for key, tonnes in measures_selectors.reduction_totals(year).items():
            totals[key] = totals.get(key, Decimal(0)) + tonnes
    return totals


PROGRESS_CACHE_VERSION_KEY = "targets:progress-version"


def progress_cache_version() -> str:
    """Changes whenever scores are recomputed or published: part of every cached progress page's key."""
    return str(cache.get(PROGRESS_CACHE_VERSION_KEY, "0"))


def latest_run(year: int, *, public: bool) -> ScoreRun | None:
    """The run pages show for a year: the latest one for staff, the latest published one for the public."""
    runs = ScoreRun.objects.filter(year=year)
    if public:
        runs = runs.filter(published_at__isnull=False).order_by("-published_at", "-id")
    else:
        runs = runs.order_by("-computed_at", "-id")
    return runs.first()


def run_years(*, public: bool) -> list[int]:
    runs = ScoreRun.objects.all()
    if public:
        runs = runs.filter(published_at__isnull=False)
    return sorted(set(runs.values_list("year", flat=True)), reverse=True)


def latest_year(*, public: bool) -> int | None:
    years = run_years(public=public)
    return years[0] if years else None


def ranked_areas() -> list[Area]:
    """The city and the counties: the areas the plan's figures are computed and shown for."""
    return list(Area.objects.filter(kind__in=[Area.Kind.CITY, Area.Kind.COUNTY]).order_by("sort_order", "code"))
