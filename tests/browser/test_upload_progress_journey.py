"""The station-file upload under the embedded default (`make run`: no broker, BACKGROUND_THREAD on), in a
real browser: the page returns at once and its bar moves while the file is ingested in the background
thread, then the finished counts; a file that cannot be read looks failed (its reason first, no full bar)."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest

from areas import background
from monitoring.demo import demo_hourly_csv
from monitoring.models import IngestRun
from tests.browser.screenshots import screenshot
from tests.browser.test_journey_bureau_monday import log_in
from tests.factories import BureauStaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.embedded, pytest.mark.django_db(transaction=True)]
STATIONS = ("1625A", "2878A", "3200A", "3512A", "3513A")


def test_the_bar_moves_while_the_file_is_ingested_and_a_bad_file_looks_failed(
    page: Any, live_server: Any, settings: Any, tmp_path: Any
) -> None:
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        # CI's real-stack run: a Celery worker takes the work, not the web process's thread.
        pytest.skip("walks the embedded default (no broker); with a broker the worker ingests")
    settings.BACKGROUND_THREAD = True
    BureauStaffFactory(username="alice")
    base = live_server.url
    log_in(page, base, "alice", "/monitoring/ingest/")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"not,a,station,file\n1,2,3,4\n")
    page.set_input_files("#id_file", str(bad))
    with page.expect_navigation():
        page.get_by_role("button", name="上传并导入").click()
    page.wait_for_selector("#ingest-progress[data-finished=true]", timeout=60_000)
    failed = page.locator(".run-failed")
    assert "导入失败" in failed.inner_text()
    assert "无法从表头识别文件格式" in failed.inner_text()
    assert page.locator("#ingest-progress progress").count() == 0  # no bar, let alone a full one
    screenshot(page, "upload-failed.png")

    year = tmp_path / "hours-2023.csv"
    year.write_bytes(demo_hourly_csv(STATIONS, first=date(2023, 1, 1), last=date(2023, 12, 31)))

    # The background thread is kept busy until the page has been seen: the upload returns while its work
    # waits (a single thread takes tasks in order, as one worker does).
    gate = threading.Event()
    background._background().submit(gate.wait)
    try:
        page.goto(base + "/monitoring/ingest/")
        page.set_input_files("#id_file", str(year))
        with page.expect_navigation():
            page.get_by_role("button", name="上传并导入").click()
        assert "/monitoring/ingest/runs/" in page.url
        assert page.locator("[data-field=state_label]").inner_text() == "排队中"  # the request did not do the work
        assert page.locator("[data-field=percent]").inner_text() == "0"
    finally:
        gate.set()
    page.wait_for_selector("#ingest-progress[data-finished=true]", timeout=120_000)
    assert page.locator("[data-field=state_label]").inner_text() == "已完成"
    assert page.locator("[data-field=percent]").inner_text() == "100"
    assert IngestRun.objects.get(file_name=year.name).values_stored > 200_000
    screenshot(page, "upload-finished.png")
    background.finish_pending(timeout=300)  # the recompute that follows, before the database is emptied
