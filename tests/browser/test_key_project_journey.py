"""Journey 3's key project in a real browser, on a phone, in Chinese: a county official registers a key
emission-reduction project, finds its dates as saved (date pickers carry ISO dates whatever the page's
language: a Chinese page once sent 2025/09/30, which the picker showed as empty and "save and submit" then
refused as missing), reports the verified tonnes and submits; the bureau approves, and the city's verified
total counts them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.screenshots import screenshot
from tests.browser.test_measures_journey import PDF, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "zh-CN"}


def fits_the_phone(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= 390"))


def test_an_official_registers_a_project_reports_verified_tonnes_and_the_city_total_counts_them(
    browser: Any, live_server: Any, plan: Any, bureau: Any, official_a: Any
) -> None:
    base = live_server.url
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    log_in(page, base, "bob")
    page.goto(base + "/measures/projects/")
    assert fits_the_phone(page)
    page.fill("#id_name", "燃煤锅炉超低排放改造")
    page.fill("#id_enterprise", "聊城某热电有限公司")
    page.select_option("#id_pollutant", "nox")
    page.fill("#id_expected_tonnes", "120.5")
    page.fill("#id_planned_completion", "2025-09-30")
    page.set_input_files("#id_evidence", files=[{"name": "立项批复.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="登记").click()
    page.wait_for_load_state()
    assert "/measures/projects/" in page.url
    assert page.locator("[data-state]").get_attribute("data-state") == "draft"
    # The saved date is in the picker, as the official entered it.
    assert page.locator("#id_planned_completion").input_value() == "2025-09-30"
    assert fits_the_phone(page)

    page.fill("#id_verified_tonnes", "118.25")
    page.fill("#id_verified_on", "2025-10-15")
    page.fill("#id_effective_on", "2025-10-01")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state()
    for field, value in (("planned_completion", "2025-09-30"), ("verified_on", "2025-10-15")):
        assert page.locator(f"#id_{field}").input_value() == value
    assert page.locator("#id_effective_on").input_value() == "2025-10-01"
    page.get_by_role("button", name="保存并提交审核").click()
    page.wait_for_load_state()
    assert page.locator("[data-state]").get_attribute("data-state") == "submitted"
    screenshot(page, "key-project-submitted.png")
    project_url = page.url
    phone.close()

    staff_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    staff = staff_context.new_page()
    log_in(staff, base, "alice")
    staff.goto(project_url)
    staff.once("dialog", lambda dialog: dialog.accept())
    with staff.expect_navigation():
        staff.locator("form[data-transition=approve] button").click()
    assert staff.locator("[data-state]").get_attribute("data-state") == "approved"
    staff.goto(base + "/measures/projects/")
    assert staff.locator("[data-total=nox]").inner_text().startswith("118.25 吨")
    staff_context.close()
