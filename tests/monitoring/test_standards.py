"""The standard editions as data: limits per edition and phase, the composite index and attainment under
each, and a daily series scored under either AQI edition (aqi-rules §5, §7)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pandas as pd
import pytest

from monitoring.aqi import daily_aqi
from monitoring.standards import (
    GB3095_2012,
    GB3095_2026_PHASE_ONE,
    GB3095_2026_PHASE_TWO,
    Verdict,
    attainment,
    composite_index,
    composite_weights,
    limit_set,
    limits_in_force,
    rules_label,
)
from monitoring.statistics import Period, period_statistics, period_statistics_frame, rescore_daily

from .test_periods import days, series

REFERENCE_MONTH = {"so2": 7, "no2": 33, "pm10": 81, "pm25": 47, "co": 1.3, "o3_8h": 181}


def test_grade_two_limits_of_each_edition_and_phase():
    # GB 3095-2012 Table 1, Grade II: annual SO2 60, NO2 40, PM10 70, PM2.5 35; CO 24-h 4; O3 8-h 160.
    assert {k: int(v) for k, v in GB3095_2012.limits.items()} == {
        "so2": 60,
        "no2": 40,
        "pm10": 70,
        "pm25": 35,
        "co_p95": 4,
        "o3_8h_p90": 160,
    }
    # GB 3095-2026 phase one (2026-03-01 … 2030-12-31): PM2.5 annual 30, the other items unchanged.
    assert GB3095_2026_PHASE_ONE.limits["pm25"] == 30
    assert {k: v for k, v in GB3095_2026_PHASE_ONE.limits.items() if k != "pm25"} == {
        k: v for k, v in GB3095_2012.limits.items() if k != "pm25"
    }
    # Phase two (from 2031-01-01): PM2.5 annual 25; PM10, SO2, NO2 revised, not entered: never guessed.
    assert GB3095_2026_PHASE_TWO.limits["pm25"] == 25
    assert GB3095_2026_PHASE_TWO.missing == ("so2", "no2", "pm10")
    with pytest.raises(ValueError, match="so2, no2, pm10 are not entered"):
        composite_index({"so2": 1, "no2": 1, "pm10": 1, "pm25": 1, "co_p95": 1, "o3_8h_p90": 1}, GB3095_2026_PHASE_TWO)
    assert limit_set("GB3095-2026-I") is GB3095_2026_PHASE_ONE
    with pytest.raises(ValueError, match="unknown limit set"):
        limit_set("GB3095-1996")
    assert [GB3095_2012.label, GB3095_2026_PHASE_ONE.label, GB3095_2026_PHASE_TWO.label] == [
        "GB 3095-2012",
        "GB 3095-2026 (I)",
        "GB 3095-2026 (II)",
    ]


@pytest.mark.parametrize(
    ("day", "code"),
    [
        (date(2025, 12, 31), "GB3095-2012"),
        (date(2026, 2, 28), "GB3095-2012"),
        (date(2026, 3, 1), "GB3095-2026-I"),
        (date(2030, 12, 31), "GB3095-2026-I"),
        (date(2031, 1, 1), "GB3095-2026-II"),
    ],
)
def test_limits_in_force_switch_on_the_dates_of_the_standard(day, code):
    assert limits_in_force(day).code == code


def test_composite_weights_are_exact_over_a_common_denominator():
    assert composite_weights(GB3095_2012) == (
        3360,
        (("so2", 56), ("no2", 84), ("pm10", 48), ("pm25", 96), ("co_p95", 84), ("o3_8h_p90", 21)),
    )
    denominator, weights = composite_weights(GB3095_2026_PHASE_ONE)
    assert denominator == 3360
    assert dict(weights)["pm25"] == 112


def test_composite_index_under_each_edition():
    figures = {"so2": 7, "no2": 33, "pm10": 81, "pm25": 47, "co_p95": 1.3, "o3_8h_p90": 181}
    rest = Fraction(7, 60) + Fraction(33, 40) + Fraction(81, 70) + Fraction(13, 40) + Fraction(181, 160)
    assert composite_index(figures, GB3095_2012) == Decimal("4.90") == round(rest + Fraction(47, 35), 2)
    # Under phase one the PM2.5 term is 47/30: 5.12.
    assert composite_index(figures, GB3095_2026_PHASE_ONE) == Decimal("5.12") == round(rest + Fraction(47, 30), 2)
    assert composite_index({**figures, "co_p95": None}, GB3095_2012) is None
    with pytest.raises(ValueError, match="not a reported value"):
        composite_index({**figures, "co_p95": 1.25}, GB3095_2012)


def test_a_month_before_and_after_the_switch_with_the_same_values():
    february = series(days(date(2026, 2, 1), date(2026, 2, 28)), **REFERENCE_MONTH)
    march = series(days(date(2026, 3, 1), date(2026, 3, 31)), **REFERENCE_MONTH)
    before = period_statistics(february, start=date(2026, 2, 1), end=date(2026, 2, 28), kind="month")
    after = period_statistics(march, start=date(2026, 3, 1), end=date(2026, 3, 31), kind="month")
    assert (before.pm25, before.composite_index, before.composite_limits, before.edition) == (
        47,
        4.9,
        "GB3095-2012",
        "2012",
    )
    assert (after.pm25, after.composite_index, after.composite_limits, after.edition) == (
        47,
        5.12,
        "GB3095-2026-I",
        "2026",
    )
    # On request, the same month under the other limits.
    restated = period_statistics(
        february, start=date(2026, 2, 1), end=date(2026, 2, 28), kind="month", limits=GB3095_2026_PHASE_ONE
    )
    assert (restated.composite_index, restated.composite_limits) == (5.12, "GB3095-2026-I")


def test_a_year_across_the_switch_says_how_it_was_computed():
    year = Period.year(2026)
    assert year.edition == "2012+2026"
    assert year.limits is GB3095_2026_PHASE_ONE  # judged against the limits in force on its last day
    assert rules_label(year.start, year.end) == "HJ 633-2012 ≤ 2026-02-28, HJ 633-2026 ≥ 2026-03-01"
    assert rules_label(date(2025, 1, 1), date(2025, 12, 31)) == "HJ 633-2012"
    assert rules_label(date(2026, 3, 1), date(2026, 3, 31)) == "HJ 633-2026"
    frame = series(days(date(2026, 1, 1), date(2026, 12, 31)), **REFERENCE_MONTH).assign(area="371500")
    row = period_statistics_frame(frame, key="area", periods=[year]).iloc[0]
    assert (row["edition"], row["composite_limits"], row["composite_index"]) == ("2012+2026", "GB3095-2026-I", 5.12)


def _one_day_frame(day: date, pm25: int) -> pd.DataFrame:
    values = {"so2": 10, "no2": 30, "co": 0.8, "pm10": 70, "pm25": pm25, "o3_8h": 100, "o3_1h": 120}
    return pd.DataFrame([{"area": "371500", "date": day, **values, "aqi": None, "valid": False, "edition": ""}])


def test_the_same_concentrations_on_28_february_and_1_march():
    # PM2.5 70 µg/m³: HJ 633-2012 (35→50, 75→100) gives 94, good; HJ 633-2026 (35→50, 60→100, 115→150)
    # gives 100 + 50/55 × 10 = 109.09 → 110 (rounded up, §6.2), lightly polluted.
    values = {"so2": 10, "no2": 30, "co": 0.8, "pm10": 70, "pm25": 70, "o3_8h": 100, "o3_1h": 120}
    assert daily_aqi(values, edition="2012").aqi == 94
    assert daily_aqi(values, edition="2026").aqi == 110
    frame = pd.concat([_one_day_frame(date(2026, 2, 28), 70), _one_day_frame(date(2026, 3, 1), 70)])
    in_force = rescore_daily(frame, pd.to_datetime(frame["date"]).dt.date.ge(date(2026, 3, 1)).to_numpy())
    assert list(in_force["aqi"]) == [94, 110]
    assert list(in_force["category"]) == [2, 3]
    assert list(in_force["edition"]) == ["2012", "2026"]
    assert list(in_force["primary_pollutants"]) == [("PM2.5",), ("PM2.5",)]
    assert list(rescore_daily(frame, True)["aqi"]) == [110, 110]
    assert list(rescore_daily(frame, False)["aqi"]) == [94, 94]
    assert list(frame["aqi"]) == [None, None]  # the input is left as it was


def test_rescoring_can_make_a_day_valid_that_was_not():
    # NO2 missing: a day is valid only when its AQI exceeds 100 without it (aqi-rules §3).
    day = _one_day_frame(date(2025, 6, 1), 70).assign(no2=None)
    assert not bool(rescore_daily(day, False)["valid"].iloc[0])
    rescored = rescore_daily(day, True)
    assert bool(rescored["valid"].iloc[0])
    assert int(rescored["aqi"].iloc[0]) == 110


def test_a_year_recomputed_under_the_2026_rules_counts_fewer_good_days():
    dates = days(date(2025, 1, 1), date(2025, 12, 31))
    pm25 = [70 if i % 5 == 0 else 30 for i in range(len(dates))]  # 73 days at 70, the rest at 30
    frame = rescore_daily(series(dates, pm25=pm25).assign(o3_1h=120, edition="2012"), False)
    official = period_statistics(frame, start=dates[0], end=dates[-1], kind="year")
    restated = period_statistics(rescore_daily(frame, True), start=dates[0], end=dates[-1], kind="year")
    assert (official.good_days, official.good_day_ratio) == (365, 100.0)
    assert (restated.good_days, restated.good_day_ratio) == (292, 80.0)  # 292 / 365
    assert official.pm25 == restated.pm25  # concentrations do not depend on the edition


def test_attainment_edge_cases():
    at_limit = {"so2": 60, "no2": 40, "pm10": 70, "pm25": 35, "co_p95": 4.0, "o3_8h_p90": 160}
    result = attainment(at_limit, GB3095_2012)
    assert result.verdict is Verdict.ATTAINED  # a value equal to its limit meets it
    assert all(item.gap == 0 for item in result.items)
    # The same figures against phase one: PM2.5 35 is 5 above 30.
    phase_one = attainment(at_limit, GB3095_2026_PHASE_ONE)
    assert phase_one.verdict is Verdict.NOT_ATTAINED
    assert [(i.figure, i.gap) for i in phase_one.items if i.verdict is Verdict.NOT_ATTAINED] == [("pm25", 5)]
    # Not enough valid days for one item: no verdict, unless another item already fails.
    short = {**at_limit, "co_p95": None}
    assert attainment(short, GB3095_2012).verdict is Verdict.NOT_ENOUGH_DATA
    assert attainment({**short, "o3_8h_p90": 161}, GB3095_2012).verdict is Verdict.NOT_ATTAINED
    o3 = next(i for i in attainment({**short, "o3_8h_p90": 161}, GB3095_2012).items if i.figure == "o3_8h_p90")
    assert (o3.value, o3.limit, o3.gap) == (161, 160, 1)
    co = next(i for i in attainment(short, GB3095_2012).items if i.figure == "co_p95")
    assert (co.value, co.gap, co.verdict) == (None, None, Verdict.NOT_ENOUGH_DATA)


def test_an_annual_figure_short_of_valid_days_gives_no_verdict():
    dates = [d for d in days(date(2025, 1, 1), date(2025, 12, 31)) if d.month != 7 or d.day <= 26]  # July: 26
    stats = period_statistics(series(dates), start=date(2025, 1, 1), end=date(2025, 12, 31), kind="year")
    assert stats.pm25 is None  # July has 26 daily values, fewer than 27 (GB 3095-2012 Table 4)
    figures = {name: getattr(stats, name) for name in ("so2", "no2", "pm10", "pm25", "co_p95", "o3_8h_p90")}
    assert attainment(figures, GB3095_2012).verdict is Verdict.NOT_ENOUGH_DATA
    assert len(dates) == 365 - 5
