"""Tasks retry the named transient errors only (areas.retries), and an ingest's last failed try fails its run."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError

from areas.retries import MAX_RETRIES
from monitoring import services, tasks
from monitoring.models import IngestRun

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def retries_run_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Eager Celery runs a retry at once, in-process; a task's failure is its result, not raised here."""
    monkeypatch.setitem(tasks.ingest_file.app.conf, "task_eager_propagates", False)


CONTENT = b"station_code,time,pollutant,value\n1625A,2022-01-01T01:00+08:00,PM10,120\n"


def flaky(monkeypatch: pytest.MonkeyPatch, failures: int, error: Exception) -> list[int]:
    """services.ingest_run_execute fails ``failures`` times with ``error`` once it has claimed the run, then
    works."""
    calls: list[int] = []
    real = services.ingest_run_execute

    def execute(**kwargs: Any) -> IngestRun:
        calls.append(1)
        if len(calls) <= failures:
            services.ingest_run_claim(run_id=kwargs["run_id"], claim=kwargs["claim"])
            raise error
        return real(**kwargs)

    monkeypatch.setattr(services, "ingest_run_execute", execute)
    return calls


def new_run() -> IngestRun:
    return services.ingest_run_create(content=CONTENT, file_name="hours.csv", source=IngestRun.Source.COMMAND)


def test_a_transient_database_error_is_retried_and_the_run_then_succeeds(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = flaky(monkeypatch, failures=2, error=OperationalError("server closed the connection"))
    run = new_run()
    tasks.ingest_file.apply(args=[run.pk])
    run.refresh_from_db()
    assert (len(calls), run.state, run.values_stored) == (3, IngestRun.State.SUCCEEDED, 1)


def test_a_raw_psycopg2_error_of_the_copy_path_is_retried_too(monkeypatch: pytest.MonkeyPatch) -> None:
    import psycopg2

    calls = flaky(monkeypatch, failures=1, error=psycopg2.OperationalError("terminating connection"))
    run = new_run()
    tasks.ingest_file.apply(args=[run.pk])
    run.refresh_from_db()
    assert (len(calls), run.state) == (2, IngestRun.State.SUCCEEDED)


def test_after_the_last_try_the_run_is_failed_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = flaky(monkeypatch, failures=99, error=OperationalError("database is locked"))
    run = new_run()
    result = tasks.ingest_file.apply(args=[run.pk])
    run.refresh_from_db()
    assert len(calls) == MAX_RETRIES + 1
    assert result.failed()
    assert run.state == IngestRun.State.FAILED
    assert "database is locked" in run.error_message


def test_any_other_error_fails_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = flaky(monkeypatch, failures=99, error=ValueError("a bug"))
    run = new_run()
    assert tasks.ingest_file.apply(args=[run.pk]).failed()
    run.refresh_from_db()
    assert (len(calls), run.state) == (1, IngestRun.State.FAILED)


def test_manage_py_ingest_waits_between_tries_and_then_stores_the_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """A database restart under the command: it pauses (5 s, 10 s) and tries again, instead of three tries at
    once and a crash on Celery's eager ``Retry`` that left the run running."""
    calls = flaky(monkeypatch, failures=2, error=OperationalError("the database system is starting up"))
    pauses: list[float] = []
    monkeypatch.setattr(tasks.time, "sleep", pauses.append)
    path = tmp_path / "hours.csv"
    path.write_bytes(CONTENT)
    call_command("ingest", str(path), stdout=io.StringIO())
    run = IngestRun.objects.get()
    assert (len(calls), pauses, run.state, run.values_stored) == (3, [5.0, 10.0], IngestRun.State.SUCCEEDED, 1)


def test_manage_py_ingest_fails_the_run_with_the_reason_when_the_database_stays_away(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    flaky(monkeypatch, failures=99, error=OperationalError("the database system is starting up"))
    monkeypatch.setattr(tasks.time, "sleep", lambda seconds: None)
    path = tmp_path / "hours.csv"
    path.write_bytes(CONTENT)
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command("ingest", str(path), stdout=io.StringIO(), stderr=errors)
    run = IngestRun.objects.get()
    assert run.state == IngestRun.State.FAILED
    assert "starting up" in run.error_message
    assert "starting up" in errors.getvalue()
