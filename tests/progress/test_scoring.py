"""progress/scoring.py: statuses, remaining allowances, rankings and the county score, with worked examples."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from areas.rounding import round_decimal
from progress import scoring
from progress.scoring import AreaInputs, Status

D = Decimal


class TestRounding:
    @pytest.mark.parametrize(
        ("value", "decimals", "expected"),
        [(43.5, 0, "44"), (42.5, 0, "42"), (Fraction(2335, 10), 0, "234"), (63.75, 1, "63.8"), (63.65, 1, "63.6")],
    )
    def test_rounds_half_to_even(self, value, decimals, expected):
        assert round_decimal(value, decimals) == D(expected)

    def test_ratio_of_233_good_days_in_365_is_reported_as_63_8(self):
        assert scoring.ratio_percent(233, 365) == D("63.8")
        assert scoring.ratio_percent(232, 365) == D("63.6")

    def test_ratio_without_valid_days_is_none(self):
        assert scoring.ratio_percent(0, 0) is None


class TestGoodDayAllowance:
    def test_365_valid_days_need_233_good_days_for_63_7_percent(self):
        assert scoring.good_days_needed(target_ratio=D("63.7"), valid_days=365) == 233

    def test_366_valid_days_need_233_good_days_too(self):
        # 233/366 = 63.66 -> 63.7 meets it too; 232/366 = 63.39 -> 63.4 does not.
        assert scoring.good_days_needed(target_ratio=D("63.7"), valid_days=366) == 233

    def test_mid_year_allowance_worked_example(self):
        # 30 June 2025: 181 days elapsed, 180 valid, 110 good (70 polluted), 184 days left.
        # Year: 364 valid days -> 232 good needed (232/364 = 63.74 -> 63.7); 132 polluted allowed in all,
        # 70 used, 62 still allowed.
        allowance = scoring.good_day_allowance(
            target_ratio=D("63.7"), valid_days=180, good_days=110, remaining_days=184
        )
        assert allowance.year_days == 364
        assert allowance.limit_days == 232
        assert allowance.allowed == 62
        assert not allowance.out_of_reach
        assert not allowance.secured

    def test_1_january_with_no_data_allows_the_whole_years_share(self):
        allowance = scoring.good_day_allowance(target_ratio=D("63.7"), valid_days=0, good_days=0, remaining_days=365)
        assert allowance.allowed == 365 - 233

    def test_target_already_out_of_reach_when_even_all_good_remaining_days_fall_short(self):
        # 300 valid days, 150 good; 65 left. Best case 215/365 = 58.9 % < 63.7 %.
        allowance = scoring.good_day_allowance(target_ratio=D("63.7"), valid_days=300, good_days=150, remaining_days=65)
        assert allowance.out_of_reach
        assert allowance.allowed is None

    def test_secured_when_enough_good_days_already(self):
        allowance = scoring.good_day_allowance(target_ratio=D("63.7"), valid_days=340, good_days=240, remaining_days=25)
        assert allowance.secured
        assert allowance.allowed == 25  # every remaining day may be polluted

    @given(
        valid=st.integers(min_value=0, max_value=366),
        good_share=st.floats(min_value=0, max_value=1),
        remaining=st.integers(min_value=0, max_value=366),
    )
    def test_using_exactly_the_allowance_meets_the_target_and_one_more_misses(self, valid, good_share, remaining):
        good = int(valid * good_share)
        target = D("63.7")
        allowance = scoring.good_day_allowance(
            target_ratio=target, valid_days=valid, good_days=good, remaining_days=remaining
        )
        if allowance.out_of_reach or valid + remaining == 0:
            return
        polluted_later = allowance.allowed
        final_good = good + remaining - polluted_later
        assert scoring.ratio_percent(final_good, valid + remaining) >= target
        if polluted_later < remaining:
            assert scoring.ratio_percent(final_good - 1, valid + remaining) < target


class TestHeavyDayAllowance:
    def test_1_2_percent_allows_4_heavy_days_in_365(self):
        assert scoring.heavy_days_allowed_total(target_ratio=D("1.2"), valid_days=365) == 4

    def test_two_heavy_days_so_far_leave_two(self):
        allowance = scoring.heavy_day_allowance(target_ratio=D("1.2"), valid_days=100, heavy_days=2, remaining_days=265)
        assert allowance.allowed == 2

    def test_five_heavy_days_is_a_missed_target(self):
        allowance = scoring.heavy_day_allowance(target_ratio=D("1.2"), valid_days=100, heavy_days=5, remaining_days=265)
        assert allowance.out_of_reach


class TestMeanAllowance:
    def test_target_43_is_met_by_any_mean_below_43_5(self):
        # 365 days: the largest sum with a mean reported as 43 is 15877 (43.4986); 15878 / 365 = 43.5014.
        allowance = scoring.mean_allowance(target=D("43"), days_so_far=365, sum_so_far=0, remaining_days=0)
        assert allowance.cap_reported == 43
        assert allowance.max_year_sum == 15877
        assert round_decimal(Fraction(15877, 365), 0) == 43
        assert round_decimal(Fraction(15878, 365), 0) == 44

    def test_exact_half_rounds_to_even_so_odd_cap_excludes_it(self):
        # 2 days: mean 43.5 (sum 87) reports as 44, so the cap is sum 86.
        assert scoring.mean_allowance(target=D("43"), days_so_far=2, sum_so_far=0, remaining_days=0).max_year_sum == 86
        # Cap 42: mean 42.5 (sum 85) reports as 42, allowed.
        assert scoring.mean_allowance(target=D("42"), days_so_far=2, sum_so_far=0, remaining_days=0).max_year_sum == 85

    def test_mid_year_needed_mean_worked_example(self):
        # 181 days so far summing 9050 (mean 50); 184 days left; cap sum 15877 -> 6827 left -> 37.10... -> 37.1.
        allowance = scoring.mean_allowance(target=D("43"), days_so_far=181, sum_so_far=9050, remaining_days=184)
        assert allowance.needed_mean == D("37.1")
        assert not allowance.out_of_reach

    def test_out_of_reach_when_needed_mean_would_be_negative(self):
        allowance = scoring.mean_allowance(target=D("43"), days_so_far=300, sum_so_far=16000, remaining_days=65)
        assert allowance.out_of_reach
        assert allowance.needed_mean is None

    def test_non_integer_milestone_caps_at_its_integer_part(self):
        # A milestone of 45.6: the reported integer mean must be <= 45.
        allowance = scoring.mean_allowance(target=D("45.6"), days_so_far=0, sum_so_far=0, remaining_days=10)
        assert allowance.cap_reported == 45


class TestStatus:
    def status(self, **kwargs):
        defaults = {
            "indicator": "good_day_ratio",
            "direction": "at_least",
            "actual": D("66.0"),
            "milestone": D("63.0"),
            "valid_days": 200,
            "period_complete": False,
        }
        return scoring.indicator_status(**(defaults | kwargs))

    def test_a_year_with_no_data_yet_is_insufficient(self):
        assert self.status(actual=None, valid_days=0) == Status.INSUFFICIENT_DATA

    def test_1_january_with_one_valid_day_is_insufficient(self):
        assert self.status(valid_days=1) == Status.INSUFFICIENT_DATA

    def test_well_ahead_is_on_track(self):
        assert self.status() == Status.ON_TRACK

    def test_within_the_margin_on_either_side_is_at_risk(self):
        assert self.status(actual=D("64.0")) == Status.AT_RISK
        assert self.status(actual=D("61.0")) == Status.AT_RISK

    def test_beyond_the_margin_on_the_bad_side_is_off_track(self):
        assert self.status(actual=D("60.9")) == Status.OFF_TRACK

    def test_at_most_indicators_compare_the_other_way(self):
        assert self.status(indicator="pm25", direction="at_most", actual=D("40"), milestone=D("45")) == Status.ON_TRACK
        assert self.status(indicator="pm25", direction="at_most", actual=D("48"), milestone=D("45")) == Status.OFF_TRACK

    def test_complete_period_is_achieved_or_off_track(self):
        assert self.status(period_complete=True, actual=D("63.0")) == Status.ACHIEVED
        assert self.status(period_complete=True, actual=D("62.9")) == Status.OFF_TRACK

    def test_a_target_already_missed_is_off_track_even_if_the_average_looks_fine(self):
        assert self.status(out_of_reach=True) == Status.OFF_TRACK

    def test_secured_is_achieved(self):
        assert self.status(secured=True, actual=D("63.5")) == Status.ACHIEVED


class TestRankings:
    def test_ties_share_a_rank_and_the_next_rank_skips(self):
        ranks = scoring.competition_ranks(
            {"a": D("4.10"), "b": D("4.50"), "c": D("4.50"), "d": D("5.00")}, lower_is_better=True
        )
        assert ranks == {"a": 1, "b": 2, "c": 2, "d": 4}

    def test_higher_is_better_ranks_descending(self):
        assert scoring.competition_ranks({"a": D("1"), "b": D("3")}, lower_is_better=False) == {"a": 2, "b": 1}

    def test_a_county_with_no_stations_has_no_rank(self):
        ranks = scoring.competition_ranks({"a": D("4.1"), "nodata": None}, lower_is_better=True)
        assert ranks == {"a": 1, "nodata": None}

    def test_improvement_is_positive_when_the_index_falls(self):
        assert scoring.improvement_percent(current=D("4.50"), previous=D("5.00")) == D("10.0")
        assert scoring.improvement_percent(current=D("5.50"), previous=D("5.00")) == D("-10.0")
        assert scoring.improvement_percent(current=D("5.50"), previous=None) is None


class TestCountyScore:
    def test_worked_example_three_counties(self):
        # Composite: a 4.00 (1), b 4.50 (2), c 5.00 (3) -> points 100, 50, 0.
        # PM2.5: a 40 (1), b 40 (1), c 50 (3) -> 100, 100, 0.
        # Improvement on last year: a 4.40->4.00 = 9.1 % (2), b 5.00->4.50 = 10.0 % (1), c 4.90->5.00 = -2.0 % (3).
        areas = [
            AreaInputs("a", D("4.00"), D("40"), D("4.40"), D("0.5")),
            AreaInputs("b", D("4.50"), D("40"), D("5.00"), D("1")),
            AreaInputs("c", D("5.00"), D("50"), D("4.90"), None),
        ]
        rows = {r.code: r for r in scoring.rank_areas(areas, city_composite_index=D("4.60"))}
        assert rows["a"].improvement == D("9.1")
        assert rows["b"].improvement == D("10.0")
        assert rows["c"].improvement == D("-2.0")
        assert (rows["a"].improvement_rank, rows["b"].improvement_rank, rows["c"].improvement_rank) == (2, 1, 3)
        assert (rows["a"].pm25_rank, rows["b"].pm25_rank, rows["c"].pm25_rank) == (1, 1, 3)
        # a: 0.35*100 + 0.15*100 + 0.30*50 + 0.20*50 = 35 + 15 + 15 + 10 = 75.0
        assert rows["a"].score == D("75.0")
        # b: 0.35*50 + 0.15*100 + 0.30*100 + 0.20*100 = 17.5 + 15 + 30 + 20 = 82.5
        assert rows["b"].score == D("82.5")
        # c has no measures share: weights rescaled over 0.80; all its points are 0.
        assert rows["c"].score == D("0.0")
        assert (rows["b"].score_rank, rows["a"].score_rank, rows["c"].score_rank) == (1, 2, 3)
        assert rows["c"].worse_than_city
        assert rows["c"].worse_than_last_year
        assert not rows["a"].worse_than_city
        assert not rows["a"].worse_than_last_year
        assert rows["a"].measures_on_time == D("50.0")

    def test_an_area_assessed_on_the_citys_own_stations_is_not_judged_against_the_city(self):
        areas = [
            AreaInputs("same", D("5.00"), D("50"), D("4.90"), None, assessed_as_city=True),
            AreaInputs("other", D("5.00"), D("50"), D("4.90"), None),
        ]
        rows = {r.code: r for r in scoring.rank_areas(areas, city_composite_index=D("4.60"))}
        assert not rows["same"].worse_than_city
        assert rows["same"].worse_than_last_year
        assert rows["other"].worse_than_city

    def test_missing_components_rescale_the_weights(self):
        assert scoring.county_score({"composite_index_rank": Fraction(100), "measures_on_time": None}) == D("100.0")

    def test_no_components_no_score(self):
        assert scoring.county_score({}) is None

    def test_single_ranked_county_gets_full_points(self):
        assert scoring.rank_points(1, 1) == 100

    def test_weights_sum_to_one(self):
        assert sum(w.weight for w in scoring.SCORE_WEIGHTS) == 1


def test_the_figures_table_says_which_allowance_each_goal_has() -> None:
    """The pages, the API, the exports and the recompute all read the kind from this one table."""
    kinds = {facts.code: facts.allowance for facts in scoring.FIGURES if facts.allowance is not None}
    assert kinds == {"good_day_ratio": "polluted_days", "heavy_day_ratio": "heavy_days", "pm25": "mean_needed"}
