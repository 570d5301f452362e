"""Celery tasks of monitoring: one ingest job for all three doors, the scheduled fetch, the recompute fan-out.

The ``*_enqueue`` helpers at the end are how views, commands and other tasks start this work; services never
import this module (they take what they need as arguments).
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from celery import chord, group, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as gettext_now

from areas import background
from areas.retries import MAX_RETRIES, RETRY_TRANSIENT, TRANSIENT_ERRORS, backoff_seconds, is_last_try

from . import fetch, results, services
from .models import IngestRun

logger = logging.getLogger(__name__)


# A missing or unreadable file is not transient: it fails the run at once.
@shared_task(bind=True, **RETRY_TRANSIENT, soft_time_limit=25 * 60, time_limit=30 * 60, acks_late=True)
def ingest_file(self, run_id: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Ingest the file of one ``IngestRun``; idempotent (a finished run is left as it is, and so is a run
    another execution holds). The task id is the claim: its retries, and its message delivered again after
    the worker died, take the run back; another message for the same run does not."""
    run = _ingest_or_fail(run_id, claim=self.request.id, last_try=is_last_try(self))
    return {"run_id": run.pk, "state": run.state}


def _ingest_or_fail(run_id: int, *, claim: str, last_try: bool) -> IngestRun:
    """The ingest with its bookkeeping: a run that will not be tried again is failed with the reason."""
    try:
        return services.ingest_run_execute(run_id=run_id, recompute=recompute_after_ingest_enqueue, claim=claim)
    except TRANSIENT_ERRORS as exc:
        if last_try:
            message = gettext_now("数据库或文件系统暂时不可用：%s") % exc
            services.ingest_run_fail(run_id=run_id, message=message, claim=claim)
        else:
            logger.warning("ingest run %s: transient error, retrying: %s", run_id, exc)
        raise
    except SoftTimeLimitExceeded:
        services.ingest_run_fail(run_id=run_id, message=gettext_now("处理超时，未保存任何数据。"), claim=claim)
        raise
    except Exception as exc:
        message = gettext_now("处理出错，未保存任何数据：%s") % exc
        services.ingest_run_fail(run_id=run_id, message=message, claim=claim)
        raise


def ingest_file_in_process(run_id: int) -> None:
    """The ingest task's work in this process, for ``manage.py ingest``: transient errors are retried with the
    task's own backoff (Celery's eager retry would run them at once and raise); any other error has failed
    the run with its reason. Should the database stay away even for the bookkeeping, the run is left to the
    reaper (``services.ingest_runs_reap``)."""
    claim = uuid.uuid4().hex
    for attempt in range(MAX_RETRIES + 1):
        try:
            _ingest_or_fail(run_id, claim=claim, last_try=attempt == MAX_RETRIES)
            return
        except TRANSIENT_ERRORS:
            if attempt == MAX_RETRIES:
                return
            time.sleep(backoff_seconds(attempt))
        except Exception:
            logger.exception("ingest run %s failed", run_id)
            return


@shared_task(soft_time_limit=60, time_limit=120)
def ingest_runs_reap() -> dict[str, list[int]]:
    """Beat job: queue again the runs whose process died or whose message was lost, fail those queued too
    often, start the recompute of committed runs that lost theirs (``services.ingest_runs_reap``)."""
    report = services.ingest_runs_reap(enqueue=ingest_file_enqueue, recompute=recompute_after_ingest_enqueue)
    return {"requeued": report.requeued, "failed": report.failed, "recompute_restarted": report.recompute_restarted}


@shared_task(soft_time_limit=10 * 60, time_limit=15 * 60)
def fetch_new_files() -> list[int]:
    """Beat job: pull new files from MONITORING_FETCH_SOURCE; does nothing when no source is configured."""
    return [run.pk for run in fetch.fetch_new_files(enqueue=ingest_file_enqueue)]


