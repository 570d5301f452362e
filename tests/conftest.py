"""Shared fixtures: personas, the plan, and service guards.

The test database starts every test with the areas, the plan, its county targets and assignments and the
national stations loaded (`bootstrap` without --demo). They are loaded once per test process, when the
database is created; each test's changes are rolled back as usual. A transactional test (browser,
real-stack, migrations) empties the database when it ends, so it is put back right after it: from a
snapshot on SQLite, by `bootstrap` on PostgreSQL.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Generator, Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from pytest_django.fixtures import validate_django_db
from pytest_django.plugin import blocking_manager_key

from tests.services import CHROMIUM, chromium_available, require

BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


_database_ready = False
# SQLite: a copy of the loaded test database, put back after a transactional test in milliseconds.
_sqlite_snapshot: sqlite3.Connection | None = None
# PostgreSQL: every table's rows as binary COPY data, in the same role as the SQLite snapshot.
_postgresql_snapshot: list[tuple[str, bytes]] | None = None


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    """Tests hash passwords with MD5: PBKDF2's deliberate slowness (about 0.3 s a user) bought nothing here
    and cost a second in most tests. Production keeps Django's default hashers."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def _no_public_page_cache() -> Iterator[None]:
    """Public pages are made afresh in tests: a test's changes are rolled back, never committed, so the data
    version (bumped on commit) would not tell a kept page of an earlier test from this one's. The warm-up
    would render every public page after each change. The page-cache tests turn both on
    (tests/test_page_cache.py)."""
    from django.test import override_settings

    with override_settings(PUBLIC_PAGE_CACHE=False, PUBLIC_PAGES_WARM=False):
        yield


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts and ends in the default language. A request in English (a language cookie, the
    switch) leaves its thread's language active after the response, and the next test in that process
    would read English messages where it expects Chinese ones."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


def plan_load() -> None:
    """The areas, the plan and the national stations, loaded the way `bootstrap` loads them."""
    call_command("bootstrap", stdout=StringIO())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The test database, migrated, with the plan loaded once for the whole run of this process."""
    global _database_ready, _sqlite_snapshot, _postgresql_snapshot
    from django.db import connection

    with django_db_blocker.unblock():
        plan_load()
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            _sqlite_snapshot = sqlite3.connect(":memory:")
            connection.connection.backup(_sqlite_snapshot)
        elif connection.vendor == "postgresql":
            _postgresql_snapshot = _postgresql_snapshot_take()
    _database_ready = True


def _postgresql_tables() -> list[str]:
    from django.db import connection

    return [name for name in connection.introspection.table_names() if name != "django_migrations"]


def _postgresql_snapshot_take() -> list[tuple[str, bytes]]:
    """Every table's rows (binary COPY): putting them back takes a second where loading the plan again
    takes many (the restore after each transactional test)."""
    from io import BytesIO

    from django.db import connection

    snapshot = []
    with connection.cursor() as cursor:
        for table in _postgresql_tables():
            rows = BytesIO()
            cursor.cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} TO STDOUT WITH (FORMAT binary)", rows)
            snapshot.append((table, rows.getvalue()))
    return snapshot


def _postgresql_snapshot_restore(snapshot: list[tuple[str, bytes]]) -> None:
    """Empty every table (the flush re-created content types and permissions under new ids) and put the
    snapshot's rows back; foreign keys are checked at commit (Django creates them deferrable). Each
    sequence is then set past the largest id (a migration test may have re-created a table, and with it its
    sequence)."""
    from io import BytesIO

    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        quoted = ", ".join(connection.ops.quote_name(table) for table, _ in snapshot)
        cursor.execute(f"TRUNCATE {quoted}")
        for table, rows in snapshot:
            copy = f"COPY {connection.ops.quote_name(table)} FROM STDIN WITH (FORMAT binary)"
            cursor.cursor.copy_expert(copy, BytesIO(rows))
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
            cursor.execute(statement)


def _database_restore() -> None:
    """The database as `django_db_setup` left it, after a transactional test has flushed it."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from targets.models import Plan

    if _sqlite_snapshot is not None:
        connection.ensure_connection()
        _sqlite_snapshot.backup(connection.connection)
        # The flush re-created the content types under new ids; the restored rows have the old ones.
        ContentType.objects.clear_cache()
    elif _postgresql_snapshot is not None:
        _postgresql_snapshot_restore(_postgresql_snapshot)
        ContentType.objects.clear_cache()
    elif not Plan.objects.exists():
        plan_load()


def _empties_the_database(item: pytest.Item) -> bool:
    """Transactional tests end with a flush of every table (Django's TransactionTestCase); pytest-django
    makes a test transactional by its marker or by these fixtures."""
    marker = item.get_closest_marker("django_db")
    if marker:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, None, None]:
    """After a transactional test has flushed the database, put the plan back for the tests that follow."""
    yield
    # With no next test, the session's fixtures (the test database among them) have just been torn down.
    if _database_ready and nextitem is not None and _empties_the_database(item):
        from django.db import connections

        with item.config.stash[blocking_manager_key].unblock():
            _database_restore()
            # This hook may run in another context than the tests (Playwright's greenlets), so its
            # connection is its own: close it, or PostgreSQL refuses to drop the test database at the end.
            # (Django ignores closing SQLite's in-memory test database.)
            connections.close_all()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Real-stack tests form one group for `make test`'s two processes (pytest-xdist, `--dist loadgroup`):
    they run in one process, against the one Celery worker. The tests of an app's migrations
    (``test_migrations.py``) are marked ``migrations``: CI runs them once, on PostgreSQL (.ci/run)."""
    for item in items:
        if item.get_closest_marker("realstack"):
            item.add_marker(pytest.mark.xdist_group("realstack"))
        if Path(str(item.fspath)).name == "test_migrations.py":
            item.add_marker(pytest.mark.migrations)


@pytest.fixture
def no_plan(db: Any) -> None:
    """For tests that build their own small world with factories: the preloaded plan, areas, assignments
    and stations (every table of the project's own apps) are emptied inside the test's transaction, and
    so come back when it is rolled back."""
    from django.apps import apps
    from django.conf import settings
    from django.db import connection

    project_apps = [config for config in apps.get_app_configs() if Path(config.path).parent == settings.BASE_DIR]
    tables = [model._meta.db_table for config in project_apps for model in config.get_models(include_auto_created=True)]
    # Foreign keys are checked at commit (Django creates them deferrable), so the order does not matter.
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608  (model table names)


@pytest.fixture
def migrating(transactional_db: Any) -> Iterator[None]:
    """For a test that migrates the database back and forth: whatever happens, it is left at the latest
    migrations, for the flush that ends the test and the restore after it (tests/migrations.py)."""
    yield
    from tests.migrations import latest, migrate

    migrate(latest())


@pytest.fixture
def small_plan(no_plan: None) -> Any:
    """A 2021-2025 plan made by a factory, for tests that build their own world (key projects need one)."""
    from tests.factories import PlanFactory

    return PlanFactory(start_year=2021, end_year=2025, baseline_year=2020)


@pytest.fixture
def plan(db: Any) -> Any:
    """The real plan (loaded for every test; see the module docstring)."""
    from targets.selectors import current_plan

    loaded = current_plan()
    assert loaded is not None, "the test database has no plan: see plan_load()"
    return loaded


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
def _empty_cache() -> None:
    """Each test starts with an empty cache, as it starts with the database as loaded: a page cached by one
    test must not answer another."""
    from django.core.cache import cache

    cache.clear()


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
