"""Schema migrations of monitoring that rebuild a table keep every row."""

from __future__ import annotations

from datetime import UTC, date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.services import require

BEFORE = ("monitoring", "0004_observation_natural_primary_key")
AFTER = ("monitoring", "0005_observation_column_order")


@pytest.mark.realstack
@pytest.mark.django_db(transaction=True)
def test_observation_column_order_keeps_rows_constraints_and_key() -> None:
    require("PostgreSQL", connection.vendor == "postgresql", "the rebuild is PostgreSQL's: set DATABASE_URL")
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO monitoring_observation "
                "(station_id, pollutant, time, value, flavour, flags, ingest_run_id) VALUES "
                "(7, 1, '2022-01-01 01:00+08', 12.5, 2, 1, NULL), (7, 6, '2022-01-01 01:00+08', 0.35, 1, 0, 3)"
            )
        executor = MigrationExecutor(connection)
        executor.migrate([AFTER])
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT station_id, pollutant, value, flavour, flags, ingest_run_id FROM monitoring_observation "
                "ORDER BY pollutant"
            )
            assert cursor.fetchall() == [(7, 1, 12.5, 2, 1, None), (7, 6, 0.35, 1, 0, 3)]
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'monitoring_observation' "
                "ORDER BY ordinal_position"
            )
            assert [row[0] for row in cursor.fetchall()][:2] == ["time", "value"]
            with pytest.raises(Exception, match="duplicate key"):  # the natural key is still the primary key
                cursor.execute(
                    "INSERT INTO monitoring_observation (station_id, pollutant, time, value, flavour, flags) "
                    "VALUES (7, 1, '2022-01-01 01:00+08', 1, 1, 0)"
                )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM monitoring_observation WHERE station_id = 7")
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_stored_stations_get_the_areas_the_rule_gave_them(migrating: None) -> None:
    """monitoring.0009 (issue 11): national stations assess the city and their county, provincial and county
    stations their county, a township micro-station nothing; each membership is in the history."""
    from tests.migrations import latest, migrate

    old = migrate([("monitoring", "0007_area_moved_to_areas")])
    station = old.get_model("monitoring", "Station")
    linqing = old.get_model("areas", "Area").objects.get(code="371581")
    common = {"area": linqing, "latitude": 36.8, "longitude": 115.7}
    station.objects.create(code="9001A", name="临清一中", network="county", **common)
    station.objects.create(code="9002Z", name="乡镇微站", network="township", **common)
    new = migrate(latest())
    rows = set(new.get_model("monitoring", "AssessmentStation").objects.values_list("station__code", "area__code"))
    national = {"1625A", "2878A", "3200A", "3512A", "3513A"}
    assert rows == {(code, "371500") for code in national} | {(code, "371502") for code in national} | {
        ("9001A", "371581")
    }
    history = new.get_model("monitoring", "HistoricalAssessmentStation").objects
    assert history.filter(history_type="+", history_change_reason__contains="HJ 663-2013").count() == 11


def test_stored_periods_from_2026_03_01_take_the_phase_one_composite_index(migrating: None) -> None:
    """monitoring.0012/0013 (issue 13): every stored month and year keeps its row and says which limits its
    composite index divides by; those ending on or after 2026-03-01 are recomputed with PM2.5/30, exactly,
    and going back restores the GB 3095-2012 index."""
    from datetime import date, datetime

    from tests.migrations import latest, migrate

    before = ("monitoring", "0012_composite_index_limits")
    old = migrate([("monitoring", "0011_dust_fall")])
    area_period = old.get_model("monitoring", "AreaPeriod")
    city = old.get_model("areas", "Area").objects.get(code="371500")
    figures = {"so2": 7, "no2": 33, "pm10": 81, "pm25": 47, "co_p95": 1.3, "o3_8h_p90": 181}
    common = {
        "area": city,
        "complete": True,
        "dust_deducted": True,
        "flavour": 2,
        "valid_days": 28,
        "good_days": 20,
        "heavy_days": 0,
        "computed_at": datetime(2026, 12, 1, tzinfo=UTC),
        **figures,
    }
    area_period.objects.create(
        period="month", start=date(2026, 2, 1), end=date(2026, 2, 28), edition="2012", composite_index=4.9, **common
    )
    area_period.objects.create(
        period="month", start=date(2026, 3, 1), end=date(2026, 3, 31), edition="2026", composite_index=4.9, **common
    )
    area_period.objects.create(
        period="month",
        start=date(2026, 4, 1),
        end=date(2026, 4, 30),
        edition="2026",
        composite_index=None,
        **{**common, "co_p95": None},
    )

    def stored(apps):
        rows = apps.get_model("monitoring", "AreaPeriod").objects.filter(area__code="371500", start__year=2026)
        return list(rows.order_by("start").values_list("start__month", "composite_limits", "composite_index"))

    labelled = migrate([before])
    assert stored(labelled) == [(2, "GB3095-2012", 4.9), (3, "GB3095-2012", 4.9), (4, "GB3095-2012", None)]
    new = migrate(latest())
    assert stored(new) == [(2, "GB3095-2012", 4.9), (3, "GB3095-2026-I", 5.12), (4, "GB3095-2026-I", None)]
    back = migrate([before])
    assert stored(back) == [(2, "GB3095-2012", 4.9), (3, "GB3095-2012", 4.9), (4, "GB3095-2012", None)]


