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
