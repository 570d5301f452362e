"""Bulk writes: hourly observations (below) and stored results (``frame_upsert``, at the end).

Observations: a direct ``COPY`` for new data, else a staging table and one upsert. Two paths, chosen per file:

- **New data** (the common case: the next hours of a feed, a year loaded for the first time): no stored
  observation exists for the file's stations inside its time range. The de-duplicated rows are copied
  straight into the observation table, every one counted as stored. PostgreSQL takes the table lock
  ``SHARE ROW EXCLUSIVE`` first and checks again under it, so no concurrent ingest can store an overlapping row
  between the check and the copy (the lock conflicts with the ``ROW EXCLUSIVE`` lock of any other writer and
  with itself; readers are not blocked). On SQLite the database has one writer at a time; a writer that
  commits between our check and our write makes our write fail with "database is locked", a transient error
  the ingest task retries.
- **Overlapping data** (a re-ingest, a correction, reviewed data replacing real-time data): the rows go into
  a session-private staging table and one ``INSERT … ON CONFLICT`` on the natural key (station, pollutant,
  hour) that inserts new values, replaces a value when it, its flavour or its flags changed, and never lets a
  real-time value overwrite a reviewed one (docs/aqi-rules.md §6: reviewed data replace real-time data, not the
  reverse).

PostgreSQL loads both through ``COPY … FROM STDIN WITH (FORMAT binary)``: every column is a fixed-width
number, so the buffer is built by numpy in one pass, and binary doubles round-trip exactly (no decimal
formatting). SQLite uses batched ``executemany``.

Call ``prepare`` outside the final transaction (so progress can be reported while staging), ``write``
inside it, and ``drop_staging`` afterwards.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection, models, transaction

from .china_time import CHINA_TZ_NAME, natural_day_bounds, natural_day_of, natural_days
from .models import Observation

# The SQL below is built from the model's table name, fixed column names and this module's constants;
# every value travels as a parameter or through COPY. Hence the S608 exemptions.

STAGING_TABLE = "monitoring_observation_staging"
CHUNK_ROWS = 200_000
STAGING_COLUMNS = ["station_id", "pollutant", "time", "value", "flavour", "flags"]
OBSERVATION_COLUMNS = [*STAGING_COLUMNS, "ingest_run_id"]
# PostgreSQL binary COPY (PostgreSQL docs, "COPY", Binary Format): signature, flags, header extension length.
PGCOPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
PGCOPY_TRAILER = b"\xff\xff"
# Binary wire types of the columns (big-endian): bigint, smallint, timestamptz (µs since 2000-01-01 UTC),
# double precision.
WIRE_TYPES = {
    "station_id": ">i8",
    "pollutant": ">i2",
    "time": ">i8",
    "value": ">f8",
    "flavour": ">i2",
    "flags": ">i2",
    "ingest_run_id": ">i8",
}
PG_EPOCH_NS = 946_684_800 * 10**9  # 2000-01-01T00:00:00Z in ns since 1970


@dataclass
class UpsertResult:
    stored: int = 0
    updated: int = 0
    kept_reviewed: int = 0
    affected_days: dict[int, set[date]] = field(default_factory=dict)
    #: The rows were new and held every hour of their natural days (``write``'s ``while_copying`` ran).
    whole_days: bool = False


@dataclass
class Prepared:
    """What ``prepare`` made ready: the frame, and whether it sits in the staging table (overlap)."""

    frame: pd.DataFrame
    staged: bool


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def observation_day(moment: pd.Series) -> pd.Series:
    """The natural day an hourly value belongs to: China time minus one hour (HJ 663-2013 §3, 00:00 = 24:00)."""
    return pd.Series(natural_days(moment), index=moment.index).dt.date


def binary_copy_rows(frame: pd.DataFrame, columns: Sequence[str]) -> bytes:
    """The rows of ``frame`` as PostgreSQL binary COPY tuples (no header or trailer), built by numpy.

    Every column must be non-null and one of ``WIRE_TYPES``; ``time`` is an aware datetime column.
    """
    wire = [(f"l{i}", ">i4", f"v{i}", WIRE_TYPES[name]) for i, name in enumerate(columns)]
    dtype = np.dtype(
        [("n", ">i2")]
        + [item for l_name, l_type, v_name, v_type in wire for item in ((l_name, l_type), (v_name, v_type))]
    )
    out = np.empty(len(frame), dtype=dtype)
    out["n"] = len(columns)
    for (l_name, _, v_name, v_type), name in zip(wire, columns, strict=True):
        out[l_name] = np.dtype(v_type).itemsize
        if name == "time":
            ns = (
                frame["time"]
                .dt.tz_convert("UTC")
                .dt.tz_localize(None)
                .to_numpy(dtype="datetime64[ns]")
                .astype(np.int64)
            )
            out[v_name] = (ns - PG_EPOCH_NS) // 1000
        else:
            out[v_name] = frame[name].to_numpy()
    return out.tobytes()


class _CopyRows:
    """The source ``COPY … FROM STDIN WITH (FORMAT binary)`` reads: the header, each chunk's tuples built only
    when psycopg2 asks for them (so building overlaps the server storing the chunk before), then the trailer."""

    def __init__(self, frame: pd.DataFrame, columns: Sequence[str], *, run_id: int | None = None) -> None:
        self._parts = self._generate(frame, columns, run_id)

    @staticmethod
    def _generate(frame: pd.DataFrame, columns: Sequence[str], run_id: int | None) -> Iterator[bytes]:
        yield PGCOPY_HEADER
        for chunk in _chunks(frame):
            yield binary_copy_rows(chunk if run_id is None else chunk.assign(ingest_run_id=run_id), columns)
        yield PGCOPY_TRAILER

    def read(self, size: int = -1) -> bytes:
        # psycopg2 sends whatever a read returns and stops at b""; each read releases the GIL while sending.
        return next(self._parts, b"")


def _copy_in(cursor: object, table: str, columns: Sequence[str], rows: _CopyRows) -> None:
    names = ", ".join(_q(name) for name in columns)
    cursor.cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT binary)", rows)  # type: ignore[attr-defined]


def _sqlite_rows(chunk: pd.DataFrame, columns: Sequence[str]) -> list[tuple[object, ...]]:
    """Plain Python tuples; times as Django's SQLite form of aware datetimes (naive UTC text)."""
    codes, uniques = pd.factorize(chunk["time"])
    stamps = pd.DatetimeIndex(uniques).tz_convert("UTC").strftime("%Y-%m-%d %H:%M:%S").to_numpy(dtype=object)
    data = [stamps[codes].tolist() if name == "time" else chunk[name].to_numpy().tolist() for name in columns]
    return list(zip(*data, strict=True))


