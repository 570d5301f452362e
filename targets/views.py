"""Pages about the plan and progress against it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from measures.selectors import measure_counts_by_chapter

from . import selectors


def home(request: HttpRequest) -> HttpResponse:
    """The public summary page: no login."""
    plan = selectors.current_plan()
    context = {
        "plan": plan,
        "target_rows": selectors.target_rows(plan) if plan else [],
        "plan_years": selectors.plan_years(plan) if plan else [],
        "measure_counts": measure_counts_by_chapter(plan) if plan else [],
    }
    return render(request, "targets/home.html", context)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    plan = selectors.current_plan()
    context = {
        "plan": plan,
        "target_rows": selectors.target_rows(plan) if plan else [],
        "plan_years": selectors.plan_years(plan) if plan else [],
        "measure_counts": measure_counts_by_chapter(plan) if plan else [],
    }
    return render(request, "targets/dashboard.html", context)


def plan_overview(request: HttpRequest) -> HttpResponse:
    """The plan's chapters, targets and milestones as published: public."""
    plan = selectors.current_plan()
    context = {
        "plan": plan,
        "target_rows": selectors.target_rows(plan) if plan else [],
        "plan_years": selectors.plan_years(plan) if plan else [],
        "chapters": plan.chapters.prefetch_related("sections") if plan else [],
    }
    return render(request, "targets/plan_overview.html", context)
