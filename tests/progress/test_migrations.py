"""The score tables move from targets to progress with every row and link (issue 23).

A database holding published and unpublished score runs, their snapshots and league tables, and a user's
permission on the runs, is migrated back to before the move, given one more run through the old models,
then migrated forward and back again; every row, every foreign key between the tables and the permission
are still there. Runs on SQLite in `make test` and on PostgreSQL in CI.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from tests.factories import BureauStaffFactory
from tests.migrations import foreign_keys_to, latest, migrate, rows_of, user_permissions
from tests.progress.conftest import CITY, CITY_2025, TODAY, day_rows, install_daily_results

BEFORE_MOVE = [("progress", None), ("targets", "0004_area_moved_to_areas")]
AFTER_MOVE = [("progress", "0001_initial"), ("targets", "0007_plan_status_in_force_closed")]
BEFORE_RUN_PLAN = [("progress", "0001_initial")]
SCORE_MODELS = {"scorerun", "progresssnapshot", "rankingentry"}
RENAMED = {
    "targets_scorerun": "progress_scorerun",
    "targets_progresssnapshot": "progress_progresssnapshot",
    "targets_rankingentry": "progress_rankingentry",
}


def scores(state_apps: Any) -> dict[str, list[tuple[Any, ...]]]:
    return rows_of(state_apps, lambda model: model._meta.model_name in SCORE_MODELS, {"targets", "progress"})


def score_run_model(state_apps: Any) -> Any:
    (model,) = [m for m in state_apps.get_models() if m._meta.model_name == "scorerun"]
    return model


@pytest.fixture
def published_and_unpublished_runs(migrating: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """2025 published by a member of staff, then recomputed without publishing: both runs are kept."""
    from progress import services

    install_daily_results(monkeypatch)
    with override_settings(PROGRESS_AUTO_PUBLISH=False):
        (published,) = services.scores_recompute(years=[2025], today=TODAY)
        services.score_run_publish(run=published, user=BureauStaffFactory(username="publisher"))
        services.scores_recompute(years=[2025], today=TODAY)


def test_the_score_tables_keep_every_row_and_link_forward_and_back(published_and_unpublished_runs: None) -> None:
    from progress.models import ScoreRun

    runs = ScoreRun.objects.filter(year=2025)
    assert sorted(run.published_at is not None for run in runs) == [False, True]

    old_apps = migrate(BEFORE_MOVE)
    old_run = score_run_model(old_apps)
    assert old_run._meta.app_label == "targets"
    # Written at the old migrations through the old models: a published run of 2024, and a permission on it.
    user = old_apps.get_model("auth", "User").objects.create(username="score-reader")
    old_run.objects.create(year=2024, as_of=TODAY.replace(year=2024), published_at=timezone.now(), published_by=user)
    content_type = old_apps.get_model("contenttypes", "ContentType").objects.get(app_label="targets", model="scorerun")
    permission = old_apps.get_model("auth", "Permission").objects.get(
        content_type=content_type, codename="change_scorerun"
    )
    user.user_permissions.add(permission)
    before = scores(old_apps)
    links_before = foreign_keys_to("targets_scorerun", RENAMED) | foreign_keys_to("areas_area", RENAMED)

    new_apps = migrate(AFTER_MOVE)
    after = scores(new_apps)
    assert score_run_model(new_apps)._meta.app_label == "progress"
    assert {name for name, rows in after.items() if rows} == SCORE_MODELS
    assert len(after["scorerun"]) == 3
    assert after == before
    assert foreign_keys_to("progress_scorerun", RENAMED) | foreign_keys_to("areas_area", RENAMED) == links_before
    assert {("progress_progresssnapshot", "run_id"), ("progress_rankingentry", "run_id")} <= links_before
    assert user_permissions(new_apps, "score-reader") == {("progress", "scorerun", "change_scorerun")}
    connection.check_constraints()
    migrate(latest())
    # The product reads the moved runs: the public sees the published 2025 run, staff the newer one.
    from progress import selectors

    public, staff = selectors.latest_run(2025, public=True), selectors.latest_run(2025, public=False)
    assert public is not None
    assert staff is not None
    assert public.published_by.username == "publisher"
    assert (staff.published_at, staff.snapshots.exists(), staff.rankings.exists()) == (None, True, True)

    back_apps = migrate(BEFORE_MOVE)
    assert scores(back_apps) == before
    assert foreign_keys_to("targets_scorerun", RENAMED) | foreign_keys_to("areas_area", RENAMED) == links_before
    assert user_permissions(back_apps, "score-reader") == {("targets", "scorerun", "change_scorerun")}
    connection.check_constraints()


def test_existing_runs_get_the_plan_governing_their_year_and_lose_goals_of_no_plan(
    migrating: None, plan: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runs stored before runs named their plan: 2025's is the 2021-2025 plan's; 2026 (after its end) was
    measured against its targets, and keeps its figures without those goals."""
    from progress import services

    install_daily_results(monkeypatch)
    services.scores_recompute(years=[2025, 2026], today=TODAY.replace(year=2026))
    old_apps = migrate(BEFORE_RUN_PLAN)
    snapshot = old_apps.get_model("progress", "ProgressSnapshot")
    run_2026 = old_apps.get_model("progress", "ScoreRun").objects.get(year=2026)
    # As the old code stored it: 2026 measured against the 2025 target.
    snapshot.objects.create(run=run_2026, area_id=plan.area_id, indicator="pm25", actual=40, goal=43, status="achieved")
    counts = {name: len(rows) for name, rows in scores(old_apps).items()}

    new_apps = migrate(latest())
    assert {name: len(rows) for name, rows in scores(new_apps).items()} == counts
    runs = {run.year: run for run in new_apps.get_model("progress", "ScoreRun").objects.all()}
    assert runs[2025].plan_id == plan.pk
    assert runs[2026].plan_id is None
    kept = new_apps.get_model("progress", "ProgressSnapshot").objects.get(run=runs[2026], indicator="pm25")
    assert (kept.actual, kept.goal, kept.status) == (40, None, "")
    goals_2025 = new_apps.get_model("progress", "ProgressSnapshot").objects.filter(run=runs[2025], goal__isnull=False)
    assert goals_2025.exists()


def test_runs_staff_published_become_publications_and_every_run_names_its_editions(
    migrating: None, plan: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """progress.0006-0007: a run with a publisher is a publication (kept for good); an auto-published one is
    not; each run with data names the editions of its dates."""
    from progress import services

    install_daily_results(monkeypatch, day_rows(CITY, date(2026, 1, 1), CITY_2025, pm25=48))
    services.scores_recompute(years=[2025, 2026], today=TODAY.replace(year=2026))
    old_apps = migrate([("progress", "0005_ranking_within_groups")])
    run_model = old_apps.get_model("progress", "ScoreRun")
    user = old_apps.get_model("auth", "User").objects.create(username="publisher")
    run_model.objects.filter(year=2025).update(published_by=user)
    counts = {name: len(rows) for name, rows in scores(old_apps).items()}

    new_apps = migrate([("progress", "0007_publications_and_editions_of_stored_runs")])
    assert {name: len(rows) for name, rows in scores(new_apps).items()} == counts
    runs = {run.year: run for run in new_apps.get_model("progress", "ScoreRun").objects.all()}
    assert (runs[2025].publication, runs[2025].editions) == (True, "2012")
    assert (runs[2026].publication, runs[2026].editions) == (False, "2012+2026")
