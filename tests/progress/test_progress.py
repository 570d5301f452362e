"""Stored progress scores: county targets, baselines from data, the recompute service and its task."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from areas import page_cache
from areas.models import Area
from progress import selectors, services, tasks
from progress.models import ProgressSnapshot, RankingEntry, ScoreRun
from targets import services as target_services
from targets.models import Milestone, Target
from tests.progress.conftest import CITY, COUNTY_A, COUNTY_B, TODAY


def snapshot(run, area, indicator, month=0, cumulative=False):
    return ProgressSnapshot.objects.get(
        run=run, area__code=area, indicator=indicator, month=month, cumulative=cumulative
    )


@pytest.mark.django_db
class TestCountyTargets:
    def test_counties_get_the_citys_2025_targets_by_default(self, plan, bureau):
        Target.objects.exclude(area__code=plan.area.code).delete()  # bootstrap already made them
        created = target_services.county_targets_ensure(plan=plan, user=bureau)
        units = Area.objects.filter(kind__in=Area.ASSESSMENT_UNIT_KINDS).count()
        assert created == units * 5
        target = Target.objects.get(area__code=COUNTY_A, indicator__code="pm25", target_year=2025)
        assert target.value == Decimal("43")
        assert target.history.first().history_user == bureau
        assert target_services.county_targets_ensure(plan=plan, user=bureau) == 0

    def test_reduction_targets_start_with_a_zero_baseline_and_straight_milestones(self, plan):
        target_services.county_targets_ensure(plan=plan)
        target = Target.objects.get(area__code=COUNTY_A, indicator__code="nox_reduction", target_year=2025)
        assert target.baseline_value == 0
        assert Milestone.objects.get(target=target, year=2023).value == Decimal("5100.00")

    def test_changing_a_county_target_needs_a_reason_and_is_kept_in_history(self, plan, bureau):
        target_services.county_targets_ensure(plan=plan)
        target = Target.objects.get(area__code=COUNTY_A, indicator__code="pm25", target_year=2025)
        with pytest.raises(ValidationError):
            target_services.target_set_value(target=target, value=Decimal("41"), user=bureau, reason="  ")
        target_services.target_set_value(target=target, value=Decimal("41"), user=bureau, reason="县级计划更严")
        latest = target.history.first()
        assert latest.value == Decimal("41")
        assert latest.history_change_reason == "县级计划更严"
        assert latest.history_user == bureau

    def test_baseline_is_taken_from_the_2020_figures(self, plan, bureau, stored):
        target = Target.objects.get(area__code=CITY, indicator__code="good_day_ratio", target_year=2025)
        services.target_baseline_from_figures(target=target, user=bureau)
        target.refresh_from_db()
        # 240 good days of 366 valid days in 2020 = 65.57 -> 65.6 %.
        assert target.baseline_value == Decimal("65.6")
        assert target.history.first().history_change_reason == "由基准年监测数据计算：2020"
        assert Milestone.objects.get(target=target, year=2021).value is not None

    def test_baseline_without_enough_data_is_refused_with_the_reason(self, plan, bureau, stored):
        target = Target.objects.get(area__code=CITY, indicator__code="pm25", target_year=2025)
        target_services.county_targets_ensure(plan=plan)
        county = Target.objects.get(area__code=COUNTY_B, indicator__code="pm25", target_year=2025)
        with pytest.raises(ValidationError, match="监测数据不足"):
            services.target_baseline_from_figures(target=county, user=bureau)
        assert target.baseline_value is None


@pytest.mark.django_db
class TestRecompute:
    def test_city_year_to_date_figures_status_and_allowances(self, plan, stored):
        (run,) = services.scores_recompute(years=[2025], today=TODAY)
        assert run.as_of == date(2025, 3, 31)
        assert run.flavour == "realtime"
        good = snapshot(run, CITY, "good_day_ratio")
        assert good.actual == Decimal("64.4")  # 58 / 90
        assert good.goal == Decimal("63.7")  # 2025: the target itself
        assert good.valid_days == 90
        # 365 days -> 233 good needed, 132 polluted allowed; 32 used -> 100 left.
        assert good.allowance_days == 100
        assert good.status == "at_risk"  # 0.7 points above the milestone, within the 2-point margin
        heavy = snapshot(run, CITY, "heavy_day_ratio")
        assert heavy.actual == Decimal("2.2")
        assert heavy.allowance_days == 2  # 4 allowed in the year, 2 used
        assert heavy.status == "off_track"
        pm25 = snapshot(run, CITY, "pm25")
        assert pm25.actual == Decimal("50")
        assert pm25.last_year == Decimal("55")
        assert pm25.change_percent == Decimal("-9.1")
        # Max year sum 15877; 90 x 50 = 4500 so far; 11377 / 275 = 41.37 -> 41.3.
        assert pm25.allowance_mean == Decimal("41.3")
        assert pm25.status == "off_track"

    def test_monthly_rows_for_the_trend(self, plan, stored):
        (run,) = services.scores_recompute(years=[2025], today=TODAY)
        assert snapshot(run, CITY, "good_day_ratio", month=1).actual == Decimal("100.0")
        assert snapshot(run, CITY, "good_day_ratio", month=2).actual == Decimal("96.4")  # 27 of 28 good
        assert snapshot(run, CITY, "good_day_ratio", month=3).actual == Decimal("0.0")
        assert snapshot(run, CITY, "good_day_ratio", month=3).status == ""

    def test_january_to_each_complete_month_for_the_bulletin(self, plan, stored):
        """1–M月: the city's 90 days are 58 good (AQI 80), then 30 lightly polluted and 2 heavy; 2024's 91
        days were all good. 1–2月 holds 59 days, 58 good: 98.3 %, 1.7 points below 2024's 100 %."""
        (run,) = services.scores_recompute(years=[2025], today=TODAY)
        january = snapshot(run, CITY, "good_day_ratio", month=1, cumulative=True)
        to_february = snapshot(run, CITY, "good_day_ratio", month=2, cumulative=True)
        assert (january.actual, january.valid_days) == (Decimal("100.0"), 31)
        assert (to_february.actual, to_february.valid_days, to_february.last_year) == (
            Decimal("98.3"),
            59,
            Decimal("100.0"),
        )
        assert to_february.change_points == Decimal("-1.7")
        to_march = snapshot(run, CITY, "good_day_ratio", month=3, cumulative=True)
        year_to_date = snapshot(run, CITY, "good_day_ratio")
        assert (to_march.actual, to_march.valid_days) == (year_to_date.actual, year_to_date.valid_days)
        assert to_march.goal is None  # goals and allowances belong to the year to date only
        assert RankingEntry.objects.filter(run=run, month=2, cumulative=True, group=None).exists()

    def test_a_month_not_yet_complete_has_no_january_to_month_figures(self, plan, stored):
        (run,) = services.scores_recompute(years=[2025], today=date(2025, 3, 16))
        assert run.as_of == date(2025, 3, 16)
        months = set(ProgressSnapshot.objects.filter(run=run, cumulative=True).values_list("month", flat=True))
        assert months == {1, 2}
        assert snapshot(run, CITY, "good_day_ratio", month=3).valid_days == 16

    def test_a_county_with_no_stations_has_insufficient_data_and_no_rank(self, plan, stored):
        target_services.county_targets_ensure(plan=plan)
        (run,) = services.scores_recompute(years=[2025], today=TODAY)
        assert snapshot(run, COUNTY_B, "pm25").status == "insufficient_data"
        entry = RankingEntry.objects.get(run=run, area__code=COUNTY_B, month=0, group=None)
        assert entry.composite_index_rank is None
        ranked = RankingEntry.objects.get(run=run, area__code=COUNTY_A, month=0, group=None)
        assert ranked.composite_index_rank == 1
        assert ranked.worse_than_last_year  # PM2.5 60 this year against 50 last year
        assert ranked.worse_than_city

    def test_a_year_with_no_data_yet_stores_an_empty_run(self, plan, stored):
        (run,) = services.scores_recompute(years=[2026], today=date(2026, 1, 1))
        assert run.as_of is None
        assert not run.snapshots.exists()

    def test_the_trend_runs_on_past_the_plan_to_the_latest_year_with_figures(self, plan, stored):
        services.scores_recompute(years=[2025, 2026], today=date(2026, 4, 1))
        city = Area.objects.get(code=CITY)
        points = selectors.trajectory(city, "pm25", public=True, plan=plan)
        assert [p.year for p in points] == list(range(2020, 2027))
        # 2025 is over but holds only Q1 data: as a whole year it has too few days (GB 3095-2012 Table 4).
        assert points[-2].actual is None
        # After the plan's end no milestone: its 2025 target does not stand for 2026.
        assert (points[-1].actual, points[-1].milestone) == (None, None)
        assert points[-2].milestone == Decimal("43")

    def test_recompute_is_idempotent_and_replaces_the_years_runs(self, plan, stored):
        services.scores_recompute(years=[2025], today=TODAY)
        first = list(ProgressSnapshot.objects.values_list("area__code", "indicator", "month", "actual", "status"))
        services.scores_recompute(years=[2025], today=TODAY)
        assert ScoreRun.objects.filter(year=2025).count() == 1
        again = list(ProgressSnapshot.objects.values_list("area__code", "indicator", "month", "actual", "status"))
        assert sorted(first, key=str) == sorted(again, key=str)

    def test_without_auto_publish_the_public_keeps_the_published_run(self, plan, stored, settings, bureau):
        services.scores_recompute(years=[2025], today=TODAY)
        published = selectors.latest_run(2025, public=True)
        settings.PROGRESS_AUTO_PUBLISH = False
        services.scores_recompute(years=[2025], today=TODAY)
        newest = selectors.latest_run(2025, public=False)
        assert newest != published
        assert selectors.latest_run(2025, public=True) == published
        services.score_run_publish(run=newest, user=bureau)
        assert selectors.latest_run(2025, public=True) == newest
        assert ScoreRun.objects.filter(year=2025).count() == 1

    def test_recompute_changes_the_cache_version(self, plan, stored, django_capture_on_commit_callbacks):
        before = page_cache.data_version()
        with django_capture_on_commit_callbacks(execute=True):
            services.scores_recompute(years=[2025], today=TODAY)
        assert page_cache.data_version() != before

    def test_the_task_recomputes_this_year(self, plan, stored, time_machine):
        time_machine.move_to("2025-04-01 03:00:00+08:00")
        ids = tasks.scores_recompute.delay().get()
        assert ScoreRun.objects.filter(pk__in=ids, year=2025).exists()


