"""Reads of progress: the inputs from monitoring and measures, and the stored scores pages and the API show."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pandas as pd
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import F, QuerySet
from django.utils import timezone

from areas import roles
from areas import selectors as area_selectors
from areas.models import Area, RankingGroup
from measures import selectors as measures_selectors
from monitoring import selectors as monitoring_selectors
from monitoring.dust import DustMarks
from targets import selectors as plan_selectors
from targets.models import Indicator, Plan

from .models import ProgressSnapshot, RankingEntry, ScoreRun


def daily_results(*, area_codes: Sequence[str] | None, start: date, end: date) -> pd.DataFrame:
    """Stored daily results (monitoring.selectors.daily_results_frame): area, date, aqi, category, pm25 …"""
    return monitoring_selectors.daily_results_frame(area_codes=area_codes, start=start, end=end)


def results_last_updated() -> datetime | None:
    return monitoring_selectors.results_last_updated()


def dust_marks(start: date, end: date) -> DustMarks:
    return monitoring_selectors.dust_marks(start, end)


def measures_on_time_shares(*, year: int, as_of: date) -> dict[str, Decimal | None]:
    """Area code -> share (0-1) of assignments due by as_of that were approved on time (measures workflow)."""
    return {code: c.share for code, c in measures_selectors.measure_completion_by_area(year=year, as_of=as_of).items()}


def reduction_tonnes(*, plan: Plan, through_year: int) -> dict[tuple[str, str], Decimal]:
    """(area code, 'nox'|'vocs') -> the plan's approved verified tonnes that took effect from its first year
    to through_year."""
    return measures_selectors.reduction_totals(plan=plan, through_year=through_year)


def sees_unpublished(user: AbstractBaseUser | AnonymousUser, area: Area) -> bool:
    """Who may see an area's figures before they are published: bureau staff, and the area's own officials.
    Everyone else sees published figures only. Pages, the API and the exports all ask here."""
    if roles.is_bureau_staff(user):
        return True
    own = roles.official_area(user)
    return own is not None and own.pk == area.pk


@dataclass(frozen=True)
class VisibleRuns:
    """The runs of a year a user may see: for each area the latest one if they see its unpublished figures,
    else the latest published one; ``shown`` is the run whose data cut-off and flavour an answer states."""

    year: int
    shown: ScoreRun
    by_area: dict[int, ScoreRun]


def visible_runs(
    user: AbstractBaseUser | AnonymousUser, *, year: int | None, areas: Sequence[Area], plan: Plan | None = None
) -> VisibleRuns | None:
    """The one decision of which stored run each area's figures come from, for this user (default year:
    the latest they may see, of ``plan`` when given). None when they may see no figures of that year."""
    staff = roles.is_bureau_staff(user)
    if year is None:
        year = latest_year(public=not staff, plan=plan)
    if year is None:
        return None
    public_run = latest_run(year, public=True)
    private_run = latest_run(year, public=False) if staff or roles.official_area(user) is not None else None
    by_area = {}
    for area in areas:
        run = private_run if sees_unpublished(user, area) else public_run
        if run is not None:
            by_area[area.pk] = run
    shown = private_run if staff else public_run or private_run
    if shown is None or not by_area:
        return None
    return VisibleRuns(year=year, shown=shown, by_area=by_area)


def visible_progress(visible: VisibleRuns, areas: Sequence[Area]) -> list[tuple[AreaProgress, RankingEntry | None]]:
    """Each area's progress and league-table entry from the run this user may see, in ``areas`` order; read
    once per run (at most two: the latest and the latest published), not once per area."""
    by_run: dict[int, list[Area]] = {}
    for area in areas:
        if area.pk in visible.by_area:
            by_run.setdefault(visible.by_area[area.pk].pk, []).append(area)
    found: dict[int, tuple[AreaProgress, RankingEntry | None]] = {}
    for members in by_run.values():
        run = visible.by_area[members[0].pk]
        entries = {e.area_id: e for e in ranking(run)}
        for item in area_progress(run, members):
            found[item.area.pk] = (item, entries.get(item.area.pk))
    return [found[area.pk] for area in areas if area.pk in found]


@dataclass(frozen=True)
class GroupPlace:
    """A unit's place within one ranking group, out of ``ranked`` units the group ranked in that run."""

    entry: RankingEntry
    ranked: int