def _chunks(frame: pd.DataFrame) -> list[pd.DataFrame]:
    return [frame.iloc[start : start + CHUNK_ROWS] for start in range(0, len(frame), CHUNK_ROWS)]


def overlaps_stored(frame: pd.DataFrame) -> bool:
    """Whether any stored observation lies among the frame's stations inside its time range (one index probe
    per station on the unique key (station, time, pollutant))."""
    if frame.empty:
        return False
    return Observation.objects.filter(
        station_id__in=[int(v) for v in frame["station_id"].unique()],
        time__gte=frame["time"].min().to_pydatetime(),
        time__lte=frame["time"].max().to_pydatetime(),
    ).exists()


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
        for chunk in _chunks(frame):
            if postgres:
                _copy_in(cursor, STAGING_TABLE, STAGING_COLUMNS, _CopyRows(chunk, STAGING_COLUMNS))
            else:
                cursor.executemany(
                    f"INSERT INTO {STAGING_TABLE} (station_id, pollutant, {_q('time')}, value, flavour, flags) "  # noqa: S608 - identifiers only, see top
                    "VALUES (%s, %s, %s, %s, %s, %s)",
                    _sqlite_rows(chunk, STAGING_COLUMNS),
                )
            done += len(chunk)
            if on_progress:
                on_progress(done)


def prepare(frame: pd.DataFrame, *, run_id: int, on_progress: Callable[[int], None] | None = None) -> Prepared:
    """Outside the final transaction: stage the rows when they overlap stored ones (new rows are copied in by
    ``write``).

    ``frame``: as for ``stage``. The check here is a hint; ``write`` repeats it under the table lock.
    """
    if overlaps_stored(frame):
        stage(frame, on_progress=on_progress)
        return Prepared(frame=frame, staged=True)
    if on_progress:  # new rows: read and checked; ``write`` copies them in one go
        on_progress(len(frame))
    return Prepared(frame=frame, staged=False)


