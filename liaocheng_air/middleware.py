"""Middleware of the project: the body-size limit (first in line), the Content-Security-Policy header and
the page language.

Chinese first: the page language is the one chosen with the language switch, else Chinese.

Django's LocaleMiddleware would follow the browser's Accept-Language, so a bureau PC with an
English browser would open in English. The product is Chinese first (journeys 1 and 4): only an
explicit choice, stored in the language cookie by the switch, changes the language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, resolve
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else settings.LANGUAGE_CODE
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RequestBodyLimitMiddleware:
    """Refuse a request whose declared body is larger than its view accepts, before any of it is read.

    Django streams a multipart upload to a temporary file without a size limit, and reads a form's body into
    memory up to DATA_UPLOAD_MAX_MEMORY_SIZE, whatever the view: a 3 GiB POST to any page was written to disk
    before the answer (issue 14). Here the Content-Length is checked against the limit of the view the path
    resolves to (``settings.REQUEST_BODY_LIMITS`` by URL name, ``REQUEST_BODY_MAX_BYTES`` for every other
    path) and a larger request gets 413 at once. A body without a Content-Length (chunked) is never read by
    Django. It comes first in MIDDLEWARE, so nothing else runs for such a request; the proxy in front should
    apply the same limits (README, "Production").
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        # Below the smallest limit there is nothing to look up (every GET, every ordinary form).
        self.smallest = min(settings.REQUEST_BODY_MAX_BYTES, *settings.REQUEST_BODY_LIMITS.values())

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > self.smallest:
            limit = request_body_limit(request.path_info)
            if declared > limit:
                megabytes = f"{limit / (1024 * 1024):g}"
                message = (
                    f"请求内容过大：此处最多接受 {megabytes} MB。\n"
                    f"Request body too large: at most {megabytes} MB here.\n"
                )
                return HttpResponse(
                    message,
                    status=413,
                    content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)


def request_body_limit(path: str) -> int:
    """The largest body the view at ``path`` accepts, in bytes."""
    try:
        match = resolve(path)
    except Resolver404:
        return int(settings.REQUEST_BODY_MAX_BYTES)
    limits: dict[str, int] = settings.REQUEST_BODY_LIMITS
    return int(limits.get(match.view_name, limits.get(f"{match.namespace}:*", settings.REQUEST_BODY_MAX_BYTES)))


class ContentSecurityPolicyMiddleware:
    """Every response carries ``settings.CONTENT_SECURITY_POLICY`` unless its view set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
        return response
