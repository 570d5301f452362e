"""Background work of the measures app: the daily reminder digest (Celery beat, 08:00) and the removal of
evidence files no form refers to (03:30)."""

from __future__ import annotations

from datetime import date

from celery import shared_task

from areas.retries import RETRY_TRANSIENT

from . import services, services_digest


@shared_task(name="measures.tasks.send_daily_digest", **RETRY_TRANSIENT)
def send_daily_digest(day: str | None = None) -> int:
    """Send today's due-soon / overdue digest to each county's officials and to the bureau.

    Idempotent per day: each recipient's sending is recorded (``DigestLog``), so a retry or a second
    beat run the same day sends nothing twice. Returns how many e-mails were sent by this run.
    """
    return services_digest.digest_send(day=date.fromisoformat(day) if day else None)


@shared_task(name="measures.tasks.evidence_orphans_remove", **RETRY_TRANSIENT)
def evidence_orphans_remove() -> int:
    """Remove evidence files left without a row by a process killed mid-save (idempotent)."""
    return len(services.evidence_orphans_remove())
