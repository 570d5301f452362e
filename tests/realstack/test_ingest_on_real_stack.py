"""The ingest through a real Celery worker on Redis and PostgreSQL (CI: .ci/run starts the worker).

The worker is bound to the test database, so these tests commit (``transaction=True``) and the worker sees
the run rows. The worker and the test share MEDIA_ROOT (the default ``var/media``), so the stored original
can be read by the worker.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection

from monitoring import services, tasks
from monitoring.models import IngestRun, Observation
from tests.data import CNEMC_DIR
from tests.services import require, tcp_reachable

pytestmark = pytest.mark.realstack
DATA = CNEMC_DIR
WAIT_SECONDS = 120


def worker_idle_wait() -> None:
    """Wait until the worker has finished every task the test set off, the ones the test does not wait for
    included (the progress scores after a recompute), so that the flush that ends the test does not meet
    their writes. Idle: nothing queued and the worker answers that it holds nothing, twice in a row (a solo
    worker answers only between tasks, so no answer means busy)."""
    from liaocheng_air.celery import app

    deadline = time.monotonic() + WAIT_SECONDS
    idle_checks = 0
    with app.connection_for_read() as connection_to_broker:
        redis = connection_to_broker.default_channel.client
        while idle_checks < 2:
            if time.monotonic() > deadline:
                pytest.fail(f"the worker was still busy {WAIT_SECONDS} s after the test")
            inspect = app.control.inspect(timeout=1.0, limit=1)
            active, reserved = inspect.active(), inspect.reserved()
            idle = (
                redis.llen(app.conf.task_default_queue) == 0
                and active is not None
                and reserved is not None
                and not any([*active.values(), *reserved.values()])
            )
            idle_checks = idle_checks + 1 if idle else 0
            time.sleep(0.2)


@pytest.fixture
def real_stack(settings: Any) -> Iterator[None]:
    require("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database")
    require(
        "One test process",
        "PYTEST_XDIST_WORKER" not in os.environ,
        "the Celery worker is bound to one test database: run these with `make test TEST_WORKERS=0`",
    )
    broker = django_settings.CELERY_BROKER_URL
    require(
        "Celery broker",
        not django_settings.CELERY_TASK_ALWAYS_EAGER and tcp_reachable(broker, 6379),
        "set CELERY_BROKER_URL and start a worker bound to the test database (see .ci/run)",
    )
    # The worker runs with the default MEDIA_ROOT; the autouse per-test folder would be invisible to it.
    settings.MEDIA_ROOT = Path(django_settings.VAR_DIR) / "media"
    yield
    worker_idle_wait()


def run_on_worker(content: bytes, name: str) -> IngestRun:
    run = services.ingest_run_create(content=content, file_name=name, source=IngestRun.Source.COMMAND)
    try:
        tasks.ingest_file.delay(run.pk).get(timeout=WAIT_SECONDS)
    finally:
        run.refresh_from_db()
        run.file.delete(save=False)
    return run


@pytest.mark.django_db(transaction=True)
def test_worker_ingests_long_and_cnemc_files_to_the_same_observations(real_stack: None) -> None:
    long_run = run_on_worker((DATA / "hourly_2023-06-01.csv").read_bytes(), "hourly_2023-06-01.csv")
    assert (long_run.state, long_run.values_stored) == (IngestRun.State.SUCCEEDED, 711)
    from_long = set(Observation.objects.values_list("station__code", "pollutant", "time", "value"))
    again = run_on_worker((DATA / "hourly_2023-06-01.csv").read_bytes(), "again.csv")
    assert (again.values_stored, again.values_updated, again.values_unchanged) == (0, 0, 711)
    Observation.objects.all().delete()
    # Three of the day's 24 hourly CNEMC files on the worker: the first hour, one with every row twice and
    # the day's 24:00 (the whole day, file by file, is tests/monitoring/test_ingest.py's, in process).
    raw = [DATA / "raw/2023-06-01T01.csv", DATA / "raw/2023-06-01T02.csv", DATA / "raw/2023-06-02T00.csv"]
    runs = [run_on_worker(path.read_bytes(), path.name) for path in raw]
    assert all(run.state == IngestRun.State.SUCCEEDED for run in runs)
    from_raw = set(Observation.objects.values_list("station__code", "pollutant", "time", "value"))
    hours = {time for _, _, time, _ in from_raw}
    assert len(hours) == 3
    assert from_raw == {row for row in from_long if row[2] in hours}
    assert sum(run.values_stored for run in runs) == len(from_raw)


@pytest.mark.django_db(transaction=True)
def test_copy_path_counts_inserts_updates_and_affected_days_on_postgresql(real_stack: None) -> None:
    header = b"station_code,time,pollutant,value\n"
    first = run_on_worker(header + b"1625A,2022-01-02T00:00+08:00,PM2.5,101\n", "a.csv")
    corrected = run_on_worker(
        header + b"1625A,2022-01-02T00:00+08:00,PM2.5,105\n1625A,2022-01-02T01:00+08:00,PM2.5,99\n", "b.csv"
    )
    assert (first.values_stored, first.values_updated) == (1, 0)
    assert (corrected.values_stored, corrected.values_updated) == (1, 1)
    assert sorted(corrected.affected_days) == [["1625A", "2022-01-01"], ["1625A", "2022-01-02"]]
    assert sorted(Observation.objects.values_list("value", flat=True)) == [99.0, 105.0]


@pytest.mark.django_db(transaction=True)
def test_unreadable_file_fails_cleanly_on_the_worker(real_stack: None) -> None:
    run = run_on_worker(b"not,a,station,file\n1,2,3,4\n", "bad.csv")
    assert run.state == IngestRun.State.FAILED
    assert run.error_message
    assert Observation.objects.count() == 0
