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
