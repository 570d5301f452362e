"""Ingest runs under faults: no run stays open for good, none is worked on twice, and none says "failed,
nothing saved" when its values were stored (monitoring.services "Ingest runs", ``ingest_runs_reap``)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from monitoring import services, tasks
from monitoring.models import AreaDay, IngestRun, Observation, StationDay
from tests.monitoring.results_data import long_file

pytestmark = pytest.mark.django_db

D1 = date(2025, 3, 1)
NOW = "2025-03-10 12:00 +0800"


def recorded_run(content: bytes | None = None) -> IngestRun:
    return services.ingest_run_create(
        content=content or long_file([D1], stations=("1625A",)), file_name="hours.csv", source=IngestRun.Source.COMMAND
    )


class Queue:
    """Stands in for the broker: what the reaper hands on, kept to be delivered by the test."""

    def __init__(self) -> None:
        self.runs: list[int] = []
        self.recomputes: list[int] = []

    def enqueue(self, run: IngestRun) -> None:
        self.runs.append(run.pk)

    def recompute(self, run_id: int) -> None:
        self.recomputes.append(run_id)


def reap(queue: Queue, *, after: timedelta) -> services.ReapReport:
    return services.ingest_runs_reap(enqueue=queue.enqueue, recompute=queue.recompute, now=timezone.now() + after)


LEASE = timedelta(minutes=36)  # above the lease (the 30-minute hard time limit + 5)
QUEUE_DEADLINE = timedelta(minutes=16)


def test_a_run_whose_process_died_is_queued_again_and_then_stored() -> None:
    with time_machine.travel(NOW, tick=False):
        run = recorded_run()
        assert services.ingest_run_claim(run_id=run.pk, claim="killed-worker")  # the process then dies
        queue = Queue()
        assert reap(queue, after=timedelta(minutes=20)).requeued == []  # still within its lease: left alone
        report = reap(queue, after=LEASE)
    assert (report.requeued, queue.runs) == ([run.pk], [run.pk])
    run.refresh_from_db()
    assert (run.state, run.requeued, run.claimed_by) == (IngestRun.State.QUEUED, 1, "")
    with time_machine.travel(NOW, tick=False):
        tasks.ingest_file.apply(args=[run.pk])
    run.refresh_from_db()
    assert (run.state, run.values_stored) == (IngestRun.State.SUCCEEDED, 24 * 6)
    assert Observation.objects.count() == 24 * 6


def test_a_queued_run_whose_message_was_lost_is_queued_again() -> None:
    with time_machine.travel(NOW, tick=False):
        run = recorded_run()
        queue = Queue()
        assert reap(queue, after=timedelta(minutes=10)).requeued == []
        assert reap(queue, after=QUEUE_DEADLINE).requeued == [run.pk]
    run.refresh_from_db()
    assert (run.state, run.requeued) == (IngestRun.State.QUEUED, 1)


def test_a_run_queued_again_too_often_is_failed_with_the_reason(settings: Any) -> None:
    settings.INGEST_MAX_REQUEUES = 2
    with time_machine.travel(NOW, tick=False) as clock:
        run = recorded_run()
        queue = Queue()
        for _ in range(2):
            clock.shift(QUEUE_DEADLINE)
            reap(queue, after=timedelta(0))
        clock.shift(QUEUE_DEADLINE)
        report = reap(queue, after=timedelta(0))
    assert (report.failed, queue.runs) == ([run.pk], [run.pk, run.pk])
    run.refresh_from_db()
    assert run.state == IngestRun.State.FAILED
    assert "重新排队 2 次" in run.error_message
    assert "未保存任何数据" in run.error_message
    assert Observation.objects.count() == 0


def test_a_second_message_for_a_run_in_hand_does_nothing_but_a_retry_takes_it_back() -> None:
    run = recorded_run()
    assert services.ingest_run_claim(run_id=run.pk, claim="first")
    assert not services.ingest_run_claim(run_id=run.pk, claim="second")
    again = services.ingest_run_execute(run_id=run.pk, recompute=None, claim="second")
    assert (again.state, Observation.objects.count()) == (IngestRun.State.RUNNING, 0)
    done = services.ingest_run_execute(run_id=run.pk, recompute=None, claim="first")
    assert (done.state, done.values_stored) == (IngestRun.State.SUCCEEDED, 24 * 6)
    assert not services.ingest_run_claim(run_id=run.pk, claim="first")  # finished: nobody takes it again


def test_an_execution_that_lost_its_claim_commits_nothing() -> None:
    run = recorded_run()
    real_claim = services.ingest_run_claim

    def claim_then_be_overtaken(*, run_id: int, claim: str) -> bool:
        taken = real_claim(run_id=run_id, claim=claim)
        # Its lease runs out while it works: the run is queued again and another execution takes it.
        IngestRun.objects.filter(pk=run_id).update(claimed_by="fresh")
        return taken

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "ingest_run_claim", claim_then_be_overtaken)
        result = services.ingest_run_execute(run_id=run.pk, recompute=None, claim="stale")
    assert (result.state, Observation.objects.count()) == (IngestRun.State.RUNNING, 0)


def test_a_lost_recompute_message_leaves_the_run_succeeded_and_the_reaper_starts_it(
    django_capture_on_commit_callbacks: Any,
) -> None:
    def broker_down(run_id: int) -> None:
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with time_machine.travel(NOW, tick=False):
        run = recorded_run(long_file([D1]))
        with django_capture_on_commit_callbacks(execute=True):
            stored = services.ingest_run_execute(run_id=run.pk, recompute=broker_down)
    stored.refresh_from_db()
    assert (stored.state, stored.recompute_pending, stored.error_message) == (IngestRun.State.SUCCEEDED, True, "")
    assert Observation.objects.count() == 24 * 6 * 5
    with time_machine.travel(NOW, tick=False):
        queue = Queue()
        assert reap(queue, after=timedelta(minutes=5)).recompute_restarted == []
        assert reap(queue, after=QUEUE_DEADLINE).recompute_restarted == [run.pk]
        assert reap(queue, after=QUEUE_DEADLINE).recompute_restarted == []  # once per deadline
        with django_capture_on_commit_callbacks(execute=True):
            tasks.recompute_after_ingest.apply(args=[run.pk])
    stored.refresh_from_db()
    assert stored.recompute_pending is False
    assert StationDay.objects.filter(date=D1).count() == 5
    assert AreaDay.objects.filter(date=D1).exists()


def test_a_finished_run_is_never_marked_failed_afterwards() -> None:
    run = recorded_run()
    services.ingest_run_execute(run_id=run.pk, recompute=None)
    services.ingest_run_fail(run_id=run.pk, message="处理出错，未保存任何数据：broker")
    run.refresh_from_db()
    assert (run.state, run.error_message) == (IngestRun.State.SUCCEEDED, "")


def test_an_upload_whose_message_cannot_be_published_keeps_its_run_queued(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    def broker_down(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("Connection refused")

    monkeypatch.setattr(tasks.ingest_file, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        run = recorded_run()
        tasks.ingest_file_enqueue(run)
    run.refresh_from_db()
    assert run.state == IngestRun.State.QUEUED
    assert run.file.name
