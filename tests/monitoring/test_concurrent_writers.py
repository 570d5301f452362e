"""Concurrent writers of the stored results do not lose updates (monitoring.locks): a slow recompute that read
the hours before a correction was ingested cannot store its old daily values over the new ones. PostgreSQL,
two connections (threads); the embedded SQLite default has one writer at a time and runs work in process."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from django.db import connection, connections

from monitoring import results, selectors, services
from monitoring.models import IngestRun, StationDay
from tests.monitoring.results_data import long_file
from tests.services import require

# PostgreSQL's (CI's real-stack stage): the lock is an advisory lock of PostgreSQL.
pytestmark = [pytest.mark.realstack, pytest.mark.django_db(transaction=True)]
D1 = date(2025, 3, 1)


def ingest(content: bytes) -> IngestRun:
    run = services.ingest_run_create(content=content, file_name="hours.csv", source=IngestRun.Source.COMMAND)
    return services.ingest_run_execute(run_id=run.pk, recompute=None)


def in_thread(work: Any, name: str) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread, errors


def test_a_slow_recompute_does_not_put_back_daily_values_older_than_a_correction(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    require("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database")
    ingest(long_file([D1], stations=("1625A",)))
    results.station_days_recompute(station_codes=["1625A"], first=D1, last=D1)
    assert StationDay.objects.get(station__code="1625A", date=D1).pm25 == 40

    # The slow recompute reads the hours, then stalls before it writes.
    has_read, may_write = threading.Event(), threading.Event()
    real_read = selectors.observations_frame

    def read_then_stall(**kwargs: Any) -> Any:
        frame = real_read(**kwargs)
        if threading.current_thread().name == "slow":
            has_read.set()
            assert may_write.wait(30)
        return frame

    monkeypatch.setattr(selectors, "observations_frame", read_then_stall)
    slow, slow_errors = in_thread(
        lambda: results.station_days_recompute(station_codes=["1625A"], first=D1, last=D1), name="slow"
    )
    assert has_read.wait(30)

    # Meanwhile a correction is ingested (every hour of the day now 150) and its own recompute runs.
    ingest(long_file([D1], stations=("1625A",), overrides={D1: {"PM2.5": 150}}))
    follow_up, follow_up_errors = in_thread(
        lambda: results.station_days_recompute(station_codes=["1625A"], first=D1, last=D1), name="follow-up"
    )
    follow_up.join(2)  # it waits for the slow writer (with the lock); without it, it would be done by now
    may_write.set()
    slow.join(30)
    follow_up.join(30)
    assert not slow_errors
    assert not follow_up_errors
    assert StationDay.objects.get(station__code="1625A", date=D1).pm25 == 150