def group_rankings(run: ScoreRun, *, month: int = 0, cumulative: bool = False) -> dict[int, list[GroupPlace]]:
    """Each unit's places within its ranking groups for a run's period, by area id (one query)."""
    entries = list(
        RankingEntry.objects.filter(run=run, month=month, cumulative=cumulative, group__isnull=False)
        .select_related("group")
        .order_by("group__sort_order", "group__code")
    )
    sizes: dict[int | None, int] = {}
    for entry in entries:
        sizes[entry.group_id] = sizes.get(entry.group_id, 0) + 1
    result: dict[int, list[GroupPlace]] = {}
    for entry in entries:
        result.setdefault(entry.area_id, []).append(GroupPlace(entry, sizes[entry.group_id]))
    return result


def latest_run(year: int, *, public: bool) -> ScoreRun | None:
    """The run pages show for a year: its figures of record once its plan has closed; else the latest run
    for staff and the latest published one for the public."""
    runs = ScoreRun.objects.filter(year=year).select_related("plan")
    of_record = runs.filter(of_record=True).first()
    if of_record is not None:
        return of_record
    return _newest(runs, public=public)


def _newest(runs: QuerySet[ScoreRun], *, public: bool) -> ScoreRun | None:
    if public:
        return runs.filter(published_at__isnull=False).order_by("-published_at", "-id").first()
    return runs.order_by("-computed_at", "-id").first()


def latest_runs(years: Iterable[int], *, public: bool) -> dict[int, ScoreRun]:
    """``latest_run`` of several years in one query, by the same rule: the figures of record, else the newest
    run (the newest published one for the public)."""
    by_year: dict[int, list[ScoreRun]] = {}
    for run in ScoreRun.objects.filter(year__in=list(years)).select_related("plan"):
        by_year.setdefault(run.year, []).append(run)
    result: dict[int, ScoreRun] = {}
    for year, runs in by_year.items():
        of_record = [r for r in runs if r.of_record]
        if of_record:  # the model's order: the newest computed first
            result[year] = max(of_record, key=lambda r: (r.computed_at, r.id))
        elif public:
            published = [r for r in runs if r.published_at is not None]
            if published:
                result[year] = max(published, key=lambda r: (r.published_at, r.id))
        else:
            result[year] = max(runs, key=lambda r: (r.computed_at, r.id))
    return result


def last_complete_month() -> str:
    """``YYYY-MM`` of the last month before this one (China time): the bulletin usually asked for."""
    today = timezone.localdate()
    previous = today.replace(day=1) - timedelta(days=1)
    return f"{previous.year}-{previous.month:02d}"


def publication(pk: int) -> ScoreRun | None:
    """A run kept for good (a publication or a figure of record), which anyone may see as it was."""
    return (
        ScoreRun.objects.filter(ScoreRun.KEPT_FOR_GOOD, pk=pk, published_at__isnull=False)
        .select_related("plan")
        .first()
    )


def publications() -> QuerySet[ScoreRun]:
    """Every run kept for good, newest publication first (public: each was published)."""
    return (
        ScoreRun.objects.filter(ScoreRun.KEPT_FOR_GOOD, published_at__isnull=False)
        .select_related("plan")
        .order_by("-published_at", "-id")
    )


