"""Journey 1, as far as a test goes: `bootstrap --demo` loads the demo (here with a few weeks of synthetic
hours instead of the years since 2020, so it stays fast), prints the demo logins, and every page then
carries the demo banner. The printed logins work."""

from __future__ import annotations

import functools
import re
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

import monitoring.demo
from measures.demo import DEMO_DEPARTMENT_LOGIN
from progress.models import ScoreRun
from targets.demo import DEMO_LOGINS

pytestmark = pytest.mark.django_db

BANNER = 'class="demo-banner"'
PUBLIC_PAGES = ["/", "/plan/", "/methodology/", "/counties/371581/", "/accounts/login/"]
STAFF_PAGES = [
    "/dashboard/",
    "/targets/",
    "/measures/",
    "/measures/board/",
    "/measures/audit/",
    "/measures/periodic/",
    "/measures/projects/",
    "/monitoring/ingest/",
    "/monitoring/ingest/runs/",
    "/monitoring/quality/",
    "/monitoring/dust/",
]
OFFICIAL_PAGES = ["/measures/mine/", "/counties/371581/", "/measures/projects/"]


@pytest.fixture
def demo_output(monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any) -> str:
    """`bootstrap --demo` with the monitoring demo limited to the last three weeks."""
    start = timezone.localdate() - timedelta(days=21)
    monkeypatch.setattr(
        monitoring.demo, "demo_monitoring_load", functools.partial(monitoring.demo.demo_monitoring_load, start=start)
    )
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("bootstrap", "--demo", stdout=out)
    return out.getvalue()


def printed_logins(output: str) -> dict[str, str]:
    block = output.split("demo logins (username / password):", 1)[1]
    return dict(re.findall(r"^\s+(\S+) / (\S+)\s+\(", block, flags=re.MULTILINE))


def log_in(username: str, password: str) -> Client:
    """Through the login page, as a newcomer would with the printed login."""
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": password, "next": "/dashboard/"})
    assert response.status_code == 302, f"{username} could not log in"
    return client


def test_bootstrap_demo_prints_the_demo_logins_and_every_page_shows_the_demo_banner(demo_output: str) -> None:
    logins = printed_logins(demo_output)
    assert logins == {login.username: login.password for login in (*DEMO_LOGINS, DEMO_DEPARTMENT_LOGIN)}
    assert "demo monitoring: 10 stations created, 1 file(s) ingested" in demo_output
    assert ScoreRun.objects.filter(year=timezone.localdate().year).exists()

    public = Client()
    for url in PUBLIC_PAGES:
        response = public.get(url)
        assert response.status_code == 200, url
        assert BANNER in response.content.decode(), url

    staff = log_in("bureau", logins["bureau"])
    for url in STAFF_PAGES:
        response = staff.get(url)
        assert response.status_code == 200, url
        assert BANNER in response.content.decode(), url

    official = log_in("linqing", logins["linqing"])
    for url in OFFICIAL_PAGES:
        response = official.get(url)
        assert response.status_code == 200, url
        assert BANNER in response.content.decode(), url


def test_without_demo_there_is_no_banner(plan: Any) -> None:
    assert BANNER not in Client().get("/").content.decode()
