"""Month, year and year-to-date statistics (GB 3095-2012 Table 4 and A.6, HJ 663-2013; aqi-rules §5)."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitoring.percentiles import grouped_percentile_units, percentile
from monitoring.statistics import Period, PeriodStats, period_statistics, period_statistics_frame

CLEAN = {"so2": 10, "no2": 30, "co": 0.8, "pm10": 70, "pm25": 35, "o3_8h": 100, "o3_1h": 120, "aqi": 60, "valid": True}


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def series(dates: list[date], **columns) -> pd.DataFrame:
    data = {"date": dates}
    for name, default in CLEAN.items():
        value = columns.get(name, default)
        data[name] = list(value) if isinstance(value, list | tuple | np.ndarray) else [value] * len(dates)
    return pd.DataFrame(data)


def year_stats(frame: pd.DataFrame, year: int = 2023, **kwargs) -> PeriodStats:
    return period_statistics(frame, start=date(year, 1, 1), end=date(year, 12, 31), kind="year", **kwargs)


def test_a_complete_year():
    stats = year_stats(series(days(date(2023, 1, 1), date(2023, 12, 31))))
    assert (stats.valid_days, stats.good_days, stats.heavy_days) == (365, 365, 0)
    assert (stats.good_day_ratio, stats.heavy_day_ratio) == (100.0, 0.0)
    assert (stats.pm25, stats.pm10, stats.so2, stats.no2) == (35, 70, 10, 30)
    assert (stats.co_p95, stats.o3_8h_p90, stats.pm25_p95) == (0.8, 100, 35)
    # 10/60 + 30/40 + 70/70 + 35/35 + 0.8/4 + 100/160 = 3.741666... -> 3.74
    assert stats.composite_index == 3.74
    assert stats.edition == "2012"
    assert not stats.dust_deducted


@pytest.mark.parametrize(("good", "ratio"), [(233, 63.8), (232, 63.6)])
def test_good_day_ratio_over_365_valid_days(good, ratio):
    aqi = [80] * good + [120] * (365 - good)
    stats = year_stats(series(days(date(2023, 1, 1), date(2023, 12, 31)), aqi=aqi))
    assert stats.good_days == good
    assert stats.good_day_ratio == ratio


@pytest.mark.parametrize(("heavy", "ratio"), [(4, 1.1), (5, 1.4)])
def test_heavy_day_ratio(heavy, ratio):
    aqi = [201] * heavy + [200] * (365 - heavy)  # 200 is moderately polluted, not heavy
    stats = year_stats(series(days(date(2023, 1, 1), date(2023, 12, 31)), aqi=aqi))
    assert (stats.heavy_days, stats.heavy_day_ratio) == (heavy, ratio)


def test_invalid_days_are_not_counted():
    dates = days(date(2023, 1, 1), date(2023, 1, 31))
    frame = series(dates, valid=[i >= 2 for i in range(31)], aqi=[None, None, *([150] * 29)])
    stats = period_statistics(frame, start=date(2023, 1, 1), end=date(2023, 1, 31), kind="month")
    assert (stats.valid_days, stats.good_days, stats.good_day_ratio) == (29, 0, 0.0)


def test_ratios_are_none_without_valid_days():
    stats = period_statistics(series([]), start=date(2023, 1, 1), end=date(2023, 1, 31), kind="month")
    assert stats.valid_days == 0
    assert stats.good_day_ratio is None
    assert stats.pm25 is None


def without(frame: pd.DataFrame, column: str, dropped: set[date]) -> pd.DataFrame:
    frame = frame.copy()
    frame[column] = frame[column].astype(object)
    frame.loc[frame["date"].isin(dropped), column] = None
    return frame


@pytest.mark.parametrize(("february_days", "valid"), [(24, False), (25, True)])
def test_february_needs_25_daily_values(february_days, valid):
    frame = series(days(date(2023, 2, 1), date(2023, 2, 28)))
    frame = without(frame, "pm25", set(days(date(2023, 2, february_days + 1), date(2023, 2, 28))))
    month = period_statistics(frame, start=date(2023, 2, 1), end=date(2023, 2, 28), kind="month")
    assert (month.pm25 == 35) is valid
    assert (month.pm25_p95 == 35) is valid
    assert month.so2 == 10  # other items are complete
    year = year_stats(
        pd.concat(
            [
                series(days(date(2023, 1, 1), date(2023, 1, 31))),
                frame,
                series(days(date(2023, 3, 1), date(2023, 12, 31))),
            ]
        )
    )
    assert (year.pm25 == 35) is valid


@pytest.mark.parametrize(("month_days", "valid"), [(26, False), (27, True)])
def test_other_months_need_27_daily_values(month_days, valid):
    frame = without(
        series(days(date(2023, 4, 1), date(2023, 4, 30))),
        "o3_8h",
        set(days(date(2023, 4, month_days + 1), date(2023, 4, 30))),
    )
    month = period_statistics(frame, start=date(2023, 4, 1), end=date(2023, 4, 30), kind="month")
    assert (month.o3_8h_p90 == 100) is valid
    assert (month.composite_index is not None) is valid


def test_29_february_counts_in_february_of_a_leap_year():
    february = days(date(2024, 2, 1), date(2024, 2, 29))
    frame = without(series(february), "no2", set(february[:4]))  # 25 values left, the 29th among them
    stats = period_statistics(frame, start=date(2024, 2, 1), end=date(2024, 2, 29), kind="month")
    assert stats.no2 == 30
    frame = without(series(february), "no2", set(february[:4]) | {date(2024, 2, 29)})
    assert period_statistics(frame, start=date(2024, 2, 1), end=date(2024, 2, 29), kind="month").no2 is None


def year_missing(per_month: dict[int, int], year: int = 2023) -> pd.DataFrame:
    """A year with the first ``per_month[m]`` days of month m missing their PM2.5."""
    frame = series(days(date(year, 1, 1), date(year, 12, 31)))
    dropped = {date(year, m, d) for m, n in per_month.items() for d in range(1, n + 1)}
    return without(frame, "pm25", dropped)


def test_a_year_needs_324_values():
    # 41 missing days spread so that no month breaks its own rule: 324 values.
    spread = {1: 4, 2: 3, 3: 4, 4: 3, 5: 4, 6: 3, 7: 4, 8: 4, 9: 3, 10: 4, 11: 3, 12: 2}
    assert sum(spread.values()) == 41
    assert year_stats(year_missing(spread)).pm25 == 35
    assert year_stats(year_missing({**spread, 12: 3})).pm25 is None  # 323 values


def test_a_year_needs_every_month():
    assert year_stats(year_missing({7: 5})).pm25 is None  # 360 values, but July has 26


def test_year_to_date_applies_the_month_rule_to_complete_months_and_tolerates_the_running_month():
    frame = series(days(date(2023, 1, 1), date(2023, 3, 10)))
    ytd = period_statistics(frame, start=date(2023, 1, 1), end=date(2023, 3, 10), kind="ytd")
    assert ytd.pm25 == 35
    assert ytd.valid_days == 69
    # The running month (10 days of March) may miss up to 4 days, like a whole March could.
    missing_4 = without(frame, "pm25", set(days(date(2023, 3, 1), date(2023, 3, 4))))
    assert period_statistics(missing_4, start=date(2023, 1, 1), end=date(2023, 3, 10), kind="ytd").pm25 == 35
    missing_5 = without(frame, "pm25", set(days(date(2023, 3, 1), date(2023, 3, 5))))
    assert period_statistics(missing_5, start=date(2023, 1, 1), end=date(2023, 3, 10), kind="ytd").pm25 is None
    # A complete month that fails its rule makes the year to date invalid.
    bad_january = without(frame, "pm25", set(days(date(2023, 1, 1), date(2023, 1, 5))))
    assert period_statistics(bad_january, start=date(2023, 1, 1), end=date(2023, 3, 10), kind="ytd").pm25 is None


def test_period_means_are_means_of_rounded_daily_values_rounded_half_to_even():
    dates = days(date(2023, 4, 1), date(2023, 4, 30))
    pm25 = [30] * 15 + [31] * 15  # 30.5 -> 30
    co = [0.3] * 15 + [0.4] * 15
    stats = period_statistics(series(dates, pm25=pm25, co=co), start=dates[0], end=dates[-1], kind="month")
    assert stats.pm25 == 30
    # CO P95: k = 1 + 29 * 0.95 = 28.55 -> between two 0.4 values: 0.4
    assert stats.co_p95 == 0.4


def test_percentile_field_is_a6_rounded():
    dates = days(date(2023, 4, 1), date(2023, 4, 30))
    o3 = list(range(100, 130))  # P90: k = 1 + 29 * 0.9 = 27.1 -> 126 + 0.1 = 126.1 -> 126
    stats = period_statistics(series(dates, o3_8h=o3), start=dates[0], end=dates[-1], kind="month")
    assert stats.o3_8h_p90 == 126
    assert float(percentile(o3, 90)) == pytest.approx(126.1)
    assert float(np.percentile(o3, 90, method="linear")) == pytest.approx(126.1)


def test_dust_deduction_removes_pm_of_dust_days_from_the_concentration_statistics_only():
    dates = days(date(2023, 4, 1), date(2023, 4, 30))
    pm10 = [70] * 28 + [400, 400]
    frame = series(dates, pm10=pm10, aqi=[60] * 28 + [250, 250])
    dust = {date(2023, 4, 29), date(2023, 4, 30)}
    raw = period_statistics(frame, start=dates[0], end=dates[-1], kind="month", dust_days=dust)
    deducted = period_statistics(frame, start=dates[0], end=dates[-1], kind="month", dust_days=dust, dust_deducted=True)
    assert raw.pm10 == 92  # (28 * 70 + 800) / 30 = 92.0
    assert deducted.pm10 == 70
    assert deducted.pm10_p95 == 70
    assert (deducted.valid_days, deducted.heavy_days) == (raw.valid_days, raw.heavy_days) == (30, 2)
    assert deducted.so2 == raw.so2
    assert deducted.dust_deducted
    assert deducted.composite_index < raw.composite_index


def test_batch_form_equals_the_single_form_for_each_entity_and_period():
    rng = np.random.default_rng(7)
    dates = days(date(2024, 1, 1), date(2024, 12, 31))
    frames = []
    for station in ("A", "B", "C"):
        frame = series(
            dates,
            pm25=rng.integers(5, 250, len(dates)),
            co=np.round(rng.integers(2, 40, len(dates)) / 10, 1),
            o3_8h=rng.integers(10, 260, len(dates)),
            aqi=rng.integers(20, 320, len(dates)),
        )
        frame = frame[rng.random(len(dates)) > 0.05]
        frames.append(frame.assign(station=station))
    daily = pd.concat(frames, ignore_index=True)
    periods = [Period.year(2024), Period.ytd(date(2024, 7, 15)), *(Period.month(2024, m) for m in range(1, 13))]
    batch = period_statistics_frame(
        daily, key="station", periods=periods, dust_days={"B": {date(2024, 3, 3)}}, dust_deducted=True
    )
    assert len(batch) == 3 * len(periods)
    for record in batch.to_dict("records"):
        own = daily[daily["station"] == record["station"]].drop(columns=["station"])
        dust = {date(2024, 3, 3)} if record["station"] == "B" else set()
        single = period_statistics(
            own, start=record["start"], end=record["end"], kind=record["kind"], dust_days=dust, dust_deducted=True
        )
        assert single == PeriodStats(**{k: v for k, v in record.items() if k != "station"})


def test_composite_index_from_reported_values():
    dates = days(date(2023, 4, 1), date(2023, 4, 30))
    frame = series(dates, so2=[7] * 30, no2=[33] * 30, pm10=[81] * 30, pm25=[47] * 30, co=[1.3] * 30, o3_8h=[181] * 30)
    stats = period_statistics(frame, start=dates[0], end=dates[-1], kind="month")
    exact = (
        Fraction(7, 60) + Fraction(33, 40) + Fraction(81, 70) + Fraction(47, 35) + Fraction(13, 40) + Fraction(181, 160)
    )
    assert stats.composite_index == float(round(exact, 2)) == 4.9  # 4.8979... -> 4.90


def test_period_definitions_are_checked():
    with pytest.raises(ValueError, match="31 December"):
        Period("year", date(2023, 1, 1), date(2023, 6, 30))
    with pytest.raises(ValueError, match="same month"):
        Period("month", date(2023, 1, 1), date(2023, 2, 28))
    with pytest.raises(ValueError, match="unknown period kind"):
        Period("week", date(2023, 1, 1), date(2023, 1, 7))
    assert Period.month(2024, 2).end == date(2024, 2, 29)
    assert Period.year(2026).edition == "2012+2026"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 5000), min_size=1, max_size=400), st.sampled_from([50, 90, 95, 98, 0, 100, 37]))
def test_percentile_equals_numpy_linear(values, p):
    exact = percentile(values, p)
    assert float(exact) == pytest.approx(float(np.percentile(values, p, method="linear")), rel=1e-12, abs=1e-9)
    rounded, count = grouped_percentile_units(np.zeros(len(values), dtype=np.int64), np.array(values), 1, p)
    assert count[0] == len(values)
    assert rounded[0] == round(exact)  # round() of a Fraction is half to even


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 900)), min_size=0, max_size=200))
def test_grouped_percentile_equals_per_group_percentile(pairs):
    groups = np.array([g for g, _ in pairs], dtype=np.int64)
    values = np.array([v for _, v in pairs], dtype=np.int64)
    result, counts = grouped_percentile_units(groups, values, 5, 95)
    for group in range(5):
        mine = [v for g, v in pairs if g == group]
        assert counts[group] == len(mine)
        if mine:
            assert result[group] == round(percentile(mine, 95))
