"""Template filters for progress figures: the same formatting as the exports (progress.scoring.shown)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from progress import scoring

register = template.Library()


@register.filter
def figure(value: Decimal | None, code: str) -> str:
    """{{ snapshot.actual|figure:snapshot.indicator }}: the reported decimals of that figure, "—" for none."""
    return scoring.shown(value, code)
