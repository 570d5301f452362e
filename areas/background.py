"""Work a request hands off, run outside the request even without a broker.

With a broker, ``run_later`` publishes the task for a worker (Celery's ``delay``). Without one (the embedded
default), Celery would run the task eagerly inside the request that asked for it: an upload's page would
hang until the whole ingest was done and then open at 100 %. With ``BACKGROUND_THREAD`` on (``make run``
sets it), such work goes to one background thread of the web process instead, one task after another as a
single worker would take them, and the request returns at once. Tests leave it off, so that work is done by
the time the request returns.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)
_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def _background() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="background-work")
        return _executor


def _run(task: Any, args: tuple[Any, ...]) -> None:
    try:
        task.apply(args=args, throw=False)
    except Exception:
        logger.exception("background task %s%r failed", task.name, args)
    finally:
        connections.close_all()  # the thread's own database connections


def run_later(task: Any, *args: Any) -> None:
    """Start ``task(*args)`` outside this request: on a worker, or in the background thread (see above)."""
    if settings.CELERY_TASK_ALWAYS_EAGER and settings.BACKGROUND_THREAD:
        _background().submit(_run, task, args)
    else:
        task.delay(*args)


def finish_pending(timeout: float | None = None) -> None:
    """Wait until the background thread has done every task handed to it so far (it takes them in order)."""
    _background().submit(lambda: None).result(timeout)
