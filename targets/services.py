"""Writes to the plan: loading areas and the plan from fixtures, editing baselines and milestones."""

from __future__ import annotations

import datetime
import json
import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, fields
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from areas.models import Area
from measures.models import Department, Measure

from . import scoring
from .models import Chapter, Indicator, Milestone, Plan, ProgressSnapshot, RankingEntry, ScoreRun, Section, Target
from .trajectory import straight_line_milestones

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
PLAN_FIXTURE = "plan.json"
# Stored in the history records of rows written by the loader (data, not a UI string).
LOAD_CHANGE_REASON = "载入行动计划"

ModelT = TypeVar("ModelT", bound=models.Model)


def read_fixture(name: str) -> dict[str, Any]:
    with (FIXTURES_DIR / name).open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


# --- Loading the plan -------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadCount:
    created: int = 0
    updated: int = 0

    def __str__(self) -> str:
        return f"{self.created}+{self.updated}"


@dataclass(frozen=True)
class PlanLoadResult:
    """How many rows of each kind `plan_load` created and updated (0/0 everywhere on a re-run)."""

    plan: LoadCount
    chapters: LoadCount
    sections: LoadCount
    indicators: LoadCount
    targets: LoadCount
    milestones: LoadCount
    departments: LoadCount
    measures: LoadCount
    measure_links: LoadCount
    """Measure-department and measure-area links added (created) and removed (updated)."""

    @property
    def changed(self) -> int:
        return sum(c.created + c.updated for c in (getattr(self, f.name) for f in fields(self)))

    def summary(self) -> str:
        """One line: ``plan: chapters 10+0, sections 31+0, …`` (created+updated)."""
        parts = ", ".join(f"{f.name} {getattr(self, f.name)}" for f in fields(self) if f.name != "plan")
        return f"plan {self.plan}: {parts} (created+updated)"


