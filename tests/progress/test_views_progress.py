"""Progress pages and exports: who sees what, figures as stored, exports equal to the pages."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from monitoring.aqi import CATEGORIES
from progress import services
from progress.models import ProgressSnapshot
from targets import services as target_services
from targets.models import Target
from tests.progress.conftest import CITY, COUNTY_A, COUNTY_B, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(plan, stored):
    target_services.county_targets_ensure(plan=plan)
    (run,) = services.scores_recompute(years=[2025], today=TODAY)
    return run


@pytest.fixture
def unpublished(computed, stored, settings):
    """A newer computation staff have not published: county A's PM2.5 changed to 70."""
    settings.PROGRESS_AUTO_PUBLISH = False
    stored.loc[(stored["area"] == COUNTY_A) & (stored["date"].astype(str) >= "2025-01-01"), "pm25"] = 70
    (run,) = services.scores_recompute(years=[2025], today=TODAY)
    return run


def test_home_shows_the_citys_figures_without_login(client, computed):
    response = client.get(reverse("progress:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-indicator="good_day_ratio"' in html
    assert "64.4" in html  # good-day ratio year to date
    assert 'data-kind="polluted_days"><span data-value>100</span> 天' in html  # polluted days still allowed
    assert 'data-kind="mean_needed">≤ <span data-value>41.3</span>' in html  # PM2.5 the rest of the year
    assert "实况数据" in html
    assert "2025-03-31" in html


def test_home_makes_no_request_outside_the_site(client, computed):
    html = client.get(reverse("progress:home")).content.decode()
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html
    assert "/static/vendor/plotly-cartesian.min.js" in html


def test_public_sees_no_unpublished_figures(client, unpublished):
    html = client.get(reverse("progress:county", args=[COUNTY_A])).content.decode()
    assert 'data-figure="actual">60<' in html
    assert 'data-figure="actual">70<' not in html


def test_staff_see_the_unpublished_figures_and_can_publish(client, bureau, unpublished):
    client.force_login(bureau)
    html = client.get(reverse("progress:dashboard") + f"?area={COUNTY_A}").content.decode()
    assert 'data-figure="actual">70<' in html
    assert "尚未发布" in html
    client.post(reverse("progress:score-run-publish", args=[unpublished.pk]))
    client.logout()
    html = client.get(reverse("progress:county", args=[COUNTY_A])).content.decode()
    assert 'data-figure="actual">70<' in html


def test_officials_see_their_own_countys_unpublished_figures_only(client, official_a, official_b, unpublished):
    client.force_login(official_a)
    assert 'data-figure="actual">70<' in client.get(reverse("progress:county", args=[COUNTY_A])).content.decode()
    client.force_login(official_b)
    assert 'data-figure="actual">70<' not in client.get(reverse("progress:county", args=[COUNTY_A])).content.decode()


def test_officials_are_sent_from_the_dashboard_to_their_county(client, official_b, computed):
    client.force_login(official_b)
    response = client.get(reverse("progress:dashboard"))
    assert response.status_code == 302
    assert response.url == reverse("progress:county", args=[COUNTY_B])


def test_dashboard_needs_a_login(client, computed):
    assert client.get(reverse("progress:dashboard")).status_code == 302


def test_dashboard_filters_change_the_figures(client, bureau, computed):
    client.force_login(bureau)
    city = client.get(reverse("progress:dashboard")).context["charts"]
    county = client.get(reverse("progress:dashboard") + f"?area={COUNTY_A}&month=2").context
    assert county["page"].area.code == COUNTY_A
    assert county["month"] == 2
    assert county["charts"]["monthly-pm25"] != city["monthly-pm25"]
    assert "calendar" in county["charts"]


def test_dashboard_league_table_flags_counties_worse_than_the_city_and_last_year(client, bureau, computed):
    client.force_login(bureau)
    html = client.get(reverse("progress:dashboard")).content.decode()
    assert f'data-area="{COUNTY_A}" class="worse-than-city worse-than-last-year"' in html


def test_methodology_page_lists_weights_and_margins(client):
    html = client.get(reverse("progress:methodology")).content.decode()
    assert '<tr data-component="composite_index_rank"><td>综合指数排名</td><td data-weight>0.35</td>' in html
    assert "<tr><td>优良天数比例</td><td>± 2.0 个百分点</td></tr>" in html  # a ratio moves in points
    assert "<tr><td>PM2.5 浓度</td><td>± 2 µg/m³</td></tr>" in html
    assert "<code>" not in html.split('id="ranking"')[0].split("风险范围")[1]  # names, not codes
    assert "最多为剩余天数 R" in html  # the allowance is capped by the days left, and the page says so


def test_progress_csv_export_has_the_figures_as_shown(client, computed):
    response = client.get(reverse("progress:export", args=["csv"]) + "?year=2025")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    city_pm25 = next(r for r in rows if r[:2] == ["聊城市", "PM2.5浓度"])
    assert city_pm25[3:7] == ["50", "43", "55", "-9.1"]
    assert city_pm25[8] == "其余日均值不超过 41.3"
    allowances = {r[1]: r[8] for r in rows if r[0] == "聊城市"}
    assert allowances["优良天数比例"] == "剩余可超标 100 天"
    assert allowances["重度及以上污染天数比例"] == "剩余可重污染天数 2"  # heavy days, not polluted days


def test_ranking_excel_export_matches_the_page(client, computed):
    response = client.get(reverse("progress:ranking-export", args=["xlsx"]) + "?year=2025")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    county_a = next(r for r in rows if r[1] == "东昌府区")
    html = client.get(reverse("progress:home")).content.decode()
    assert f'data-figure="composite_index">{county_a[3]}<' in html


def test_unknown_export_format_is_404(client, computed):
    assert client.get(reverse("progress:export", args=["pdf"])).status_code == 404


def test_staff_edit_a_county_target_with_a_reason(client, bureau, computed):
    target = Target.objects.get(area__code=COUNTY_A, indicator__code="pm25", target_year=2025)
    client.force_login(bureau)
    response = client.post(
        reverse("targets:edit", args=[target.pk]), {"value": "41", "baseline_value": "", "reason": ""}
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    client.post(reverse("targets:edit", args=[target.pk]), {"value": "41", "baseline_value": "", "reason": "县级方案"})
    target.refresh_from_db()
    assert target.value == 41
    assert "县级方案" in client.get(reverse("targets:edit", args=[target.pk])).content.decode()


def test_officials_cannot_edit_targets(client, official_a, computed):
    target = Target.objects.get(area__code=COUNTY_A, indicator__code="pm25", target_year=2025)
    client.force_login(official_a)
    assert client.post(reverse("targets:edit", args=[target.pk]), {"value": "1", "reason": "x"}).status_code == 403
    assert client.get(reverse("targets:list")).status_code == 403


def test_baseline_from_figures_button(client, bureau, computed):
    target = Target.objects.get(area__code=CITY, indicator__code="pm25", target_year=2025)
    client.force_login(bureau)
    client.post(reverse("progress:target-baseline-from-figures", args=[target.pk]))
    target.refresh_from_db()
    assert target.baseline_value == 46


def test_pages_never_compute(client, computed, monkeypatch):
    def fail(**kwargs):
        raise AssertionError("computed on request")

    monkeypatch.setattr(services, "scores_recompute", fail)
    assert client.get(reverse("progress:county", args=[COUNTY_A])).status_code == 200
    assert ProgressSnapshot.objects.exists()


def test_a_county_without_assessment_stations_says_so_instead_of_empty_charts(client, computed):
    html = client.get(reverse("progress:county", args=[COUNTY_B])).content.decode()
    assert f'data-no-stations="{COUNTY_B}"' in html
    assert "没有评价站点，因此没有空气质量统计" in html
    assert 'data-chart="trajectory-pm25"' not in html
    with_stations = client.get(reverse("progress:county", args=[COUNTY_A])).content.decode()
    assert "data-no-stations" not in with_stations
    assert 'data-chart="trajectory-pm25"' in with_stations


def test_a_county_on_the_citys_own_stations_is_not_flagged_worse_than_the_city(client, bureau, plan, stored):
    from monitoring.models import AssessmentStation, Station

    county_a = AssessmentStation.objects.filter(area__code=COUNTY_A).first().area
    for station in Station.objects.filter(network="national"):
        AssessmentStation.objects.get_or_create(area=county_a, station=station)
    target_services.county_targets_ensure(plan=plan)
    services.scores_recompute(years=[2025], today=TODAY)
    client.force_login(bureau)
    html = client.get(reverse("progress:dashboard")).content.decode()
    assert f'data-area="{COUNTY_A}" class=" worse-than-last-year"' in html


def test_dashboard_calendar_shows_an_invalid_day_as_without_data(client, bureau, computed, stored):
    """An area's invalid day has no AQI and no category (nullable integers, as stored): the calendar shows it
    as "—" (it was a 500: the boolean value of NA is ambiguous)."""
    import pandas as pd

    stored["aqi"] = stored["aqi"].astype("Int64")
    stored["category"] = stored["category"].astype("Int64")
    invalid = (stored["area"] == COUNTY_A) & (stored["date"].astype(str) == "2025-01-05")
    stored.loc[invalid, ["aqi", "category"]] = pd.NA
    client.force_login(bureau)
    response = client.get(reverse("progress:dashboard") + f"?area={COUNTY_A}&calendar={COUNTY_A}&calendar_year=2025")
    assert response.status_code == 200
    (calendar,) = response.context["charts"]["calendar"]["data"]
    assert "2025-01-05 AQI — 无有效数据" in calendar["text"]
    assert not any(text.startswith("2025-01-06 AQI —") for text in calendar["text"])


def test_a_county_page_has_the_countys_aqi_calendar_with_a_legend_in_the_readers_language(client, computed, stored):
    response = client.get(reverse("progress:county", args=[COUNTY_A]))
    (calendar,) = response.context["charts"]["calendar"]["data"]
    day = stored[(stored["area"] == COUNTY_A) & (stored["date"].astype(str) == "2025-01-05")].iloc[0]
    name = CATEGORIES[int(day["category"]) - 1].name_zh
    assert f"2025-01-05 AQI {int(day['aqi'])} {name}" in calendar["text"]
    html = response.content.decode()
    assert f'data-calendar-of="{COUNTY_A}"' in html
    assert '<span class="swatch aqi-6"></span> 严重污染' in html
    english = client.get(reverse("progress:county", args=[COUNTY_A]), HTTP_COOKIE="django_language=en")
    assert '<span class="swatch aqi-6"></span> severely polluted' in english.content.decode()


def test_an_official_sees_no_other_countys_unpublished_figures_on_their_own_county_page(
    client, official_a, computed, stored, settings
):
    """With publication by staff, a county official's own page shows their county's new figures, and the
    league table and ranks only as published (they showed every county's unpublished figures)."""
    settings.PROGRESS_AUTO_PUBLISH = False
    stored.loc[(stored["area"] == COUNTY_B) & (stored["date"].astype(str) >= "2025-01-01"), "pm25"] = 75
    stored.loc[(stored["area"] == COUNTY_A) & (stored["date"].astype(str) >= "2025-01-01"), "pm25"] = 70
    services.scores_recompute(years=[2025], today=TODAY)
    client.force_login(official_a)
    response = client.get(reverse("progress:county", args=[COUNTY_A]))
    html = response.content.decode()
    assert 'data-figure="actual">70<' in html  # their own county's new figure
    assert response.context["page"].ranking
    assert all(entry.run.published_at is not None for entry in response.context["page"].ranking)
    assert {str(entry.pm25) for entry in response.context["page"].ranking}.isdisjoint({"75", "75.0", "70", "70.0"})
    assert 'data-note="league-published"' in html


def test_the_home_marks_the_month_its_figures_stop_inside_as_partial(client, plan, stored):
    target_services.county_targets_ensure(plan=plan)
    (run,) = services.scores_recompute(years=[2025], today=date(2025, 3, 16))
    assert run.as_of == date(2025, 3, 16)
    chart = client.get(reverse("progress:home")).context["charts"]["monthly-pm25"]
    symbols = list(chart["data"][0]["marker"]["symbol"])
    assert symbols[-1] == "circle-open"
    assert set(symbols[:-1]) == {"circle"}
    assert list(chart["data"][0]["text"])[-1] == "至 2025-03-16，月份未完"
