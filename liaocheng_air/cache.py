"""The page cache on Redis, which pages can do without: when Redis is down or hangs, a read is a miss and a
write is skipped, so pages are built from the database as if nothing were cached.

Short socket timeouts bound what one request waits for a hung Redis, and after a failure the cache is left
alone for ``RETRY_AFTER_SECONDS`` (per process), so that an outage costs one timeout, not one per request.
An invalidation missed during an outage (a recompute's new version key) leaves cached pages at most their
own lifetime (ten minutes); a Redis that restarts empty (it keeps nothing on disk) has none.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30.0


class _Breaker:
    """Open for a while after a failure: no call is tried until it closes again."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open_until = 0.0

    def is_open(self) -> bool:
        return time.monotonic() < self._open_until

    def trip(self, error: Exception) -> None:
        with self._lock:
            if not self.is_open():
                logger.warning(
                    "cache unreachable (%s); pages are built without it for %.0f s", error, RETRY_AFTER_SECONDS
                )
            self._open_until = time.monotonic() + RETRY_AFTER_SECONDS

    def reset(self) -> None:
        with self._lock:
            self._open_until = 0.0


BREAKER = _Breaker()


def _or_miss(method: str, miss: Any) -> Any:
    """``RedisCacheClient.<method>``, answering ``miss`` (called with the arguments when callable) instead of
    failing while Redis is unreachable."""
    original = getattr(RedisCacheClient, method)

    def guarded(self: RedisCacheClient, *args: Any, **kwargs: Any) -> Any:
        if BREAKER.is_open():
            return miss(*args, **kwargs) if callable(miss) else miss
        try:
            return original(self, *args, **kwargs)
        except RedisError as error:
            BREAKER.trip(error)
            return miss(*args, **kwargs) if callable(miss) else miss

    guarded.__name__ = method
    return guarded


class ResilientRedisCacheClient(RedisCacheClient):
    add = _or_miss("add", False)
    get = _or_miss("get", lambda key, default: default)
    set = _or_miss("set", None)
    touch = _or_miss("touch", False)
    delete = _or_miss("delete", False)
    get_many = _or_miss("get_many", {})
    has_key = _or_miss("has_key", False)
    incr = _or_miss("incr", lambda key, delta: delta)
    set_many = _or_miss("set_many", lambda data, timeout: list(data))
    delete_many = _or_miss("delete_many", None)
    clear = _or_miss("clear", False)


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