def _decimal(value: str | int | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _date(value: str | None) -> datetime.date | None:
    return None if value is None else datetime.date.fromisoformat(value)


def _upsert(
    model: type[ModelT],
    wanted: dict[Hashable, dict[str, Any]],
    fetch: Callable[[], dict[Hashable, ModelT]],
    *,
    keep: Callable[[ModelT, str, Any], bool] | None = None,
    user: AbstractBaseUser | None = None,
    reason: str = LOAD_CHANGE_REASON,
) -> tuple[LoadCount, dict[Hashable, ModelT]]:
    """Create the missing rows and update the differing fields of the others, in bulk.

    ``wanted`` maps a natural key to the field values (foreign keys as ``<name>_id``); ``fetch()`` returns
    the stored rows by the same keys. ``keep(obj, field, value)`` returning True leaves a stored field
    alone (a field staff may have edited). History records carry ``user`` and ``reason``. Rows that
    already match are not written at all, so a re-run writes nothing, history included. Returns the
    counts and every stored row by key.
    """
    existing = fetch()
    to_create: list[ModelT] = []
    to_update: list[ModelT] = []
    changed_fields: set[str] = set()
    for key, values in wanted.items():
        obj = existing.get(key)
        if obj is None:
            obj = model(**values)
            obj.full_clean()
            to_create.append(obj)
            continue
        diff = {
            name: value
            for name, value in values.items()
            if getattr(obj, name) != value and not (keep and keep(obj, name, value))
        }
        if diff:
            for name, value in diff.items():
                setattr(obj, name, value)
            obj.full_clean()
            to_update.append(obj)
            changed_fields |= diff.keys()
    has_history = hasattr(model, "history")
    if to_create:
        if has_history:
            bulk_create_with_history(to_create, model, default_user=user, default_change_reason=reason)
        else:
            model._default_manager.bulk_create(to_create)
    if to_update:
        update_fields = sorted(changed_fields)
        if has_history:
            bulk_update_with_history(to_update, model, update_fields, default_user=user, default_change_reason=reason)
        else:
            model._default_manager.bulk_update(to_update, update_fields)
    # Re-read after creating so every row carries its primary key whatever the database backend returns.
    rows = fetch() if to_create else existing
    return LoadCount(created=len(to_create), updated=len(to_update)), rows


def _fixture_area_id(areas: dict[str, Area], code: str, where: str) -> int:
    try:
        return areas[code].pk
    except KeyError:
        raise ValidationError(
            _("行动计划数据 %(where)s 引用了不存在的区域代码 %(code)s，请先载入区域。"),
            params={"where": where, "code": code},
        ) from None


def _milestone_years(target: Target) -> range:
    """The plan years that get a milestone: after the baseline year, up to the target year.

    Outlook targets beyond the plan period (2035) get none.
    """
    plan = target.plan
    if target.target_year > plan.end_year:
        return range(0)
    return range(max(plan.start_year, target.baseline_year + 1), target.target_year + 1)


def _trajectory(target: Target) -> dict[int, Decimal | None]:
    """The non-custom milestone values: a straight line from the baseline, or unknown without one."""
    years = _milestone_years(target)
    if target.baseline_value is None:
        return dict.fromkeys(years)
    line = straight_line_milestones(
        baseline=Decimal(target.baseline_value),
        target=Decimal(target.value),
        baseline_year=target.baseline_year,
        target_year=target.target_year,
    )
    return {year: line[year] for year in years}


def _milestones_sync(
    targets: Iterable[Target], *, user: AbstractBaseUser | None = None, reason: str = LOAD_CHANGE_REASON
) -> LoadCount:
    """Make sure each target has its yearly milestones, and the non-custom ones follow the trajectory.

    Custom milestones (set by staff) are never touched.
    """
    targets = list(targets)
    wanted: dict[Hashable, dict[str, Any]] = {
        (target.pk, year): {"target_id": target.pk, "year": year, "value": value}
        for target in targets
        for year, value in _trajectory(target).items()
    }
    count, _rows = _upsert(
        Milestone,
        wanted,
        lambda: {(m.target_id, m.year): m for m in Milestone.objects.filter(target__in=targets)},
        keep=lambda milestone, _name, _value: milestone.is_custom,
        user=user,
        reason=reason,
    )
    return count


def _links_sync(
    through: type[models.Model], column: str, wanted: set[tuple[int, int]], measure_ids: set[int]
) -> LoadCount:
    """Make a measure's many-to-many links (departments or areas) exactly those of the fixture."""
    current = set(through._default_manager.filter(measure_id__in=measure_ids).values_list("measure_id", column))
    missing = wanted - current
    extra = current - wanted
    if missing:
        through._default_manager.bulk_create([through(measure_id=m, **{column: other}) for m, other in missing])
    if extra:
        condition = models.Q()
        for measure_id, other in extra:
            condition |= models.Q(measure_id=measure_id, **{column: other})
        through._default_manager.filter(condition).delete()
    return LoadCount(created=len(missing), updated=len(extra))


@transaction.atomic
def plan_load(*, fixture: str = PLAN_FIXTURE) -> PlanLoadResult:
    """Create or update the plan, its text structure, indicators, targets, milestones and measures.

    Idempotent: rows are matched by natural key (plan code; chapter number; chapter and section number;
    indicator code; plan, indicator, area and target year; department name; measure code) and only
    differing fields are written, so a second run writes nothing. What staff edit is never overwritten:
    a target's baseline once it has a value, and custom milestones. Needs the areas (`areas.services.areas_load`).
    """
    data = read_fixture(fixture)
    areas = {area.code: area for area in Area.objects.all()}

    row = data["plan"]
    plan_fields = {k: row[k] for k in ("code", "name", "name_en", "start_year", "end_year", "status", "baseline_year")}
    plan_fields["area_id"] = _fixture_area_id(areas, row["area"], "plan")
    plan_count, plans = _upsert(
        Plan, {row["code"]: plan_fields}, lambda: {p.code: p for p in Plan.objects.filter(code=row["code"])}
    )
    plan = plans[row["code"]]

    chapter_count, chapters = _upsert(
        Chapter,
        {
            ch["number"]: {"plan_id": plan.pk, "number": ch["number"], "title": ch["title"], "title_en": ch["title_en"]}
            for ch in data["chapters"]
        },
        lambda: {c.number: c for c in Chapter.objects.filter(plan=plan)},
    )
    section_count, sections = _upsert(
        Section,
        {
            (ch["number"], sec["number"]): {
                "chapter_id": chapters[ch["number"]].pk,
                "number": sec["number"],
                "title": sec["title"],
                "title_en": sec["title_en"],
            }
            for ch in data["chapters"]
            for sec in ch["sections"]
        },
        lambda: {
            (s.chapter.number, s.number): s
            for s in Section.objects.filter(chapter__plan=plan).select_related("chapter")
        },
    )

    indicator_keys = ("code", "name", "name_en", "unit", "direction", "decimals", "source", "sort_order")
    indicator_count, indicators = _upsert(
        Indicator,
        {ind["code"]: {k: ind[k] for k in indicator_keys} for ind in data["indicators"]},
        lambda: {i.code: i for i in Indicator.objects.filter(code__in=[ind["code"] for ind in data["indicators"]])},
    )

    target_count, targets = _upsert(
        Target,
        {
            (t["indicator"], t["area"], t["target_year"]): {
                "plan_id": plan.pk,
                "indicator_id": indicators[t["indicator"]].pk,
                "area_id": _fixture_area_id(areas, t["area"], f"target {t['indicator']} {t['target_year']}"),
                "target_year": t["target_year"],
                "value": _decimal(t["value"]),
                "baseline_year": t["baseline_year"],
                "baseline_value": _decimal(t["baseline_value"]),
                "source_text": t["source_text"],
            }
            for t in data["targets"]
        },
        lambda: {
            (t.indicator.code, t.area.code, t.target_year): t
            for t in Target.objects.filter(plan=plan).select_related("plan", "indicator", "area")
        },
        # A baseline staff have entered is theirs; the fixture only fills an unknown one.
        keep=lambda target, name, _value: name == "baseline_value" and target.baseline_value is not None,
    )
    milestone_count = _milestones_sync(targets.values())

    department_count, departments = _upsert(
        Department,
        {d["name"]: {"name": d["name"], "name_en": d["name_en"]} for d in data["departments"]},
        lambda: {d.name: d for d in Department.objects.filter(name__in=[d["name"] for d in data["departments"]])},
    )

    measure_rows = data["measures"]
    measure_count, measures = _upsert(
        Measure,
        {
            m["code"]: {
                "code": m["code"],
                "section_id": sections[(m["chapter"], m["section"])].pk,
                "title": m["title"],
                "title_en": m["title_en"],
                "source_text": m["source_text"],
                "kind": m["kind"],
                "start_date": _date(m["start_date"]),
                "deadline": _date(m["deadline"]),
                "quantity": _decimal(m["quantity"]),
                "unit": m["unit"],
                "comparison": m["comparison"],
                "report_period": m["report_period"],
                "applies_to_all_areas": not m["areas"],
                "sort_order": index,
            }
            for index, m in enumerate(measure_rows, start=1)
        },
        lambda: {m.code: m for m in Measure.objects.filter(code__in=[m["code"] for m in measure_rows])},
    )
    measure_ids = {measures[m["code"]].pk for m in measure_rows}
    department_links = _links_sync(
        Measure.departments.through,
        "department_id",
        {(measures[m["code"]].pk, departments[name].pk) for m in measure_rows for name in m["departments"]},
        measure_ids,
    )
    area_links = _links_sync(
        Measure.areas.through,
        "area_id",
        {
            (measures[m["code"]].pk, _fixture_area_id(areas, code, f"measure {m['code']}"))
            for m in measure_rows
            for code in m["areas"]
        },
        measure_ids,
    )
    return PlanLoadResult(
        plan=plan_count,
        chapters=chapter_count,
        sections=section_count,
        indicators=indicator_count,
        targets=target_count,
        milestones=milestone_count,
        departments=department_count,
        measures=measure_count,
        measure_links=LoadCount(
            created=department_links.created + area_links.created,
            updated=department_links.updated + area_links.updated,
        ),
    )


# --- Staff edits of baselines and milestones --------------------------------------------------


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写修改原因。")})
    return reason


@transaction.atomic
def target_set_baseline(*, target: Target, value: Decimal | None, user: AbstractBaseUser | None, reason: str) -> Target:
    """Set (or clear) a target's baseline value and redraw its non-custom milestones on a straight line.

    The change, with who made it and why, is kept in the target's history; the redrawn milestones'
    history carries the same user and reason. Custom milestones stay as staff set them.
    """
    reason = _require_reason(reason)
    target.baseline_value = value
    target.full_clean()
    target._change_reason = reason  # type: ignore[attr-defined]  # read by django-simple-history
    target._history_user = user  # type: ignore[attr-defined]
    target.save()
    _milestones_sync([target], user=user, reason=reason)
    return target


@transaction.atomic
def milestone_set(*, milestone: Milestone, value: Decimal, user: AbstractBaseUser | None, reason: str) -> Milestone:
    """Set a yearly milestone by hand; it becomes custom and no longer follows the baseline's trajectory."""
    reason = _require_reason(reason)
    if value is None:
        raise ValidationError({"value": _("请填写年度目标值。")})
    milestone.value = value
    milestone.is_custom = True
    milestone.full_clean()
    milestone._change_reason = reason  # type: ignore[attr-defined]  # read by django-simple-history
    milestone._history_user = user  # type: ignore[attr-defined]
    milestone.save()
    return milestone


@transaction.atomic
def milestone_reset(*, milestone: Milestone, user: AbstractBaseUser | None, reason: str) -> Milestone:
    """Undo a custom milestone: it follows the straight line from the baseline again."""
    reason = _require_reason(reason)
    milestone.is_custom = False
    milestone.value = _trajectory(milestone.target).get(milestone.year)
    milestone.full_clean()
    milestone._change_reason = reason  # type: ignore[attr-defined]  # read by django-simple-history
    milestone._history_user = user  # type: ignore[attr-defined]
    milestone.save()
    return milestone


# --- County targets (分解目标) and progress scores --------------------------------------------------------

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
FIGURE_DECIMALS = scoring.FIGURE_DECIMALS
BASELINE_REASON = "由{year}年监测数据计算"


@transaction.atomic
def county_targets_ensure(*, plan: Plan, user: AbstractBaseUser | None = None) -> int:
    """Give every county the plan-end targets the city has, where it has none yet (default: the city's value).

    Baselines start empty (staff take them from the baseline year's figures or type them with a reason);
    milestones follow the straight line once a baseline exists. Returns how many targets were created.
    """
    city_targets = list(Target.objects.filter(plan=plan, area=plan.area, target_year=plan.end_year))
    counties = list(Area.objects.filter(kind=Area.Kind.COUNTY))
    existing = set(
        Target.objects.filter(plan=plan, area__in=counties, target_year=plan.end_year).values_list(
            "area_id", "indicator_id"
        )
    )
    new = [
        Target(
            plan=plan,
            indicator_id=city.indicator_id,
            area=county,
            target_year=plan.end_year,
            value=city.value,
            baseline_year=city.baseline_year,
            # Reductions count from the baseline year, so their baseline is 0 by definition.
            baseline_value=city.baseline_value if city.baseline_value == 0 else None,
            source_text=city.source_text,
        )
        for county in counties
        for city in city_targets
        if (county.pk, city.indicator_id) not in existing
    ]
    for target in new:
        target.full_clean(validate_unique=False)
    created = bulk_create_with_history(new, Target, default_user=user, default_change_reason="分解到县（市、区）")
    created_ids = [t.pk for t in created if t.pk] or [
        t.pk
        for t in Target.objects.filter(plan=plan, area__in=counties, target_year=plan.end_year, milestones__isnull=True)
    ]
    _milestones_sync(
        Target.objects.filter(pk__in=created_ids).select_related("plan"), user=user, reason="分解到县（市、区）"
    )
    return len(new)


@transaction.atomic
def target_set_value(*, target: Target, value: Decimal, user: AbstractBaseUser | None, reason: str) -> Target:
    """Change a target's value (e.g. a county's own 2025 target) and redraw its non-custom milestones."""
    reason = _require_reason(reason)
    if value is None:
        raise ValidationError({"value": _("请填写目标值。")})
    target.value = value
    target.full_clean()
    target._change_reason = reason  # type: ignore[attr-defined]  # read by django-simple-history
    target._history_user = user  # type: ignore[attr-defined]
    target.save()
    _milestones_sync([target], user=user, reason=reason)
    return target


def _baseline_figure(target: Target) -> Decimal:
    """The target's indicator for its area over the whole baseline year, from stored daily results."""
    from monitoring.statistics import period_statistics

    from . import selectors

    year = target.baseline_year
    code = target.indicator.code
    if target.indicator.source != Indicator.Source.MONITORING:
        raise ValidationError(
            _("%(indicator)s 不是监测指标，基准值不能由监测数据计算。"), params={"indicator": target.indicator.name}
        )
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    daily = selectors.daily_results(area_codes=[target.area.code], start=start, end=end)
    stats = period_statistics(
        daily, start=start, end=end, kind="year", dust_days=selectors.dust_days(start, end), dust_deducted=True
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
        target=target, value=value, user=user, reason=BASELINE_REASON.format(year=target.baseline_year)
    )


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


def _periods(inputs: _YearInputs, *, last_year: bool) -> dict[int, Any]:
    """Month number (0 = year to date) -> monitoring.statistics.Period of the year or the year before."""
    from monitoring.statistics import Period

    assert inputs.as_of is not None
    end = _same_day_last_year(inputs.as_of) if last_year else inputs.as_of
    year = end.year
    periods: dict[int, Any] = {0: Period.year(year) if (end.month, end.day) == (12, 31) else Period.ytd(end)}
    for month in inputs.months:
        period = Period.month(year, month)
        if month == end.month and period.end > end:
            period = Period("month", period.start, end)
        periods[month] = period
    return periods


def _stats_by_area(
    frame: pd.DataFrame, periods: dict[int, Any], dust: set[datetime.date]
) -> dict[tuple[str, int], dict[str, Any]]:
    from monitoring.statistics import period_statistics_frame

    if frame.empty:
        return {}
    table = period_statistics_frame(
        frame, key="area", periods=list(periods.values()), dust_days=dust, dust_deducted=True
    )
    month_of = {(p.kind, p.start, p.end): m for m, p in periods.items()}
    out: dict[tuple[str, int], dict[str, Any]] = {}
    for row in table.to_dict("records"):
        out[(str(row["area"]), month_of[(row["kind"], row["start"], row["end"])])] = row
    return out


def _figure(row: dict[str, Any] | None, code: str) -> Decimal | None:
    if row is None:
        return None
    value = row.get(code)
    if value is None or (isinstance(value, float) and value != value):
        return None
    return scoring.round_half_even(value, FIGURE_DECIMALS.get(code, 0))


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


def _pm25_so_far(frame: pd.DataFrame, area: str, inputs: _YearInputs, dust: set[datetime.date]) -> tuple[int, int]:
    """Days with a PM2.5 daily value so far this year (dust days deducted) and their sum (integers, µg/m³)."""
    if frame.empty or inputs.as_of is None:
        return 0, 0
    dates = pd.to_datetime(frame["date"]).dt.date
    rows = frame[
        (frame["area"].astype(str) == area)
        & (dates >= datetime.date(inputs.year, 1, 1))
        & (dates <= inputs.as_of)
        & ~dates.isin(dust)
        & frame["pm25"].notna()
    ]
    return len(rows), int(rows["pm25"].astype("int64").sum())


def _snapshots_for_area(
    *,
    run: ScoreRun,
    area: Area,
    inputs: _YearInputs,
    stats: dict[tuple[str, int], dict[str, Any]],
    stats_last_year: dict[tuple[str, int], dict[str, Any]],
    targets: dict[str, Target],
    directions: dict[str, str],
    pm25_so_far: tuple[int, int],
    reductions: dict[str, tuple[Decimal, Decimal | None]],
) -> list[ProgressSnapshot]:
    rows: list[ProgressSnapshot] = []
    for month in [0, *inputs.months]:
        current = stats.get((area.code, month))
        previous = stats_last_year.get((area.code, month))
        valid_days = int(current["valid_days"]) if current else 0
        for code in MONITORING_FIGURES:
            actual = _figure(current, code)
            last_year = _figure(previous, code)
            snapshot = ProgressSnapshot(
                run=run,
                area=area,
                month=month,
                indicator=code,
                actual=actual,
                last_year=last_year,
                change_percent=scoring.change_percent(current=actual, previous=last_year),
                valid_days=valid_days,
            )
            target = targets.get(code)
            if month == 0 and target is not None:
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
        if code == "good_day_ratio":
            days = scoring.good_day_allowance(
                target_ratio=goal, valid_days=valid_days, good_days=good, remaining_days=inputs.remaining_days
            )
            snapshot.allowance_days, secured, out_of_reach = days.allowed, days.secured, days.out_of_reach
        elif code == "heavy_day_ratio":
            days = scoring.heavy_day_allowance(
                target_ratio=goal, valid_days=valid_days, heavy_days=heavy, remaining_days=inputs.remaining_days
            )
            snapshot.allowance_days, secured, out_of_reach = days.allowed, days.secured, days.out_of_reach
        elif code == "pm25":
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
    inputs: _YearInputs,
    stats: dict[tuple[str, int], dict[str, Any]],
    stats_last_year: dict[tuple[str, int], dict[str, Any]],
    shares: dict[str, Decimal | None],
) -> list[RankingEntry]:
    by_code = {a.code: a for a in counties}
    entries: list[RankingEntry] = []
    for month in [0, *inputs.months]:
        inputs_rows = [
            scoring.AreaInputs(
                code=county.code,
                composite_index=_figure(stats.get((county.code, month)), "composite_index"),
                pm25=_figure(stats.get((county.code, month)), "pm25"),
                composite_index_last_year=_figure(stats_last_year.get((county.code, month)), "composite_index"),
                measures_on_time_share=shares.get(county.code) if month == 0 else None,
            )
            for county in counties
        ]
        city_index = _figure(stats.get((city.code, month)), "composite_index")
        for row in scoring.rank_areas(inputs_rows, city_composite_index=city_index):
            entries.append(
                RankingEntry(
                    run=run,
                    area=by_code[row.code],
                    month=month,
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
    newer one is published (the public keeps seeing published figures). Published at once when
    settings.PROGRESS_AUTO_PUBLISH is on. Invalidates the cached progress pages.
    """
    from . import selectors

    plan = selectors.current_plan()
    if plan is None:
        return []
    today = today or timezone.localdate()
    year_list = sorted(set(years) if years is not None else range(plan.baseline_year, today.year + 1))
    if not year_list:
        return []
    areas = selectors.ranked_areas()
    city = next((a for a in areas if a.kind == Area.Kind.CITY), plan.area)
    counties = [a for a in areas if a.kind == Area.Kind.COUNTY]
    codes = [a.code for a in areas]
    start, end = datetime.date(year_list[0] - 1, 1, 1), min(datetime.date(year_list[-1], 12, 31), today)
    frame = selectors.daily_results(area_codes=codes, start=start, end=end)
    dust = selectors.dust_days(start, end)
    updated_at = selectors.results_last_updated()
    targets: dict[tuple[int, str], Target] = {
        (t.area_id, t.indicator.code): t
        for t in Target.objects.filter(plan=plan, area__in=areas, target_year=plan.end_year)
        .select_related("indicator", "plan")
        .prefetch_related("milestones")
    }
    directions = dict(Indicator.objects.values_list("code", "direction"))
    auto_publish = bool(getattr(settings, "PROGRESS_AUTO_PUBLISH", True))
    dates = pd.to_datetime(frame["date"]).dt.date if not frame.empty else pd.Series([], dtype=object)
    runs: list[ScoreRun] = []
    for year in year_list:
        in_year = frame[(dates >= datetime.date(year, 1, 1)) & (dates <= datetime.date(year, 12, 31))]
        last_day = _last_day_with_data(in_year, city.code)
        inputs = _year_inputs(year, last_day, today)
        run = ScoreRun.objects.create(
            year=year,
            as_of=inputs.as_of,
            flavour=_flavour(in_year),
            data_updated_at=updated_at,
            published_at=timezone.now() if auto_publish else None,
        )
        snapshots: list[ProgressSnapshot] = []
        rankings: list[RankingEntry] = []
        if inputs.as_of is not None:
            periods = _periods(inputs, last_year=False)
            periods_last = _periods(inputs, last_year=True)
            last_year_frame = frame[
                (dates >= datetime.date(year - 1, 1, 1)) & (dates <= datetime.date(year - 1, 12, 31))
            ]
            stats = _stats_by_area(in_year, periods, dust)
            stats_last = _stats_by_area(last_year_frame, periods_last, dust)
            reductions_now = selectors.reduction_tonnes(through_year=year, since_year=plan.start_year)
            reductions_before = selectors.reduction_tonnes(through_year=year - 1, since_year=plan.start_year)
            shares = selectors.measures_on_time_shares(year=year, as_of=inputs.as_of)
            for area in areas:
                area_targets = {code: t for (area_id, code), t in targets.items() if area_id == area.pk}
                reductions: dict[str, tuple[Decimal, Decimal | None]] = {}
                if year >= plan.start_year:
                    for code, pollutant in REDUCTION_INDICATORS.items():
                        before = _tonnes(reductions_before, pollutant, area) if year > plan.start_year else None
                        reductions[code] = (_tonnes(reductions_now, pollutant, area), before)
                snapshots += _snapshots_for_area(
                    run=run,
                    area=area,
                    inputs=inputs,
                    stats=stats,
                    stats_last_year=stats_last,
                    targets=area_targets,
                    directions=directions,
                    pm25_so_far=_pm25_so_far(in_year, area.code, inputs, dust),
                    reductions=reductions,
                )
            rankings = _rankings(
                run=run,
                counties=counties,
                city=city,
                inputs=inputs,
                stats=stats,
                stats_last_year=stats_last,
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
        ScoreRun.objects.filter(year=year).exclude(pk__in=keep).delete()
        runs.append(run)
    transaction.on_commit(progress_cache_invalidate)
    return runs


def progress_cache_invalidate() -> None:
    """Cached progress pages include this version in their keys, so changing it refreshes them all."""
    from . import selectors

    cache.set(selectors.PROGRESS_CACHE_VERSION_KEY, str(time.time_ns()), None)


@transaction.atomic
def score_run_publish(*, run: ScoreRun, user: AbstractBaseUser | None) -> ScoreRun:
    """Publish a run: the public pages and API show it from now on; older runs of its year are removed."""
    if run.published_at is None:
        run.published_at = timezone.now()
        run.published_by = user  # type: ignore[assignment]
        run.full_clean()
        run.save(update_fields=["published_at", "published_by"])
    ScoreRun.objects.filter(year=run.year, computed_at__lt=run.computed_at).delete()
    transaction.on_commit(progress_cache_invalidate)
    return run
