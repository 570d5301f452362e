"""Celery tasks of monitoring: one ingest job for all three doors, the scheduled fetch, the recompute hook."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as gettext_now

from . import services

logger = logging.getLogger(__name__)

# Worth another try: the database went away or was locked, a network file system hiccuped.
# A missing or unreadable file is not transient: it fails the run at once.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, TimeoutError, ConnectionError)
MAX_RETRIES = 3


@shared_task(bind=True, max_retries=MAX_RETRIES, soft_time_limit=25 * 60, time_limit=30 * 60, acks_late=True)
def ingest_file(self, run_id: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Ingest the file of one ``IngestRun``; idempotent (a finished run is left as it is)."""
    try:
        run = services.ingest_run_execute(run_id=run_id)
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= MAX_RETRIES:
            services.ingest_run_fail(run_id=run_id, message=gettext_now("数据库或文件系统暂时不可用：%s") % exc)
            raise
        logger.warning("ingest run %s: transient error, retrying: %s", run_id, exc)
        raise self.retry(exc=exc, countdown=5 * 2**self.request.retries) from exc
    except SoftTimeLimitExceeded:
        services.ingest_run_fail(run_id=run_id, message=gettext_now("处理超时，未保存任何数据。"))
        raise
    except Exception as exc:
        services.ingest_run_fail(run_id=run_id, message=gettext_now("处理出错，未保存任何数据：%s") % exc)
        raise
    return {"run_id": run.pk, "state": run.state}


@shared_task(soft_time_limit=10 * 60, time_limit=15 * 60)
def fetch_new_files() -> list[int]:
    """Beat job: pull new files from MONITORING_FETCH_SOURCE; does nothing when no source is configured."""
    return [run.pk for run in services.fetch_new_files()]


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True)
def recompute_after_ingest(self, run_id: int) -> bool:  # type: ignore[no-untyped-def]
    """Recompute the figures of the station-days an ingest run changed.

    Delegates to ``services.results_recompute_for_run`` (the stored results and their recompute); until that
    exists there is nothing stored to recompute and the call is logged. Returns whether it recomputed.
    """
    recompute = getattr(services, "results_recompute_for_run", None)
    if recompute is None:
        logger.info("ingest run %s changed observations; no stored results to recompute yet", run_id)
        return False
    try:
        recompute(run_id=run_id)
    except TRANSIENT_ERRORS as exc:
        raise self.retry(exc=exc, countdown=5 * 2**self.request.retries) from exc
    return True
