"""Pages about the plan's measures."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from targets.selectors import current_plan

from .selectors import plan_measures


@login_required
def measure_list(request: HttpRequest) -> HttpResponse:
    plan = current_plan()
    return render(
        request, "measures/measure_list.html", {"plan": plan, "measures": plan_measures(plan) if plan else []}
    )
