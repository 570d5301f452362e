"""Template filters for progress figures: the same formatting as the exports (progress.scoring.shown)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from progress import scoring
from progress.figure_names import figure_name

register = template.Library()


@register.filter
def figure(value: Decimal | None, code: str) -> str:
    """{{ snapshot.actual|figure:snapshot.indicator }}: the reported decimals of that figure, "—" for none."""
    return scoring.shown(value, code)


@register.filter
def snapshot_of(figures: dict[str, Any] | None, code: str) -> Any:
    """``figures[code]``, or None (a page's revised figures by indicator code)."""
    return (figures or {}).get(code)


@register.filter
def figure_label(code: str) -> str:
    """{{ "pm25"|figure_label }}: a figure's name as the documents write it (PM2.5, 综合指数 …)."""
    return figure_name(code)
