"""GET /api/v1/progress/?year= (docs/interfaces.md §4)."""

from __future__ import annotations

from datetime import date

import pytest

from progress import services
from progress.models import ProgressSnapshot
from targets import services as target_services
from tests.progress.conftest import CITY, COUNTY_A, TODAY

pytestmark = pytest.mark.django_db
URL = "/api/v1/progress/"


@pytest.fixture
def computed(plan, stored):
    target_services.county_targets_ensure(plan=plan)
    (run,) = services.scores_recompute(years=[2025], today=TODAY)
    return run


def indicator(data, area, code):
    area_data = next(a for a in data["areas"] if a["code"] == area)
    return next(i for i in area_data["indicators"] if i["indicator"] == code)


def test_progress_for_the_city_and_each_county(client, computed):
    data = client.get(URL, {"year": 2025}).json()
    assert data["year"] == 2025
    assert data["as_of"] == "2025-03-31"
    assert data["flavour"] == "realtime"
    assert {a["code"] for a in data["areas"]} >= {CITY, COUNTY_A}
    good = indicator(data, CITY, "good_day_ratio")
    assert good == good | {
        "actual": "64.4",
        "goal": "63.7",
        "status": "at_risk",
        "allowance": {"kind": "polluted_days", "value": "100", "out_of_reach": False},
    }
    pm25 = indicator(data, CITY, "pm25")
    assert pm25["same_period_last_year"] == "55"
    assert pm25["allowance"] == {"kind": "mean_needed", "value": "41.3", "out_of_reach": False}
    county = next(a for a in data["areas"] if a["code"] == COUNTY_A)
    assert county["ranking"]["composite_index_rank"] == 1


def test_default_year_is_the_latest_with_figures(client, computed):
    assert client.get(URL).json()["year"] == 2025


def test_bad_year_is_a_clear_400(client, computed):
    response = client.get(URL, {"year": "twenty"})
    assert response.status_code == 400
    assert "not a year" in response.json()["year"][0]


def test_year_without_figures_is_404(client, computed):
    assert client.get(URL, {"year": 2019}).status_code == 404


def test_public_api_hides_unpublished_figures_staff_see_them(client, bureau, computed, stored, settings):
    settings.PROGRESS_AUTO_PUBLISH = False
    stored.loc[stored["area"] == CITY, "pm25"] = 80
    services.scores_recompute(years=[2025], today=TODAY)
    assert indicator(client.get(URL, {"year": 2025}).json(), CITY, "pm25")["actual"] == "50"
    client.force_login(bureau)
    data = client.get(URL, {"year": 2025}).json()
    assert indicator(data, CITY, "pm25")["actual"] == "80"
    assert data["published"] is False


def test_progress_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/progress/" in schema
    assert "IndicatorProgress" in schema


PLAN_2021_2025 = "liaocheng-air-2021-2025"


def test_every_response_names_the_plan_its_year_is_measured_against(client, computed):
    data = client.get(URL, {"year": 2025}).json()
    assert data["plan"] == {
        "code": PLAN_2021_2025,
        "name": "聊城市“十四五”空气质量改善行动计划（2021-2025年）",
        "name_en": "Liaocheng 14th Five-Year Air Quality Improvement Action Plan (2021-2025)",
        "start_year": 2021,
        "end_year": 2025,
        "status": "draft_for_comments",
    }
    assert client.get(URL, {"plan": PLAN_2021_2025}).json()["year"] == 2025


def test_a_year_after_every_plans_end_is_uncovered_never_scored_against_the_old_target(client, plan, stored_into_2026):
    services.scores_recompute(years=[2025, 2026], today=date(2026, 4, 1))
    data = client.get(URL, {"year": 2026}).json()
    assert data["plan"] is None
    pm25 = indicator(data, CITY, "pm25")
    assert (pm25["actual"], pm25["goal"], pm25["status"]) == ("48", None, "")
    assert pm25["allowance"]["kind"] == "none"
    # No plan's reductions are counted in a year no plan governs.
    assert not ProgressSnapshot.objects.filter(run__year=2026, indicator__in=["nox_reduction", "vocs_reduction"])
    # Asked against the 2021-2025 plan, 2026 is refused; the plan's own latest year is 2025.
    response = client.get(URL, {"year": 2026, "plan": PLAN_2021_2025})
    assert response.status_code == 404
    assert client.get(URL, {"plan": PLAN_2021_2025}).json()["year"] == 2025
    assert client.get(URL).json()["year"] == 2026


def test_an_unknown_plan_is_a_clear_400(client, computed):
    response = client.get(URL, {"plan": "no-such-plan"})
    assert response.status_code == 400
    assert "no-such-plan" in response.json()["plan"][0]


def test_pages_api_and_exports_show_an_official_the_same_runs(client, official_a, computed, stored, settings):
    """One decision (progress.selectors.visible_runs): an official sees their own county's unpublished
    figures and the published ones of every other area, in the API and in the export alike."""
    import csv
    import io

    settings.PROGRESS_AUTO_PUBLISH = False
    stored.loc[stored["area"] == COUNTY_A, "pm25"] = 70
    stored.loc[stored["area"] == CITY, "pm25"] = 80
    services.scores_recompute(years=[2025], today=TODAY)
    client.force_login(official_a)  # 东昌府区 (COUNTY_A)
    data = client.get(URL, {"year": 2025}).json()
    assert (indicator(data, COUNTY_A, "pm25")["actual"], indicator(data, CITY, "pm25")["actual"]) == ("70", "50")
    text = client.get("/progress/export.csv", {"year": 2025}).content.decode("utf-8-sig")
    rows = {(r[0], r[1]): r[3] for r in csv.reader(io.StringIO(text)) if len(r) > 3}
    assert rows[("东昌府区", "PM2.5浓度")] == "70"
    assert rows[("聊城市", "PM2.5浓度")] == "50"
    page = client.get(f"/counties/{COUNTY_A}/").content.decode()
    assert 'data-figure="actual">70<' in page


def test_a_ratios_change_is_given_in_points_by_the_api_and_the_page(client, computed, bureau):
    good = indicator(client.get(URL, {"year": 2025}).json(), CITY, "good_day_ratio")
    assert good["change_points"] == "-35.6"
    assert indicator(client.get(URL, {"year": 2025}).json(), CITY, "pm25")["change_points"] is None
    client.force_login(bureau)
    page = client.get("/dashboard/", {"year": 2025}).content.decode()
    card = page[page.index('data-indicator="good_day_ratio"') :]
    assert '<span class="change worse" data-figure="change_points">(同比 -35.6 个百分点 ↓)</span>' in card