def test_a_finished_year_whose_data_stop_early_is_judged_as_a_whole_year():
    from progress.services import _year_inputs

    inputs = _year_inputs(2025, date(2025, 3, 1), date(2026, 11, 29))
    assert inputs.as_of == date(2025, 12, 31)
    assert inputs.months == list(range(1, 13))
    assert inputs.remaining_days == 0
    running = _year_inputs(2026, date(2026, 3, 1), date(2026, 3, 2))
    assert running.as_of == date(2026, 3, 1)


def test_loading_a_successor_leaves_the_predecessors_years_measured_against_its_own_targets(
    plan, stored, tmp_path, monkeypatch
):
    """The 2026-2030 plan has no 2025 milestone; 2025 is still measured against the 2021-2025 target."""
    from measures.plan_loader import plan_load
    from targets import loading
    from tests.measures.test_plan_loader import SUCCESSOR, successor_file

    successor_file(tmp_path)
    monkeypatch.setattr(loading, "FIXTURES_DIR", tmp_path)
    plan_load(fixture=SUCCESSOR)
    (run,) = services.scores_recompute(years=[2025], today=TODAY)
    assert snapshot(run, CITY, "pm25").goal == Decimal("43")
    assert snapshot(run, CITY, "good_day_ratio").goal == Decimal("63.7")