def revision_run(run: ScoreRun, *, public: bool) -> ScoreRun | None:
    """A figure of record's revision: the newest run of its year computed after it (published, for the
    public), shown beside the figures of record and never in their place."""
    if not run.of_record:
        return None
    later = ScoreRun.objects.filter(year=run.year, of_record=False, computed_at__gt=run.computed_at)
    return _newest(later.select_related("plan"), public=public)


#: The city's figures a document's revision note compares: its headline figures.
DOCUMENT_FIGURES = (
    "composite_index",
    "pm25",
    "pm10",
    "so2",
    "no2",
    "co_p95",
    "o3_8h_p90",
    "good_day_ratio",
    "heavy_day_ratio",
)


@dataclass(frozen=True)
class FigureChange:
    indicator: str
    published: Decimal | None
    now: Decimal | None


@dataclass(frozen=True)
class DocumentRevision:
    """Newer figures beside an archived document: the newest run of its year (published, for the public)
    computed after the one it quotes, and the city's headline figures that differ."""

    run: ScoreRun
    changes: list[FigureChange]


def document_revisions(documents: Sequence[Any], *, public: bool) -> dict[int, DocumentRevision]:
    """Document pk -> its revision, for the documents whose figures changed since (none for the others).

    A bulletin is compared on its 1–M月 figures, an evaluation on its year's figures; one read of the city,
    of the newest run of each year, and of the snapshots of every run involved."""
    city = area_selectors.city_area()
    if city is None or not documents:
        return {}
    newest = latest_runs({d.run.year for d in documents}, public=public)
    newer_of = {
        d.pk: newest[d.run.year]
        for d in documents
        if d.run.year in newest and newest[d.run.year].computed_at > d.run.computed_at
    }
    if not newer_of:
        return {}
    rows = ProgressSnapshot.objects.filter(
        run__in={d.run_id for d in documents if d.pk in newer_of} | {r.pk for r in newer_of.values()},
        area=city,
        indicator__in=DOCUMENT_FIGURES,
    ).values_list("run_id", "month", "cumulative", "indicator", "actual")
    figures: dict[tuple[int, int, bool], dict[str, Decimal | None]] = {}
    for run_id, month, cumulative, code, actual in rows:
        figures.setdefault((run_id, month, cumulative), {})[code] = actual
    revisions = {}
    for document in documents:
        newer = newer_of.get(document.pk)
        if newer is None:
            continue
        period = (0, False) if document.kind == "evaluation" else (document.month, True)
        before, after = figures.get((document.run_id, *period), {}), figures.get((newer.pk, *period), {})
        changes = [
            FigureChange(code, before[code], after[code])
            for code in DOCUMENT_FIGURES
            if code in before and code in after and before[code] != after[code]
        ]
        if changes:
            revisions[document.pk] = DocumentRevision(newer, changes)
    return revisions


def document_revision(document: Any, *, public: bool) -> DocumentRevision | None:
    """Newer figures beside one archived document (``document_revisions`` of a list of one)."""
    return document_revisions([document], public=public).get(document.pk)


def run_years(*, public: bool, plan: Plan | None = None) -> list[int]:
    """Years with stored figures, latest first (only those measured against ``plan`` when given)."""
    runs = ScoreRun.objects.all()
    if public:
        runs = runs.filter(published_at__isnull=False)
    if plan is not None:
        runs = runs.filter(plan=plan)
    return sorted(set(runs.values_list("year", flat=True)), reverse=True)


def latest_year(*, public: bool, plan: Plan | None = None) -> int | None:
    years = run_years(public=public, plan=plan)
    return years[0] if years else None


PLAN_INDICATOR_FIGURES = ("good_day_ratio", "pm25", "heavy_day_ratio", "nox_reduction", "vocs_reduction")


@dataclass(frozen=True)
class ProgressRow:
    """One plan indicator of one area in one run, as pages, the API and exports show it."""

    indicator: Indicator
    snapshot: ProgressSnapshot


