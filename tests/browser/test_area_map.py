"""The city map on the public page, in a real browser: the counties are drawn in the colours of the figure
shown, the colours follow the figures (a worse figure never has a lighter colour), the menu switches the
figure, the table alternative holds the same colours, and the page still fits a phone."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import time_machine

from progress.maps import CLASS_COLOURS
from tests.browser.journey_data import MONDAY_MORNING, journey_figures_load
from tests.browser.screenshots import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAP = "[data-chart='area-map']"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture
def figures(plan: Any) -> Any:
    with time_machine.travel(MONDAY_MORNING, tick=True):
        yield journey_figures_load(days=61)


def outline_colours(page: Any) -> dict[str, str]:
    """Area code -> fill colour of each county outline as plotly drew it."""
    traces = page.evaluate(f'Array.from(document.querySelector("{MAP}").data, t => [t.meta, t.fillcolor || null])')
    return {meta: colour for meta, colour in traces if isinstance(meta, str) and colour}


def shot(page: Any, name: str) -> None:
    page.locator(".area-map-section").scroll_into_view_if_needed()
    screenshot(page, name, full_page=False)


def table_cells(page: Any, figure: str) -> dict[str, tuple[str, str]]:
    """Area code -> (shown value, colour) of one figure in the map's table."""
    cells = {}
    for row in page.locator(".map-table tbody tr").all():
        cell = row.locator(f"td[data-figure={figure}]")
        cells[row.get_attribute("data-map-area")] = (cell.text_content().strip(), cell.get_attribute("data-colour"))
    return cells


def assert_colours_follow(cells: dict[str, tuple[str, str]], *, higher_is_worse: bool) -> None:
    ranked = sorted(
        ((Decimal(value), CLASS_COLOURS.index(colour)) for value, colour in cells.values() if value != "—"),
        reverse=not higher_is_worse,
    )
    assert len(ranked) >= 2
    classes = [index for _value, index in ranked]
    assert classes == sorted(classes), f"a worse figure has a lighter colour: {ranked}"
    assert classes[0] == 0  # the best is lightest
    assert classes[-1] == len(CLASS_COLOURS) - 1  # the worst darkest


def test_the_map_colours_each_county_by_the_figure_shown(browser: Any, live_server: Any, figures: Any) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(live_server.url + "/") else outside.append(r.url))
    with time_machine.travel(MONDAY_MORNING, tick=True):
        page.goto(live_server.url + "/")
        page.wait_for_selector(MAP + "[data-rendered=true]")
        drawn = outline_colours(page)
        assert len(drawn) == 8  # the eight counties have outlines; the zones are dots

        composite = table_cells(page, "composite_index")
        assert {code: composite[code][1] for code in drawn} == drawn
        assert_colours_follow(composite, higher_is_worse=True)
        shot(page, "area-map-composite-zh.png")

        page.locator(MAP + " .updatemenu-header-group").click()
        page.locator(MAP + " .updatemenu-dropdown-button").nth(2).click()  # good-day ratio
        ratio = table_cells(page, "good_day_ratio")
        expected = {code: ratio[code][1] for code in drawn}
        for _attempt in range(50):  # the menu restyles the plot once its click is handled
            if outline_colours(page) == expected:
                break
            page.wait_for_timeout(100)
        assert outline_colours(page) == expected
        assert_colours_follow(ratio, higher_is_worse=False)
        shot(page, "area-map-good-days-zh.png")
    assert outside == []
    context.close()


def test_the_map_fits_a_phone(browser: Any, live_server: Any, figures: Any) -> None:
    context = browser.new_context(locale="en", **PHONE)
    page = context.new_page()
    with time_machine.travel(MONDAY_MORNING, tick=True):
        page.goto(live_server.url + "/")
        page.wait_for_selector(MAP + "[data-rendered=true]")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        shot(page, "area-map-phone.png")
    context.close()
