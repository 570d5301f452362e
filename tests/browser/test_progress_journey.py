"""Journeys 2 and 4 for progress: the public page equals the API, dashboard filters change the charts,
the language switch works, and the pages fit a phone. Screenshots go to test-artifacts/ with TEST_SCREENSHOTS=1."""

from __future__ import annotations

import pytest

from progress import services
from targets import services as target_services
from tests.browser.screenshots import screenshot
from tests.factories import PASSWORD, BureauStaffFactory
from tests.progress.conftest import CITY, COUNTY_A, TODAY, install_daily_results

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def computed(plan, monkeypatch):
    install_daily_results(monkeypatch)
    target_services.county_targets_ensure(plan=plan)
    services.scores_recompute(years=[2025], today=TODAY)


def test_public_page_shows_the_numbers_the_api_returns(page, live_server, computed):
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(live_server.url) else outside.append(r.url))
    page.goto(live_server.url + "/")
    api = page.request.get(live_server.url + "/api/v1/progress/?year=2025").json()
    city = next(a for a in api["areas"] if a["code"] == CITY)
    for item in city["indicators"]:
        card = page.locator(f".progress-card[data-indicator={item['indicator']}]")
        assert card.locator("[data-figure=actual]").inner_text() == (item["actual"] or "—")
    shown_rank = page.locator(f".ranking-table tr[data-area='{COUNTY_A}'] [data-figure=composite_index]").inner_text()
    county = next(a for a in api["areas"] if a["code"] == COUNTY_A)
    assert shown_rank == county["ranking"]["composite_index"]
    page.wait_for_selector("[data-chart='trajectory-pm25'][data-rendered=true]")
    screenshot(page, "progress-home.png")
    assert outside == []


def test_public_page_switches_to_english_and_fits_a_phone(browser, live_server, computed):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.locator(".language-switch button[data-lang=en]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    width = page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, "progress-home-phone-en.png")
    context.close()
    assert width <= 390


def test_dashboard_filters_change_the_charts(page, live_server, computed):
    BureauStaffFactory(username="alice")
    page.goto(live_server.url + "/accounts/login/?next=/dashboard/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/dashboard/")
    chart = "[data-chart='monthly-pm25']"
    page.wait_for_selector(chart + "[data-rendered=true]")
    city_values = page.evaluate(f'document.querySelector("{chart}").data[0].y')
    page.select_option("select[name=area]", COUNTY_A)
    page.locator("#dashboard-filters button[type=submit]").click()
    page.wait_for_selector(chart + "[data-rendered=true]")
    county_values = page.evaluate(f'document.querySelector("{chart}").data[0].y')
    assert city_values == [50, 50, 50]
    assert county_values == [60, 60, 60]
    # The league table sorts by clicking a header.
    page.locator(".ranking-table thead th").nth(3).click()
    assert page.locator(".ranking-table thead th").nth(3).get_attribute("aria-sort") == "ascending"
    screenshot(page, "progress-dashboard.png")
