"""Writes of progress: recomputing and publishing the stored scores, and baselines taken from the figures."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from areas import page_cache
from areas import selectors as area_selectors
from areas.models import Area, RankingGroup
from monitoring import selectors as monitoring_selectors
from monitoring.aqi import EDITION_2026, edition_for
from monitoring.dust import DustMarks
from monitoring.standards import LimitSet
from monitoring.statistics import MIN_DAYS_YEAR, Period, period_statistics, period_statistics_frame, rescore_daily
from targets import selectors as plan_selectors
from targets.models import Indicator, Plan, Target
from targets.services import target_set_baseline

from . import scoring, selectors
from .models import ProgressSnapshot, RankingEntry, ScoreRun

# Plan indicators computed from monitoring data, and further figures stored for pages and rankings.
MONITORING_FIGURES = (
    "good_day_ratio",
    "pm25",
    "heavy_day_ratio",
    "composite_index",
    "pm10",
    "so2",
    "no2",
    "co_p95",
    "o3_8h_p90",
    "valid_days",
    "good_days",
    "heavy_days",
)
REDUCTION_INDICATORS = {"nox_reduction": "nox", "vocs_reduction": "vocs"}
# History reasons "label：year", stored in the source language and shown in the reader's (areas.history).
BASELINE_REASON = gettext_noop("由基准年监测数据计算：%(reason)s")
RECORD_BASELINE_REASON = gettext_noop("取自收官数据：%(reason)s")
PUBLISHED_BASELINE_REASON = gettext_noop("取自已发布数据：%(reason)s")


def _baseline_figure(target: Target) -> Decimal:
    """The target's indicator for its area over the whole baseline year, from stored daily results."""
    year = target.baseline_year
    code = target.indicator.code
    if target.indicator.source != Indicator.Source.MONITORING:
        raise ValidationError(
            _("%(indicator)s 不是监测指标，基准值不能由监测数据计算。"), params={"indicator": target.indicator.name}
        )
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    daily = selectors.daily_results(area_codes=[target.area.code], start=start, end=end)
    stats = period_statistics(
        daily,
        start=start,
        end=end,
        kind="year",
        dust_days=selectors.dust_marks(start, end).days_for("area", target.area.code),
        dust_deducted=True,
    )
    value = getattr(stats, code, None)
    if value is None:
        raise ValidationError(
            _("%(area)s %(year)s 年的监测数据不足（有效天数 %(days)s），无法计算 %(indicator)s 的基准值。"),
            params={
                "area": target.area.name,
                "year": year,
                "days": stats.valid_days,
                "indicator": target.indicator.name,
            },
        )
    return Decimal(str(value))


def target_baseline_from_figures(*, target: Target, user: AbstractBaseUser | None) -> Target:
    """Take a target's baseline from the baseline year's stored figures (never a typed-in number)."""
    value = _baseline_figure(target)
    return target_set_baseline(
        target=target, value=value, user=user, reason=BASELINE_REASON % {"reason": target.baseline_year}
    )


def baselines_from_stored_figures(*, plan: Plan, user: AbstractBaseUser | None, overwrite: bool) -> int:
    """The plan's monitoring targets take their baseline from the figures stored for their baseline year
    (never a typed number): its figures of record where the year's plan has closed, else its published
    figures, once the year is complete. With ``overwrite`` a baseline already set is replaced too (the
    close-out of the predecessor); without, only empty ones are filled (a plan file just loaded).
    Returns how many baselines changed; each change is kept in the target's history with its source."""
    changed = 0
    targets = Target.objects.filter(plan=plan, indicator__source=Indicator.Source.MONITORING).select_related(
        "indicator", "area", "plan"
    )
    runs: dict[int, ScoreRun | None] = {}
    for target in targets:
        if target.baseline_value is not None and not overwrite:
            continue
        year = target.baseline_year
        if year not in runs:
            runs[year] = selectors.latest_run(year, public=True)
        run = runs[year]
        if run is None or run.as_of != datetime.date(year, 12, 31):
            continue
        figure = ProgressSnapshot.objects.filter(
            run=run, area=target.area, indicator=target.indicator.code, month=0, cumulative=False
        ).first()
        # A baseline is a whole year's figure: GB 3095-2012 Table 4 asks >= 324 daily values of a year.
        if figure is None or figure.actual is None or figure.valid_days < MIN_DAYS_YEAR:
            continue
        if figure.actual == target.baseline_value:
            continue
        source = RECORD_BASELINE_REASON if run.of_record else PUBLISHED_BASELINE_REASON
        target_set_baseline(target=target, value=figure.actual, user=user, reason=source % {"reason": year})
        changed += 1
    return changed


