"""Bulk upsert of hourly observations: a staging table, then one ``INSERT … ON CONFLICT``.

PostgreSQL loads the staging table through ``COPY``; SQLite through a batched ``executemany``. Either way
the final write is a single statement on the natural key (station, pollutant, hour) that

- inserts new values,
- replaces a value when it, its flavour or its flags changed, and
- never lets a real-time value overwrite a reviewed one (aqi-rules.md §6: reviewed data replace real-time
  data, not the reverse).

Call ``stage`` outside the final transaction (so progress can be reported between chunks), then ``apply``
inside it.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd
from django.db import connection

from .models import Observation

# The SQL below is built from the model's table name, fixed column names and this module's constants;
# every value travels as a parameter or through COPY. Hence the S608 exemptions.

STAGING_TABLE = "monitoring_observation_staging"
CHUNK_ROWS = 50_000
CHINA_TZ = "Asia/Shanghai"
STAGING_COLUMNS = ["station_id", "pollutant", "time", "value", "flavour", "flags"]


@dataclass
class UpsertResult:
    stored: int = 0
    updated: int = 0
    kept_reviewed: int = 0
    affected_days: dict[int, set[date]] = field(default_factory=dict)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def observation_day(moment: pd.Series) -> pd.Series:
    """The natural day an hourly value belongs to: China time minus one hour (HJ 663-2013 §3, 00:00 = 24:00)."""
    local = moment.dt.tz_convert(CHINA_TZ) - pd.Timedelta(hours=1)
    return local.dt.date


def stage(frame: pd.DataFrame, *, on_progress: Callable[[int], None] | None = None) -> None:
    """(Re)create the session's staging table and load ``frame`` into it.

    ``frame`` columns: station_id, pollutant (int), time (UTC), value (float), flavour (int), flags (int),
    without duplicate keys.
    """
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING_TABLE}")
        time_type = "timestamptz" if postgres else "datetime"
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGING_TABLE} (station_id bigint NOT NULL, pollutant smallint NOT NULL, "
            f"{_q('time')} {time_type} NOT NULL, value double precision NOT NULL, flavour smallint NOT NULL, "
            "flags smallint NOT NULL)"
        )
        done = 0
        for start in range(0, len(frame), CHUNK_ROWS):
            chunk = frame.iloc[start : start + CHUNK_ROWS][STAGING_COLUMNS]
            if postgres:
                buffer = io.StringIO()
                # numpy's ISO formatting is vectorised C; Series.dt.strftime formats row by row (bench/).
                utc = chunk["time"].dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[s]")
                chunk.assign(time=np.char.add(np.datetime_as_string(utc, unit="s"), "Z")).to_csv(
                    buffer, index=False, header=False
                )
                buffer.seek(0)
                cursor.cursor.copy_expert(  # psycopg2's COPY; Django's cursor wrapper does not expose it
                    f"COPY {STAGING_TABLE} (station_id, pollutant, {_q('time')}, value, flavour, flags) "
                    "FROM STDIN WITH (FORMAT csv)",
                    buffer,
                )
            else:
                # Django stores aware datetimes in SQLite as naive UTC text in this exact form.
                rows = chunk.assign(time=chunk["time"].dt.strftime("%Y-%m-%d %H:%M:%S")).itertuples(
                    index=False, name=None
                )
                cursor.executemany(
                    f"INSERT INTO {STAGING_TABLE} (station_id, pollutant, {_q('time')}, value, flavour, flags) "  # noqa: S608 - identifiers only, see top
                    "VALUES (%s, %s, %s, %s, %s, %s)",
                    [(int(a), int(b), c, float(d), int(e), int(f)) for a, b, c, d, e, f in rows],
                )
            done += len(chunk)
            if on_progress:
                on_progress(done)


def _changes_condition(table: str, incoming: str) -> str:
    """SQL: the stored row may be replaced by the incoming one and something actually differs."""
    return (
        f"{table}.flavour <= {incoming}.flavour AND ({table}.value <> {incoming}.value "
        f"OR {table}.flavour <> {incoming}.flavour OR {table}.flags <> {incoming}.flags)"
    )


def apply(*, run_id: int) -> UpsertResult:
    """Write the staged rows into the observation table in one statement; run inside a transaction."""
    table = Observation._meta.db_table
    time = _q("time")
    join = f"o.station_id = s.station_id AND o.pollutant = s.pollutant AND o.{time} = s.{time}"
    result = UpsertResult()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {STAGING_TABLE} s JOIN {table} o ON {join} "  # noqa: S608 - identifiers only, see top
            "WHERE o.flavour > s.flavour AND (o.value <> s.value OR o.flags <> s.flags)"
        )
        result.kept_reviewed = int(cursor.fetchone()[0])
        insert = (
            f"INSERT INTO {table} (station_id, pollutant, {time}, value, flavour, flags, ingest_run_id) "  # noqa: S608 - identifiers only, see top
            f"SELECT station_id, pollutant, {time}, value, flavour, flags, %s FROM {STAGING_TABLE} WHERE true "
            f"ON CONFLICT (station_id, pollutant, {time}) DO UPDATE SET value = EXCLUDED.value, "
            "flavour = EXCLUDED.flavour, flags = EXCLUDED.flags, ingest_run_id = EXCLUDED.ingest_run_id "
            f"WHERE {_changes_condition(table, 'EXCLUDED')}"
        )
        if connection.vendor == "postgresql":
            # xmax = 0 marks a freshly inserted tuple; an updated one carries the updating transaction id.
            cursor.execute(
                f"WITH up AS ({insert} RETURNING station_id, {time}, (xmax = 0) AS inserted) "  # noqa: S608 - identifiers only, see top
                f"SELECT station_id, (({time} AT TIME ZONE '{CHINA_TZ}') - interval '1 hour')::date AS day, "
                "count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up GROUP BY 1, 2",
                [run_id],
            )
            for station_id, day, inserted, updated in cursor.fetchall():
                result.stored += int(inserted)
                result.updated += int(updated)
                result.affected_days.setdefault(int(station_id), set()).add(day)
            return result
        # SQLite: classify first (same condition as the upsert's WHERE), then write.
        cursor.execute(
            f"SELECT s.station_id, s.{time}, o.id IS NULL FROM {STAGING_TABLE} s LEFT JOIN {table} o ON {join} "  # noqa: S608 - identifiers only, see top
            f"WHERE o.id IS NULL OR ({_changes_condition('o', 's')})"
        )
        changed = pd.DataFrame(cursor.fetchall(), columns=["station_id", "time", "inserted"])
        cursor.execute(insert, [run_id])
    if len(changed):
        changed["time"] = pd.to_datetime(changed["time"], utc=True)
        changed["day"] = observation_day(changed["time"])
        result.stored = int(changed["inserted"].astype(bool).sum())
        result.updated = len(changed) - result.stored
        for station_id, days in changed.groupby("station_id")["day"]:
            result.affected_days[int(station_id)] = set(days)
    return result


def drop_staging() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING_TABLE}")


def natural_day_of(moment_utc: pd.Timestamp) -> date:
    """Scalar version of ``observation_day``."""
    return (moment_utc.tz_convert(CHINA_TZ) - timedelta(hours=1)).date()
