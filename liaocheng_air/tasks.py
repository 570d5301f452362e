"""Celery tasks of the project as a whole: the warm-up of the public pages kept in the cache."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.cache import cache

from areas import background
from areas.retries import RETRY_TRANSIENT

from . import public_pages


@shared_task(**RETRY_TRANSIENT, soft_time_limit=10 * 60, time_limit=15 * 60)
def public_pages_warm() -> int:
    """Make and keep every public page afresh (idempotent: each run replaces the kept answers)."""
    return public_pages.warm()


def public_pages_warm_after_change(sender: Any = None, **kwargs: Any) -> None:
    """Queue the warm-up after a change of the public data, unless one is already waiting (it reads the
    newest data when it runs)."""
    if settings.PUBLIC_PAGES_WARM and cache.add(public_pages.WARM_QUEUED_KEY, "1", settings.PUBLIC_PAGE_CACHE_SECONDS):
        background.run_later(public_pages_warm)
