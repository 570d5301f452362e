"""Yearly milestones on the way from a baseline to a target. Pure Python, no Django."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from areas.rounding import round_decimal


def straight_line_milestones(
    *, baseline: Decimal, target: Decimal, baseline_year: int, target_year: int
) -> dict[int, Decimal]:
    """Milestones for each year after the baseline up to the target year, on a straight line.

    Values are the exact points of the line rounded to two decimals by GB/T 8170 (half to even, the one
    rounding of every figure: ``areas.rounding``); the target year gets the target exactly.
    """
    if target_year <= baseline_year:
        raise ValueError(f"target year {target_year} must be after baseline year {baseline_year}")
    span = target_year - baseline_year
    step = (Fraction(target) - Fraction(baseline)) / span
    return {
        year: round_decimal(Fraction(baseline) + step * (year - baseline_year), 2)
        for year in range(baseline_year + 1, target_year + 1)
    }
