"""Whole public pages from the cache (issue 15): the kept bytes equal a fresh answer, a change of the data
refreshes them before the next visitor, no logged-in user ever gets one, and conditional requests get 304."""

from __future__ import annotations

import gzip

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from areas import page_cache
from areas.models import Area
from liaocheng_air.middleware import LOCAL_PAGES
from monitoring.models import IngestRun
from progress import services
from targets import services as target_services
from tests.progress.conftest import COUNTY_A, TODAY

pytestmark = pytest.mark.django_db


def _caches_emptied() -> None:
    cache.clear()
    LOCAL_PAGES.clear()
    page_cache.forget_recent_version()


@pytest.fixture
def page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE = True
    _caches_emptied()
    yield
    _caches_emptied()


@pytest.fixture
def computed(plan, stored):
    target_services.county_targets_ensure(plan=plan)
    (run,) = services.scores_recompute(years=[2025], today=TODAY)
    return run


PUBLIC_PATHS = (
    "/",
    "/plan/",
    "/methodology/",
    "/attainment/",
    f"/counties/{COUNTY_A}/",
    "/documents/",
    "/progress/publications/",
    "/api/v1/progress/",
)


def _in(client, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_kept_page_equals_a_fresh_one_byte_for_byte(client, computed, page_cache_on, language, settings):
    _in(client, language)
    for path in PUBLIC_PATHS:
        first = client.get(path)
        assert first.status_code == 200, path
        assert first.has_header("ETag"), path
        kept = client.get(path)
        assert kept.content == first.content, path
        assert dict(kept.items()) == dict(first.items()), path
        settings.PUBLIC_PAGE_CACHE = False
        fresh = client.get(path)
        settings.PUBLIC_PAGE_CACHE = True
        assert fresh.content == kept.content, path
        assert not fresh.has_header("ETag")


def test_a_kept_page_costs_no_query_and_is_public_for_a_short_time(
    client, computed, page_cache_on, django_assert_num_queries
):
    client.get("/")
    with django_assert_num_queries(0):
        response = client.get("/")
    assert response["Cache-Control"] == f"public, max-age={settings.PUBLIC_PAGE_MAX_AGE}"
    assert "Cookie" in response["Vary"]
    assert response.has_header("Last-Modified")


def test_a_client_that_accepts_gzip_gets_the_same_bytes_gzipped(client, computed, page_cache_on):
    plain = client.get("/")
    compressed = client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content) / 3
    assert compressed["ETag"] != plain["ETag"]
    assert "Accept-Encoding" in plain["Vary"]
    assert client.get("/", HTTP_IF_NONE_MATCH=compressed["ETag"], HTTP_ACCEPT_ENCODING="gzip").status_code == 304
    assert not client.get("/", HTTP_ACCEPT_ENCODING="gzip;q=0").has_header("Content-Encoding")


def test_the_languages_are_kept_apart(client, computed, page_cache_on):
    chinese = client.get("/").content.decode()
    english = _in(client, "en").get("/").content.decode()
    assert '<html lang="zh-hans">' in chinese
    assert '<html lang="en">' in english


def test_a_matching_etag_gets_304_without_a_body(client, computed, page_cache_on):
    etag = client.get("/plan/")["ETag"]
    response = client.get("/plan/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert client.get("/plan/", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_publishing_refreshes_the_kept_pages_before_the_next_visitor(
    client, computed, stored, page_cache_on, settings, bureau, django_capture_on_commit_callbacks
):
    settings.PROGRESS_AUTO_PUBLISH = False
    county = reverse("progress:county", args=[COUNTY_A])
    assert 'data-figure="actual">60<' in client.get(county).content.decode()
    stored.loc[(stored["area"] == COUNTY_A) & (stored["date"].astype(str) >= "2025-01-01"), "pm25"] = 70
    with django_capture_on_commit_callbacks(execute=True):
        (newer,) = services.scores_recompute(years=[2025], today=TODAY)
    # Recomputed but not published: the public still sees the published figures.
    assert 'data-figure="actual">60<' in client.get(county).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.score_run_publish(run=newer, user=bureau)
    assert 'data-figure="actual">70<' in client.get(county).content.decode()


