"""Writes to the plan: the plan part of the plan file, county targets, staff edits of baselines and milestones."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history

from areas import page_cache
from areas import selectors as area_selectors
from areas.history import history_stamp
from areas.models import Area

from .loading import LOAD_CHANGE_REASON, LoadCount, fixture_area_id, parse_decimal, upsert_rows
from .models import Chapter, Indicator, Milestone, Plan, Section, Target
from .trajectory import straight_line_milestones

# --- Loading the plan file ----------------------------------------------------------------------


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
    count, _rows = upsert_rows(
        Milestone,
        wanted,
        lambda: {(m.target_id, m.year): m for m in Milestone.objects.filter(target__in=targets)},
        keep=lambda milestone, _name, _value: milestone.is_custom,
        user=user,
        reason=reason,
    )
    return count


@dataclass(frozen=True)
class PlanTextLoad:
    """What `plan_text_load` stored: counts by kind, and the rows the measures of the plan file hang on."""

    plan: Plan
    sections: dict[tuple[int, int], Section]
    areas: dict[str, Area]
    counts: dict[str, LoadCount]


def plan_text_load(data: dict[str, Any]) -> PlanTextLoad:
    """Store the plan of a plan file (``fixtures/plan.json``): the plan, its chapters and sections, the
    indicators, the targets and their milestones, creating what is missing and updating what differs.

    What staff edit is never overwritten: a target's baseline once it has a value, and custom milestones.
    Needs the areas (`areas.services.areas_load`). Called by `measures.plan_loader.plan_load`, which loads
    the file's measures in the same transaction.
    """
    areas = {area.code: area for area in Area.objects.all()}

    row = data["plan"]
    plan_fields = {k: row[k] for k in ("code", "name", "name_en", "start_year", "end_year", "status", "baseline_year")}
    plan_fields["area_id"] = fixture_area_id(areas, row["area"], "plan")
    # A closed plan stays closed: only its close-out (progress.closeout.plan_close) changes its status.
    if Plan.objects.filter(code=row["code"], status=Plan.Status.CLOSED).exists():
        plan_fields["status"] = Plan.Status.CLOSED
    plan_count, plans = upsert_rows(
        Plan, {row["code"]: plan_fields}, lambda: {p.code: p for p in Plan.objects.filter(code=row["code"])}
    )
    plan = plans[row["code"]]
    page_cache.data_changed()  # the footer's plan, the plan pages

    chapter_count, chapters = upsert_rows(
        Chapter,
        {
            ch["number"]: {"plan_id": plan.pk, "number": ch["number"], "title": ch["title"], "title_en": ch["title_en"]}
            for ch in data["chapters"]
        },
        lambda: {c.number: c for c in Chapter.objects.filter(plan=plan)},
    )
    section_count, sections = upsert_rows(
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
    indicator_count, indicators = upsert_rows(
        Indicator,
        {ind["code"]: {k: ind[k] for k in indicator_keys} for ind in data["indicators"]},
        lambda: {i.code: i for i in Indicator.objects.filter(code__in=[ind["code"] for ind in data["indicators"]])},
    )

    target_count, targets = upsert_rows(
        Target,
        {
            (t["indicator"], t["area"], t["target_year"]): {
                "plan_id": plan.pk,
                "indicator_id": indicators[t["indicator"]].pk,
                "area_id": fixture_area_id(areas, t["area"], f"target {t['indicator']} {t['target_year']}"),
                "target_year": t["target_year"],
                "value": parse_decimal(t["value"]),
                "baseline_year": t["baseline_year"],
                "baseline_value": parse_decimal(t["baseline_value"]),
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
    counts = {
        "plan": plan_count,
        "chapters": chapter_count,
        "sections": section_count,
        "indicators": indicator_count,
        "targets": target_count,
        "milestones": milestone_count,
    }
    return PlanTextLoad(plan=plan, sections=sections, areas=areas, counts=counts)


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
    history_stamp(target, user, reason)
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
    history_stamp(milestone, user, reason)
    milestone.save()
    return milestone


@transaction.atomic
def milestone_reset(*, milestone: Milestone, user: AbstractBaseUser | None, reason: str) -> Milestone:
    """Undo a custom milestone: it follows the straight line from the baseline again."""
    reason = _require_reason(reason)
    milestone.is_custom = False
    milestone.value = _trajectory(milestone.target).get(milestone.year)
    milestone.full_clean()
    history_stamp(milestone, user, reason)
    milestone.save()
    return milestone


# --- County targets (分解目标) -------------------------------------------------------------------


@transaction.atomic
def county_targets_ensure(*, plan: Plan, user: AbstractBaseUser | None = None) -> int:
    """Give every assessment unit (county or functional zone) the plan-end targets the city has, where it
    has none yet (default: the city's value).

    Baselines start empty (staff take them from the baseline year's figures or type them with a reason);
    milestones follow the straight line once a baseline exists. Returns how many targets were created.
    """
    city_targets = list(Target.objects.filter(plan=plan, area=plan.area, target_year=plan.end_year))
    counties = area_selectors.assessment_units()
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
    created = bulk_create_with_history(
        new, Target, default_user=user, default_change_reason=gettext_noop("分解到县（市、区）")
    )
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
    history_stamp(target, user, reason)
    target.save()
    _milestones_sync([target], user=user, reason=reason)
    return target


# --- Close-out ----------------------------------------------------------------------------------


def plan_mark_closed(*, plan: Plan, user: AbstractBaseUser | None, reason: str) -> Plan:
    """Mark the plan closed, with who closed it, when and why (kept in its history). Part of
    progress.closeout.plan_close, which runs it in the transaction that records the plan's outcomes."""
    reason = _require_reason(reason)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == Plan.Status.CLOSED:
        raise ValidationError(
            _("该规划已于 %(when)s 收官。") % {"when": plan.closed_at.date() if plan.closed_at else "—"}
        )
    plan.status = Plan.Status.CLOSED
    plan.closed_at = timezone.now()
    plan.closed_by = user  # type: ignore[assignment]
    plan.close_reason = reason
    plan.full_clean()
    history_stamp(plan, user, reason)
    plan.save()
    page_cache.data_changed()  # the footer's plan, the plan pages
    return plan
