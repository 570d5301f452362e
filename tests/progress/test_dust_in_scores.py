"""The scores against the plan leave out the particles of the dust days each area's series is marked for."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from monitoring.dust import DustMarks
from progress import selectors, services
from progress.models import ProgressSnapshot
from tests.progress.conftest import CITY, COUNTY_A, TODAY, day_rows, frame, install_daily_results

DUST = date(2025, 2, 10)


@pytest.mark.django_db
def test_a_countys_dust_mark_leaves_its_pm_out_of_its_score_and_not_out_of_the_citys(monkeypatch, plan):
    rows = [
        *day_rows(CITY, date(2025, 1, 1), [80] * 90, pm25=50),
        *day_rows(COUNTY_A, date(2025, 1, 1), [90] * 90, pm25=60),
    ]
    for row in rows:
        if row["date"] == DUST:
            row["pm25"] = 330
    install_daily_results(monkeypatch, data=frame(rows))
    monkeypatch.setattr(selectors, "dust_marks", lambda start, end: DustMarks(by_area={COUNTY_A: frozenset({DUST})}))
    (run,) = services.scores_recompute(years=[2025], today=TODAY)
    pm25 = dict(
        ProgressSnapshot.objects.filter(run=run, month=0, cumulative=False, indicator="pm25").values_list(
            "area__code", "actual"
        )
    )
    # County A: 89 days of 60 without the marked day (else (89 x 60 + 330) / 90 = 63); the city keeps the
    # day: (89 x 50 + 330) / 90 = 53.1 -> 53.
    assert (pm25[COUNTY_A], pm25[CITY]) == (Decimal(60), Decimal(53))
