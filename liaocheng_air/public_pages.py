"""The public pages kept whole in the cache, made again after each change of the public data.

``tasks.public_pages_warm_after_change`` (connected to ``areas.page_cache.public_data_changed``) queues
``tasks.public_pages_warm`` once however many changes arrive while it waits; the warm-up requests every path of
``warm_paths`` in every language with the warm-up mark, so the middleware makes and keeps each one that is
missing or outdated in the shared cache and keeps a current one longer; beat runs it every
PUBLIC_PAGES_WARM_MINUTES, so that a kept page does not expire while it is current.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.base import BaseHandler
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from areas import selectors as area_selectors
from progress import selectors as progress_selectors

from .middleware import PAGE_CACHE_WARM

WARM_QUEUED_KEY = "public:warm-queued"


def warm_paths() -> list[str]:
    """The paths a public visitor opens most: the public pages, every county page, the progress API and the
    year's statistics of the city and each county (the latest published year)."""
    paths = [
        reverse(name)
        for name in (
            "progress:home",
            "progress:plan",
            "measures:public",
            "progress:attainment",
            "progress:methodology",
            "progress:documents-public",
            "progress:publications",
        )
    ]
    units = area_selectors.assessment_units()
    paths += [reverse("progress:county", kwargs={"code": unit.code}) for unit in units]
    paths.append(reverse("api:progress"))
    year = progress_selectors.latest_year(public=True)
    if year is not None:
        paths.append(reverse("api:city-annual", kwargs={"year": year}))
        paths += [reverse("api:county-annual", kwargs={"code": u.code, "year": year}) for u in units]
    return paths


def _host() -> str:
    concrete = [host.lstrip(".") for host in settings.ALLOWED_HOSTS if host not in ("*", "")]
    return concrete[0] if concrete else "localhost"


def warm() -> int:
    """Make and keep every public path in every language that is not kept for the current data; the number of
    answers kept."""
    cache.delete(WARM_QUEUED_KEY)  # a change from now on queues another warm-up
    # The project's whole middleware chain and views, as a request from outside would meet them; the request
    # itself is built as Django's own RequestFactory builds one.
    handler = BaseHandler()
    handler.load_middleware()
    requests = RequestFactory(HTTP_HOST=_host())
    kept = 0
    # Each request activates its page's language; the worker's own is put back afterwards.
    with translation.override(translation.get_language()):
        for path in warm_paths():
            for language, _name in settings.LANGUAGES:
                request = requests.get(
                    path, HTTP_COOKIE=f"{settings.LANGUAGE_COOKIE_NAME}={language}", **{PAGE_CACHE_WARM: "1"}
                )
                response = handler.get_response(request)
                kept += response.status_code == 200 and response.has_header("ETag")
    return kept
