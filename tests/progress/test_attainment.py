"""The attainment and trend page (issue 13): which units attain the standard in force, the 2035 aim, and
whether ozone is still rising, read from stored runs."""

from __future__ import annotations

import statistics
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from areas.models import Area
from progress import attainment
from progress.models import ProgressSnapshot, ScoreRun
from tests.progress.conftest import CITY, COUNTY_A, COUNTY_B

MEETS = {"so2": 9, "no2": 28, "pm10": 65, "pm25": 33, "co_p95": Decimal("1.2"), "o3_8h_p90": 158}


def stored_run(year: int, figures_by_area: dict[str, dict], *, as_of: date | None = None, limits="GB3095-2012"):
    run = ScoreRun.objects.create(
        year=year,
        as_of=as_of or date(year, 12, 31),
        composite_limits=limits,
        published_at=timezone.now(),
        editions="2012",
    )
    rows = []
    for code, figures in figures_by_area.items():
        area = Area.objects.get(code=code)
        for indicator, value in {**figures, "valid_days": 360}.items():
            rows.append(ProgressSnapshot(run=run, area=area, indicator=indicator, actual=value, valid_days=360))
    ProgressSnapshot.objects.bulk_create(rows)
    return run


@pytest.mark.django_db
def test_units_attain_against_the_limits_of_their_year(client):
    # 2026 is judged against GB 3095-2026 phase one: county A's PM2.5 of 33 is above 30; county B meets it.
    stored_run(
        2026,
        {CITY: {**MEETS, "pm25": 31}, COUNTY_A: MEETS, COUNTY_B: {**MEETS, "pm25": 29, "co_p95": None}},
        limits="GB3095-2026-I",
    )
    page = attainment.attainment_page(year=2026, public=True)
    assert page.limits.code == "GB3095-2026-I"
    by_code = {row.area.code: row for row in page.units}
    assert by_code[COUNTY_A].result.verdict == "not_attained"
    assert (by_code[COUNTY_A].worst.figure, by_code[COUNTY_A].worst.gap) == ("pm25", 3)
    assert by_code[COUNTY_B].result.verdict == "not_enough_data"  # CO P95 short of data, nothing exceeds
    assert page.city.result.verdict == "not_attained"
    units = Area.objects.filter(kind__in=Area.ASSESSMENT_UNIT_KINDS).count()
    assert (page.units_attaining, len(page.units), page.units_without_verdict) == (0, units, units - 1)
    html = client.get(reverse("progress:attainment"), {"year": 2026}).content.decode()
    assert 'data-limits="GB3095-2026-I"' in html
    assert f'data-figure="units-total">{units}<' in html
    assert f'data-area="{COUNTY_A}" data-verdict="not_attained"' in html
    assert "PM2.5 超 3" in html


@pytest.mark.django_db
def test_the_same_figures_attain_under_gb_3095_2012():
    stored_run(2025, {CITY: MEETS, COUNTY_A: MEETS})
    page = attainment.attainment_page(year=2025, public=True)
    assert page.city.result.verdict == "attained"
    assert next(r for r in page.units if r.area.code == COUNTY_A).result.verdict == "attained"
    assert page.units_attaining == 1
    assert not page.provisional


@pytest.mark.django_db
def test_a_year_in_progress_is_a_provisional_verdict(client):
    stored_run(2026, {CITY: MEETS}, as_of=date(2026, 11, 30), limits="GB3095-2026-I")
    page = attainment.attainment_page(year=2026, public=True)
    assert page.provisional
    assert 'data-provisional="2026"' in client.get(reverse("progress:attainment")).content.decode()


@pytest.mark.django_db
def test_the_ozone_trend_of_the_complete_years(client):
    ozone = {2019: 150, 2020: 156, 2021: 160, 2022: 163, 2023: 170, 2024: 171, 2025: 178}
    for year, value in ozone.items():
        stored_run(year, {CITY: {**MEETS, "o3_8h_p90": value, "pm25": 60 - (year - 2019) * 3}})
    stored_run(2026, {CITY: {**MEETS, "o3_8h_p90": 100}}, as_of=date(2026, 6, 30), limits="GB3095-2026-I")
    page = attainment.attainment_page(year=None, public=True)
    trends = {item.code: item.trend for item in page.trends}
    assert trends["o3_8h_p90"].years == tuple(ozone)  # the year in progress is left out
    assert trends["o3_8h_p90"].direction == "rising"
    pairs = [(ozone[b] - ozone[a]) / (b - a) for a in ozone for b in ozone if b > a]
    assert trends["o3_8h_p90"].slope == pytest.approx(statistics.median(pairs)) == pytest.approx(4.4)
    assert trends["pm25"].direction == "falling"
    html = client.get(reverse("progress:attainment")).content.decode()
    assert 'data-trend="o3_8h_p90" data-direction="rising"' in html
    assert "呈上升趋势" in html
    assert '"trend-o3_8h_p90"' in html  # the chart's data
    # The home page tracks both aims for the latest year.
    home = client.get(reverse("progress:home")).content.decode()
    assert 'data-figure="ozone-trend" data-direction="rising"' in home
    assert '<section class="aims" data-aims="2026">' in home


@pytest.mark.django_db
def test_the_public_sees_published_figures_only(client):
    run = stored_run(2025, {CITY: MEETS})
    run.published_at = None
    run.save()
    assert attainment.attainment_page(year=None, public=True).run is None
    assert client.get(reverse("progress:attainment")).status_code == 200


@pytest.mark.django_db
def test_the_methodology_works_one_day_through_both_editions(client):
    html = client.get(reverse("progress:methodology")).content.decode()
    assert 'id="editions"' in html
    # PM2.5 70, PM10 130 µg/m³: 94 (良) under HJ 633-2012, 110 (轻度污染) under HJ 633-2026.
    assert (
        '<tr class="total" data-example="aqi"><th scope="row">AQI</th><td>94（良）</td><td>110（轻度污染）</td></tr>'
        in html
    )
    assert "按 GB 3095-2012 限值为 4.90，按 GB 3095-2026 第一阶段限值为 5.12" in html