@dataclass(frozen=True)
class AreaProgress:
    area: Area
    run: ScoreRun
    rows: list[ProgressRow]
    figures: dict[str, ProgressSnapshot]
    """Every stored year-to-date figure by code (composite_index, valid_days …)."""


def area_progress(run: ScoreRun, areas: Sequence[Area]) -> list[AreaProgress]:
    """Year-to-date progress of each area in a run: plan indicators in plan order, then the other figures."""
    indicators = plan_selectors.indicators_by_code()
    snapshots = ProgressSnapshot.objects.filter(run=run, month=0, cumulative=False, area__in=areas)
    by_area: dict[int, dict[str, ProgressSnapshot]] = {}
    for snapshot in snapshots:
        snapshot.run = run  # the run is known: no query per snapshot for its status label
        by_area.setdefault(snapshot.area_id, {})[snapshot.indicator] = snapshot
    result = []
    for area in areas:
        figures = by_area.get(area.pk, {})
        rows = [
            ProgressRow(indicator=indicators[code], snapshot=figures[code])
            for code in sorted(figures, key=lambda c: indicators[c].sort_order if c in indicators else 99)
            if code in indicators
        ]
        result.append(AreaProgress(area=area, run=run, rows=rows, figures=figures))
    return result


def ranking(
    run: ScoreRun, *, month: int = 0, group: RankingGroup | None = None, cumulative: bool = False
) -> list[RankingEntry]:
    """The league table of a run's period (the year to date, a month, or with ``cumulative`` 1–M月): all the
    assessment units, or one ranking group's members ranked among themselves."""
    return list(
        RankingEntry.objects.filter(run=run, month=month, cumulative=cumulative, group=group)
        .select_related("area")
        .order_by(F("score_rank").asc(nulls_last=True), "area__sort_order")
    )


@dataclass(frozen=True)
class TrajectoryPoint:
    year: int
    actual: Decimal | None
    milestone: Decimal | None
    partial: bool
    """True for a year still in progress (year to date)."""


def trajectories(
    area: Area, indicators: Sequence[str], *, public: bool, plan: Plan, years_with_figures: Sequence[int] | None = None
) -> dict[str, list[TrajectoryPoint]]:
    """Each indicator from the plan's baseline year to its end, or on to the latest year with figures: each
    year's figure and the plan's milestone (none outside the plan's period: no plan's targets stand beyond
    its end). Read in four queries whatever the number of indicators; ``years_with_figures``: the
    ``run_years`` the caller has already read."""
    milestones: dict[str, dict[int, Decimal]] = {code: {} for code in indicators}
    for target in plan_selectors.plan_end_targets(plan, [area]).filter(indicator__code__in=indicators):
        code = target.indicator.code
        milestones[code] = {m.year: m.value for m in target.milestones.all()}
        milestones[code][target.target_year] = target.value
        if target.baseline_value is not None:
            milestones[code][target.baseline_year] = target.baseline_value
    known = run_years(public=public) if years_with_figures is None else years_with_figures
    years = range(plan.baseline_year, max([plan.end_year, *known]) + 1)
    runs = latest_runs(years, public=public)
    snapshots = {
        (s.run_id, s.indicator): s
        for s in ProgressSnapshot.objects.filter(
            run__in=[r.pk for r in runs.values()], area=area, indicator__in=indicators, month=0, cumulative=False
        )
    }
    result: dict[str, list[TrajectoryPoint]] = {}
    for code in indicators:
        points = []
        for year in years:
            run = runs.get(year)
            snapshot = snapshots.get((run.pk, code)) if run else None
            points.append(
                TrajectoryPoint(
                    year=year,
                    actual=snapshot.actual if snapshot else None,
                    milestone=milestones[code].get(year),
                    partial=bool(run and run.as_of and run.as_of < date(year, 12, 31)),
                )
            )
        result[code] = points
    return result


def trajectory(area: Area, indicator: str, *, public: bool, plan: Plan) -> list[TrajectoryPoint]:
    """``trajectories`` of one indicator."""
    return trajectories(area, [indicator], public=public, plan=plan)[indicator]


