"""targets.0007: a plan "adopted" (正式印发) before is "in force" after, and back."""

from __future__ import annotations

from tests.migrations import latest, migrate

BEFORE = [("targets", "0006_scores_moved_to_progress")]


def test_an_adopted_plan_is_in_force_after_the_migration_and_adopted_again_before_it(migrating: None) -> None:
    old = migrate(BEFORE)
    old.get_model("targets", "Plan").objects.update(status="adopted")
    before = list(old.get_model("targets", "Plan").objects.values_list("pk", "code", "start_year", "end_year"))
    assert before

    new = migrate(latest())
    plans = new.get_model("targets", "Plan").objects
    assert list(plans.values_list("pk", "code", "start_year", "end_year")) == before
    assert set(plans.values_list("status", flat=True)) == {"in_force"}

    back = migrate(BEFORE)
    assert set(back.get_model("targets", "Plan").objects.values_list("status", flat=True)) == {"adopted"}
