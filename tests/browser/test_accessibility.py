"""Every public page in a real browser, Chinese and English, on a 390-px phone: no sideways scroll, no
request outside the site, and axe-core (vendored in tests/browser/vendor, MPL-2.0) finds no serious or
critical WCAG 2.1 A/AA violation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import time_machine

from tests.browser.journey_data import MONDAY_MORNING, journey_figures_load
from tests.browser.screenshots import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 1}
PUBLIC_PAGES = (
    "/",
    "/air/",
    "/plan/",
    "/measures/public/",
    "/attainment/",
    "/methodology/",
    "/counties/371581/",
    "/documents/",
    "/progress/publications/",
    "/accounts/login/",
)
SERIOUS = ("serious", "critical")
AXE_SOURCE = AXE.read_text(encoding="utf-8")


@pytest.fixture
def figures(plan: Any) -> Any:
    with time_machine.travel(MONDAY_MORNING, tick=True):
        yield journey_figures_load(days=61)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    page.evaluate(AXE_SOURCE)  # evaluated by the browser's debugger protocol, which the page's CSP allows
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [v for v in result["violations"] if v["impact"] in SERIOUS]


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> " + "; ".join(n["target"][0] for n in v["nodes"][:4])
        for v in violations
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_public_page_fits_a_phone_and_passes_axe(
    browser: Any, live_server: Any, figures: Any, language: str
) -> None:
    context = browser.new_context(**PHONE)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(live_server.url + "/") else outside.append(r.url))
    problems = []
    with time_machine.travel(MONDAY_MORNING, tick=True):
        for path in PUBLIC_PAGES:
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
                problems.append(
                    f"{path}: wider than the phone ({page.evaluate('document.documentElement.scrollWidth')} px)"
                )
            found = axe_violations(page)
            if found:
                problems.append(f"{path}:\n{describe(found)}")
            screenshot(page, f"a11y-{language}{path.replace('/', '-').rstrip('-') or '-home'}.png", full_page=False)
    context.close()
    assert not problems, "\n".join(problems)
    assert outside == []


def test_the_keyboard_skips_to_the_content_past_no_chart_tool_bar_and_each_chart_has_its_table(
    browser: Any, live_server: Any, figures: Any
) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    with time_machine.travel(MONDAY_MORNING, tick=True):
        page.goto(live_server.url + "/")
        page.wait_for_selector("[data-chart='trajectory-pm25'][data-rendered=true]")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        assert page.locator(".modebar-btn").count() > 0
        assert page.locator(".modebar-btn:not([tabindex='-1'])").count() == 0

        chart = page.locator("[data-chart='trajectory-pm25']")
        table = page.locator("[data-chart='trajectory-pm25'] + details.chart-table")
        table.locator("summary").click()
        years = chart.evaluate("el => el.data[0].x")
        values = chart.evaluate("el => el.data[0].y")
        rows = table.locator("tbody tr").all()
        assert [int(row.locator("th").inner_text()) for row in rows] == years
        shown = [row.locator("td").first.inner_text() for row in rows]
        assert shown == ["—" if v is None else f"{v:g}" for v in values]
    context.close()
