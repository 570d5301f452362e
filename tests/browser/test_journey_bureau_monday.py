"""Journey 2 in a real browser: bureau staff on a Monday morning.

They log in and see where the city stands against each 2025 target this year (the same figures the API
returns), sort the county league table and see its marks, open 临清市's daily AQI calendar, upload last
week's station file (progress bar, counts, rejected rows with reasons, figures updated), mark a dust-storm
day, look at the overdue measures and the warning list, open a returned submission's history, and export
the ranking to Excel. Monitoring figures come from synthetic hours through the real ingest and recompute
(tests/browser/journey_data.py). Screenshots go to test-artifacts/ with TEST_SCREENSHOTS=1.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook

from measures import services as measure_services
from measures.models import Assignment, Measure
from measures.services import SubmissionData
from monitoring.aqi import CATEGORIES
from tests.browser.journey_data import (
    LINQING,
    LINQING_STATION,
    MONDAY_MORNING,
    NATIONAL,
    hours_csv,
    journey_figures_load,
)
from tests.browser.screenshots import screenshot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITY = "371500"
RETURN_REASON = "请补充整改完成后的现场照片。"


@pytest.fixture
def monday(plan: Any) -> Any:
    """Monday 3 March 2025, 09:00: figures for 1 Jan - 1 Mar (and a year earlier); yesterday is not in yet."""
    with time_machine.travel(MONDAY_MORNING, tick=True):
        yield journey_figures_load(days=60, left_out=1)


@pytest.fixture
def measures_state(monday: Any, bureau: Any, official_a: Any) -> dict[str, Any]:
    """One assignment just overdue, and one submission the bureau returned with a reason."""
    overdue = (
        Assignment.objects.filter(area__code="371502", measure__report_period="once")
        .order_by("measure__sort_order")
        .first()
    )
    measure_services.assignment_refine_deadline(
        assignment=overdue, deadline=date(2025, 2, 27), reason="按省厅通知调整", user=bureau
    )
    measure = (
        Measure.objects.filter(report_period="once", assignments__area__code="371502")
        .exclude(assignments=overdue)
        .order_by("sort_order")
        .first()
    )
    assignment = Assignment.objects.get(measure=measure, area__code="371502")
    submission = measure_services.submission_save(
        assignment=assignment,
        user=official_a,
        data=SubmissionData(work_status="in_progress", progress_value=None, narrative="已完成现场核查。"),
    )
    measure_services.submission_submit(submission=submission, user=official_a)
    measure_services.submission_return(submission=submission, user=bureau, reason=RETURN_REASON)
    return {"overdue": overdue, "returned": submission}


def log_in(page: Any, base: str, username: str, next_path: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(base + next_path)


def area_entry(api: dict[str, Any], code: str) -> dict[str, Any]:
    return next(a for a in api["areas"] if a["code"] == code)


def as_displayed(cell: Any) -> str:
    """A cell as a spreadsheet shows it: a number with the places of its format ("0.0" shows 100 as 100.0)."""
    if cell.value is None:
        return ""
    if cell.data_type == "n":
        places = len(cell.number_format.partition(".")[2]) if "." in cell.number_format else 0
        return f"{cell.value:.{places}f}"
    return str(cell.value)


def ranking_rows(page: Any) -> list[str]:
    return page.locator(".ranking-table tbody tr[data-area]").evaluate_all("rows => rows.map(r => r.dataset.area)")


def card_matches_api(page: Any, item: dict[str, Any]) -> None:
    card = page.locator(f".progress-card[data-indicator={item['indicator']}]")
    assert card.locator("[data-figure=actual]").inner_text() == (item["actual"] or "—")
    assert card.locator("[data-figure=goal] [data-value]").inner_text() == (item["goal"] or "—")
    assert card.locator("[data-figure=last_year] [data-value]").inner_text() == (item["same_period_last_year"] or "—")
    status = card.locator("[data-status]")
    assert (status.get_attribute("data-status") if status.count() else "") == item["status"]
    allowance = item["allowance"]
    shown = card.locator("[data-figure=allowance]")
    if allowance["out_of_reach"]:
        assert shown.get_attribute("data-out-of-reach") == "true"
    elif allowance["kind"] == "none":
        assert shown.count() == 0
    else:
        assert shown.get_attribute("data-kind") == allowance["kind"]
        assert shown.locator("[data-value]").inner_text() == allowance["value"]


def test_bureau_sees_the_city_against_its_targets_sorts_the_league_table_and_exports_it(
    page: Any, live_server: Any, monday: Any, bureau: Any
) -> None:
    base = live_server.url
    log_in(page, base, "alice", "/dashboard/")
    year = timezone.localdate().year
    assert year == monday.last.year == 2025
    api = page.request.get(f"{base}/api/v1/progress/?year={year}").json()
    assert api["as_of"] == monday.last.isoformat()

    # Where the city stands against each 2025 target this year: every card equals the API.
    city = area_entry(api, CITY)
    assert page.locator("#dashboard-filters select[name=area]").input_value() == CITY
    for item in city["indicators"]:
        card_matches_api(page, item)
    pm25 = next(i for i in city["indicators"] if i["indicator"] == "pm25")
    good = next(i for i in city["indicators"] if i["indicator"] == "good_day_ratio")
    # A year in progress with valid year-to-date figures: a goal, last year's figure and an allowance.
    assert (pm25["goal"], good["goal"]) == ("43", "63.7")  # the plan's 2025 targets, its final year
    assert api["plan"]["code"] == "liaocheng-air-2021-2025"
    assert pm25["actual"]
    assert pm25["same_period_last_year"]
    assert pm25["status"]
    assert good["allowance"]["kind"] == "polluted_days"
    assert pm25["allowance"]["kind"] == "mean_needed"
    screenshot(page, "bureau-dashboard.png")

    # The county league table: the marks are the API's, 临清市 is worse than the city and than last year.
    for code in (c["code"] for c in api["areas"] if c["kind"] == "county"):
        ranking = area_entry(api, code)["ranking"]
        row = page.locator(f".ranking-table tr[data-area='{code}']")
        assert row.locator(".flag-city").count() == int(ranking["worse_than_city"])
        assert row.locator(".flag-year").count() == int(ranking["worse_than_last_year"])
        assert row.locator("[data-figure=composite_index]").inner_text() == (ranking["composite_index"] or "—")
    linqing = page.locator(f".ranking-table tr[data-area='{LINQING}']")
    assert linqing.locator(".flag-city").is_visible()
    assert linqing.locator(".flag-year").is_visible()

    # By default the counties stand in the order of their scores (a county without air figures is scored
    # on its measures alone). Sort by the composite index, worst first: the counties with figures reverse,
    # those without stay last.
    default_order = ranking_rows(page)

    def by_score(code: str) -> tuple[bool, int, str]:
        rank = area_entry(api, code)["ranking"]["score_rank"]
        return rank is None, rank or 0, code

    assert default_order == sorted(default_order, key=by_score)
    ranked = [code for code in default_order if area_entry(api, code)["ranking"]["composite_index"] is not None]
    assert ranked == ["371502", LINQING]
    header = page.locator(".ranking-table thead th").nth(3)
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert ranking_rows(page)[:2] == ranked
    header.click()
    assert header.get_attribute("aria-sort") == "descending"
    descending = ranking_rows(page)
    assert descending[:2] == [LINQING, "371502"]
    assert set(descending[2:]) == set(default_order) - set(ranked)
    shown_index = [
        float(t)
        for t in page.locator(".ranking-table tbody [data-figure=composite_index]").all_inner_texts()
        if t != "—"
    ]
    assert shown_index == sorted(shown_index, reverse=True)

    # Export the ranking to Excel: its rows are the rows the page shows.
    page_rows = {}
    for row in page.locator(".ranking-table tbody tr[data-area]").all():
        cells = [c.inner_text().strip() for c in row.locator("td").all()]
        name = row.locator("th a").inner_text().strip()
        flags = (row.locator(".flag-city").count() > 0, row.locator(".flag-year").count() > 0)
        page_rows[name] = [cells[0], name, *cells[1:], *flags]
    with page.expect_download() as info:
        page.locator("section", has=page.locator(".ranking-table")).get_by_role("link", name="Excel").click()
    assert info.value.suggested_filename == f"ranking-{year}.xlsx"
    sheet = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).active
    values = [[as_displayed(cell) for cell in row] for row in sheet.iter_rows()]
    assert values[0][0].startswith(f"{year}年")
    exported = {row[1]: [*row[:10], row[10] != "", row[11] != ""] for row in values[2:]}
    assert exported == page_rows
    assert len(exported) == 11  # eight counties and three functional zones

    # The calendar of daily AQI for 临清市: one cell per day of the year, the stored days' AQI in it.
    page.select_option("#dashboard-filters select[name=calendar]", LINQING)
    page.locator("#dashboard-filters button[type=submit]").click()
    page.wait_for_selector("[data-chart='calendar'][data-rendered=true]")
    assert "临清市" in page.locator("[data-calendar-of]").inner_text()
    texts = page.evaluate("document.querySelector(\"[data-chart='calendar']\").data[0].text")
    assert len(texts) == 365
    daily = page.request.get(
        f"{base}/api/v1/counties/{LINQING}/daily/?start={monday.first.isoformat()}&end={monday.last.isoformat()}"
    ).json()
    assert len(daily) == 60
    by_day = {t.split(" ", 1)[0]: t for t in texts}
    for day in daily:  # each cell says the day's AQI and its category (HJ 633 Table 2)
        category = CATEGORIES[day["category"] - 1].name_zh if day["category"] else "无有效数据"
        assert by_day[day["date"]] == f"{day['date']} AQI {day['aqi'] if day['aqi'] is not None else '—'} {category}"
    assert by_day["2025-03-02"].endswith("AQI — 无有效数据")
    assert page.evaluate("document.querySelector(\"[data-chart='calendar']\").layout.xaxis.ticktext[2]") == "3月"
    screenshot(page, "bureau-calendar-linqing.png")


def rejected_file(day: date) -> tuple[bytes, int, dict[int, tuple[str, str]]]:
    """Last week's station file: every hour of `day` for the stations, then three bad rows.

    Returns the file, the number of good values and the bad rows' line numbers with (field, reason).
    """
    good = hours_csv(day, day, seed=13).decode().splitlines()
    stamp = f"{day.isoformat()}T12:00+08:00"
    bad = [
        (f"9999X,{stamp},PM2.5,35", "station_code", "unknown_station"),
        (f"{NATIONAL[0]},{stamp},NO2,abc", "value", "not_numeric"),
        (f"{NATIONAL[1]},{stamp},PM10,-5", "value", "negative"),
    ]
    lines = [*good, *(row for row, _, _ in bad)]
    expected = {len(good) + 1 + i: (field, reason) for i, (_, field, reason) in enumerate(bad)}
    return ("\n".join(lines) + "\n").encode(), len(good) - 1, expected


def test_bureau_uploads_last_weeks_file_marks_a_dust_day_and_reviews_the_measure_board(
    page: Any, live_server: Any, monday: Any, measures_state: dict[str, Any]
) -> None:
    base = live_server.url
    yesterday = monday.last + timedelta(days=1)
    station_daily = f"{base}/api/v1/stations/{LINQING_STATION}/daily/?start={yesterday}&end={yesterday}"
    log_in(page, base, "alice", "/monitoring/ingest/")
    before = page.request.get(station_daily).json()
    assert before == []

    # Upload: the run ends with its counts, the progress bar at 100 %, the rejected rows downloadable.
    content, good_values, bad_lines = rejected_file(yesterday)
    page.set_input_files(
        "#ingest-upload-form input[type=file]",
        files=[{"name": "last-week.csv", "mimeType": "text/csv", "buffer": content}],
    )
    page.locator("#ingest-upload-form button[type=submit]").click()
    page.wait_for_selector("#ingest-progress[data-finished=true]")
    assert page.locator("#ingest-progress progress").evaluate("bar => bar.value") == 100
    assert page.locator("#ingest-progress [data-field=percent]").inner_text() == "100"
    assert page.locator("[data-field=state_label]").inner_text() == "已完成"
    assert page.locator("[data-field=stored]").inner_text() == str(good_values)
    assert page.locator("[data-field=rejected]").inner_text() == "3"
    assert page.locator("[data-field=updated]").inner_text() == "0"
    flagged = int(page.locator("[data-field=flagged]").inner_text())
    screenshot(page, "bureau-ingest-run.png")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载全部拒收记录（CSV，含行号和原因）").click()
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {int(r["行号"]): (r["字段"], r["原因代码"]) for r in rows} == bad_lines  # headers in the page language
    assert all(r["原因"] for r in rows)
    assert {r["原因代码"]: r["原因"] for r in rows}["negative"] == "数值为负"

    # The figures update: the station's day is stored, the progress figures now run to yesterday.
    after = page.request.get(station_daily).json()
    assert [d["date"] for d in after] == [yesterday.isoformat()]
    assert after[0]["valid"]
    api = page.request.get(f"{base}/api/v1/progress/?year={yesterday.year}").json()
    assert api["as_of"] == yesterday.isoformat()
    page.goto(base + "/dashboard/")
    assert yesterday.isoformat() in page.locator(".data-note").inner_text()

    # Mark a dust-storm day (the file's PM10 ran above the plausibility ceiling all day): it is listed, and
    # the day is labelled in the statistics API.
    assert flagged > 0
    dust_day = yesterday
    page.goto(base + "/monitoring/ingest/")
    page.get_by_role("link", name="沙尘天气日（扣沙）").click()
    page.fill("#dust-mark-form input[name=date]", dust_day.isoformat())
    page.fill("#dust-mark-form input[name=reason]", "沙尘天气过程，省监测中心确认")
    page.locator("#dust-mark-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#dust-days-table tbody th").all_inner_texts() == [dust_day.isoformat()]
    assert f"已标记 {dust_day.isoformat()} 为沙尘天气日" in page.locator(".messages").inner_text()
    marked = page.request.get(f"{base}/api/v1/city/daily/?start={dust_day}&end={dust_day}").json()
    assert marked[0]["dust_day"] is True
    # A county alone: not on the day the whole city is marked (that mark covers it), on another day it is.
    page.fill("#dust-mark-form input[name=date]", dust_day.isoformat())
    page.select_option("#dust-mark-form select[name=area]", label="临清市")
    page.fill("#dust-mark-form input[name=reason]", "局地扬沙")
    page.locator("#dust-mark-form button[type=submit]").click()
    page.wait_for_load_state()
    assert "已标记为全市沙尘天气日" in page.locator("#dust-mark-form").inner_text()
    county_day = dust_day - timedelta(days=1)
    page.fill("#dust-mark-form input[name=date]", county_day.isoformat())
    page.locator("#dust-mark-form button[type=submit]").click()
    page.wait_for_load_state()
    assert f"已标记 {county_day.isoformat()} 为沙尘天气日（临清市）" in page.locator(".messages").inner_text()
    rows = page.locator("#dust-days-table tbody tr")
    assert [row.locator("th, td").nth(1).inner_text() for row in rows.all()] == ["全市", "临清市"]
    screenshot(page, "bureau-dust.png")

    # The measure board: overdue and warning counts, the warning list, the overdue assignment listed.
    page.goto(base + "/measures/board/")
    overdue_count = int(page.locator("[data-count=overdue]").inner_text())
    warning_count = int(page.locator("[data-count=warning]").inner_text())
    assert overdue_count >= 1
    assert warning_count >= 1
    warning_rows = page.locator(".escalation-table tbody tr[data-area]")
    assert warning_rows.count() >= 1
    listed = sum(int(t) for t in page.locator(".escalation-table tbody tr td:nth-child(3)").all_inner_texts())
    assert listed == overdue_count
    page.wait_for_selector("[data-chart=burndown][data-rendered=true] .main-svg")  # drawn under the CSP
    screenshot(page, "bureau-board.png")
    page.select_option("select[name=level]", "overdue")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state()
    overdue_rows = page.locator(".assignments-table tbody tr[data-assignment]")
    pager = page.locator(".pager")  # the board shows 100 rows a page
    assert (int(pager.get_attribute("data-total")) if pager.count() else overdue_rows.count()) == overdue_count
    assert overdue_rows.count() == min(overdue_count, 100)
    page.select_option("select[name=area]", "371502")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(f"tr[data-assignment='{measures_state['overdue'].pk}']").count() == 1

    # A returned submission: from the board (state "returned") to its history with the reason.
    page.goto(base + "/measures/board/?state=returned")
    returned = measures_state["returned"]
    page.locator(f"tr[data-assignment='{returned.assignment_id}'] a").click()
    page.locator(f"a[href$='/measures/submissions/{returned.pk}/']").click()
    page.wait_for_load_state()
    assert page.locator("[data-state]").get_attribute("data-state") == "returned"
    history = page.locator(".history-table tbody").inner_text()
    assert RETURN_REASON in history
    assert "bob" in history
    assert "alice" in history
    screenshot(page, "bureau-returned-history.png")
