"""Who changed a record and why, for django-simple-history: the one way every service stamps a change.

simple-history reads two attributes of the instance being saved: ``_history_user`` and ``_change_reason``.
Every service sets them through ``history_stamp`` just before ``save()``. In areas/, the ground every app
stands on, so that every app stamps the same way.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model


def history_stamp(record: Model, user: AbstractBaseUser | AnonymousUser | None, reason: str = "") -> None:
    """The next save of ``record`` is recorded as made by ``user`` (none for a command or an anonymous
    request) for ``reason`` (none when empty)."""
    record._history_user = user if user is not None and user.is_authenticated else None  # type: ignore[attr-defined]
    record._change_reason = reason or None  # type: ignore[attr-defined]
