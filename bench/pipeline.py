"""Benchmark (not a test): ingest + recompute of one year of hourly data vs a raw COPY, on PostgreSQL.

    make bench                                 # 40 and 400 stations
    .venv/bin/python bench/pipeline.py --stations 40

Uses the database of BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/liaocheng_air_bench),
created and migrated if missing; its monitoring tables are emptied before each size. For each size it

1. generates one year (2024) of synthetic hourly data (``monitoring.synthetic``) and writes it as a wide CSV;
2. times a raw ``COPY`` of the same values (station_id, pollutant, time, value) into a bare table;
3. times the pipeline a user waits for: the ingest through the real service (``ingest_run_create`` +
   ``ingest_run_execute``: parse, the binary COPY of the new rows with their station days computed alongside,
   ``monitoring.upsert``), then the recompute the ingest enqueues (``results.plan_for_run``: county and city
   days, months and year, raw and dust-deducted), in-process as in eager mode;
4. times the full rebuild of every stored result from the stored hours (``plan_full``, what
   ``manage.py recompute`` and the nightly job run), station days included;
5. prints the times and the ratios to the raw COPY. Issue 3's bar: ingest + recompute for 40 stations within
   3x the raw COPY. A ``CHECKPOINT`` precedes each timed write so none pays for the previous one's WAL.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/liaocheng_air_bench"
YEAR = 2024


def _ensure_database(url: str) -> None:
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    config = dj_database_url.parse(url)
    admin = psycopg2.connect(dbname="postgres", user=config["USER"], host=config["HOST"], port=config["PORT"] or 5432)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    admin.close()


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.pop("CELERY_BROKER_URL", None)  # eager: the tasks run in this process
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaocheng_air.settings")
    os.environ.setdefault("MEDIA_ROOT", str(ROOT / "var" / "bench-media"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = os.environ["MEDIA_ROOT"]
    call_command("migrate", verbosity=0)
    from areas.services import areas_load

    areas_load()


def _reset() -> None:
    from django.db import connection

    from monitoring.models import (
        AreaDay,
        AreaPeriod,
        AssessmentStation,
        IngestRun,
        Observation,
        Station,
        StationDay,
        StationPeriod,
    )

    models = (Observation, StationDay, AreaDay, StationPeriod, AreaPeriod, IngestRun, AssessmentStation)
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        # Table names come from the models, never from input.
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        cursor.execute(f"DELETE FROM {Station._meta.db_table}")  # noqa: S608 - a model's table name
        cursor.execute("DROP TABLE IF EXISTS bench_raw_copy")


def _checkpoint() -> None:
    """Flush the WAL of the previous step first, so no timed step pays for another's checkpoint."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")


def _stations(n: int) -> list[str]:
    """n stations spread over the eight counties; one in ten national (the city's assessment stations)."""
    from areas.models import Area
    from monitoring import services

    counties = list(Area.objects.filter(kind=Area.Kind.COUNTY).order_by("code").values_list("code", flat=True))
    lines = ["code,name,county_code,network,latitude,longitude"]
    codes = []
    for index in range(n):
        code = f"B{index:04d}"
        network = "national" if index % 10 == 0 else "county"
        lines.append(f"{code},bench {index},{counties[index % len(counties)]},{network},36.4,116.0")
        codes.append(code)
    services.stations_import(content=("\n".join(lines) + "\n").encode())
    return codes


def _raw_copy_seconds(wide_long: object) -> float:
    """COPY the same values into a bare table (no key, no index): the floor any ingest is measured against."""
    import pandas as pd
    from django.db import connection

    frame: pd.DataFrame = wide_long  # type: ignore[assignment]
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, header=False)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_raw_copy (station_id bigint, pollutant smallint, time timestamptz, "
            "value double precision)"
        )
        buffer.seek(0)
        started = time.perf_counter()
        cursor.cursor.copy_expert("COPY bench_raw_copy FROM STDIN WITH (FORMAT csv)", buffer)
        connection.commit() if not connection.get_autocommit() else None
        return time.perf_counter() - started


