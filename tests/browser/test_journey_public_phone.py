"""Journey 4 in a real browser: the public, on a phone, without logging in.

The home page shows the city's 2025 targets against this year's figures (the same as the public API), the
trend since 2021, the county ranking, how many measures are done, when the figures were last updated and
whether they are real-time or reviewed; it fits the phone's width, switches to English, and loads nothing
from outside the site. The methodology page states the ranking's weights (progress.scoring.SCORE_WEIGHTS).
Screenshots go to test-artifacts/ with TEST_SCREENSHOTS=1.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Count

from measures import services as measure_services
from measures.models import Measure
from measures.selectors import completed_measures_count
from measures.services import SubmissionData
from monitoring.aqi import CATEGORIES
from monitoring.models import AreaDay
from progress.scoring import SCORE_WEIGHTS
from tests.browser.journey_data import MONDAY_MORNING, journey_figures_load
from tests.browser.screenshots import screenshot
from tests.factories import CountyOfficialFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITY = "371500"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def public_figures(plan: Any, bureau: Any) -> Any:
    """Monday 3 March 2025: figures for 1 Jan - 2 Mar (and a year earlier); one measure done everywhere."""
    with time_machine.travel(MONDAY_MORNING, tick=True):
        figures = journey_figures_load(days=61)
        measure = Measure.objects.annotate(n=Count("assignments")).filter(n__gt=0).order_by("n", "sort_order").first()
        for assignment in measure.assignments.select_related("area"):
            official = CountyOfficialFactory(user__username=f"official-{assignment.area.code}", area=assignment.area)
            submission = measure_services.submission_save(
                assignment=assignment,
                user=official.user,
                data=SubmissionData(
                    work_status="done", progress_value=None, narrative="已完成", completed_on=date(2025, 2, 28)
                ),
            )
            measure_services.submission_submit(submission=submission, user=official.user)
            measure_services.submission_approve(submission=submission, user=bureau)
        yield figures


@pytest.fixture
def phone(browser: Any) -> Any:
    context = browser.new_context(locale="zh-CN", **PHONE)
    yield context.new_page()
    context.close()


def fits(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def shot(page: Any, name: str) -> None:
    """The whole page, and the first screen as the phone shows it."""
    screenshot(page, name)
    screenshot(page, name.replace(".png", "-first-screen.png"), full_page=False)


def test_the_public_reads_the_citys_progress_on_a_phone_in_both_languages(
    phone: Any, live_server: Any, public_figures: Any, plan: Any
) -> None:
    page, base = phone, live_server.url
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base + "/") else outside.append(r.url))

    page.goto(base + "/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator(".login-state a").inner_text() == "登录"  # nobody is logged in
    api = page.request.get(f"{base}/api/v1/progress/?year={public_figures.last.year}").json()
    assert api["published"] is True
    city = next(a for a in api["areas"] if a["code"] == CITY)

    # The 2025 targets against this year's figures: each card is the public API's.
    for item in city["indicators"]:
        card = page.locator(f".progress-summary .progress-card[data-indicator={item['indicator']}]")
        assert card.locator("[data-figure=actual]").inner_text() == (item["actual"] or "—")
        assert card.locator("[data-figure=goal] [data-value]").inner_text() == (item["goal"] or "—")
    goals = {i["indicator"]: i["goal"] for i in city["indicators"]}
    assert (goals["pm25"], goals["good_day_ratio"], goals["heavy_day_ratio"]) == ("43", "63.7", "1.2")

    # When the figures were last updated, and whether they are real-time or reviewed.
    note = page.locator(".progress-summary .data-note")
    assert note.get_attribute("data-flavour") == api["flavour"] == "realtime"
    assert "实况数据（未经审核）" in note.inner_text()
    updated = datetime.fromisoformat(api["data_updated_at"]).astimezone(ZoneInfo("Asia/Shanghai"))
    assert f"更新于 {updated:%Y-%m-%d %H:%M}" in note.inner_text()
    assert f"截至 {public_figures.last.isoformat()}" in note.inner_text()

    # The trend since 2021 (from the 2020 baseline) on to this year, with this year's figure in it.
    trend = "[data-chart='trajectory-pm25']"
    page.wait_for_selector(trend + "[data-rendered=true]")
    years = page.evaluate(f'document.querySelector("{trend}").data[0].x')
    values = page.evaluate(f'document.querySelector("{trend}").data[0].y')
    assert years == list(range(2020, public_figures.last.year + 1))
    pm25 = next(i for i in city["indicators"] if i["indicator"] == "pm25")
    assert values[-1] == float(pm25["actual"])

    # The county ranking, as the API has it; the measures done.
    for area in (a for a in api["areas"] if a["kind"] == "county"):
        row = page.locator(f".ranking-table tr[data-area='{area['code']}']")
        assert row.locator("[data-figure=composite_index]").inner_text() == (area["ranking"]["composite_index"] or "—")
    done = completed_measures_count(plan)
    assert done.measures_completed == 1
    assert page.locator("[data-figure=measures-completed]").inner_text() == "1"
    assert f"/ {done.measures_total}" in page.locator(".completed-count").inner_text()

    # It fits the phone: no horizontal scrolling.
    assert fits(page)
    shot(page, "public-phone-zh.png")

    # English.
    with page.expect_navigation():
        page.locator(".language-switch button[data-lang=en]").tap()
    assert page.locator("html").get_attribute("lang") == "en"
    summary = page.locator(".progress-summary").inner_text()
    assert "Real-time" in summary or "real-time" in summary
    for selector in (".progress-summary", ".ranking", ".measures-done", ".trend h2"):
        text = page.locator(selector).first.inner_text()
        assert not CJK.findall(text), f"Chinese left in {selector} in English: {CJK.findall(text)}"
    page.wait_for_selector(trend + "[data-rendered=true]")
    assert fits(page)
    shot(page, "public-phone-en.png")

    # On a phone the navigation folds behind a menu button: the header leaves the first screen to the page.
    assert page.locator(".site-header").bounding_box()["height"] < 130
    assert not page.locator("#main-nav").is_visible()
    page.locator(".menu-button").tap()
    assert page.locator("#main-nav").is_visible()
    shot(page, "public-phone-menu-en.png")
    # The methodology page states the weights the ranking uses, and fits the phone too.
    page.locator("#main-nav a[href='/methodology/']").tap()
    page.wait_for_url(base + "/methodology/")
    shown = {
        row.get_attribute("data-component"): Decimal(row.locator("[data-weight]").inner_text())
        for row in page.locator("tr[data-component]").all()
    }
    assert shown == {w.component: w.weight for w in SCORE_WEIGHTS}
    assert sum(shown.values()) == 1
    assert fits(page)
    shot(page, "public-phone-methodology-en.png")

    assert outside == []


def test_the_public_looks_up_where_each_measure_stands_on_a_phone(
    phone: Any, live_server: Any, public_figures: Any, plan: Any
) -> None:
    page, base = phone, live_server.url
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base + "/") else outside.append(r.url))
    done = Measure.objects.filter(assignments__submissions__state="approved").distinct().get()

    with time_machine.travel(MONDAY_MORNING, tick=True):
        page.goto(base + "/")
        with page.expect_navigation():
            page.locator(".measures-public-link").tap()
        listed = int(page.locator("[data-measures]").get_attribute("data-measures"))
        assert listed == Measure.objects.filter(plan=plan).count()
        assert fits(page)
        shot(page, "public-measures-phone-zh.png")

        page.select_option("select[name=status]", "done")
        with page.expect_navigation():
            page.locator("form.filters button[type=submit]").tap()
        sections = page.locator("section.public-measure")
        assert sections.count() == 1
        assert sections.first.get_attribute("data-code") == done.code
        rows = sections.first.locator("tbody tr")
        assert rows.count() == done.assignments.count()
        assert {row.get_attribute("data-status") for row in rows.all()} == {"done"}
        assert "2025-02-28 完成" in rows.first.inner_text()
        assert fits(page)

        with page.expect_navigation():
            page.locator(".language-switch button[data-lang=en]").tap()
        assert page.locator("section.public-measure").count() == 1  # the filter is kept
        for selector in ("h1", "form.filters", "section.public-measure thead", "section.public-measure .badge"):
            text = page.locator(selector).first.inner_text()
            assert not CJK.findall(text), f"Chinese left in {selector} in English: {CJK.findall(text)}"
        assert fits(page)
        shot(page, "public-measures-phone-en.png")
    assert outside == []


def test_the_public_reads_yesterdays_air_on_a_phone_and_downloads_it(
    phone: Any, live_server: Any, public_figures: Any
) -> None:
    page, base = phone, live_server.url
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base + "/") else outside.append(r.url))

    with time_machine.travel(MONDAY_MORNING, tick=True):
        page.goto(base + "/")
        page.locator(".menu-button").tap()
        with page.expect_navigation():
            page.locator("#main-nav a[href='/air/']").tap()
        assert page.locator("[data-day]").get_attribute("data-day") == public_figures.last.isoformat()
        city = AreaDay.objects.get(area__code=CITY, date=public_figures.last)
        row = page.locator(f"table[data-scope=area] tr[data-code='{CITY}']")
        assert row.get_attribute("data-aqi") == str(city.aqi)
        assert CATEGORIES[city.category - 1].name_zh in row.inner_text()
        assert page.locator("table[data-scope=hour] tbody tr").count() >= 5
        assert fits(page)
        shot(page, "public-air-phone-zh.png")

        with page.expect_download() as download:
            page.locator("a.download").tap()
        text = Path(download.value.path()).read_text(encoding="utf-8-sig")
        assert public_figures.last.isoformat() in text.splitlines()[0]
        assert f"{CITY},聊城市,{public_figures.last.isoformat()},{city.aqi}," in text

        with page.expect_navigation():
            page.locator(".language-switch button[data-lang=en]").tap()
        assert CATEGORIES[city.category - 1].name_en in row.inner_text()
        for selector in ("h1", "table[data-scope=area] thead", "table[data-scope=hour] thead"):
            text = page.locator(selector).first.inner_text()
            assert not CJK.findall(text), f"Chinese left in {selector} in English: {CJK.findall(text)}"
        assert fits(page)
        shot(page, "public-air-phone-en.png")
    assert outside == []
