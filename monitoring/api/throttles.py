"""A limit on what one anonymous client may make the server compute (the public page must stay fast for
everyone): a daily series longer than a year, and a year recomputed under another edition of the standard
(``?rules=2012|2026``). Ordinary requests, the ones the pages make, are not limited. Clients are told apart
by the address the trusted proxy saw (``areas.client.client_address``), never by what a client
writes in X-Forwarded-For."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from areas.client import client_address

LONG_SERIES_DAYS = 366


def _expensive(request: Request) -> bool:
    params = request.query_params
    if params.get("rules", "in_force") != "in_force":
        return True
    try:
        start, end = date.fromisoformat(params["start"]), date.fromisoformat(params["end"])
    except (KeyError, ValueError):
        return False  # not a series at all, or one the query serializer refuses (400)
    return (end - start).days >= LONG_SERIES_DAYS


class ExpensiveQueryThrottle(SimpleRateThrottle):
    scope = "expensive"

    def get_rate(self) -> str:
        return str(settings.API_EXPENSIVE_RATE)  # read per request, not once at import as DRF's rates are

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if request.user is not None and request.user.is_authenticated:
            return None
        if not _expensive(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def get_ident(self, request: Request) -> str:
        return client_address(request)