def test_runs_stored_before_the_lifecycle_fields_keep_their_rows_and_can_be_reaped(migrating: None) -> None:
    """monitoring.0014/0015 (issue 14): every stored run is kept; one left running before the upgrade has a
    last sign of life (its start) for the reaper, a finished one its end."""
    from datetime import datetime, timedelta

    from tests.migrations import latest, migrate

    old = migrate([("monitoring", "0013_composite_index_under_gb3095_2026")])
    ingest_run = old.get_model("monitoring", "IngestRun")
    started = datetime(2026, 12, 1, 8, tzinfo=UTC)
    ingest_run.objects.create(
        file_name="left-running.csv", checksum="a" * 64, source="upload", state="running", started_at=started
    )
    ingest_run.objects.create(
        file_name="done.csv",
        checksum="b" * 64,
        source="upload",
        state="succeeded",
        started_at=started,
        finished_at=started + timedelta(minutes=1),
    )
    new = migrate(latest())
    rows = new.get_model("monitoring", "IngestRun").objects.order_by("file_name")
    assert list(rows.values_list("file_name", "state", "heartbeat_at", "requeued", "recompute_pending")) == [
        ("done.csv", "succeeded", started + timedelta(minutes=1), 0, False),
        ("left-running.csv", "running", started, 0, False),
    ]


def test_stored_stations_keep_their_rows_and_the_national_ones_get_their_english_names(migrating: None) -> None:
    """monitoring.0016: the English name is added empty, and filled in for the five national stations."""
    from tests.migrations import latest, migrate

    old = migrate([("monitoring", "0015_ingest_run_heartbeat_filled")])
    station = old.get_model("monitoring", "Station")
    linqing = old.get_model("areas", "Area").objects.get(code="371581")
    station.objects.create(
        code="9001A", name="临清一中", network="county", area=linqing, latitude=36.8, longitude=115.7
    )
    before = set(station.objects.values_list("code", "name"))
    new = migrate(latest())
    after = new.get_model("monitoring", "Station").objects
    assert set(after.values_list("code", "name")) == before
    assert after.get(code="9001A").name_en == ""
    assert after.get(code="2878A").name_en == "Liaocheng University East Campus"


def test_stored_dust_marks_stay_city_wide_and_a_unit_can_be_marked_beside_them(migrating: None) -> None:
    """monitoring.0017: every stored mark is kept, as a city-wide one; a unit's mark can then share its day,
    and a second city-wide mark of a day cannot."""
    from django.db import IntegrityError, transaction

    from tests.migrations import latest, migrate

    old = migrate([("monitoring", "0016_station_name_en")])
    old.get_model("monitoring", "DustDay").objects.create(date="2024-04-02", reason="沙尘暴")
    old.get_model("monitoring", "DustDay").objects.create(date="2024-05-06", reason="浮尘")
    new = migrate(latest())
    marks = new.get_model("monitoring", "DustDay").objects
    assert sorted(marks.values_list("date", "reason", "area")) == [
        (date(2024, 4, 2), "沙尘暴", None),
        (date(2024, 5, 6), "浮尘", None),
    ]
    linqing = new.get_model("areas", "Area").objects.get(code="371581")
    marks.create(date="2024-04-02", area=linqing, reason="局地扬沙")
    with pytest.raises(IntegrityError), transaction.atomic():
        marks.create(date="2024-04-02", reason="again")
    with pytest.raises(IntegrityError), transaction.atomic():
        marks.create(date="2024-04-02", area=linqing, reason="again")