def test_the_warm_up_after_a_change_fills_every_public_page(
    client, computed, page_cache_on, settings, bureau, django_capture_on_commit_callbacks, django_assert_num_queries
):
    settings.PUBLIC_PAGES_WARM = True
    settings.PROGRESS_AUTO_PUBLISH = False
    with django_capture_on_commit_callbacks(execute=True):
        (newer,) = services.scores_recompute(years=[2025], today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        services.score_run_publish(run=newer, user=bureau)  # the warm-up runs here (eager)
    assert translation.get_language() == "zh-hans"  # the warm-up leaves the worker's language as it was
    for language in ("zh-hans", "en"):
        _in(client, language)
        for path in ("/", f"/counties/{COUNTY_A}/", "/plan/", "/api/v1/progress/"):
            with django_assert_num_queries(0):
                assert client.get(path).status_code == 200


def test_a_logged_in_user_never_gets_a_kept_page(client, computed, page_cache_on, bureau):
    anonymous = client.get("/").content.decode()
    assert "退出" not in anonymous
    client.force_login(bureau)
    response = client.get("/")
    html = response.content.decode()
    assert bureau.username in html or bureau.get_full_name() in html
    assert not response.has_header("ETag")
    assert "private" in response["Cache-Control"]
    client.logout()
    assert client.get("/").content.decode() == anonymous


def test_a_page_made_for_a_logged_in_user_is_never_kept_for_the_public(client, computed, page_cache_on, bureau):
    client.force_login(bureau)
    client.get("/methodology/")
    client.logout()
    html = client.get("/methodology/").content.decode()
    assert "退出" not in html
    assert bureau.username not in html


def test_only_complete_anonymous_answers_are_kept(client, computed, page_cache_on):
    assert not client.get("/counties/999999/").has_header("ETag")  # 404
    browsable = client.get("/api/v1/progress/", HTTP_ACCEPT="text/html,application/xhtml+xml")
    assert not browsable.has_header("ETag")  # the browsable API: one of browsers' many Accept headers
    assert client.get("/api/v1/progress/", HTTP_ACCEPT="application/json").has_header("ETag")
    assert not client.get("/accounts/login/").has_header("ETag")  # not a public page
    assert not client.get("/", HTTP_COOKIE="messages=x").has_header("ETag")


def test_the_data_version_changes_when_a_change_commits_once_per_transaction(
    computed, page_cache_on, django_capture_on_commit_callbacks
):
    before = page_cache.data_version()
    area = Area.objects.get(code=COUNTY_A)
    with django_capture_on_commit_callbacks() as callbacks:
        area.name_en = "Renamed"
        area.save()
        area.save()
    assert len(callbacks) == 1
    for callback in callbacks:
        callback()
    assert page_cache.data_version() != before


def test_writes_no_public_page_shows_leave_the_version(computed, page_cache_on, django_capture_on_commit_callbacks):
    before = page_cache.data_version()
    with django_capture_on_commit_callbacks(execute=True):
        IngestRun.objects.create(file_name="a.csv", checksum="0" * 64, source="upload")
    assert page_cache.data_version() == before


# Queries of a fresh answer (a miss, or a logged-in visitor), the footer's plan and the demo banner included:
# the most a public page may cost when it is made. A page that needs more has grown a query per row.
FRESH_QUERIES = {
    "/": 40,  # the latest day; the map: units, zone positions, figures, attainment figures, stations
    "/plan/": 9,
    "/measures/public/": 12,
    "/air/": 7,
    "/methodology/": 3,
    "/attainment/": 10,
    f"/counties/{COUNTY_A}/": 20,
    "/documents/": 5,
    "/progress/publications/": 4,
    "/api/v1/progress/": 20,
}


@pytest.mark.parametrize("path", list(FRESH_QUERIES))
def test_the_queries_of_a_fresh_public_page(client, computed, path, django_assert_num_queries):
    client.get(path)
    with django_assert_num_queries(FRESH_QUERIES[path]):
        assert client.get(path).status_code == 200


def test_with_the_cache_on_the_footer_and_banner_cost_no_query(client, computed, page_cache_on, bureau):
    client.force_login(bureau)  # made afresh for a logged-in user
    client.get("/methodology/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/methodology/")
    assert not [q for q in queries.captured_queries if "demodataset" in q["sql"] or "targets_plan" in q["sql"]]
