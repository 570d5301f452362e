"""Reads of the plan: what pages and the API show about targets and milestones."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Min, Prefetch, QuerySet
from django.utils import timezone

from areas import page_cache
from areas.models import Area

from .models import DemoDataset, Indicator, Milestone, Plan, Target


def demo_data_loaded() -> bool:
    """Whether demo data are loaded (every page's banner asks): kept until the public data change."""
    return page_cache.remembered("demo-data-loaded", DemoDataset.objects.exists)


# When two plans' periods hold a year, the one in force governs it, then a closed one, then a draft (the
# 2021-2025 plan as published is a draft for comments, and the bureau tracks it all the same).
STATUS_PRECEDENCE = (Plan.Status.IN_FORCE, Plan.Status.CLOSED, Plan.Status.DRAFT_FOR_COMMENTS)


def plans_for_years(years: Iterable[int]) -> dict[int, Plan | None]:
    """The plan governing each year, the plans read once: the one whose period (start to end year) holds
    the year, by STATUS_PRECEDENCE, then the later start.

    A year no plan's period holds has no plan: its figures are shown without goals, never measured against
    another plan's targets (a baseline year before a plan's start, or a year after every plan's end).
    """
    plans = list(Plan.objects.select_related("area"))
    return {year: _plan_of(year, plans) for year in years}


def plan_governing(year: int) -> Plan | None:
    return plans_for_years([year])[year]


def _plan_of(year: int, plans: list[Plan]) -> Plan | None:
    holding = [p for p in plans if p.start_year <= year <= p.end_year]
    if not holding:
        return None
    return min(holding, key=lambda p: (STATUS_PRECEDENCE.index(Plan.Status(p.status)), -p.start_year))


def site_plan() -> Plan | None:
    """The plan every page names in its footer: the one governing this year, else the latest. Kept until
    the public data change (every page asks)."""
    year = timezone.localdate().year
    return page_cache.remembered(f"site-plan:{year}", lambda: plan_governing(year) or current_plan())


def plan_by_code(code: str) -> Plan | None:
    return Plan.objects.select_related("area").filter(code=code).first()


def plan_chosen(code: str | None) -> Plan | None:
    """The plan a page shows: the one its plan switcher names (?plan=CODE), else the current plan."""
    return (plan_by_code(code) if code else None) or current_plan()


def plans_newest_first() -> QuerySet[Plan]:
    """The plans a plan switcher offers."""
    return Plan.objects.order_by("-start_year", "code")


def earliest_baseline_year() -> int | None:
    """The first year any plan's figures start from (the earliest baseline year), None without plans."""
    first: int | None = Plan.objects.aggregate(first=Min("baseline_year"))["first"]
    return first


def current_plan() -> Plan | None:
    return Plan.objects.select_related("area").order_by("-start_year").first()


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


def indicators_by_code() -> dict[str, Indicator]:
    return {i.code: i for i in Indicator.objects.all()}


def indicator_directions() -> dict[str, str]:
    """Indicator code -> ``at_least`` or ``at_most``."""
    return dict(Indicator.objects.values_list("code", "direction"))


def plan_end_targets(plan: Plan, areas: Sequence[Area]) -> QuerySet[Target]:
    """The areas' targets for the plan's end year, with indicator, plan and milestones loaded."""
    return (
        Target.objects.filter(plan=plan, area__in=areas, target_year=plan.end_year)
        .select_related("indicator", "plan")
        .prefetch_related("milestones")
    )


def plan_end_target(plan: Plan, area: Area, indicator: str) -> Target | None:
    """One area's target of one indicator for the plan's end year, with its milestones loaded."""
    return (
        Target.objects.filter(plan=plan, area=area, indicator__code=indicator, target_year=plan.end_year)
        .prefetch_related("milestones")
        .first()
    )


def targets_for_edit() -> QuerySet[Target]:
    """Targets with what their pages and edits need (indicator, area, plan)."""
    return Target.objects.select_related("indicator", "area", "plan")