def run(n_stations: int) -> dict[str, float]:
    import pandas as pd

    from monitoring import results, services
    from monitoring.aqi import DISPLAY_NAMES
    from monitoring.models import POLLUTANT_BY_CODE, AreaDay, IngestRun, Station, StationDay
    from monitoring.synthetic import synthetic_hourly_wide

    _reset()
    codes = _stations(n_stations)
    ids = dict(Station.objects.values_list("code", "id"))
    started = time.perf_counter()
    wide = synthetic_hourly_wide(codes, start=date(YEAR, 1, 1), end=date(YEAR, 12, 31), seed=7)
    long = wide.melt(id_vars=["station", "time"], var_name="pollutant", value_name="value").dropna()
    values = len(long)
    raw = pd.DataFrame(
        {
            "station_id": long["station"].map(ids),
            "pollutant": long["pollutant"].map({c: int(v) for c, v in POLLUTANT_BY_CODE.items()}),
            "time": long["time"].dt.tz_convert("UTC").dt.strftime("%Y-%m-%d %H:%M:%S+00"),
            "value": long["value"],
        }
    )
    del long
    out = wide.rename(columns={"station": "station_code", **DISPLAY_NAMES})
    out["time"] = out["time"].dt.strftime("%Y-%m-%dT%H:%M+08:00")
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, float_format="%g")
    content = buffer.getvalue().encode()
    del out, wide
    prepare = time.perf_counter() - started

    _checkpoint()
    copy_seconds = _raw_copy_seconds(raw)
    del raw

    # The ingest alone (with the results it computes from the file): the recompute it would start after
    # commit is left out here and timed next, the same work run in-process.
    _checkpoint()
    started = time.perf_counter()
    run_ = services.ingest_run_create(content=content, file_name="bench.csv", source=IngestRun.Source.COMMAND)
    run_ = services.ingest_run_execute(run_id=run_.pk, recompute=lambda run_id: None)
    ingest_seconds = time.perf_counter() - started
    assert run_.state == IngestRun.State.SUCCEEDED, run_.error_message
    assert run_.values_stored == values, (run_.values_stored, values)

    started = time.perf_counter()
    results.plan_execute_inline(results.plan_for_run(run_.pk))
    recompute_seconds = time.perf_counter() - started
    counts = (StationDay.objects.count(), AreaDay.objects.count())

    # The full rebuild (``manage.py recompute``, the nightly job): every result again from the stored hours.
    _checkpoint()
    started = time.perf_counter()
    results.plan_execute_inline(results.plan_full())
    full_seconds = time.perf_counter() - started
    assert (StationDay.objects.count(), AreaDay.objects.count()) == counts
    figures = {
        "stations": n_stations,
        "values": values,
        "prepare_s": prepare,
        "copy_s": copy_seconds,
        "ingest_s": ingest_seconds,
        "recompute_s": recompute_seconds,
        "pipeline_s": ingest_seconds + recompute_seconds,
        "full_recompute_s": full_seconds,
        "station_days": counts[0],
        "area_days": counts[1],
    }
    figures["ingest_x_copy"] = ingest_seconds / copy_seconds
    figures["pipeline_x_copy"] = figures["pipeline_s"] / copy_seconds
    figures["full_x_copy"] = full_seconds / copy_seconds
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stations", type=int, nargs="*", default=[40, 400])
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    _ensure_database(url)
    _setup(url)
    print(f"PostgreSQL benchmark, one year ({YEAR}) of hourly data, database {url.rsplit('/', 1)[-1]}")
    header = (
        f"{'stations':>8} {'values':>11} {'COPY s':>7} {'ingest s':>9} {'recompute s':>12} {'pipeline s':>11} "
        f"{'pipeline/COPY':>14} {'full recompute s':>17} {'full/COPY':>10}"
    )
    print(header)
    worst = 0.0
    for n in args.stations:
        f = run(n)
        print(
            f"{f['stations']:>8} {f['values']:>11,} {f['copy_s']:>7.2f} {f['ingest_s']:>9.2f} "
            f"{f['recompute_s']:>12.2f} {f['pipeline_s']:>11.2f} {f['pipeline_x_copy']:>14.2f} "
            f"{f['full_recompute_s']:>17.2f} {f['full_x_copy']:>10.2f}",
            flush=True,
        )
        if n == 40:
            worst = max(worst, f["pipeline_x_copy"])
    if 40 in args.stations:
        verdict = "met" if worst <= 3 else "NOT met"
        print(f"issue 3 bar (40 stations: ingest + recompute <= 3x raw COPY): {verdict} (worst run {worst:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
