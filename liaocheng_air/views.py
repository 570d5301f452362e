"""Pages of the project as a whole, above every app."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView

from areas import roles
from areas.client import client_address
from measures import reporters

ADDRESS_FAILURES_SECONDS = 60 * 60


def after_login(request: HttpRequest) -> HttpResponse:
    """Where a login without a ``next`` lands: bureau staff on the dashboard, an official on their tasks."""
    if reporters.is_reporter(request.user) and not roles.is_bureau_staff(request.user):
        return redirect("measures:mine")
    return redirect("progress:dashboard")


def _address_failures_key(request: HttpRequest) -> str:
    return f"login-failures:{client_address(request)}"


class LoginView(auth_views.LoginView):
    """Django's login, with a limit on failed logins from one address across every account (password
    spraying), counted in the cache; the limit per account and address is django-axes's. While the cache is
    unreachable only django-axes's limit holds (it keeps its counts in the database; liaocheng_air/cache.py)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        failures = int(cache.get(_address_failures_key(request)) or 0)
        if failures >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return render(request, "registration/locked_out.html", {"by_address": True}, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        key = _address_failures_key(self.request)
        if not cache.add(key, 1, timeout=ADDRESS_FAILURES_SECONDS):
            cache.incr(key)
        return super().form_invalid(form)


@extend_schema(exclude=True)
class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, built once per process for each language and common ``Accept`` header instead of
    on every request (it changes only with the code; a process-local copy cannot outlive a deploy, as a
    shared cache could). Any other request (a query string, an unusual header) is built as it comes, so no
    client can grow the process's memory by sending new values."""

    CACHEABLE_ACCEPTS: ClassVar[frozenset[str]] = frozenset(
        {"", "*/*", "application/json", "application/vnd.oai.openapi", "application/vnd.oai.openapi+json"}
    )
    _built: ClassVar[dict[tuple[str, str], tuple[bytes, str]]] = {}

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        accept = request.META.get("HTTP_ACCEPT", "")
        if request.GET or accept not in self.CACHEABLE_ACCEPTS:
            return super().dispatch(request, *args, **kwargs)  # type: ignore[no-any-return]
        key = (get_language() or "", accept)
        if key not in self._built:
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code != 200:
                return response  # type: ignore[no-any-return]
            response.render()
            self._built[key] = (response.content, response["Content-Type"])
        content, content_type = self._built[key]
        return HttpResponse(content, content_type=content_type)
