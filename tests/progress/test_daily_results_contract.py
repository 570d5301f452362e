"""The progress tests feed scoring a hand-made daily-results frame (tests/progress/conftest.py). This checks
the hand-made frame against the real one that monitoring stores and progress reads, so the two cannot drift
apart, and scores one real day end to end."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd

from monitoring import services as monitoring_services
from monitoring import tasks as monitoring_tasks
from monitoring.models import AreaDay, IngestRun
from progress import selectors, services
from progress.models import ProgressSnapshot
from tests.data import CNEMC_DIR
from tests.progress.conftest import CITY, day_rows, frame

DAY = date(2022, 1, 1)


def stored_day(django_capture_on_commit_callbacks: Any) -> pd.DataFrame:
    """Real CNEMC hours of 1 January 2022, ingested and recomputed; the city's stored day as progress reads it."""
    with django_capture_on_commit_callbacks(execute=True):
        run = monitoring_services.ingest_run_create(
            content=(CNEMC_DIR / "hourly_2022-01-01.csv").read_bytes(),
            file_name="hourly_2022-01-01.csv",
            source=IngestRun.Source.COMMAND,
        )
        monitoring_tasks.ingest_file.apply(args=[run.pk])
    return selectors.daily_results(area_codes=[CITY], start=DAY, end=DAY)


def kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, date):
        return "date"
    if isinstance(value, (int, float)) or hasattr(value, "dtype"):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (list, tuple)):
        return "list"
    return type(value).__name__


def test_the_hand_made_frame_has_the_real_frames_columns_and_kinds(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    real = stored_day(django_capture_on_commit_callbacks)
    hand = frame(day_rows(CITY, DAY, [80], pm25=50))
    assert len(real) == 1
    assert list(hand.columns) == list(real.columns)
    real_row, hand_row = real.iloc[0].to_dict(), hand.iloc[0].to_dict()
    assert {column: kind(value) for column, value in hand_row.items()} == {
        column: kind(value) for column, value in real_row.items()
    }
    assert real_row["flavour"] in {"realtime", "reviewed"}
    assert real_row["edition"] == hand_row["edition"]


def test_a_real_stored_day_is_scored(db: Any, django_capture_on_commit_callbacks: Any) -> None:
    stored_day(django_capture_on_commit_callbacks)
    (run,) = services.scores_recompute(years=[2022], today=date(2022, 1, 2))
    city_day = AreaDay.objects.get(area__code=CITY, date=DAY)
    pm25 = ProgressSnapshot.objects.get(run=run, area__code=CITY, month=0, indicator="pm25")
    assert (run.as_of, pm25.valid_days) == (DAY, 1)
    assert pm25.actual == Decimal(city_day.pm25)
