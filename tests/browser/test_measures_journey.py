"""Journey 3 in a real browser: a county official submits with evidence, the bureau returns it
with a reason, the official resubmits, the bureau approves, and the public count goes up."""

from __future__ import annotations

from datetime import date

import pytest

from measures import services
from measures.models import Assignment, Measure
from measures.services import SubmissionData
from tests.browser.screenshots import screenshot
from tests.factories import PASSWORD, CountyOfficialFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def log_in(page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def completed_count(page, base: str) -> int:
    page.goto(base + "/")
    return int(page.locator("[data-figure=measures-completed]").inner_text())


def test_submit_return_resubmit_approve_raises_the_public_count(page, browser, live_server, plan, bureau, official_a):
    base = live_server.url
    measure = (
        Measure.objects.filter(report_period="once", applies_to_all_areas=True, assignments__area__code="371502")
        .order_by("sort_order")
        .first()
    )
    # Every other county has already had this measure approved: bob's approval completes it.
    for other in Assignment.objects.filter(measure=measure).exclude(area__code="371502"):
        official = CountyOfficialFactory(user__username=f"official-{other.area.code}", area=other.area).user
        submission = services.submission_save(
            assignment=other,
            user=official,
            data=SubmissionData(
                work_status="done", progress_value=None, narrative="完成", completed_on=date(2025, 11, 28)
            ),
        )
        services.submission_submit(submission=submission, user=official)
        services.submission_approve(submission=submission, user=bureau)
    assignment = Assignment.objects.get(measure=measure, area__code="371502")
    before = completed_count(page, base)

    # The official opens their county view and the measure, saves a draft with evidence, submits.
    log_in(page, base, "bob")
    page.goto(base + "/measures/mine/")
    page.locator(f"tr[data-assignment='{assignment.pk}'] a").click()
    page.select_option("#id_work_status", "in_progress")
    page.fill("#id_narrative", "已完成现场核查，整改进行中。")
    page.set_input_files(
        "#id_evidence",
        files=[{"name": "核查报告.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state()
    assert page.locator("[data-state]").get_attribute("data-state") == "draft"
    assert page.locator(".evidence-list a").inner_text() == "核查报告.pdf"
    page.get_by_role("button", name="保存并提交审核").click()
    page.wait_for_load_state()
    assert page.locator("[data-state]").get_attribute("data-state") == "submitted"
    submission_url = page.url

    # Bureau staff return it with a reason.
    staff_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    staff = staff_context.new_page()
    log_in(staff, base, "alice")
    staff.goto(submission_url)
    staff.fill("#reason-return", "请补充整改完成后的现场照片。")
    staff.locator("form[data-transition=return] button").click()
    staff.wait_for_load_state()
    assert staff.locator("[data-state]").get_attribute("data-state") == "returned"

    # The official sees the reason, corrects and resubmits.
    page.goto(submission_url)
    assert "请补充整改完成后的现场照片。" in page.locator(".notice-returned").inner_text()
    page.select_option("#id_work_status", "done")
    page.fill("#id_completed_on", "2025-11-28")
    page.fill("#id_narrative", "整改已全部完成，附现场照片。")
    page.get_by_role("button", name="保存并提交审核").click()
    page.wait_for_load_state()
    assert page.locator("[data-state]").get_attribute("data-state") == "submitted"

    # The reviewer sees what changed, and approves.
    staff.goto(submission_url)
    changes = staff.locator(".changes-since-return").inner_text()
    assert "已完成" in changes
    assert "整改已全部完成" in changes
    screenshot(staff, "measures-review.png")
    asked: list[str] = []
    staff.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    with staff.expect_navigation():
        staff.locator("form[data-transition=approve] button").click()
    assert asked
    assert "确认审核通过" in asked[0]  # approving asks first
    assert staff.locator("[data-state]").get_attribute("data-state") == "approved"
    staff.goto(base + "/measures/board/")
    screenshot(staff, "measures-board.png", full_page=False)
    staff_context.close()

    # Approved is locked for the official; the public count went up.
    page.goto(submission_url)
    assert page.locator("#id_narrative").count() == 0
    page.goto(base + "/measures/mine/")
    screenshot(page, "measures-mine.png")
    page.locator("form[action$='logout/'] button").click()
    page.wait_for_load_state()
    assert completed_count(page, base) == before + 1
