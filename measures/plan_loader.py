"""Loading the plan file (``fixtures/plan.json``): the plan as data (targets) and its measures, together.

The file holds both, and measures sit above targets, so the whole load is here: the plan part is
`targets.services.plan_text_load`, the measures part below, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.db import models, transaction

from targets.loading import (
    PLAN_FIXTURE,
    LoadCount,
    fixture_area_id,
    parse_date,
    parse_decimal,
    read_fixture,
    upsert_rows,
)
from targets.services import plan_text_load

from .models import Department, Measure


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
                "report_period": m["report_period"],
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
    return PlanLoadResult(
        **text.counts,
        departments=department_count,
        measures=measure_count,
        measure_links=LoadCount(
            created=department_links.created + area_links.created,
            updated=department_links.updated + area_links.updated,
        ),
    )