@dataclass(frozen=True)
class _YearInputs:
    year: int
    as_of: datetime.date | None
    period_complete: bool
    remaining_days: int
    months: list[int]


def _year_inputs(year: int, last_day_with_data: datetime.date | None, today: datetime.date) -> _YearInputs:
    year_end = datetime.date(year, 12, 31)
    complete = today > year_end
    as_of = min(last_day_with_data, year_end) if last_day_with_data else None
    if as_of is None or as_of.year != year:
        as_of = None
    elif complete:
        # A finished year is judged as a whole year (GB 3095-2012 Table 4: >= 324 daily values), even
        # when its data stop early: missing days then make the annual figure invalid, never a
        # year-to-date figure standing in for the year.
        as_of = year_end
    # [project rule] Days elapsed are counted to the last day with results, so allowances are never
    # given for days whose data are still to come; the remaining days are assumed valid.
    remaining = 0 if complete else (year_end - as_of).days if as_of else (year_end - datetime.date(year, 1, 1)).days + 1
    months = list(range(1, as_of.month + 1)) if as_of else []
    return _YearInputs(year, as_of, complete, remaining, months)


def _same_day_last_year(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


# A period of a run: (0, False) the year to date, (M, False) the month M, (M, True) January to the end of
# month M (1–M月, once month M is complete): the periods a monthly bulletin quotes.
PeriodKey = tuple[int, bool]
YEAR_TO_DATE: PeriodKey = (0, False)


def _periods(inputs: _YearInputs, *, last_year: bool) -> dict[PeriodKey, Period]:
    """Each period of the year (or of the same days of the year before) as a monitoring.statistics.Period."""
    assert inputs.as_of is not None
    end = _same_day_last_year(inputs.as_of) if last_year else inputs.as_of
    year = end.year
    periods: dict[PeriodKey, Period] = {
        YEAR_TO_DATE: Period.year(year) if (end.month, end.day) == (12, 31) else Period.ytd(end)
    }
    for month in inputs.months:
        whole = Period.month(year, month)
        periods[(month, False)] = whole if whole.end <= end else Period("month", whole.start, end)
        if whole.end <= end:
            periods[(month, True)] = Period.year(year) if month == 12 else Period.ytd(whole.end)
    return periods


def _stats_by_area(
    frame: pd.DataFrame,
    periods: dict[PeriodKey, Period],
    dust: DustMarks,
    limits: dict[PeriodKey, LimitSet] | None = None,
) -> dict[tuple[str, PeriodKey], dict[str, Any]]:
    """Statistics by area and period; a period two keys share (the year to date ending with a month, and
    that month's 1–M月) is computed once. ``limits``: the limits each period's composite index divides by
    (default: the period's own)."""
    if frame.empty:
        return {}
    by_limits: dict[LimitSet | None, dict[PeriodKey, Period]] = {}
    for key, period in periods.items():
        by_limits.setdefault(limits[key] if limits else None, {})[key] = period
    out: dict[tuple[str, PeriodKey], dict[str, Any]] = {}
    for period_limits, group in by_limits.items():
        keys_of: dict[tuple[str, datetime.date, datetime.date], list[PeriodKey]] = {}
        for key, period in group.items():
            keys_of.setdefault((period.kind, period.start, period.end), []).append(key)
        distinct = list(dict.fromkeys(group.values()))
        table = period_statistics_frame(
            frame,
            key="area",
            periods=distinct,
            dust_days=dust.for_statistics("area", frame["area"].astype(str).unique()),
            dust_deducted=True,
            limits=period_limits,
        )
        for row in table.to_dict("records"):
            for key in keys_of[(row["kind"], row["start"], row["end"])]:
                out[(str(row["area"]), key)] = row
    return out


def _same_day_next_year(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@dataclass(frozen=True)
class _LastYear:
    official: dict[tuple[str, PeriodKey], dict[str, Any]]
    like_for_like: dict[tuple[str, PeriodKey], dict[str, Any]]
    restated: bool


def _last_year_stats(
    frame: pd.DataFrame,
    periods_now: dict[PeriodKey, Period],
    periods_last: dict[PeriodKey, Period],
    dust: DustMarks,
) -> _LastYear:
    """Last year's figures as officially computed, and like for like with this year's (aqi-rules §7).

    Like for like: each of last year's days scored under the AQI edition in force on the same day this
    year, and each period's composite index divided by the limits of this year's period. Days whose rules
    do not change keep their stored AQI. Before 2026 and from 2027 on both are the same figures.
    """
    official = _stats_by_area(frame, periods_last, dust)
    if frame.empty:
        return _LastYear(official, official, False)
    dates = pd.to_datetime(frame["date"]).dt.date
    wanted = (dates.map(lambda day: edition_for(_same_day_next_year(day))) == EDITION_2026).to_numpy()
    stored = (frame["edition"].astype(str) == EDITION_2026).to_numpy()
    limits_now = {key: period.limits for key, period in periods_now.items()}
    if (wanted == stored).all() and all(limits_now[key] == periods_last[key].limits for key in periods_last):
        return _LastYear(official, official, False)
    changed = wanted != stored
    restated_frame = frame.copy()
    if changed.any():
        rescored = rescore_daily(frame[changed], wanted[changed])
        restated_frame = pd.concat([frame[~changed], rescored]).sort_index()
    like = _stats_by_area(restated_frame, periods_last, dust, limits_now)
    return _LastYear(official, like, True)


def _figure(row: dict[str, Any] | None, code: str) -> Decimal | None:
    if row is None:
        return None
    value = row.get(code)
    if value is None or (isinstance(value, float) and value != value):
        return None
    return scoring.reported(value, code)


def _goal(target: Target | None, year: int) -> Decimal | None:
    """The yearly milestone; after the plan's target year the target itself; before the plan none."""
    if target is None:
        return None
    if year >= target.target_year:
        return Decimal(target.value)
    for milestone in target.milestones.all():
        if milestone.year == year:
            return None if milestone.value is None else Decimal(milestone.value)
    return None


def _pm25_so_far(frame: pd.DataFrame, area: str, inputs: _YearInputs, dust: DustMarks) -> tuple[int, int]:
    """Days with a PM2.5 daily value so far this year (dust days deducted) and their sum (integers, µg/m³)."""
    if frame.empty or inputs.as_of is None:
        return 0, 0
    dates = pd.to_datetime(frame["date"]).dt.date
    rows = frame[
        (frame["area"].astype(str) == area)
        & (dates >= datetime.date(inputs.year, 1, 1))
        & (dates <= inputs.as_of)
        & ~dates.isin(dust.days_for("area", area))
        & frame["pm25"].notna()
    ]
    return len(rows), int(rows["pm25"].astype("int64").sum())


def _snapshots_for_area(
    *,
    run: ScoreRun,
    area: Area,
    inputs: _YearInputs,
    keys: list[PeriodKey],
    stats: dict[tuple[str, PeriodKey], dict[str, Any]],
    last_year: _LastYear,
    targets: dict[str, Target],
    directions: dict[str, str],
    pm25_so_far: tuple[int, int],
    reductions: dict[str, tuple[Decimal, Decimal | None]],
) -> list[ProgressSnapshot]:
    rows: list[ProgressSnapshot] = []
    for key in keys:
        current = stats.get((area.code, key))
        previous = last_year.like_for_like.get((area.code, key))
        previous_official = last_year.official.get((area.code, key))
        valid_days = int(current["valid_days"]) if current else 0
        for code in MONITORING_FIGURES:
            actual = _figure(current, code)
            base = _figure(previous, code)
            snapshot = ProgressSnapshot(
                run=run,
                area=area,
                month=key[0],
                cumulative=key[1],
                indicator=code,
                actual=actual,
                last_year=base,
                last_year_official=_figure(previous_official, code),
                change_percent=scoring.change_percent(current=actual, previous=base),
                valid_days=valid_days,
            )
            target = targets.get(code)
            if key == YEAR_TO_DATE and target is not None:
                _apply_goal(snapshot, target, inputs, valid_days, current, pm25_so_far)
            rows.append(snapshot)
    for code, (actual, last_year) in reductions.items():
        target = targets.get(code)
        goal = _goal(target, inputs.year)
        status = ""
        if target is not None:
            status = scoring.indicator_status(
                indicator=code,
                direction=directions[code],  # type: ignore[arg-type]
                actual=actual,
                milestone=goal,
                valid_days=scoring.MIN_VALID_DAYS_FOR_STATUS,  # tonnes, not days: the day rule does not apply
                period_complete=inputs.period_complete,
            ).value
        rows.append(
            ProgressSnapshot(
                run=run,
                area=area,
                month=0,
                indicator=code,
                actual=actual,
                goal=goal,
                last_year=last_year,
                last_year_official=last_year,
                change_percent=scoring.change_percent(current=actual, previous=last_year),
                status=status,
            )
        )
    return rows


def _apply_goal(
    snapshot: ProgressSnapshot,
    target: Target,
    inputs: _YearInputs,
    valid_days: int,
    current: dict[str, Any] | None,
    pm25_so_far: tuple[int, int],
) -> None:
    """Fill goal, status and remaining allowance of a plan indicator's year-to-date snapshot."""
    code = snapshot.indicator
    goal = _goal(target, inputs.year)
    snapshot.goal = goal
    secured = out_of_reach = False
    if goal is not None and not inputs.period_complete:
        good = int(current["good_days"]) if current else 0
        heavy = int(current["heavy_days"]) if current else 0
        kind = snapshot.allowance_kind
        if kind == "polluted_days":
            days = scoring.good_day_allowance(
                target_ratio=goal, valid_days=valid_days, good_days=good, remaining_days=inputs.remaining_days
            )
            snapshot.allowance_days, secured, out_of_reach = days.allowed, days.secured, days.out_of_reach
        elif kind == "heavy_days":
            days = scoring.heavy_day_allowance(
                target_ratio=goal, valid_days=valid_days, heavy_days=heavy, remaining_days=inputs.remaining_days
            )
            snapshot.allowance_days, secured, out_of_reach = days.allowed, days.secured, days.out_of_reach
        elif kind == "mean_needed":
            count, total = pm25_so_far
            mean = scoring.mean_allowance(
                target=goal, days_so_far=count, sum_so_far=total, remaining_days=inputs.remaining_days
            )
            snapshot.allowance_mean, out_of_reach = mean.needed_mean, mean.out_of_reach
    snapshot.out_of_reach = out_of_reach
    snapshot.status = scoring.indicator_status(
        indicator=code,
        direction=target.indicator.direction,  # type: ignore[arg-type]
        actual=snapshot.actual,
        milestone=goal,
        valid_days=valid_days,
        period_complete=inputs.period_complete,
        secured=secured,
        out_of_reach=out_of_reach,
    ).value


def _rankings(
    *,
    run: ScoreRun,
    counties: list[Area],
    city: Area,
    keys: list[PeriodKey],
    stats: dict[tuple[str, PeriodKey], dict[str, Any]],
    stats_last_year: dict[tuple[str, PeriodKey], dict[str, Any]],
    shares: dict[str, Decimal | None],
) -> list[RankingEntry]:
    by_code = {a.code: a for a in counties}
    stations = {row.area.code: {s.code for s in row.stations} for row in monitoring_selectors.assessment_table()}
    city_stations = stations.get(city.code, set())
    as_city = {a.code for a in counties if city_stations and stations.get(a.code) == city_stations}
    # Every unit is ranked among all the units, and within each ranking group among its members (ranks,
    # points and scores are the group's own: rank points depend on how many are ranked).
    groups: list[tuple[RankingGroup | None, list[Area]]] = [(None, counties)]
    for group in RankingGroup.objects.prefetch_related("members").order_by("sort_order", "code"):
        member_ids = {m.pk for m in group.members.all()}
        members = [a for a in counties if a.pk in member_ids]
        if members:
            groups.append((group, members))
    entries: list[RankingEntry] = []
    for key in keys:
        city_index = _figure(stats.get((city.code, key)), "composite_index")
        for group, members in groups:
            inputs_rows = [
                scoring.AreaInputs(
                    code=county.code,
                    composite_index=_figure(stats.get((county.code, key)), "composite_index"),
                    pm25=_figure(stats.get((county.code, key)), "pm25"),
                    composite_index_last_year=_figure(stats_last_year.get((county.code, key)), "composite_index"),
                    measures_on_time_share=shares.get(county.code) if key == YEAR_TO_DATE else None,
                    assessed_as_city=county.code in as_city,
                )
                for county in members
            ]
            for row in scoring.rank_areas(inputs_rows, city_composite_index=city_index):
                entries.append(
                    RankingEntry(
                        run=run,
                        area=by_code[row.code],
                        month=key[0],
                        cumulative=key[1],
                        group=group,
                        composite_index=row.composite_index,
                        composite_index_rank=row.composite_index_rank,
                        pm25=row.pm25,
                        pm25_rank=row.pm25_rank,
                        improvement=row.improvement,
                        improvement_rank=row.improvement_rank,
                        measures_on_time=row.measures_on_time,
                        score=row.score,
                        score_rank=row.score_rank,
                        worse_than_city=row.worse_than_city,
                        worse_than_last_year=row.worse_than_last_year,
                    )
                )
    return entries


def _tonnes(table: dict[tuple[str, str], Decimal], pollutant: str, area: Area) -> Decimal:
    """Approved tonnes of a pollutant for an area; the city's are the sum over all areas."""
    return sum(
        (v for (code, p), v in table.items() if p == pollutant and (area.is_city or code == area.code)), Decimal(0)
    )


def _last_day_with_data(frame: pd.DataFrame, city_code: str) -> datetime.date | None:
    """The city's last day with a stored result (any area's when the city has none)."""
    if frame.empty:
        return None
    dates = pd.to_datetime(frame["date"]).dt.date
    city_dates = dates[frame["area"].astype(str) == city_code]
    return max(city_dates) if len(city_dates) else max(dates)


def _flavour(frame: pd.DataFrame) -> str:
    if frame.empty or "flavour" not in frame.columns:
        return ""
    flavours = set(frame["flavour"].dropna().astype(str))
    return flavours.pop() if len(flavours) == 1 else "mixed"


@transaction.atomic
def scores_recompute(*, years: Iterable[int] | None = None, today: datetime.date | None = None) -> list[ScoreRun]:
    """Recompute and store the progress figures of the given years (default: baseline year to this year).

    Idempotent: each run replaces the year's earlier runs, keeping the latest published run until a
    newer one is published (the public keeps seeing published figures), every publication and figure of
    record for good, and any run a document quotes (``ScoreRun.RETAINED``). Published at once when
    settings.PROGRESS_AUTO_PUBLISH is on. Invalidates the cached progress pages.
    """
    first_year = plan_selectors.earliest_baseline_year()
    if first_year is None:
        return []
    today = today or timezone.localdate()
    year_list = sorted(set(years) if years is not None else range(first_year, today.year + 1))
    if not year_list:
        return []
    areas = area_selectors.ranked_areas()
    city = next((a for a in areas if a.kind == Area.Kind.CITY), None)
    if city is None:
        return []
    counties = [a for a in areas if a.is_assessment_unit]
    codes = [a.code for a in areas]
    start, end = datetime.date(year_list[0] - 1, 1, 1), min(datetime.date(year_list[-1], 12, 31), today)
    frame = selectors.daily_results(area_codes=codes, start=start, end=end)
    dust = selectors.dust_marks(start, end)
    updated_at = selectors.results_last_updated()
    directions = plan_selectors.indicator_directions()
    auto_publish = bool(getattr(settings, "PROGRESS_AUTO_PUBLISH", True))
    dates = pd.to_datetime(frame["date"]).dt.date if not frame.empty else pd.Series([], dtype=object)
    runs: list[ScoreRun] = []
    # Each year against its own plan: loading a successor never changes how the years of its
    # predecessor are measured (targets.selectors.plans_for_years). Each plan's targets are read once.
    plans = plan_selectors.plans_for_years(year_list)
    targets_of: dict[int, dict[tuple[int, str], Target]] = {
        plan.pk: {(t.area_id, t.indicator.code): t for t in plan_selectors.plan_end_targets(plan, areas)}
        for plan in {p for p in plans.values() if p is not None}
    }
    for year in year_list:
        plan = plans[year]
        # A year no plan governs keeps its figures, without goals or the plan's reductions.
        targets = targets_of[plan.pk] if plan is not None else {}
        in_year = frame[(dates >= datetime.date(year, 1, 1)) & (dates <= datetime.date(year, 12, 31))]
        last_day = _last_day_with_data(in_year, city.code)
        inputs = _year_inputs(year, last_day, today)
        periods = _periods(inputs, last_year=False) if inputs.as_of is not None else {}
        last_year = _LastYear({}, {}, False)
        if inputs.as_of is not None:
            last_year_frame = frame[
                (dates >= datetime.date(year - 1, 1, 1)) & (dates <= datetime.date(year - 1, 12, 31))
            ]
            last_year = _last_year_stats(last_year_frame, periods, _periods(inputs, last_year=True), dust)
        run = ScoreRun.objects.create(
            year=year,
            plan=plan,
            as_of=inputs.as_of,
            flavour=_flavour(in_year),
            editions=periods[YEAR_TO_DATE].edition if periods else "",
            composite_limits=periods[YEAR_TO_DATE].limits.code if periods else "",
            last_year_restated=last_year.restated,
            data_updated_at=updated_at,
            published_at=timezone.now() if auto_publish else None,
        )
        snapshots: list[ProgressSnapshot] = []
        rankings: list[RankingEntry] = []
        if inputs.as_of is not None:
            stats = _stats_by_area(in_year, periods, dust)
            reductions_now: dict[tuple[str, str], Decimal] = {}
            reductions_before: dict[tuple[str, str], Decimal] = {}
            if plan is not None:
                reductions_now = selectors.reduction_tonnes(plan=plan, through_year=year)
                reductions_before = selectors.reduction_tonnes(plan=plan, through_year=year - 1)
            shares = selectors.measures_on_time_shares(year=year, as_of=inputs.as_of)
            for area in areas:
                area_targets = {code: t for (area_id, code), t in targets.items() if area_id == area.pk}
                reductions: dict[str, tuple[Decimal, Decimal | None]] = {}
                if plan is not None:
                    for code, pollutant in REDUCTION_INDICATORS.items():
                        before = _tonnes(reductions_before, pollutant, area) if year > plan.start_year else None
                        reductions[code] = (_tonnes(reductions_now, pollutant, area), before)
                snapshots += _snapshots_for_area(
                    run=run,
                    area=area,
                    inputs=inputs,
                    keys=list(periods),
                    stats=stats,
                    last_year=last_year,
                    targets=area_targets,
                    directions=directions,
                    pm25_so_far=_pm25_so_far(in_year, area.code, inputs, dust),
                    reductions=reductions,
                )
            rankings = _rankings(
                run=run,
                counties=counties,
                city=city,
                keys=list(periods),
                stats=stats,
                stats_last_year=last_year.like_for_like,
                shares=shares,
            )
        ProgressSnapshot.objects.bulk_create(snapshots)
        RankingEntry.objects.bulk_create(rankings)
        # Keep this run and the latest published one; older runs of the year are superseded.
        keep = {run.pk}
        published = (
            ScoreRun.objects.filter(year=year, published_at__isnull=False).order_by("-published_at", "-id").first()
        )
        if published is not None:
            keep.add(published.pk)
        ScoreRun.objects.filter(year=year).exclude(pk__in=keep).exclude(ScoreRun.RETAINED).delete()
        runs.append(run)
    page_cache.data_changed()
    return runs


@transaction.atomic
def score_run_publish(*, run: ScoreRun, user: AbstractBaseUser | None) -> ScoreRun:
    """Publish a run (发布): the public pages and API show it from now on, and it is a publication, kept
    for good as it is; older runs of its year that are neither publications nor figures of record go."""
    run = ScoreRun.objects.select_for_update().get(pk=run.pk)
    if not run.publication:
        run.publication = True
        run.published_at = run.published_at or timezone.now()
        run.published_by = user  # type: ignore[assignment]
        run.full_clean()
        run.save(update_fields=["publication", "published_at", "published_by"])
    ScoreRun.objects.filter(year=run.year, computed_at__lt=run.computed_at).exclude(ScoreRun.RETAINED).delete()
    page_cache.data_changed()
    return run


def figures_of_record_fix(plan: Plan) -> list[ScoreRun]:
    """The latest published run of each year of the plan becomes a figure of record: kept through every
    later recompute, which stores its result beside it as a revision. Part of progress.closeout.plan_close.

    Refused while the plan's final year has figures but none published: the bureau publishes (or
    recomputes) first, so that what is kept is what the public was shown.
    """
    runs = ScoreRun.objects.filter(plan=plan, year__gte=plan.start_year, year__lte=plan.end_year)
    final = runs.filter(year=plan.end_year)
    if final.exists() and not final.filter(published_at__isnull=False).exists():
        raise ValidationError(_("%(year)s 年进展数据尚未发布：请先发布，再收官。") % {"year": plan.end_year})
    fixed = []
    for year in range(plan.start_year, plan.end_year + 1):
        run = runs.filter(year=year, published_at__isnull=False).order_by("-published_at", "-id").first()
        if run is not None:
            run.of_record = True
            run.save(update_fields=["of_record"])
            fixed.append(run)
    page_cache.data_changed()
    return fixed
