"""GET /api/v1/progress/?year= (interfaces.md §4)."""

from __future__ import annotations

import pytest

from progress import services
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
