"""Middleware of the project: the body-size limit (first in line), the Content-Security-Policy header, whole
public pages from the cache, the page language, and the product's own 404 page under ``make run``.

Chinese first: the page language is the one chosen with the language switch, else Chinese.

Django's LocaleMiddleware would follow the browser's Accept-Language, so a bureau PC with an
English browser would open in English. The product is Chinese first (journeys 1 and 4): only an
explicit choice, stored in the language cookie by the switch, changes the language.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.views.defaults import page_not_found

from areas import page_cache


def chosen_language(request: HttpRequest) -> str:
    """The language of the page: the one the language cookie names, else Chinese."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    try:
        return translation.get_supported_language_variant(chosen) if chosen else settings.LANGUAGE_CODE
    except LookupError:
        return str(settings.LANGUAGE_CODE)


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()


class RequestBodyLimitMiddleware:
    """Refuse a request whose declared body is larger than its view accepts, before any of it is read.

    Django streams a multipart upload to a temporary file without a size limit, and reads a form's body into
    memory up to DATA_UPLOAD_MAX_MEMORY_SIZE, whatever the view: a 3 GiB POST to any page was written to disk
    before the answer. Here the Content-Length is checked against the limit of the view the path
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


# A WSGI environ key (no HTTP_ prefix, so no client can send it), set by the warm-up (liaocheng_air/
# public_pages.py): look past this process's copies at the shared cache, keep a current page there for
# another PUBLIC_PAGE_CACHE_SECONDS, make a missing or outdated one.
PAGE_CACHE_WARM = "liaocheng_air.page_cache.warm"
# The Accept headers whose API answers are kept (none, any, JSON): browsers' many HTML Accept strings get
# the browsable API, made afresh, so that no one can fill the cache by sending new ones.
KEPT_ACCEPT_HEADERS = frozenset({"", "*/*", "application/json"})


class PublicPageCacheMiddleware:
    """Anonymous GETs of the views marked ``areas.page_cache.public_page`` answered with the finished bytes
    kept from an earlier answer made from the same data version (``areas/page_cache.py``), with ETag,
    Last-Modified, 304 answers and a short public ``Cache-Control``.

    It stands before the session, language, CSRF, authentication and message middleware, so a kept page
    costs none of them and no query; from this process's own copy (``LocalPages``) not even a cache round
    trip. A request with a session or message cookie, or an
    Authorization header, is never answered from nor stored in the kept pages, and what it gets is marked
    private. An answer is kept only when it is a 200 that sets no cookie and is not marked private.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        # Cookies that may mean a logged-in user or a message to show: such a request never gets a kept page.
        self.personal_cookies = {settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name}

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        key = self._key(request)
        if key is None:
            response = self.get_response(request)
            if self._personal(request) and not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True)
            return response
        version = page_cache.recent_data_version()
        if version is None:  # no cache: made afresh, not kept
            return self.get_response(request)
        warming = bool(request.META.get(PAGE_CACHE_WARM))
        entry = None if warming else LOCAL_PAGES.get(key, version)
        if entry is None:
            entry = cache.get(key)
            if entry is not None and entry.version == version:
                if warming:
                    cache.touch(key, settings.PUBLIC_PAGE_CACHE_SECONDS)
                else:
                    LOCAL_PAGES.put(key, entry)
            else:
                entry = None
        if entry is None:
            response = self.get_response(request)
            if not self._keepable(response):
                return response
            entry = KeptPage.of(response, version=version, negotiated=key.startswith("negotiated"))
            cache.set(key, entry, settings.PUBLIC_PAGE_CACHE_SECONDS)
            if not warming:
                LOCAL_PAGES.put(key, entry)
        response, etag = entry.for_request(request)
        return get_conditional_response(
            request, etag=etag, last_modified=int(page_cache.version_time(entry.version)), response=response
        )

    def _personal(self, request: HttpRequest) -> bool:
        return "HTTP_AUTHORIZATION" in request.META or any(name in request.COOKIES for name in self.personal_cookies)

    def _key(self, request: HttpRequest) -> str | None:
        """The cache key of the request's answer; None when it is not one to keep."""
        if request.method != "GET" or self._personal(request) or not settings.PUBLIC_PAGE_CACHE:
            return None
        try:
            kind = getattr(resolve(request.path_info).func, "public_page", None)
        except Resolver404:
            return None
        if kind is None:
            return None
        request.get_host()  # a Host outside ALLOWED_HOSTS gets its 400 here too
        accept = request.META.get("HTTP_ACCEPT", "").strip() if kind == "negotiated" else ""
        if accept not in KEPT_ACCEPT_HEADERS:
            return None
        query = request.META.get("QUERY_STRING", "")
        described = f"{chosen_language(request)}\n{accept}\n{request.path}\n{query}"
        return f"{kind}:page:{KeptPage.FORMAT}:" + hashlib.sha256(described.encode()).hexdigest()

    @staticmethod
    def _keepable(response: HttpResponseBase) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        control = response.get("Cache-Control", "")
        return not any(word in control for word in ("private", "no-store", "no-cache"))


