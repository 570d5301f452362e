"""Writes to the plan: loading areas and the plan from fixtures, editing baselines and milestones."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, fields
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from areas.models import Area
from measures.models import Department, Measure

from .models import Chapter, Indicator, Milestone, Plan, Section, Target
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


# --- County targets (分解目标) -------------------------------------------------------------------


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
