"""Shared fixtures: personas, the plan, and service guards."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command

from tests.services import CHROMIUM, chromium_available, require

BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


@pytest.fixture
def plan(db: Any) -> Any:
    """The real plan and areas, loaded the way `bootstrap` loads them."""
    call_command("bootstrap", verbosity=0)
    from targets.selectors import current_plan

    return current_plan()


@pytest.fixture
def bureau(db: Any) -> Any:
    """Alice, bureau staff: sees every area and reviews submissions."""
    from tests.factories import BureauStaffFactory

    return BureauStaffFactory(username="alice")


@pytest.fixture
def official_a(db: Any) -> Any:
    """Bob, an official of 东昌府区 (county A)."""
    from tests.factories import CountyOfficialFactory

    return CountyOfficialFactory(user__username="bob", area_code="371502").user


@pytest.fixture
def official_b(db: Any) -> Any:
    """Charlie, an official of 临清市 (county B)."""
    from tests.factories import CountyOfficialFactory

    return CountyOfficialFactory(user__username="charlie", area_code="371581").user


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    require("Chromium", chromium_available(), f"install Debian's chromium package ({CHROMIUM})")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; Django's ORM calls
    # in the same test are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _celery_mode(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tasks run eagerly in-process, except in `realstack` tests, which send them to a real worker.

    Celery reads its configuration once, so the switch is made on the app's config, not on settings.
    """
    from liaocheng_air.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = request.node.get_closest_marker("realstack") is None
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _isolated_media(tmp_path: Any, settings: Any) -> None:
    """Uploaded files go to a per-test folder, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _plain_static(settings: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
