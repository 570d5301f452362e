"""The one way background tasks retry: Celery's ``autoretry_for`` on the named transient errors, with
exponential backoff and jitter, a few times; nothing else is retried (a bad file or a bug fails at once).

Every task that retries is declared ``@shared_task(**RETRY_TRANSIENT, ...)``. A task with bookkeeping to do
when its last try fails checks ``is_last_try(task)`` in its ``except TRANSIENT_ERRORS`` before re-raising.
In areas/, the ground every app stands on, so that every app's tasks share the same tuple.
"""

from __future__ import annotations

import smtplib
from typing import Any, Final

import psycopg2
from django.db import InterfaceError, OperationalError

#: Worth another try: the database went away or was locked (through Django, or raw psycopg2 from the
#: ``COPY`` bulk paths, which Django does not wrap), the network or the mail server hiccuped, a call timed out.
TRANSIENT_ERRORS: Final = (
    OperationalError,
    InterfaceError,
    psycopg2.OperationalError,
    psycopg2.InterfaceError,
    TimeoutError,
    ConnectionError,
    smtplib.SMTPException,
)
MAX_RETRIES: Final = 3

FIRST_BACKOFF_SECONDS: Final = 5  # before the first retry, doubling each time
MAX_BACKOFF_SECONDS: Final = 10 * 60

RETRY_TRANSIENT: Final[dict[str, Any]] = {
    "autoretry_for": TRANSIENT_ERRORS,
    "max_retries": MAX_RETRIES,
    "retry_backoff": FIRST_BACKOFF_SECONDS,
    "retry_backoff_max": MAX_BACKOFF_SECONDS,
    "retry_jitter": True,
}


def backoff_seconds(retries_so_far: int) -> float:
    """The pause before the next try of work retried in process (not by Celery), as the tasks' backoff."""
    return float(min(FIRST_BACKOFF_SECONDS * 2**retries_so_far, MAX_BACKOFF_SECONDS))


def is_last_try(task: Any) -> bool:
    """True in a task's last try: a transient error now fails it for good."""
    return bool(task.request.retries >= task.max_retries)