def _lock_for_new_rows() -> None:
    """PostgreSQL: block other writers of observations until commit (see the module docstring); readers go on."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Observation._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")


def _new_rows_result(frame: pd.DataFrame) -> UpsertResult:
    """Every row stored; the affected natural days per station computed from the frame (few distinct hours)."""
    codes, uniques = pd.factorize(frame["time"])
    day_of_time = observation_day(pd.Series(pd.DatetimeIndex(uniques))).to_numpy(dtype=object)
    pairs = pd.DataFrame({"station_id": frame["station_id"].to_numpy(), "day": codes}).drop_duplicates()
    result = UpsertResult(stored=len(frame))
    for station_id, day_codes in pairs.groupby("station_id")["day"]:
        result.affected_days[int(station_id)] = set(day_of_time[day_codes.to_numpy()])
    return result


def stored_within_days(frame: pd.DataFrame) -> bool:
    """Whether any stored observation of the frame's stations lies inside the natural days its hours belong to
    (HJ 663-2013 §3: day D runs from D 01:00 to D+1 00:00 China time)."""
    if frame.empty:
        return False
    start, end = natural_day_bounds(natural_day_of(frame["time"].min()), natural_day_of(frame["time"].max()))
    return Observation.objects.filter(
        station_id__in=[int(v) for v in frame["station_id"].unique()], time__gt=start, time__lte=end
    ).exists()


def _alongside(background: Callable[[], None], foreground: Callable[[], None]) -> None:
    """Run ``background`` in a thread while ``foreground`` runs here; re-raise the first failure after both end.

    Used for the ``COPY``: psycopg2 releases the GIL while libpq sends the rows and the server stores them, so
    the server's work (on its own core) and ours overlap.
    """
    failure: list[BaseException] = []

    def run() -> None:
        try:
            background()
        except BaseException as error:  # handed to the calling thread below
            failure.append(error)

    thread = threading.Thread(target=run, name="observation-copy")
    thread.start()
    try:
        foreground()
    finally:
        thread.join()
    if failure:
        raise failure[0]


def write(
    prepared: Prepared,
    *,
    run_id: int,
    while_copying: Callable[[pd.DataFrame], Callable[[], None] | None] | None = None,
) -> UpsertResult:
    """Inside the transaction: copy new rows straight in, or upsert the staged (or now overlapping) rows.

    ``while_copying(frame)`` is called when the rows are new and no stored observation of their stations lies
    inside the natural days they belong to, so the frame holds every hour of those days: the caller can compute
    the days' results from it instead of reading them back. It is called under the table lock and may read the
    database; the function it returns (if any) runs while the ``COPY`` goes on (PostgreSQL) and must not use
    the database connection. ``UpsertResult.whole_days`` says whether the rows were such whole days.
    """
    frame = prepared.frame
    if frame.empty:
        return UpsertResult()
    if not prepared.staged:
        _lock_for_new_rows()
        if overlaps_stored(frame):  # another ingest stored some of these rows since ``prepare``
            stage(frame)
            return apply(run_id=run_id)
        whole_days = while_copying is not None and not stored_within_days(frame)
        work = while_copying(frame) if whole_days and while_copying is not None else None
        table = Observation._meta.db_table
        counted: list[UpsertResult] = []

        def count_and_work() -> None:  # pure computation, done while the server stores the rows
            counted.append(_new_rows_result(frame))
            if work is not None:
                work()

        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":

                def copy() -> None:
                    _copy_in(cursor, table, OBSERVATION_COLUMNS, _CopyRows(frame, OBSERVATION_COLUMNS, run_id=run_id))

                _alongside(copy, count_and_work)
            else:
                names = ", ".join(_q(name) for name in OBSERVATION_COLUMNS)
                statement = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(OBSERVATION_COLUMNS))})"  # noqa: S608 - identifiers only, see top
                for chunk in _chunks(frame):
                    cursor.executemany(statement, _sqlite_rows(chunk.assign(ingest_run_id=run_id), OBSERVATION_COLUMNS))
                count_and_work()
        result = counted[0]
        result.whole_days = whole_days
        return result
    return apply(run_id=run_id)


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
                f"SELECT station_id, (({time} AT TIME ZONE '{CHINA_TZ_NAME}') - interval '1 hour')::date AS day, "
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
            f"SELECT s.station_id, s.{time}, o.station_id IS NULL FROM {STAGING_TABLE} s LEFT JOIN {table} o ON {join} "  # noqa: S608 - identifiers only, see top
            f"WHERE o.station_id IS NULL OR ({_changes_condition('o', 's')})"
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


# --------------------------------------------------------------------------------------------------
# Stored results: rows of a frame upserted on their natural key
# --------------------------------------------------------------------------------------------------
COPY_NULL = r"\N"


def _memoised(series: pd.Series, convert: Callable[[Any], Any]) -> list[Any]:
    memo: dict[Any, Any] = {}
    out = []
    for value in series.tolist():
        key = tuple(value) if isinstance(value, list) else value
        if key not in memo:
            memo[key] = convert(value)
        out.append(memo[key])
    return out


def _column_values(model_field: models.Field[Any, Any], series: pd.Series, *, postgres: bool) -> list[Any]:
    """A frame column as plain Python values the database takes (None for missing), by the field's type."""
    if isinstance(model_field, models.JSONField):  # lists of pollutant codes: few distinct ones
        return _memoised(series, lambda v: json.dumps(list(v) if isinstance(v, tuple | list) else []))
    if isinstance(model_field, models.DateTimeField):  # one computation time per write
        return _memoised(series, (lambda v: v.isoformat()) if postgres else connection.ops.adapt_datetimefield_value)
    if isinstance(model_field, models.DateField):
        return pd.to_datetime(series).dt.strftime("%Y-%m-%d").tolist()
    if isinstance(model_field, models.BooleanField):
        return [bool(v) for v in series.tolist()]
    if isinstance(model_field, models.CharField):
        return [str(v) for v in series.tolist()]
    # Numbers; pandas may hold integers as floats with NaN, as Int64 with NA or as objects with None.
    number = float if isinstance(model_field, models.FloatField) else int
    missing = series.isna().tolist()
    return [None if gap else number(v) for v, gap in zip(series.tolist(), missing, strict=True)]


