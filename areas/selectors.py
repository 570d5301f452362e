"""Reads of the areas: the city, its assessment units, and the two together as the plan's figures show them."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Area, RankingGroup


def city_area() -> Area | None:
    return Area.objects.filter(kind=Area.Kind.CITY).first()


def ranked_areas() -> list[Area]:
    """The city and its assessment units: the areas the plan's figures are computed and shown for."""
    kinds = [Area.Kind.CITY, *Area.ASSESSMENT_UNIT_KINDS]
    return list(Area.objects.filter(kind__in=kinds).order_by("sort_order", "code"))


def ranking_group(code: str | None) -> RankingGroup | None:
    """The ranking group of a query parameter (None: empty or unknown, ranked among all units)."""
    return RankingGroup.objects.filter(code=code).first() if code else None


def assessment_units_query() -> QuerySet[Area]:
    """The units the plan holds to account below the city (考核单位): the counties and the functional zones,
    each given the measures, targets, figures and ranking a county is; in the plan's order."""
    return Area.objects.filter(kind__in=Area.ASSESSMENT_UNIT_KINDS).order_by("sort_order", "code")


def assessment_units() -> list[Area]:
    return list(assessment_units_query())
