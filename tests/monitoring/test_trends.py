"""Theil–Sen slope and Mann–Kendall significance of an annual series (issue 13: is ozone still rising?)."""

from __future__ import annotations

import pytest

from monitoring.trends import Direction, annual_trend


def test_the_slope_is_the_median_of_the_pairwise_slopes_and_ignores_one_odd_year():
    # 2018-2023 rise by 2 a year; 2024 jumps to 200. Of the 21 pairwise slopes 15 are 2 and 6 are larger:
    # the median is 2 (least squares would give 11.4). Every pair rises: Kendall's tau 1, and the exact
    # two-sided p-value of n = 7 is 2/7! = 0.000397.
    trend = annual_trend({2018: 100, 2019: 102, 2020: 104, 2021: 106, 2022: 108, 2023: 110, 2024: 200})
    assert trend.slope == 2
    assert trend.intercept == 106 - 2 * 2021  # median(y) − slope · median(x)
    assert trend.fitted(2021) == 106
    assert trend.tau == 1
    assert trend.p_value == pytest.approx(2 / 5040)
    assert trend.direction is Direction.RISING
    assert trend.slope_low <= 2 <= trend.slope_high


def test_a_falling_series_and_one_without_a_significant_change():
    falling = annual_trend({2019: 58, 2020: 52, 2021: 50, 2022: 47, 2023: 45, 2024: 44, 2025: 41})
    assert falling.direction is Direction.FALLING
    assert falling.slope < 0
    assert falling.slope_high < 0  # the interval excludes zero
    flat = annual_trend({2019: 170, 2020: 180, 2021: 168, 2022: 182, 2023: 171, 2024: 178})
    assert flat.direction is Direction.NO_SIGNIFICANT_CHANGE
    assert flat.p_value > 0.05
    same = annual_trend(dict.fromkeys(range(2019, 2025), 160))
    assert (same.direction, same.slope) == (Direction.NO_SIGNIFICANT_CHANGE, 0)


def test_too_few_years_give_no_trend_and_missing_years_are_left_out():
    few = annual_trend({2021: 150, 2022: 160, 2023: None, 2024: 170, 2025: 180})
    assert few.direction is Direction.TOO_FEW_YEARS
    assert few.years == (2021, 2022, 2024, 2025)
    assert few.slope is None
    assert few.fitted(2025) is None
