"""Error pages are the product's own, in the reader's language, never Django's bare defaults (issue 16)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_a_missing_page_says_so_in_the_products_own_page(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'data-error="404"' in html
    assert "页面不存在" in html
    assert 'class="site-header"' in html


def test_a_forbidden_page_explains_who_may_see_it(client, official_a):
    client.force_login(official_a)
    response = client.get(reverse("monitoring:assessment-stations"))
    html = response.content.decode()
    assert response.status_code == 403
    assert 'data-error="403"' in html
    assert "只能查看和填报本区域的任务" in html


def test_the_forbidden_page_in_english(client, official_a):
    client.force_login(official_a)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("monitoring:assessment-stations")).content.decode()
    assert "Access denied" in html


def test_the_server_error_page_needs_no_context_and_says_nothing_was_lost():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert 'data-error="500"' in html
    assert "Nothing stored was lost" in html


def test_under_make_run_a_missing_page_is_the_products_page_too(client, settings):
    """make run has DEBUG on; Django would answer with its technical page (URL patterns, 980 px wide)."""
    settings.DEBUG = True
    html = client.get("/county/371581/").content.decode()
    assert 'data-error="404"' in html
    assert "页面不存在" in html
    assert "NONE,NOARCHIVE" not in html
    settings.DEBUG_TECHNICAL_404 = True
    assert "NONE,NOARCHIVE" in client.get("/county/371581/").content.decode()
