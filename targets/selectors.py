"""Reads of the plan: what pages and the API show about targets and milestones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from areas.models import Area

from .models import DemoDataset, Indicator, Milestone, Plan, Target


def demo_data_loaded() -> bool:
    return DemoDataset.objects.exists()


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
