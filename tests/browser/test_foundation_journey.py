"""Journeys 1 and 4 in a real browser: the public page without login, the language switch,
and bureau staff logging in to see the plan's targets and measures."""

from __future__ import annotations

import pytest

from tests.browser.screenshots import screenshot
from tests.factories import PASSWORD, BureauStaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_home_renders_in_chinese_and_switches_to_english(page, live_server, plan):
    requests_outside: list[str] = []
    page.on(
        "request",
        lambda request: None if request.url.startswith(live_server.url) else requests_outside.append(request.url),
    )
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("heading", level=1).inner_text() == plan.name
    assert page.locator("tr[data-indicator=pm25][data-year='2025'] .target-value").inner_text().endswith("43")

    page.locator(".language-switch button[data-lang=en]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "home-en.png")
    assert requests_outside == []


def test_bureau_staff_log_in_and_see_targets_and_measures(page, live_server, plan):
    BureauStaffFactory(username="alice")
    page.goto(live_server.url + "/dashboard/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/dashboard/")
    assert (
        page.locator("tr[data-indicator=good_day_ratio][data-year='2025'] .target-value").inner_text().endswith("63.7")
    )
    screenshot(page, "dashboard.png")

    page.goto(live_server.url + "/measures/")
    rows = page.locator("table.measures-table tbody tr[data-code]")
    assert rows.count() >= 30
    assert page.get_by_text("大唐建材").count() >= 1
