"""Which plan a year's figures are measured against (targets.selectors.plans_for_years)."""

from __future__ import annotations

from typing import Any

import pytest

from targets.models import Plan
from targets.selectors import plans_for_years
from tests.factories import PlanFactory

pytestmark = pytest.mark.usefixtures("no_plan")


def plan_for_year(year: int) -> Plan | None:
    return plans_for_years([year])[year]


def make(code: str, start: int, end: int, status: str = Plan.Status.DRAFT_FOR_COMMENTS) -> Plan:
    plan: Plan = PlanFactory(code=code, start_year=start, end_year=end, baseline_year=start - 1, status=status)
    return plan


def test_each_year_takes_the_plan_whose_period_holds_it_and_no_other(db: Any) -> None:
    first = make("first", 2021, 2025, Plan.Status.CLOSED)
    second = make("second", 2026, 2030, Plan.Status.IN_FORCE)
    assert [plan_for_year(year) for year in (2020, 2021, 2025, 2026, 2030, 2031)] == [
        None,  # the baseline year before the first plan: no plan governs it
        first,
        first,
        second,
        second,
        None,  # after the last plan's end: never measured against its targets
    ]


def test_a_year_after_the_only_plan_has_none(db: Any) -> None:
    make("only", 2021, 2025)
    assert plan_for_year(2026) is None


def test_where_two_plans_hold_a_year_the_one_in_force_wins_then_the_later_draft(db: Any) -> None:
    old = make("old", 2021, 2025)
    draft = make("draft", 2024, 2028)
    assert plan_for_year(2024) == draft
    old.status = Plan.Status.IN_FORCE
    old.save()
    assert plan_for_year(2024) == old


def test_without_plans_there_is_none(db: Any) -> None:
    assert plan_for_year(2025) is None
