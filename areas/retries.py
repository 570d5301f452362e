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

RETRY_TRANSIENT: Final[dict[str, Any]] = {
    "autoretry_for": TRANSIENT_ERRORS,
    "max_retries": MAX_RETRIES,
    "retry_backoff": 5,  # seconds before the first retry, doubling each time
    "retry_backoff_max": 10 * 60,
    "retry_jitter": True,
}


def is_last_try(task: Any) -> bool:
    """True in a task's last try: a transient error now fails it for good."""
    return bool(task.request.retries >= task.max_retries)
