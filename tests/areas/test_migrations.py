"""Area and CountyOfficial move from targets to areas with every row and every link (issue 22).

A database holding data at the migrations before the move (areas, officials and their permissions,
stations and area days, assignments and the measures' areas, targets with their history, scores) is
migrated forward and back; every row of every table that points at an area is still there and every
foreign key still holds. Runs on SQLite in `make test` and on PostgreSQL in CI.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import CountyOfficialFactory
from tests.migrations import Rows, foreign_keys_to, latest, migrate, rows_of, user_permissions
from tests.progress.conftest import TODAY, install_daily_results

# The last migration of each app before the move, and the migrations of the move.
BEFORE_MOVE = [
    ("progress", None),
    ("areas", None),
    ("targets", "0002_progress_scores"),
    ("measures", "0002_assignments_submissions_projects_evidence"),
    ("monitoring", "0006_ingestrun_results_stored"),
]
# The move's own migrations: later ones add columns, which the row-for-row comparison must not see.
AFTER_MOVE = [
    ("progress", None),
    ("areas", "0001_initial"),
    ("targets", "0004_area_moved_to_areas"),
    ("measures", "0003_area_moved_to_areas"),
    ("monitoring", "0007_area_moved_to_areas"),
]
PROJECT_APPS = {"areas", "targets", "measures", "monitoring", "progress"}
# Tables that must hold rows for the test to mean anything (by model name, the same on both sides).
MUST_HOLD_ROWS = {
    "area",
    "countyofficial",
    "plan",
    "target",
    "historicaltarget",
    "assignment",
    "historicalassignment",
    "measure_areas",
    "station",
    "areaday",
    "progresssnapshot",
    "rankingentry",
}

# Tables as named after the moves (the score tables move to progress after the areas, issue 23).
RENAMED = {
    "targets_area": "areas_area",
    "targets_countyofficial": "areas_countyofficial",
    "targets_progresssnapshot": "progress_progresssnapshot",
    "targets_rankingentry": "progress_rankingentry",
}


def area_model(state_apps: Any) -> Any:
    (area,) = [m for m in state_apps.get_models() if m._meta.model_name == "area" and m._meta.app_label != "auth"]
    return area


def dump(state_apps: Any) -> Rows:
    """Every row of the area tables and of every project table with a foreign key to Area, by model name."""
    area = area_model(state_apps)

    def points_at_an_area(model: Any) -> bool:
        return (
            model is area
            or model._meta.model_name == "countyofficial"
            or any(field.related_model is area for field in model._meta.concrete_fields if field.is_relation)
        )

    return rows_of(state_apps, points_at_an_area, PROJECT_APPS)


@pytest.fixture
def data_at_today(migrating: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Officials, area days and scores written the way the product writes them, beside the loaded plan."""
    from areas.models import Area
    from measures.models import ReductionProject
    from monitoring.models import AreaDay, Flavour
    from progress import services
    from targets.models import Plan

    official = CountyOfficialFactory(area_code="371502")
    city = Area.objects.get(code="371500")
    AreaDay.objects.create(
        area=city,
        date=datetime.date(2025, 3, 1),
        stations=4,
        pm25=41,
        aqi=58,
        category=2,
        valid=True,
        edition="2012",
        flavour=Flavour.REVIEWED,
        computed_at=timezone.now(),
    )
    ReductionProject.objects.create(
        plan=Plan.objects.get(),
        area=Area.objects.get(code="371581"),
        name="某企业脱硝改造",
        enterprise="某企业",
        pollutant="NOx",
        expected_tonnes=Decimal("120.5"),
        planned_completion=datetime.date(2025, 6, 30),
        created_by=official.user,
    )
    install_daily_results(monkeypatch)
    services.scores_recompute(years=[2025], today=TODAY)


def test_the_move_keeps_every_row_and_link_forward_and_back(data_at_today: None) -> None:
    from areas.models import Area, CountyOfficial
    from monitoring.models import Station

    at_today = dump(migrate(latest()))

    old_apps = migrate(BEFORE_MOVE)
    assert area_model(old_apps)._meta.app_label == "targets"
    # Written at the old migrations through the old models: an official, and a permission on the old content type.
    old_area = area_model(old_apps)
    old_user = old_apps.get_model("auth", "User").objects.create(username="moved-official")
    linqing = old_area.objects.get(code="371581")
    old_apps.get_model("targets", "CountyOfficial").objects.create(user=old_user, area=linqing)
    content_type = old_apps.get_model("contenttypes", "ContentType").objects.get(app_label="targets", model="area")
    permission = old_apps.get_model("auth", "Permission").objects.get(content_type=content_type, codename="change_area")
    old_user.user_permissions.add(permission)
    before = dump(old_apps)
    links_before = foreign_keys_to("targets_area", RENAMED)

    new_apps = migrate(AFTER_MOVE)
    after = dump(new_apps)
    assert area_model(new_apps)._meta.app_label == "areas"
    tables_with_rows = {name for name, rows in after.items() if rows}
    assert tables_with_rows >= MUST_HOLD_ROWS, "the test needs rows in every table"
    assert after == before
    assert len(after["countyofficial"]) == len(at_today["countyofficial"]) + 1
    assert foreign_keys_to("areas_area", RENAMED) == links_before
    assert links_before >= {("monitoring_station", "area_id"), ("measures_assignment", "area_id")}
    assert user_permissions(new_apps, "moved-official") == {("areas", "area", "change_area")}
    connection.check_constraints()
    migrate(latest())
    # The product's own models read what was written before the move.
    assert CountyOfficial.objects.get(user__username="moved-official").area.code == "371581"
    assert Area.objects.get(code="371500").air_days.count() == 1
    assert Station.objects.filter(area__kind=Area.Kind.COUNTY).exists()

    back_apps = migrate(BEFORE_MOVE)
    assert dump(back_apps) == before
    assert foreign_keys_to("targets_area", RENAMED) == links_before
    assert user_permissions(back_apps, "moved-official") == {("targets", "area", "change_area")}
    connection.check_constraints()
