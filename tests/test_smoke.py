"""The project starts, its pages render, and its settings refuse unsafe production configs."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_public_home_renders_without_login(client, plan):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert plan.name in response.content.decode()


def test_dashboard_requires_login(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_chinese_is_the_default_language(client, plan):
    response = client.get(reverse("home"))
    assert response.headers["Content-Language"] == "zh-hans"


def test_language_switch_serves_english(client, plan):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("home"))
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
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "zh-hans"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response.headers["Content-Language"] == "en"


def test_api_docs_load_nothing_from_outside_the_site(client):
    import re

    html = client.get("/api/docs/").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    assert all(asset.startswith("/static/") for asset in assets), assets
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
