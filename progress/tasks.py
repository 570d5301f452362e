"""Celery tasks of progress: recomputing the stored progress scores."""

from __future__ import annotations

from collections.abc import Sequence

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from areas.retries import RETRY_TRANSIENT

from . import services, services_documents


@shared_task(**RETRY_TRANSIENT, soft_time_limit=10 * 60, time_limit=15 * 60, acks_late=True)
def scores_recompute(years: Sequence[int] | None = None) -> list[int]:
    """Recompute the stored progress figures (idempotent: a run replaces the year's earlier runs).

    Called after monitoring results are recomputed and after a completion form is approved, and
    nightly by beat. Without ``years``: this year, and last year too in January (late reviewed data).
    Returns the ids of the new runs.
    """
    if years is None:
        this_year = timezone.localdate().year
        years = [this_year - 1, this_year] if timezone.localdate().month == 1 else [this_year]
    runs = services.scores_recompute(years=list(years))
    return [run.pk for run in runs]


def scores_recompute_enqueue(*, years: Sequence[int]) -> None:
    """Queue the recompute of these years' scores (run at once in-process when Celery is eager)."""
    scores_recompute.delay(years=list(years))


@shared_task(**RETRY_TRANSIENT, soft_time_limit=5 * 60, time_limit=10 * 60, acks_late=True)
def document_make(document_id: int) -> int:
    """Make a requested document's files (idempotent: a made document is left as it is)."""
    return services_documents.document_make(document_id=document_id).pk


def document_make_enqueue(*, document_id: int) -> None:
    """Queue the making of a document once the request that asked for it is stored (made at once in-process
    when Celery is eager)."""
    transaction.on_commit(lambda: document_make.delay(document_id))