@dataclass
class RowsPayload:
    """Rows of a model ready to write (``rows_payload``): the SQL parts and the values, converted by field type."""

    table: str
    staging: str
    names: str
    width: int
    conflict: str
    rows: int
    csv_text: str = ""  # PostgreSQL
    values: list[tuple[Any, ...]] = field(default_factory=list)  # SQLite


def rows_payload(
    model: type[models.Model], frame: pd.DataFrame, *, key: Sequence[str], update: Sequence[str]
) -> RowsPayload:
    """Convert ``frame``'s rows for ``rows_write``; no database access, so it can run while a ``COPY`` holds
    the connection. ``frame`` has a column per field named in ``key`` and ``update`` (foreign keys by their
    ``…_id`` column), one row per key."""
    opts = model._meta
    fields = [opts.get_field(name) for name in dict.fromkeys([*key, *update])]
    postgres = connection.vendor == "postgresql"
    data = [_column_values(f, frame[f.attname], postgres=postgres) for f in fields]  # type: ignore[union-attr]
    key_names = ", ".join(_q(opts.get_field(name).column) for name in key)  # type: ignore[union-attr]
    updates = ", ".join(f"{_q(f.column)} = EXCLUDED.{_q(f.column)}" for f in fields[len(key) :])  # type: ignore[union-attr]
    payload = RowsPayload(
        table=_q(opts.db_table),
        staging=_q(f"{opts.db_table}_staging"),
        names=", ".join(_q(f.column) for f in fields),  # type: ignore[union-attr]
        width=len(fields),
        conflict=f"ON CONFLICT ({key_names}) DO UPDATE SET {updates}",
        rows=len(frame),
    )
    if postgres:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerows([COPY_NULL if v is None else v for v in row] for row in zip(*data, strict=True))
        payload.csv_text = buffer.getvalue()
    else:
        payload.values = list(zip(*data, strict=True))
    return payload


def rows_write(payload: RowsPayload) -> int:
    """Insert the rows, or update the stored rows with the same natural key; returns the rows. PostgreSQL:
    ``COPY`` into a temporary table shaped like the model's, then one ``INSERT … SELECT … ON CONFLICT (key) DO
    UPDATE``; SQLite: the same upsert through ``executemany``."""
    if not payload.rows:
        return 0
    table, staging, names = payload.table, payload.staging, payload.names
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TABLE IF EXISTS {staging}")
            cursor.execute(f"CREATE TEMPORARY TABLE {staging} AS SELECT {names} FROM {table} WITH NO DATA")  # noqa: S608 - identifiers only, see top
            cursor.cursor.copy_expert(  # type: ignore[attr-defined]
                f"COPY {staging} ({names}) FROM STDIN WITH (FORMAT csv, NULL '{COPY_NULL}')",
                io.StringIO(payload.csv_text),
            )
            cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {staging} WHERE true {payload.conflict}")  # noqa: S608 - identifiers only, see top
            cursor.execute(f"DROP TABLE {staging}")
        else:
            placeholders = ", ".join(["%s"] * payload.width)
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({placeholders}) {payload.conflict}",  # noqa: S608 - identifiers only, see top
                payload.values,
            )
    return payload.rows


def frame_upsert(model: type[models.Model], frame: pd.DataFrame, *, key: Sequence[str], update: Sequence[str]) -> int:
    """Insert the rows of ``frame``, or update the stored rows with the same natural ``key``; returns the rows
    (``rows_payload`` then ``rows_write``). Values are converted by field type, column by column, without
    building model instances."""
    if frame.empty:
        return 0
    return rows_write(rows_payload(model, frame, key=key, update=update))
