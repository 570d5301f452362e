"""Yearly milestones on the way from a baseline to a target. Pure Python, no Django."""

from __future__ import annotations

from decimal import Decimal


def straight_line_milestones(
    *, baseline: Decimal, target: Decimal, baseline_year: int, target_year: int
) -> dict[int, Decimal]:
    """Milestones for each year after the baseline up to the target year, on a straight line.

    Values are rounded half-up to two decimals; the target year gets the target exactly.
    """
    if target_year <= baseline_year:
        raise ValueError(f"target year {target_year} must be after baseline year {baseline_year}")
    span = Decimal(target_year - baseline_year)
    return {
        year: (baseline + (target - baseline) * Decimal(year - baseline_year) / span).quantize(Decimal("0.01"))
        for year in range(baseline_year + 1, target_year + 1)
    }
