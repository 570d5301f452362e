"""Loading the plan file (``fixtures/plan.json``): the plan as data (targets) and its measures, together.

The file holds both, and measures sit above targets, so the whole load is here: the plan part is
`targets.services.plan_text_load`, the measures part below, in one transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from targets.loading import (
    PLAN_FIXTURE,
    LoadCount,
    fixture_area_id,
    fixture_bytes,
    parse_date,
    parse_decimal,
    upsert_rows,
)
from targets.models import Indicator, Plan
from targets.services import county_targets_ensure, plan_text_load

from . import hooks
from .models import Department, Measure
from .plan_file import PlanFileError, check_plan_file, describe, measure_field, parse_month_day
from .services import assignments_generate


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
    county_targets: LoadCount
    """Targets made for counties the file gives none (targets.services.county_targets_ensure)."""
    assignments: LoadCount
    """Measures assigned to the areas they apply to (measures.services.assignments_generate)."""

    @property
    def changed(self) -> int:
        return sum(c.created + c.updated for c in (getattr(self, f.name) for f in fields(self)))

    def summary(self) -> str:
        """One line: ``plan: chapters 10+0, sections 31+0, …`` (created+updated)."""
        parts = ", ".join(f"{f.name} {getattr(self, f.name)}" for f in fields(self) if f.name != "plan")
        return f"plan {self.plan}: {parts} (created+updated)"


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


class PlanFileRefused(ValidationError):
    """A plan file with errors: nothing of it was stored. ``errors`` say where (JSON path) and what."""

    def __init__(self, errors: list[PlanFileError]) -> None:
        self.errors = errors
        super().__init__([f"{error.path}: {_problem_sentence(error)}" for error in errors])


# The plan file's problems (measures.plan_file.PROBLEMS) in the reader's language.
PROBLEM_SENTENCES = {
    "json": _("不是有效的 JSON：%(detail)s"),
    "missing": _("缺少此项"),
    "object": _("应为对象（{…}）"),
    "list": _("应为列表（[…]）"),
    "text": _("应为文字"),
    "empty": _("不能为空"),
    "too_long": _("超过 %(detail)s 个字符"),
    "slug": _("代码只能包含字母、数字、- 和 _：%(detail)s"),
    "integer": _("应为非负整数：%(detail)s"),
    "year": _("应为年份（1900-2100）：%(detail)s"),
    "decimal": _("不是数值，或位数过多（最多两位小数）：%(detail)s"),
    "date": _("不是日期（YYYY-MM-DD）：%(detail)s"),
    "choice": _("应为以下之一：%(detail)s"),
    "duplicate": _("重复：%(detail)s"),
    "unknown_area": _("区域不存在：%(detail)s"),
    "unknown_indicator": _("指标不存在（文件中和系统中均没有）：%(detail)s"),
    "unknown_section": _("文件中没有此章节：%(detail)s"),
    "unknown_department": _("不在文件的部门列表中：%(detail)s"),
    "reporting_department": _("不是该措施的责任部门：%(detail)s"),
    "period": _("终止年份早于起始年份：%(detail)s"),
    "baseline_year": _("基准年不早于目标年份：%(detail)s"),
    "deadline": _("完成时限早于起始日期：%(detail)s"),
    "unit": _("有数量时须填写单位"),
    "basis_quantity": _("全市总量、比率或统计指标须有数量"),
    "scope_threshold": _("范围界限须同时填写 scope_unit 和 scope_comparison"),
    "working_day": _("应为次月第 1 至第 20 个工作日：%(detail)s"),
    "month_day": _("应为每年都有的日期 MM-DD（2 月 29 日不行）：%(detail)s"),
}


def _problem_sentence(error: PlanFileError) -> str:
    return describe(error, {problem: str(sentence) for problem, sentence in PROBLEM_SENTENCES.items()})


def plan_file_check(content: bytes) -> dict[str, Any]:
    """The parsed plan file, or PlanFileRefused with every error (JSON path and reason) when it has any."""
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise PlanFileRefused(
            [PlanFileError("$", "json", f"not UTF-8 ({error.reason} at byte {error.start})")]
        ) from None
    except json.JSONDecodeError as error:
        detail = f"line {error.lineno} column {error.colno}: {error.msg}"
        raise PlanFileRefused([PlanFileError("$", "json", detail)]) from None
    errors = check_plan_file(
        data,
        known_areas=set(Area.objects.values_list("code", flat=True)),
        known_indicators=set(Indicator.objects.values_list("code", flat=True)),
    )
    if errors:
        raise PlanFileRefused(errors)
    result: dict[str, Any] = data
    return result


def _yearly_due_fields(measure: dict[str, Any]) -> dict[str, int | None]:
    """The model's yearly due month and day from the file's ``yearly_due`` (``MM-DD`` or empty)."""
    month_day = parse_month_day(measure_field(measure, "yearly_due"))
    month, day = month_day if month_day else (None, None)
    return {"yearly_due_month": month, "yearly_due_day": day}


def plan_load(*, fixture: str = PLAN_FIXTURE) -> PlanLoadResult:
    """Load a plan file of ``fixtures/`` (``bootstrap`` loads the 2021-2025 plan this way)."""
    return plan_file_load(fixture_bytes(fixture))


@transaction.atomic
def plan_file_load(content: bytes) -> PlanLoadResult:
    """Check a plan file and store it: the plan, its text structure, indicators, targets, milestones and measures.

    A file with errors is refused whole (PlanFileRefused) and nothing is stored. Idempotent: rows are
    matched by natural key (plan code; chapter number; chapter and section number; indicator code; plan,
    indicator, area and target year; department name; the plan and measure code) and only differing fields
    are written, so a second load writes nothing. What staff edit is never overwritten: a target's baseline
    once it has a value, and custom milestones. Needs the areas (`areas.services.areas_load`).
    """
    data = plan_file_check(content)
    text = plan_text_load(data)
    department_count, departments = upsert_rows(
        Department,
        {d["name"]: {"name": d["name"], "name_en": d["name_en"]} for d in data["departments"]},
        lambda: {d.name: d for d in Department.objects.filter(name__in=[d["name"] for d in data["departments"]])},
    )

    measure_rows = data["measures"]
    measure_count, measures = upsert_rows(
        Measure,
        {
            m["code"]: {
                "plan_id": text.plan.pk,
                "code": m["code"],
                "section_id": text.sections[(m["chapter"], m["section"])].pk,
                "title": m["title"],
                "title_en": m["title_en"],
                "source_text": m["source_text"],
                "kind": m["kind"],
                "start_date": parse_date(m["start_date"]),
                "deadline": parse_date(m["deadline"]),
                "quantity": parse_decimal(m["quantity"]),
                "unit": m["unit"],
                "comparison": m["comparison"],
                "target_basis": measure_field(m, "target_basis"),
                "scope_text": measure_field(m, "scope_text"),
                "scope_text_en": measure_field(m, "scope_text_en"),
                "scope_threshold": parse_decimal(measure_field(m, "scope_threshold")),
                "scope_unit": measure_field(m, "scope_unit"),
                "scope_comparison": measure_field(m, "scope_comparison"),
                "report_period": m["report_period"],
                "monthly_due_working_day": measure_field(m, "monthly_due_working_day"),
                **_yearly_due_fields(m),
                "applies_to_all_areas": not m["areas"],
                "sort_order": index,
            }
            for index, m in enumerate(measure_rows, start=1)
        },
        # Codes are unique within a plan: a successor plan reusing them gets measures of its own.
        lambda: {m.code: m for m in Measure.objects.filter(plan=text.plan)},
    )
    measure_ids = {measures[m["code"]].pk for m in measure_rows}
    department_links = _links_sync(
        Measure.departments.through,
        "department_id",
        {(measures[m["code"]].pk, departments[name].pk) for m in measure_rows for name in m["departments"]},
        measure_ids,
    )
    reporting_links = _links_sync(
        Measure.reporting_departments.through,
        "department_id",
        {
            (measures[m["code"]].pk, departments[name].pk)
            for m in measure_rows
            for name in measure_field(m, "reporting_departments")
        },
        measure_ids,
    )
    area_links = _links_sync(
        Measure.areas.through,
        "area_id",
        {
            (measures[m["code"]].pk, fixture_area_id(text.areas, code, f"measure {m['code']}"))
            for m in measure_rows
            for code in m["areas"]
        },
        measure_ids,
    )
    county_targets = county_targets_ensure(plan=text.plan)
    assignments = assignments_generate(text.plan)
    result = PlanLoadResult(
        **text.counts,
        departments=department_count,
        measures=measure_count,
        measure_links=LoadCount(
            created=department_links.created + reporting_links.created + area_links.created,
            updated=department_links.updated + reporting_links.updated + area_links.updated,
        ),
        county_targets=LoadCount(created=county_targets, updated=0),
        assignments=LoadCount(created=assignments, updated=0),
    )
    # Apps above measures complete the plan from what they store (progress: baselines from stored figures).
    hooks.plan_loaded.send(sender=Plan, plan=text.plan, changed=result.changed > 0)
    return result
