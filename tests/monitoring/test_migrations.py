"""Schema migrations of monitoring that rebuild a table keep every row."""

from __future__ import annotations

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