@dataclass(frozen=True)
class CalendarDay:
    day: date
    aqi: int | None
    category: int | None
    """None on an invalid day (too few hours: no AQI, HJ 633 §5)."""


def calendar_days(*, code: str, year: int) -> list[CalendarDay]:
    """Daily AQI and category of an area (or a station, by its code) for a calendar year, in date order."""
    frame = daily_results(area_codes=[code], start=date(year, 1, 1), end=date(year, 12, 31))
    if frame.empty:
        return []
    frame = frame.sort_values("date")

    def optional(value: Any) -> int | None:
        return None if pd.isna(value) else int(value)

    return [
        CalendarDay(day=pd.Timestamp(day).date(), aqi=optional(aqi), category=optional(category))
        for day, aqi, category in zip(frame["date"], frame["aqi"], frame["category"], strict=True)
    ]


@dataclass(frozen=True)
class ProgressPage:
    """Everything a progress page shows for one area and year, read from one stored run."""

    year: int | None
    years: list[int]
    run: ScoreRun | None
    plan: Plan | None
    """The plan the shown year is measured against; None when no plan governs it (then no goals)."""
    trend_plan: Plan | None
    """The plan whose baseline and milestones the trends show: the shown year's, else the latest plan."""
    area: Area
    progress: AreaProgress | None
    ranking: list[RankingEntry]
    rank: RankingEntry | None
    trajectories: dict[str, list[TrajectoryPoint]]
    monthly: dict[str, list[ProgressSnapshot]]
    """This year's monthly figures by indicator code (the run's months)."""
    monthly_last_year: dict[str, list[Decimal | None]]

    @property
    def year_complete(self) -> bool:
        """The shown year is over: its figures are the whole year's, and a status is met or not met."""
        return self.run is not None and self.run.year_complete

    revision: ScoreRun | None = None
    """When the shown run is a closed plan's figures of record, or a past publication asked for by name: the
    newer run of its year (a data revision), shown beside it."""
    shown: ScoreRun | None = None
    """A past publication shown as it was (``?run=``), instead of the year's current figures."""
    revised: dict[str, ProgressSnapshot] | None = None
    """The revision's year-to-date figures of the area that differ from the figures of record, by code."""
    has_stations: bool = True
    """Whether any station assesses the area (monitoring.AssessmentStation): without one it has no air figures."""
    group: RankingGroup | None = None
    """The ranking group ``ranking`` is ranked within (None: all the assessment units)."""
    groups: tuple[RankingGroup, ...] = ()
    group_places: tuple[GroupPlace, ...] = ()
    league_run: ScoreRun | None = None
    """The run the league table and ranks come from: ``run``, or the latest published one when the reader
    sees only their own area's unpublished figures (``progress_page(others_public=True)``)."""

    @property
    def league_is_older(self) -> bool:
        return self.league_run is not None and self.run is not None and self.league_run.pk != self.run.pk

    """The area's places within each ranking group it is in."""


TREND_FIGURES = ("good_day_ratio", "pm25", "heavy_day_ratio", "composite_index")