def test_a_ratios_change_on_last_year_is_in_percentage_points(plan, stored):
    """HJ 663 reports ratios; their change is a difference in points (个百分点), not a relative per cent."""
    (run,) = services.scores_recompute(years=[2025], today=TODAY)
    good = snapshot(run, CITY, "good_day_ratio")
    # Q1 2025: 58 good of 90 = 64.4 %; Q1 2024: 91 good of 91 = 100.0 %.
    assert (good.actual, good.last_year, good.change_points) == (Decimal("64.4"), Decimal("100.0"), Decimal("-35.6"))
    assert snapshot(run, CITY, "pm25").change_points is None  # a concentration changes in per cent


@pytest.mark.django_db
def test_latest_runs_picks_for_each_year_what_latest_run_picks(plan, stored):
    """The one-query read of the trend (selectors.latest_runs) follows latest_run's rule year by year."""
    services.scores_recompute(years=[2024, 2025], today=TODAY)
    services.scores_recompute(years=[2025], today=TODAY)
    for public in (False, True):
        picked = selectors.latest_runs([2023, 2024, 2025], public=public)
        expected = {y: selectors.latest_run(y, public=public) for y in (2023, 2024, 2025)}
        assert picked == {y: run for y, run in expected.items() if run is not None}


def test_a_baseline_reason_reads_in_the_readers_language(plan, bureau, stored):
    from django.utils import translation

    from areas.history import reason_shown

    target = Target.objects.get(area__code=CITY, indicator__code="good_day_ratio", target_year=2025)
    services.target_baseline_from_figures(target=target, user=bureau)
    stored_reason = target.history.first().history_change_reason
    with translation.override("en"):
        assert reason_shown(stored_reason) == "Computed from the baseline year's monitoring data: 2020"
    with translation.override("zh-hans"):
        assert reason_shown(stored_reason) == "由基准年监测数据计算：2020"
