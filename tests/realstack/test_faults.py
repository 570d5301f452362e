"""Real faults on a real stack: a Celery worker process killed during an ingest, Redis killed while the
worker runs a task. Each test starts its own Redis server (a free port, nothing kept on disk) and its own
worker process bound to the test database, so that killing them touches nothing else; after each fault the
stored results equal a clean rebuild and no run is left open.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from celery import Celery
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from monitoring import results, services
from monitoring.demo import demo_hourly_csv
from monitoring.models import AreaDay, AreaPeriod, IngestRun, Observation, StationDay, StationPeriod
from tests.services import require

pytestmark = pytest.mark.realstack
STATIONS = ("1625A", "2878A", "3200A", "3512A", "3513A")
WAIT_SECONDS = 120
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(condition: Callable[[], bool], what: str, seconds: float = WAIT_SECONDS, every: float = 0.2) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {seconds:.0f} s")
        time.sleep(every)


class PrivateStack:
    """A Redis server and Celery workers of this test only."""

    def __init__(self, tmp_path: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.logs = tmp_path
        self.redis: subprocess.Popen[bytes] | None = None
        self.workers: list[subprocess.Popen[bytes]] = []
        # The test's own client of the private broker: the project's app may point elsewhere (CI's Redis) or
        # nowhere (eager), and its control commands would go there.
        self.client = Celery("fault-test-client", broker=self.url, backend=self.url, set_as_current=False)
        # Celery reads CELERY_BROKER_URL from the environment before the broker given here (CI sets it for its
        # own worker, which would then take this test's tasks); the read and write URLs come first.
        self.client.conf.broker_read_url = self.client.conf.broker_write_url = self.url
        self.client.conf.task_default_queue = "celery"
        self.orphaned: set[bytes] = set()

    def redis_start(self) -> None:
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def answers() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return True
            except OSError:
                return False

        wait_for(answers, "the private Redis server answers", 20)

    def redis_kill(self) -> None:
        assert self.redis is not None
        self.redis.kill()
        self.redis.wait()

    def worker_start(self, **extra_env: str) -> subprocess.Popen[bytes]:
        database = connection.settings_dict
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{database['USER'] or 'postgres'}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}",
            "CELERY_BROKER_URL": self.url,
            "CELERY_RESULT_BACKEND": self.url,
            "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
            "CONN_MAX_AGE": "0",
            **extra_env,
        }
        log = (self.logs / f"worker-{len(self.workers)}.log").open("wb")
        worker = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "celery"),
                "-A",
                "liaocheng_air",
                "worker",
                "--pool=solo",
                "--loglevel=warning",
                "--without-mingle",
                "--without-gossip",
                f"--hostname=fault-{self.port}-{len(self.workers)}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.workers.append(worker)
        return worker

    def worker_kill(self, worker: subprocess.Popen[bytes]) -> None:
        """SIGKILL: no warm shutdown, no failure handler. What it held stays unacknowledged in Redis until the
        visibility timeout (35 minutes) and is then delivered again."""
        worker.kill()
        worker.wait()
        with self.client.connection_for_read() as broker:
            self.orphaned |= set(broker.default_channel.client.hkeys("unacked"))

    def tasks_in_hand(self) -> list[str]:
        """The names of the tasks delivered and not yet acknowledged."""
        import json

        with self.client.connection_for_read() as broker:
            held = broker.default_channel.client.hvals("unacked")
        return [json.loads(item)[0]["headers"]["task"] for item in held]

    def send(self, task: str, *args: Any) -> None:
        self.client.send_task(task, args=list(args))

    def enqueue_run(self, run: IngestRun) -> None:
        self.send("monitoring.tasks.ingest_file", run.pk)

    def enqueue_recompute(self, run_id: int) -> None:
        self.send("monitoring.tasks.recompute_after_ingest", run_id)

    def wait_idle(self) -> None:
        """Until nothing is queued and nothing delivered is unacknowledged (every task acknowledges late, so a
        task in hand is in Redis's ``unacked`` hash; a killed worker's stays there, ``worker_kill``), twice in a
        row."""
        calm = 0
        deadline = time.monotonic() + WAIT_SECONDS
        with self.client.connection_for_read() as broker:
            redis = broker.default_channel.client
            while calm < 2:
                if time.monotonic() > deadline:
                    pytest.fail(f"the private worker was still busy after {WAIT_SECONDS} s\n{self.log()}")
                in_hand = set(redis.hkeys("unacked")) - self.orphaned
                idle = redis.llen("celery") == 0 and not in_hand
                calm = calm + 1 if idle else 0
                time.sleep(0.5)

    def log(self) -> str:
        return "\n".join(path.read_text(errors="replace")[-3000:] for path in sorted(self.logs.glob("worker-*.log")))

    def stop(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)  # warm shutdown: the task in hand is finished first
        for worker in self.workers:
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        if self.redis is not None and self.redis.poll() is None:
            self.redis_kill()
        self.client.close()


@pytest.fixture
def private_stack(settings: Any, tmp_path: Path) -> Iterator[PrivateStack]:
    require("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database")
    require(
        "One test process",
        "PYTEST_XDIST_WORKER" not in os.environ,
        "the private worker is bound to one test database: run these with `make test TEST_WORKERS=0`",
    )
    require("redis-server", shutil.which("redis-server") is not None, "install Debian's redis-server")
    settings.MEDIA_ROOT = Path(django_settings.VAR_DIR) / "media"
    stack = PrivateStack(tmp_path)
    stack.redis_start()
    try:
        yield stack
    finally:
        stack.stop()


def year_file() -> bytes:
    """A year of five stations: long enough an ingest (a few seconds) to be interrupted."""
    return demo_hourly_csv(STATIONS, first=date(2023, 1, 1), last=date(2023, 12, 31))


def recorded_run(content: bytes, name: str) -> IngestRun:
    return services.ingest_run_create(content=content, file_name=name, source=IngestRun.Source.SCHEDULED)


def state_of(run: IngestRun) -> str:
    run.refresh_from_db()
    return str(run.state)


def stored_results() -> dict[str, list[tuple[Any, ...]]]:
    """Every stored day, month and year, without the time it was computed, in a stable order."""
    stored: dict[str, list[tuple[Any, ...]]] = {}
    for model in (StationDay, AreaDay, StationPeriod, AreaPeriod):
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in {"id", "computed_at"}]
        stored[model.__name__] = sorted(model.objects.values_list(*fields), key=repr)
    return stored


def clean_rebuild() -> None:
    """Every result recomputed from the stored observations in this process, stage by stage."""
    plan = results.plan_full()
    for unit in plan.station_units:
        results.run_station_unit(unit)
    for unit in plan.area_units:
        results.run_area_unit(unit)
    for unit in plan.period_units:
        results.run_period_unit(unit)


def assert_results_equal_a_clean_rebuild() -> None:
    after_fault = stored_results()
    assert after_fault["StationDay"], "the ingest stored no results"
    clean_rebuild()
    assert stored_results() == after_fault


def assert_no_run_left_open() -> None:
    assert not IngestRun.objects.filter(state__in=[IngestRun.State.QUEUED, IngestRun.State.RUNNING]).exists()
    assert not IngestRun.objects.filter(recompute_pending=True).exists()


def results_settled() -> bool:
    """The recompute after the ingest has run to its last stage (the year of every station is stored)."""
    return not IngestRun.objects.filter(recompute_pending=True).exists() and StationPeriod.objects.filter(
        period="year", start=date(2023, 1, 1)
    ).count() >= len(STATIONS)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_during_an_ingest_leaves_nothing_written_and_the_reaper_finishes_the_run(
    private_stack: PrivateStack,
) -> None:
    run = recorded_run(year_file(), "year-2023.csv")
    worker = private_stack.worker_start()
    private_stack.enqueue_run(run)
    wait_for(lambda: state_of(run) == IngestRun.State.RUNNING, "the worker takes the run", every=0.02)
    private_stack.worker_kill(worker)
    assert state_of(run) == IngestRun.State.RUNNING
    assert not StationDay.objects.exists()  # nothing half-written: the ingest's writes are one transaction

    private_stack.worker_start()
    report = services.ingest_runs_reap(
        enqueue=private_stack.enqueue_run,
        recompute=private_stack.enqueue_recompute,
        now=timezone.now() + timedelta(seconds=django_settings.INGEST_RUN_LEASE_SECONDS + 60),
    )
    assert report.requeued == [run.pk]
    wait_for(lambda: state_of(run) == IngestRun.State.SUCCEEDED, f"the run is ingested again\n{private_stack.log()}")
    wait_for(results_settled, "the recompute after the ingest")
    private_stack.wait_idle()
    run.refresh_from_db()
    assert (run.requeued, run.values_stored) == (1, Observation.objects.count())
    assert_no_run_left_open()
    assert_results_equal_a_clean_rebuild()


@pytest.mark.django_db(transaction=True)
def test_the_worker_survives_redis_going_away_during_a_task_and_works_on_when_it_is_back(
    private_stack: PrivateStack,
) -> None:
    # Two years: the ingest runs a few seconds, and Redis is killed within moments of its start.
    two_years = demo_hourly_csv(STATIONS, first=date(2022, 1, 1), last=date(2023, 12, 31))
    run = recorded_run(two_years, "years-2022-2023.csv")
    worker = private_stack.worker_start()
    private_stack.enqueue_run(run)
    wait_for(lambda: state_of(run) == IngestRun.State.RUNNING, "the worker takes the run", every=0.01)
    private_stack.redis_kill()  # the broker and result backend are gone while the ingest runs
    wait_for(lambda: state_of(run) != IngestRun.State.RUNNING, "the ingest finishes without Redis")
    run.refresh_from_db()
    # The values are committed and the run says so, whatever became of the message for its recompute (it
    # stays pending when it could not be sent; the reaper below sends it again).
    assert run.state == IngestRun.State.SUCCEEDED
    time.sleep(3.0)  # the worker meets the lost connection and keeps trying
    assert worker.poll() is None, f"the worker exited without Redis\n{private_stack.log()}"

    private_stack.redis_start()  # back, empty: every message it held is lost
    later = recorded_run(demo_hourly_csv(STATIONS, first=date(2024, 1, 1), last=date(2024, 1, 2)), "jan-2024.csv")
    private_stack.enqueue_run(later)
    wait_for(lambda: state_of(later) == IngestRun.State.SUCCEEDED, f"the worker works on\n{private_stack.log()}")
    report = services.ingest_runs_reap(
        enqueue=private_stack.enqueue_run,
        recompute=private_stack.enqueue_recompute,
        now=timezone.now() + timedelta(seconds=django_settings.INGEST_QUEUE_DEADLINE_SECONDS + 60),
    )
    # Read after the reaper: the lost recompute may also have been sent once Redis was back (the worker's
    # publish retries), in which case it ran and there was nothing left to restart.
    run.refresh_from_db()
    assert run.pk in report.recompute_restarted or not run.recompute_pending
    wait_for(results_settled, "the recompute the reaper started")
    private_stack.wait_idle()
    assert worker.poll() is None
    assert_no_run_left_open()
    assert_results_equal_a_clean_rebuild()


@pytest.mark.django_db(transaction=True)
def test_an_ingest_during_a_full_recompute_leaves_the_results_of_a_clean_rebuild(
    private_stack: PrivateStack,
) -> None:
    """Two workers: a full recompute of the year and an ingest of corrected hours run side by side; whichever
    writes last, no result older than the correction stays (monitoring.locks)."""
    first = recorded_run(year_file(), "year-2023.csv")
    private_stack.worker_start()
    private_stack.worker_start()
    private_stack.enqueue_run(first)
    wait_for(lambda: state_of(first) == IngestRun.State.SUCCEEDED, "the year is ingested")
    private_stack.wait_idle()

    lines = year_file().decode().splitlines()  # the same hours, every June value 11 higher
    header, rows = lines[0], lines[1:]
    rows = [
        ",".join([*row.split(",")[:2], *[str(float(v) + 11) if v else v for v in row.split(",")[2:]]])
        if ",2023-06-" in row
        else row
        for row in rows
    ]
    correction = recorded_run(("\n".join([header, *rows]) + "\n").encode(), "corrected-2023.csv")
    private_stack.send("monitoring.tasks.results_stage", results.plan_full(year=2023).as_dict(), 0)
    private_stack.enqueue_run(correction)
    wait_for(lambda: state_of(correction) == IngestRun.State.SUCCEEDED, "the correction is ingested")
    private_stack.wait_idle()
    assert correction.values_updated > 0
    assert_no_run_left_open()
    assert_results_equal_a_clean_rebuild()


@pytest.mark.django_db(transaction=True)
def test_a_database_connection_dropped_during_the_copy_is_retried_and_the_run_finishes(
    private_stack: PrivateStack,
) -> None:
    """PostgreSQL ends the worker's connection in the middle of the ingest's COPY (as a restart does): the
    raw psycopg2 error is a transient one, the task tries again after its pause, takes its run back and
    stores it whole."""
    run = recorded_run(year_file(), "year-2023.csv")
    private_stack.worker_start()
    private_stack.enqueue_run(run)
    copying = (
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
        "AND query ILIKE 'COPY%%'"
    )
    ended: list[int] = []

    def end_the_copy() -> bool:
        with connection.cursor() as cursor:
            cursor.execute(copying)
            pids = [row[0] for row in cursor.fetchall()]
            for pid in pids:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        ended.extend(pids)
        return bool(pids)

    wait_for(end_the_copy, "the worker's COPY is under way", every=0.01)
    wait_for(
        lambda: state_of(run) == IngestRun.State.SUCCEEDED, f"the run is retried and stored\n{private_stack.log()}"
    )
    wait_for(results_settled, "the recompute after the ingest")
    private_stack.wait_idle()
    run.refresh_from_db()
    assert ended
    assert (run.requeued, run.values_stored) == (0, Observation.objects.count())
    assert_no_run_left_open()
    assert_results_equal_a_clean_rebuild()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_during_a_recompute_has_its_task_delivered_again_and_the_results_complete(
    private_stack: PrivateStack,
) -> None:
    """The worker dies in the middle of the recompute fan-out. What it held stays unacknowledged in Redis
    and, after the visibility timeout (shortened to 6 s here; 35 minutes in production, above the longest
    task), another worker takes it up: the results complete without anyone running a command."""
    quick_redelivery = {"CELERY_VISIBILITY_TIMEOUT": "6"}
    first = recorded_run(year_file(), "year-2023.csv")
    worker = private_stack.worker_start(**quick_redelivery)
    private_stack.enqueue_run(first)
    wait_for(lambda: state_of(first) == IngestRun.State.SUCCEEDED, "the year is ingested")
    private_stack.wait_idle()
    for model in (StationDay, AreaDay, StationPeriod, AreaPeriod):
        model.objects.all().delete()

    private_stack.send("monitoring.tasks.results_stage", results.plan_full(year=2023).as_dict(), 0)
    unit_tasks = {"monitoring.tasks.results_station_days", "monitoring.tasks.results_area_days"}
    wait_for(lambda: bool(unit_tasks & set(private_stack.tasks_in_hand())), "a recompute unit is in hand", every=0.01)
    private_stack.worker_kill(worker)
    private_stack.orphaned.clear()  # they are to be delivered again this time
    private_stack.worker_start(**quick_redelivery)
    wait_for(results_settled, f"the recompute completes on the other worker\n{private_stack.log()}", seconds=90)
    private_stack.wait_idle()
    assert_no_run_left_open()
    assert_results_equal_a_clean_rebuild()
