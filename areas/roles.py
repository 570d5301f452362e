"""Who may see what: bureau staff see every area; a county official sees one area; the public sees published figures."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .models import Area, CountyOfficial


def is_bureau_staff(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and getattr(user, "is_staff", False))


def official_area(user: AbstractBaseUser | AnonymousUser) -> Area | None:
    """The area a county official is bound to, or None for anyone else. Read once per user object (a request's
    user asks many times: the views, the navigation, the permission checks)."""
    if not user.is_authenticated:
        return None
    known: tuple[Area | None] | None = getattr(user, _OFFICIAL_AREA_ATTRIBUTE, None)
    if known is None:
        official = CountyOfficial.objects.select_related("area").filter(user=user).first()
        known = (official.area if official else None,)
        setattr(user, _OFFICIAL_AREA_ATTRIBUTE, known)
    return known[0]


_OFFICIAL_AREA_ATTRIBUTE = "_official_area_once"


def reports_for(user: AbstractBaseUser | AnonymousUser, area: Area) -> bool:
    """Whether ``user`` fills in the completion forms of ``area``: its own officials, and bureau staff for the
    city itself (the city-level duties: evaluations, the LDAR platform, the city's statistics)."""
    if area.is_city:
        return is_bureau_staff(user) or official_area(user) == area
    return official_area(user) == area


def bureau_staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged-in bureau staff only: others get the login page or 403."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_bureau_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
