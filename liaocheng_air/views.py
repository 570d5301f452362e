"""Pages of the project as a whole, above every app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from areas import roles
from measures import reporters


def after_login(request: HttpRequest) -> HttpResponse:
    """Where a login without a ``next`` lands: bureau staff on the dashboard, an official on their tasks."""
    if reporters.is_reporter(request.user) and not roles.is_bureau_staff(request.user):
        return redirect("measures-mine")
    return redirect("dashboard")
