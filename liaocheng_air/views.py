"""Pages of the project as a whole, above every app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from areas import roles


def after_login(request: HttpRequest) -> HttpResponse:
    """Where a login without a ``next`` lands: bureau staff on the dashboard, an official on their tasks."""
    if roles.official_area(request.user) is not None and not roles.is_bureau_staff(request.user):
        return redirect("measures-mine")
    return redirect("dashboard")
