"""Whole public responses from the cache, and the version of the public data they were made from.

An anonymous visitor's page or API answer depends only on the stored data, the language and the query. Its
finished bytes are kept in the cache with the *data version* they were made from; the page-cache middleware
(``liaocheng_air.middleware.PublicPageCacheMiddleware``) answers the next visitor with them, before the
session, the user or the view is looked at, as long as the version is still the current one.

The version changes when a transaction that changed public data commits:

- every save or delete of a model of the project's apps (the receivers below; a few models no public page
  shows are left out), so an edit in the admin or a new service cannot forget it;
- ``data_changed()`` called by the writers that bypass model signals (``bulk_create``, ``update()``, COPY and
  SQL: the stored results, the score runs).

The new version is a fresh token, never a counter: a cache that restarts empty cannot meet an old entry that
carries the same number again. When it changes, ``public_data_changed`` is sent; the project warms the pages
then (``liaocheng_air.tasks.public_pages_warm``), so visitors seldom pay for a miss.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

T = TypeVar("T")
DATA_VERSION_KEY = "public:data-version"
# Sent after a commit that changed public data, with the new ``version``.
public_data_changed = Signal()

# Models whose rows no public page shows, written often: saving them does not change the data version.
UNPUBLISHED_MODELS = frozenset(
    {
        "monitoring.ingestrun",
        "monitoring.rejectedrow",
        "measures.digestlog",
        "measures.evidence",
    }
)
PUBLIC_DATA_APPS = frozenset({"areas", "targets", "measures", "monitoring", "progress"})


def data_version() -> str | None:
    """The current version of the public data; a new one is made when the cache has none. None when the
    cache cannot be reached (pages are then made afresh and not kept)."""
    version = cache.get(DATA_VERSION_KEY)
    if version is None:
        cache.add(DATA_VERSION_KEY, _new_token(), None)
        version = cache.get(DATA_VERSION_KEY)
    return None if version is None else str(version)


# This process's last reading of the version and when it was read (time.monotonic()).
_recent_version: tuple[str, float] | None = None


def recent_data_version() -> str | None:
    """The data version as this process read it at most PUBLIC_PAGE_VERSION_RECHECK_SECONDS ago (a change
    made in this process is known at once): the page cache's check on every request without a cache round
    trip. Another process's change is seen that much later, well within the public pages' max-age."""
    global _recent_version
    now = time.monotonic()
    known = _recent_version
    if known is not None and now - known[1] < settings.PUBLIC_PAGE_VERSION_RECHECK_SECONDS:
        return known[0]
    version = data_version()
    _recent_version = None if version is None else (version, now)
    return version


def forget_recent_version() -> None:
    """Read the version from the cache on the next request (tests that empty the cache)."""
    global _recent_version
    _recent_version = None


def version_time(version: str) -> float:
    """When a version was made (seconds since the epoch): the Last-Modified of pages made from it."""
    try:
        return int(version.split("-", 1)[0]) / 1e9
    except ValueError:
        return 0.0


def _new_token() -> str:
    return f"{time.time_ns()}-{int.from_bytes(os.urandom(4), 'big'):08x}"


def _version_new() -> None:
    global _recent_version
    version = _new_token()
    cache.set(DATA_VERSION_KEY, version, None)
    _recent_version = (version, time.monotonic())
    public_data_changed.send(sender=None, version=version)


def data_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """The public data change with the current transaction: a new version once it commits (one per
    transaction however many writes it holds; at once outside a transaction)."""
    connection = connections[using]
    # Django keeps (savepoint ids, callback, robust) per on_commit; one per savepoint level is enough, as a
    # savepoint rolled back drops its own.
    level = set(connection.savepoint_ids)
    if connection.in_atomic_block and any(e[1] is _version_new and e[0] == level for e in connection.run_on_commit):
        return
    transaction.on_commit(_version_new, using=using, robust=True)


def _model_written(sender: type[Any], using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    meta = sender._meta
    if meta.app_label in PUBLIC_DATA_APPS and meta.label_lower not in UNPUBLISHED_MODELS:
        data_changed(using)


def connect_model_signals() -> None:
    """Every save and delete of the project's models changes the data version (called once, by the app)."""
    post_save.connect(_model_written, dispatch_uid="page-cache-save")
    post_delete.connect(_model_written, dispatch_uid="page-cache-delete")


def remembered(name: str, compute: Callable[[], T]) -> T:
    """``compute()``, kept in the cache until the public data change (every page's footer plan, the demo
    banner): one cache read instead of queries on every page. Made afresh where the cache is off."""
    if not settings.PUBLIC_PAGE_CACHE:
        return compute()
    key = f"public:remembered:{name}"
    version = recent_data_version()  # as the page cache reads it: no round trip of its own
    kept = cache.get(key) if version is not None else None
    if kept is not None and kept[0] == version:
        return cast(T, kept[1])
    value = compute()
    if version is not None:
        cache.set(key, (version, value), settings.PUBLIC_PAGE_CACHE_SECONDS)
    return value


def public_page(*, negotiated: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a view whose anonymous answers may be kept whole (the middleware reads the mark from the URL's
    view). ``negotiated``: the answer's format follows the Accept header (the API); only the common Accept
    values are then kept, each separately."""

    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def marked(*args: Any, **kwargs: Any) -> Any:
            return view(*args, **kwargs)

        marked.public_page = "negotiated" if negotiated else "page"  # type: ignore[attr-defined]
        return marked

    return mark