class LocalPages:
    """The kept pages this process served last, in its own memory (least recently used first out, at most
    PUBLIC_PAGE_LOCAL_BYTES of content): most requests then need no cache round trip at all."""

    def __init__(self) -> None:
        self._pages: OrderedDict[str, KeptPage] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str, version: str) -> KeptPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is None or page.version != version:
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key: str, page: KeptPage) -> None:
        with self._lock:
            old = self._pages.pop(key, None)
            self._bytes -= old.size if old else 0
            self._pages[key] = page
            self._bytes += page.size
            while self._bytes > settings.PUBLIC_PAGE_LOCAL_BYTES and self._pages:
                _key, dropped = self._pages.popitem(last=False)
                self._bytes -= dropped.size

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0


LOCAL_PAGES = LocalPages()


@dataclass(frozen=True)
class KeptPage:
    """A finished answer as the cache keeps it: the data version it was made from, its status, headers and
    bytes, its ETag (a digest of the bytes), and the bytes gzipped once for the clients that accept it (a
    phone fetches the home page's text in a fifth of the bytes)."""

    # Part of the cache key: pages kept by an earlier release, in another shape, are never read.
    FORMAT: ClassVar[int] = 2

    version: str
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes
    etag: str
    gzipped: bytes | None

    @classmethod
    def of(cls, response: HttpResponseBase, *, version: str, negotiated: bool) -> KeptPage:
        content = response.content  # type: ignore[attr-defined]
        etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
        response["ETag"] = etag
        response["Last-Modified"] = http_date(int(page_cache.version_time(version)))
        patch_cache_control(response, public=True, max_age=settings.PUBLIC_PAGE_MAX_AGE)
        patch_vary_headers(response, ("Cookie", "Accept-Encoding", *(("Accept",) if negotiated else ())))
        # mtime=0: the same bytes give the same gzipped bytes, in every process.
        gzipped = gzip.compress(content, compresslevel=6, mtime=0) if len(content) >= GZIP_MIN_BYTES else None
        return cls(version, response.status_code, tuple(response.items()), content, etag, gzipped)

    @property
    def size(self) -> int:
        """Bytes held: the content and its gzipped copy."""
        return len(self.content) + len(self.gzipped or b"")

    def for_request(self, request: HttpRequest) -> tuple[HttpResponse, str]:
        """The answer in the encoding the request accepts, and that representation's ETag."""
        compressed = self.gzipped is not None and GZIP_ACCEPTED.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        response = HttpResponse(self.gzipped if compressed else self.content, status=self.status)
        for name, value in self.headers:
            response[name] = value
        if not compressed:
            return response, self.etag
        etag = self.etag[:-1] + '-gzip"'
        response["Content-Encoding"] = "gzip"
        response["Content-Length"] = str(len(response.content))
        response["ETag"] = etag
        return response, etag


# Smaller answers are not worth a Content-Encoding.
GZIP_MIN_BYTES = 1024
GZIP_ACCEPTED = re.compile(r"\bgzip\b(?!;\s*q=0(\.0*)?\s*(,|$))")


# Django's technical 404 page (DEBUG on) names itself to robots this way; the product's pages never do.
TECHNICAL_404_MARK = b'<meta name="robots" content="NONE,NOARCHIVE">'


class ProductNotFoundPageMiddleware:
    """Under ``make run`` (DEBUG on) a missing page gets the product's 404 page, as in production, instead of
    Django's technical one (the URL patterns, in English, on a page 980 px wide): the demo is walked by the
    bureau's staff and officials, not only by developers. ``DEBUG_TECHNICAL_404=1`` brings Django's back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and not settings.DEBUG_TECHNICAL_404
            and response.status_code == 404
            and isinstance(response, HttpResponse)
            and TECHNICAL_404_MARK in response.content
        ):
            return page_not_found(request, Http404())
        return response
