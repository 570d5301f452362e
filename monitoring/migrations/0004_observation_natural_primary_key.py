"""Observation: the natural key (station, time, pollutant) becomes the primary key; the surrogate ``id`` and the
separate unique constraint go (one index instead of two, see the model). Existing rows are kept.

Django cannot migrate a table to a composite primary key by itself, so the state change and the database change
are written separately: PostgreSQL alters the table in place; SQLite, which cannot alter a primary key, rebuilds
the table with Django's own table remake (create the new table, copy the rows, drop the old one, rename).
"""

from django.db import migrations, models

TABLE = "monitoring_observation"


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} DROP CONSTRAINT observation_unique_station_hour_item")
        schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN id")  # drops the old primary key with it
        schema_editor.execute(
            f'ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (station_id, "time", pollutant)'
        )
    else:
        # The model as the state now describes it (composite key, no id); the copy takes its columns from the
        # old table, so every row is kept. The old indexes go with the old table, the new ones are created after.
        schema_editor._remake_table(apps.get_model("monitoring", "Observation"))


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0003_observation_lean_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(model_name="observation", name="observation_unique_station_hour_item"),
                migrations.RemoveField(model_name="observation", name="id"),
                migrations.AddField(
                    model_name="observation",
                    name="pk",
                    field=models.CompositePrimaryKey(
                        "station", "time", "pollutant", blank=True, editable=False, primary_key=True, serialize=False
                    ),
                ),
            ],
        ),
        migrations.RunPython(forwards, elidable=False)  # irreversible: the ids are gone,
    ]
