"""One writer at a time for each entity's stored results of a year, so that no slow writer puts back
figures older than the ones a faster writer just stored.

The race it closes: a full recompute reads a station's hours, an ingest of corrected hours commits and its
own recompute stores the new daily values, then the slow recompute stores its old ones over them, for good.
Every writer of stored results holds the lock of what it writes from before it reads its inputs until its
transaction commits: whichever comes second reads what the first committed, or writes after it.

PostgreSQL: transaction-scoped advisory locks (``pg_advisory_xact_lock``), taken in sorted order so that two
writers never wait on each other in a circle. Other databases take none: SQLite has one writer at a time,
and the embedded default runs background work in process, one task after another.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from django.db import connection, transaction

Results = Literal["station-days", "area-days", "station-periods", "area-periods"]


def results_lock(kind: Results, codes: Iterable[str], years: Iterable[int]) -> None:
    """Hold the right to write ``kind`` results of these stations or areas in these years until the current
    transaction ends (call it inside ``transaction.atomic``, before reading what the results come from)."""
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError("results_lock is held until commit: call it in a transaction")
    keys = sorted({f"{kind}:{code}:{year}" for code in codes for year in years})
    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])
