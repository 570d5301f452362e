"""measures.0004 gives every stored measure, and every history record of one, the plan of its section."""

from __future__ import annotations

from tests.migrations import latest, migrate

BEFORE = [("measures", "0003_area_moved_to_areas")]


def test_stored_measures_and_their_history_get_their_sections_plan(migrating: None) -> None:
    old = migrate(BEFORE)
    old_measure = old.get_model("measures", "Measure")
    measures_before = sorted(old_measure.objects.values_list("pk", "code", "section_id", "title"))
    history_before = old.get_model("measures", "HistoricalMeasure").objects.count()
    assert len(measures_before) == 58
    assert history_before >= 58

    new = migrate(latest())
    measure = new.get_model("measures", "Measure")
    rows = list(
        measure.objects.values_list("pk", "code", "section_id", "title", "plan_id", "section__chapter__plan_id")
    )
    assert sorted(row[:4] for row in rows) == measures_before
    assert all(plan_id is not None and plan_id == section_plan for *_, plan_id, section_plan in rows)
    history = new.get_model("measures", "HistoricalMeasure").objects
    assert history.count() == history_before
    assert not history.filter(plan__isnull=True).exists()


BEFORE_PROJECT_PLAN = [("measures", "0005_assignment_outcome")]


def test_stored_key_projects_get_the_plan_of_their_completion_year_and_an_effective_date(migrating: None) -> None:
    """measures.0006-0008: every project keeps its row and history; a verified one took effect when verified."""
    old = migrate(BEFORE_PROJECT_PLAN)
    area = old.get_model("areas", "Area").objects.get(code="371502")
    user = old.get_model("auth", "User").objects.create(username="registrar")
    project = old.get_model("measures", "ReductionProject")
    common = {"area": area, "enterprise": "企业", "pollutant": "nox", "created_by": user, "expected_tonnes": 10}
    verified = project.objects.create(
        name="已核定", planned_completion="2024-06-30", verified_tonnes=9, verified_on="2024-08-01", **common
    )
    open_one = project.objects.create(name="在建", planned_completion="2025-12-31", **common)
    plan_id = old.get_model("targets", "Plan").objects.get(code="liaocheng-air-2021-2025").pk

    new = migrate(latest())
    rows = {p.pk: p for p in new.get_model("measures", "ReductionProject").objects.all()}
    assert set(rows) == {verified.pk, open_one.pk}
    assert (rows[verified.pk].plan_id, str(rows[verified.pk].effective_on)) == (plan_id, "2024-08-01")
    assert (rows[open_one.pk].plan_id, rows[open_one.pk].effective_on) == (plan_id, None)
