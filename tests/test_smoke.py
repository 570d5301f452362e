"""The project starts, its pages render, and its settings refuse unsafe production configs."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_public_home_renders_without_login(client, plan):
    response = client.get(reverse("progress:home"))
    assert response.status_code == 200
    assert plan.name in response.content.decode()


def test_dashboard_requires_login(client):
    response = client.get(reverse("progress:dashboard"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_chinese_is_the_default_language(client, plan):
    response = client.get(reverse("progress:home"))
    assert response.headers["Content-Language"] == "zh-hans"


def test_language_switch_serves_english(client, plan):
    client.post(reverse("i18n:set-language"), {"language": "en", "next": "/"})
    response = client.get(reverse("progress:home"))
    assert response.headers["Content-Language"] == "en"


def test_production_without_secret_key_refuses_to_start():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"} | {"DEBUG": "0"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; settings.DEBUG"],
        env=env | {"DJANGO_SETTINGS_MODULE": "liaocheng_air.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_bad_boolean_setting_names_the_variable():
    env = dict(os.environ) | {"DEBUG": "maybe", "DJANGO_SETTINGS_MODULE": "liaocheng_air.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; settings.DEBUG"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_an_english_browser_still_gets_chinese_until_the_switch_is_used(client, plan):
    response = client.get(reverse("progress:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "zh-hans"
    client.post(reverse("i18n:set-language"), {"language": "en", "next": "/"})
    response = client.get(reverse("progress:home"), HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response.headers["Content-Language"] == "en"


def test_api_docs_load_nothing_from_outside_the_site(client):
    import re

    html = client.get("/api/docs/").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    # The vendored Swagger UI, and its start-up script from the docs page's own address (no inline script).
    assert all(asset.startswith(("/static/", "/api/docs/?")) for asset in assets), assets
    # ReDoc's page loads Google's fonts whatever its bundle: it is not offered (deployments may be offline).
    assert client.get("/api/redoc/").status_code == 404


def test_openapi_schema_documents_the_public_interfaces(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in (
        "/api/v1/progress/",
        "/api/v1/city/daily/",
        "/api/v1/city/annual/{year}/",
        "/api/v1/counties/{code}/daily/",
        "/api/v1/stations/{code}/daily/",
        "/api/v1/stations/",
    ):
        assert path in schema["paths"], path


def _settings_in_a_fresh_process(env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", f"import django; from django.conf import settings; {code}"],
        env=dict(os.environ) | {"DJANGO_SETTINGS_MODULE": "liaocheng_air.settings"} | env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("key", ["short-key", "a" * 60, "django-insecure-" + "x1y2z3w4v5" * 5])
def test_production_with_a_weak_secret_key_refuses_to_start(key):
    result = _settings_in_a_fresh_process({"DEBUG": "0", "SECRET_KEY": key}, "settings.DEBUG")
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_the_forwarded_protocol_is_believed_only_when_a_proxy_is_configured():
    strong = {"DEBUG": "0", "SECRET_KEY": "k9F2-xQ7pL0zR4vT8bN1mC6hJ3sW5yE0aD2gU7iO9lK4nB8vX1cZ"}
    code = "print(getattr(settings, 'SECURE_PROXY_SSL_HEADER', None))"
    assert _settings_in_a_fresh_process(strong, code).stdout.strip() == "None"
    behind = _settings_in_a_fresh_process(strong | {"SECURE_PROXY_SSL_HEADER": "1"}, code)
    assert behind.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"


@pytest.mark.parametrize("path", ["/", "/api/v1/plans/", "/accounts/login/"])
def test_every_response_carries_the_content_security_policy(client, plan, path):
    policy = client.get(path).headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy


def test_the_schema_cache_holds_only_the_common_requests(client):
    from liaocheng_air.views import SchemaView

    SchemaView._built.clear()
    for n in range(5):
        assert client.get(f"/api/schema/?probe={n}", HTTP_ACCEPT="application/json").status_code == 200
        assert client.get("/api/schema/", HTTP_ACCEPT=f"application/json; q=0.{n}").status_code == 200
    assert SchemaView._built == {}  # neither a query string nor an unusual header is kept
    first = client.get("/api/schema/", HTTP_ACCEPT="application/json").content
    assert client.get("/api/schema/", HTTP_ACCEPT="application/json").content == first
    assert len(SchemaView._built) == 1
