"""The trend of an annual series: Theil–Sen slope with its confidence interval, Mann–Kendall significance.

The plan's ozone aim ("臭氧浓度基本遏制上升趋势") is about a trend, so the bureau needs to know whether O3 (MDA8
P90) is still rising, in words it uses. The model is openair's TheilSen: the Theil–Sen estimator of the
slope (the median of the pairwise slopes, robust to one odd year) and the Mann–Kendall test of whether
there is a monotonic trend at all. Both come from scipy (``scipy.stats.theilslopes``: slope and its
confidence interval after Sen 1968; ``scipy.stats.kendalltau`` of value against year: the Mann–Kendall
test, exact for small series without ties), never hand-rolled.

Words [project rule]: "rising" when the Mann–Kendall p-value is below 0.05 and the slope is positive,
"falling" when below 0.05 and negative, otherwise "no significant change". Fewer than ``MIN_YEARS``
annual values give no trend ("too few years"): a slope through three or four points says nothing.

No Django import (pure module).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from scipy.stats import kendalltau, theilslopes

#: Fewest annual values a trend is given for [project rule].
MIN_YEARS: Final = 5
#: Significance level of the Mann–Kendall test, and 1 − the confidence of the slope's interval.
ALPHA: Final = 0.05


class Direction(StrEnum):
    RISING = "rising"
    FALLING = "falling"
    NO_SIGNIFICANT_CHANGE = "no_significant_change"
    TOO_FEW_YEARS = "too_few_years"


@dataclass(frozen=True)
class Trend:
    """The trend of ``values`` (by year); slope and interval in the series' unit per year."""

    years: tuple[int, ...]
    values: tuple[float, ...]
    direction: Direction
    slope: float | None = None
    slope_low: float | None = None
    slope_high: float | None = None
    intercept: float | None = None
    p_value: float | None = None
    tau: float | None = None

    def fitted(self, year: int) -> float | None:
        """The Theil–Sen line at ``year`` (for drawing it)."""
        if self.slope is None or self.intercept is None:
            return None
        return self.intercept + self.slope * year


def annual_trend(series: Mapping[int, float | int | None]) -> Trend:
    """The trend of an annual series ``{year: value}``; years without a valid value are left out."""
    points = sorted((year, float(value)) for year, value in series.items() if value is not None)
    years = tuple(year for year, _ in points)
    values = tuple(value for _, value in points)
    if len(points) < MIN_YEARS:
        return Trend(years, values, Direction.TOO_FEW_YEARS)
    fit = theilslopes(values, years, alpha=1 - ALPHA)
    test = kendalltau(years, values)
    tau, p_value = float(test.statistic), float(test.pvalue)
    slope = float(fit.slope)
    if math.isnan(p_value) or p_value >= ALPHA or slope == 0:
        direction = Direction.NO_SIGNIFICANT_CHANGE
    else:
        direction = Direction.RISING if slope > 0 else Direction.FALLING
    return Trend(
        years=years,
        values=values,
        direction=direction,
        slope=slope,
        slope_low=float(fit.low_slope),
        slope_high=float(fit.high_slope),
        intercept=float(fit.intercept),
        p_value=p_value,
        tau=tau,
    )


__all__ = ["ALPHA", "MIN_YEARS", "Direction", "Trend", "annual_trend"]