def progress_page(
    *,
    area: Area,
    year: int | None,
    public: bool,
    month: int = 0,
    group: RankingGroup | None = None,
    shown: ScoreRun | None = None,
    others_public: bool = False,
) -> ProgressPage:
    """The page of ``area`` for ``year`` (default the latest with figures), or, with ``shown`` (a publication,
    ``publication``), that publication as it was with the year's current figures beside it.

    ``others_public``: the league table and the ranks, which show every area's figures, come from the latest
    published run even when ``area``'s own figures may be unpublished (a county's own official sees their
    county's new figures, never another county's)."""
    years = run_years(public=public)
    if shown is not None:
        year = shown.year
    elif year is None or year not in years:
        year = years[0] if years else None
    run = shown or (latest_run(year, public=public) if year is not None else None)
    plan = run.plan if run is not None else None
    trend_plan = plan or plan_selectors.current_plan()
    progress = area_progress(run, [area])[0] if run else None
    league_run = run
    if others_public and shown is None and run is not None and run.published_at is None and not run.of_record:
        league_run = latest_run(year, public=True) if year is not None else None
    overall = ranking(league_run, month=month) if league_run else []
    entries = ranking(league_run, month=month, group=group) if league_run and group else overall
    monthly: dict[str, list[ProgressSnapshot]] = {}
    monthly_last: dict[str, list[Decimal | None]] = {}
    if run is not None:
        for snapshot in ProgressSnapshot.objects.filter(
            run=run, area=area, indicator__in=TREND_FIGURES, month__gte=1, cumulative=False
        ).order_by("month"):
            monthly.setdefault(snapshot.indicator, []).append(snapshot)
        monthly_last = {code: [s.last_year for s in rows] for code, rows in monthly.items()}
    figures_over_years = (
        trajectories(area, PLAN_INDICATOR_FIGURES[:3], public=public, plan=trend_plan, years_with_figures=years)
        if trend_plan
        else {}
    )
    if shown is not None:
        current = latest_run(shown.year, public=public)
        newer = current is not None and (current.computed_at, current.pk) > (shown.computed_at, shown.pk)
        revision = current if newer else None
    else:
        revision = revision_run(run, public=public) if run is not None else None
    revised: dict[str, ProgressSnapshot] = {}
    if revision is not None and progress is not None:
        (newer,) = area_progress(revision, [area])
        revised = {
            code: snapshot
            for code, snapshot in newer.figures.items()
            if code in progress.figures and snapshot.actual != progress.figures[code].actual
        }
    return ProgressPage(
        revision=revision,
        revised=revised,
        shown=shown,
        year=year,
        years=years,
        run=run,
        plan=plan,
        trend_plan=trend_plan,
        area=area,
        progress=progress,
        ranking=entries,
        rank=next((e for e in overall if e.area_id == area.pk), None),
        trajectories=figures_over_years,
        monthly=monthly,
        monthly_last_year=monthly_last,
        has_stations=bool(monitoring_selectors.assessment_stations(area.code)),
        group=group,
        groups=tuple(RankingGroup.objects.order_by("sort_order", "code")),
        group_places=tuple(group_rankings(league_run, month=month).get(area.pk, [])) if league_run else (),
        league_run=league_run,
    )


STATUS_LABELS = tuple(ProgressSnapshot.Status.choices)


def calendar_stations() -> list[tuple[str, str]]:
    """(code, name) of the stations whose daily calendar can be shown."""
    return [(station.code, station.localized_name) for station in monitoring_selectors.station_list().order_by("code")]


@dataclass(frozen=True)
class PlanResult:
    """A finished plan's final year for the city: each target against the year's figure (of record)."""

    plan: Plan
    run: ScoreRun
    progress: AreaProgress


def final_result(plan: Plan | None, *, public: bool) -> PlanResult | None:
    """The city's figures for the plan's final year, when that year is complete and has figures."""
    if plan is None:
        return None
    run = latest_run(plan.end_year, public=public)
    if run is None or run.plan_id != plan.pk or run.as_of != date(plan.end_year, 12, 31):
        return None
    (progress,) = area_progress(run, [plan.area])
    return PlanResult(plan=plan, run=run, progress=progress)


def previous_plan(page: ProgressPage) -> Plan | None:
    """The finished plan whose result the public page shows beside the year it shows: the predecessor of
    the plan governing that year, or, in a year no plan covers, the latest plan that ended before it."""
    if page.year is None:
        return None
    start = page.plan.start_year if page.plan is not None else page.year + 1
    return Plan.objects.filter(end_year__lt=start).select_related("area").order_by("-end_year", "-start_year").first()
