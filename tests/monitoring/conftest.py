"""Fixtures of the stored-results tests: an ingest whose on-commit recompute runs (the areas and the
national stations are in every test's database, tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from monitoring import services, tasks
from monitoring.models import Flavour, IngestRun


@pytest.fixture
def ingest_and_recompute(db: None, django_capture_on_commit_callbacks: Any) -> Callable[..., IngestRun]:
    """Ingest bytes through the real task; the on-commit recompute chain runs as it does after a commit."""

    def run(content: bytes, *, name: str = "hours.csv", flavour: int = Flavour.REALTIME) -> IngestRun:
        with django_capture_on_commit_callbacks(execute=True):
            created = services.ingest_run_create(
                content=content, file_name=name, source=IngestRun.Source.COMMAND, flavour=flavour
            )
            tasks.ingest_file.apply(args=[created.pk])
        created.refresh_from_db()
        return created

    return run
