"""The Content-Security-Policy in a real browser: the public pages, their charts, the year selector, the API
docs and the admin's login work with no inline script and nothing from outside, and the browser reports no
violation of the policy."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_journey_public_phone import public_figures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["public_figures"]
COUNTY = "371502"

WATCH_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def test_pages_charts_selectors_and_api_docs_work_under_the_policy(
    page: Any, live_server: Any, public_figures: Any
) -> None:
    base = live_server.url
    page.add_init_script(WATCH_VIOLATIONS)
    response = page.goto(base + "/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector("[data-chart='trajectory-pm25'][data-rendered=true]")
    assert page.evaluate("window.cspViolations") == []

    page.goto(f"{base}/counties/{COUNTY}/")
    page.wait_for_selector("[data-chart^='trajectory-'][data-rendered=true]")
    years = page.locator("select[name=year] option").all_inner_texts()
    other = next(year for year in years if year != page.locator("select[name=year]").input_value())
    with page.expect_navigation():
        page.locator("select[name=year]").select_option(other)  # submits without an inline handler
    assert f"year={other}" in page.url
    assert page.evaluate("window.cspViolations") == []

    page.goto(base + "/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert page.evaluate("window.cspViolations") == []

    page.goto(base + "/admin/login/")
    page.wait_for_selector("#login-form")
    assert page.evaluate("window.cspViolations") == []