@shared_task(**RETRY_TRANSIENT, acks_late=True)
def recompute_after_ingest(run_id: int) -> bool:
    """Recompute the figures of the station-days an ingest run changed (``services.results_recompute_for_run``).
    Returns True once the plan is dispatched."""
    services.results_recompute_for_run(run_id=run_id, dispatch=results_plan_enqueue)
    return True


# --- Stored results: the recompute fan-out ------------------------------------------
# A plan (monitoring.results.RecomputePlan, JSON-ready) runs in three stages: station days, area days, then
# months and years. Each stage is a Celery group of small idempotent tasks (one station group, area or
# scope-year each) that several workers share; the chord's body starts the next stage. Eager mode runs the
# same chain in-process. The last stage announces the years whose results changed (monitoring.hooks.results_changed).
RESULT_TASK_LIMITS = {"soft_time_limit": 20 * 60, "time_limit": 25 * 60}


@shared_task(**RETRY_TRANSIENT, acks_late=True, **RESULT_TASK_LIMITS)
def results_station_days(unit: dict[str, Any]) -> int:
    """Stage 1: daily values of a group of stations (idempotent upsert)."""
    return results.run_station_unit(unit)


@shared_task(**RETRY_TRANSIENT, acks_late=True, **RESULT_TASK_LIMITS)
def results_area_days(unit: dict[str, Any]) -> int:
    """Stage 2: daily values of one area from its stations' stored days (idempotent upsert)."""
    return results.run_area_unit(unit)


@shared_task(**RETRY_TRANSIENT, acks_late=True, **RESULT_TASK_LIMITS)
def results_periods(unit: dict[str, Any]) -> int:
    """Stage 3: months and year of a set of stations or areas, raw and dust-deducted (idempotent upsert)."""
    return results.run_period_unit(unit)


STAGES = (
    ("station_units", results_station_days),
    ("area_units", results_area_days),
    ("period_units", results_periods),
)


@shared_task(acks_late=True, soft_time_limit=60, time_limit=120)
def results_stage(plan: dict[str, Any], stage: int = 0) -> None:
    """Start stage ``stage`` of a plan as a chord whose body starts the next stage; after the last stage,
    announce the years whose results changed (monitoring.hooks.results_changed)."""
    while stage < len(STAGES):
        key, task = STAGES[stage]
        units = plan.get(key) or []
        if units:
            chord(group(task.si(unit) for unit in units), results_stage.si(plan, stage + 1)).apply_async()
            return
        stage += 1
    years = results.RecomputePlan.from_dict(plan).years
    if years:
        services.results_changed_announce(years=years)


@shared_task(soft_time_limit=60, time_limit=120)
def results_recompute_nightly() -> int:
    """Beat job: rebuild the results of this year (and last year in January, when reviewed data arrive)."""
    today = timezone.localdate()
    years = [today.year - 1, today.year] if today.month == 1 else [today.year]
    for year in years:
        services.results_recompute(year=year, dispatch=results_plan_enqueue)
    return len(years)


# --- Enqueue helpers ----------------------------------------------------------------------------------


def ingest_file_enqueue(run: IngestRun) -> None:
    """Hand a recorded run to the ingest task once the run row is committed (at once outside a transaction).
    A message that cannot be published (the broker is down) leaves the run queued, for the reaper to queue
    again (``services.ingest_runs_reap``); the run itself is kept."""
    run_id = run.pk
    transaction.on_commit(lambda: background.run_later(ingest_file, run_id), robust=True)


def recompute_after_ingest_enqueue(run_id: int) -> None:
    """Queue the recompute of what a committed ingest run changed (``services.ingest_run_execute`` calls it)."""
    recompute_after_ingest.delay(run_id)


def results_plan_enqueue(plan: results.RecomputePlan) -> None:
    """Start a recompute plan's fan-out once the current transaction commits (at once outside one)."""
    if plan.empty:
        return
    data = plan.as_dict()
    transaction.on_commit(lambda: results_stage.delay(data, 0))
