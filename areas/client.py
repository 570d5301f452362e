"""Who is asking: the client's address, the same way for login throttling (django-axes), the API's
throttles (DRF's ``NUM_PROXIES``, the same rule) and the login's per-address limit.

Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, each appending the address it received the request from to
``X-Forwarded-For``, the client is the entry that many places from the right: the address the outermost
trusted proxy saw. Entries further left were written by the client and are not believed. With no proxy
(the default) the client is ``REMOTE_ADDR``; a proxy in front without this setting makes every client look
like the proxy, so one client's failed logins would count against everyone.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    peer = str(request.META.get("REMOTE_ADDR") or "")
    trusted: int = settings.TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return peer
    forwarded = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return peer
    return forwarded[-min(trusted, len(forwarded))]
