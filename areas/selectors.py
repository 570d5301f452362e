"""Reads of the areas: the city, the counties, and the two together as the plan's figures show them."""

from __future__ import annotations

from .models import Area


def city_area() -> Area | None:
    return Area.objects.filter(kind=Area.Kind.CITY).first()


def ranked_areas() -> list[Area]:
    """The city and the counties: the areas the plan's figures are computed and shown for."""
    return list(Area.objects.filter(kind__in=[Area.Kind.CITY, Area.Kind.COUNTY]).order_by("sort_order", "code"))


def counties() -> list[Area]:
    return list(Area.objects.filter(kind=Area.Kind.COUNTY).order_by("sort_order", "code"))
