"""Celery tasks of progress: recomputing the stored progress scores."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from . import services

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OperationalError, InterfaceError)
MAX_RETRIES = 3


@shared_task(bind=True, max_retries=MAX_RETRIES, soft_time_limit=10 * 60, time_limit=15 * 60, acks_late=True)
def scores_recompute(self, years: Sequence[int] | None = None) -> list[int]:  # type: ignore[no-untyped-def]
    """Recompute the stored progress figures (idempotent: a run replaces the year's earlier runs).

    Called after monitoring results are recomputed and after a completion form is approved, and
    nightly by beat. Without ``years``: this year, and last year too in January (late reviewed data).
    Returns the ids of the new runs.
    """
    if years is None:
        this_year = timezone.localdate().year
        years = [this_year - 1, this_year] if timezone.localdate().month == 1 else [this_year]
    try:
        runs = services.scores_recompute(years=list(years))
    except TRANSIENT_ERRORS as exc:
        logger.warning("scores_recompute: transient database error, retrying: %s", exc)
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc
    return [run.pk for run in runs]


def scores_recompute_enqueue(*, years: Sequence[int]) -> None:
    """Queue the recompute of these years' scores (run at once in-process when Celery is eager)."""
    scores_recompute.delay(years=list(years))
