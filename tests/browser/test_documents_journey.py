"""Issue 12's "done when" in a real browser: bureau staff make last month's bulletin on the documents page in
one click and publish it; a member of the public finds it on a phone and downloads the PDF, which holds the
Chinese text and the charts; a later recompute leaves the published file exactly as it was.
Screenshots go to test-artifacts/ with TEST_SCREENSHOTS=1.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
import time_machine
from pypdf import PdfReader

from progress import services as progress_services
from progress.models import Document
from tests.browser.journey_data import MONDAY_MORNING, journey_figures_load
from tests.browser.screenshots import screenshot
from tests.browser.test_journey_bureau_monday import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture
def february(plan: Any) -> Any:
    """Monday 3 March 2025: figures for 1 January - 2 March, so February is complete."""
    with time_machine.travel(MONDAY_MORNING, tick=True):
        yield journey_figures_load(days=61)


def test_the_bureau_publishes_last_months_bulletin_and_the_public_downloads_it_on_a_phone(
    page: Any, browser: Any, live_server: Any, february: Any, bureau: Any, tmp_path: Path
) -> None:
    base = live_server.url
    log_in(page, base, "alice", "/progress/documents/")
    page.fill("#bulletin-request input[name=month]", "2025-02")
    page.locator("#bulletin-request button[type=submit]").click()
    row = page.locator("tr[data-document]").first
    # Made by the background task (eager here): the page shows it done once the task has run.
    for _ in range(10):
        if row.get_attribute("data-state") == "done":
            break
        page.wait_for_timeout(500)
        page.reload()
    assert row.get_attribute("data-state") == "done"
    assert "2025年2月" in row.inner_text()
    screenshot(page, "documents-staff.png")
    row.get_by_role("button", name="发布").click()
    page.wait_for_load_state()
    document = Document.objects.get()
    assert document.published_at is not None
    published_pdf = hashlib.sha256(document.pdf.read()).hexdigest()

    phone = browser.new_context(locale="zh-CN", **PHONE)
    try:
        public = phone.new_page()
        public.goto(base + "/documents/")
        item = public.locator(f"li[data-document='{document.pk}']")
        assert "2025年2月" in item.inner_text()
        assert public.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        screenshot(public, "documents-public-phone.png")
        with public.expect_download() as download_info:
            item.get_by_role("link", name="PDF").click()
        path = tmp_path / "bulletin.pdf"
        download_info.value.save_as(path)
    finally:
        phone.close()
    pdf = PdfReader(io.BytesIO(path.read_bytes()))
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "聊城市环境空气质量月度通报" in text
    assert "2025年2月" in text
    assert sum(len(p.images) for p in pdf.pages) == 2  # the two charts
    assert hashlib.sha256(path.read_bytes()).hexdigest() == published_pdf

    # A later recompute leaves the published file exactly as it was.
    with time_machine.travel(MONDAY_MORNING, tick=True):
        progress_services.scores_recompute(years=[2025])
    document.refresh_from_db()
    document.pdf.open("rb")
    assert hashlib.sha256(document.pdf.read()).hexdigest() == published_pdf
