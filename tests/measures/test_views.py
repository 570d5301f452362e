"""Pages of the measures workflow: forms, messages, board, exports, audit, periodic numbers, projects."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from measures import services
from measures.models import Evidence, ReductionProject, Submission
from measures.services import SubmissionData
from tests.factories import AssignmentFactory, MeasureFactory, area_by_code
from tests.measures.conftest import pdf

# These tests build their own small world with factories, on a database without the preloaded plan.
pytestmark = pytest.mark.usefixtures("no_plan")


def test_official_saves_a_draft_with_evidence_then_submits(client, assignment_a, official_a):
    client.force_login(official_a)
    url = reverse("measures:assignment", args=[assignment_a.pk])
    response = client.post(
        url, {"work_status": "in_progress", "progress_value": "60", "narrative": "已整改 60%", "evidence": [pdf()]}
    )
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert submission.evidence.count() == 1
    detail = reverse("measures:submission", args=[submission.pk])
    response = client.post(
        detail,
        {
            "work_status": "done",
            "progress_value": "100",
            "completed_on": "2024-01-05",
            "narrative": "完成",
            "version": submission.version,
            "action": "submit",
        },
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == "submitted"


def test_out_of_range_percentage_is_a_field_error_on_the_form(client, assignment_a, official_a):
    client.force_login(official_a)
    response = client.post(
        reverse("measures:assignment", args=[assignment_a.pk]), {"work_status": "done", "progress_value": "120"}
    )
    assert response.status_code == 400
    assert "百分比不能超过 100" in response.content.decode()
    assert Submission.objects.count() == 0


def test_renamed_text_file_is_refused_on_the_form(client, assignment_a, official_a):
    client.force_login(official_a)
    response = client.post(
        reverse("measures:assignment", args=[assignment_a.pk]),
        {"work_status": "done", "evidence": [pdf("scan.pdf", b"plain text, not a PDF at all\n" * 5)]},
    )
    assert response.status_code == 400
    assert "不是允许的文件类型" in response.content.decode()
    assert Submission.objects.count() == 0
    assert Evidence.objects.count() == 0


def test_stale_form_gets_a_conflict_message(client, assignment_a, official_a):
    submission = services.submission_save(
        assignment=assignment_a,
        user=official_a,
        data=SubmissionData(work_status="in_progress", progress_value=None, narrative="v1"),
    )
    client.force_login(official_a)
    url = reverse("measures:submission", args=[submission.pk])
    stale = submission.version
    assert client.post(url, {"work_status": "in_progress", "narrative": "first", "version": stale}).status_code == 302
    response = client.post(url, {"work_status": "done", "narrative": "second", "version": stale})
    assert response.status_code == 409
    assert "保存冲突" in response.content.decode()
    submission.refresh_from_db()
    assert submission.narrative == "first"


def test_return_without_reason_shows_an_error_and_changes_nothing(client, assignment_a, official_a, bureau):
    submission = services.submission_save(
        assignment=assignment_a,
        user=official_a,
        data=SubmissionData(work_status="done", progress_value=None, narrative="", completed_on=date(2024, 1, 5)),
    )
    services.submission_submit(submission=submission, user=official_a)
    client.force_login(bureau)
    response = client.post(
        reverse("measures:submission-transition", args=[submission.pk, "return"]), {"reason": ""}, follow=True
    )
    assert "退回必须填写理由" in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == "submitted"


def test_board_shows_burndown_and_exports_excel(client, bureau, official_a):
    area = area_by_code("371502")
    AssignmentFactory(measure=MeasureFactory(code="M-OLD", deadline=date(2024, 1, 31)), area=area)
    AssignmentFactory(measure=MeasureFactory(code="M-NEW", deadline=date(2024, 6, 30)), area=area)
    client.force_login(bureau)
    with time_machine.travel("2024-03-01 10:00 +0800", tick=False):
        response = client.get(reverse("measures:board"))
        export = client.get(reverse("measures:board") + "?area=371502&format=xlsx")
    page = response.content.decode()
    # The chart goes to the page as JSON for static/js/charts.js: no inline script (the CSP forbids one).
    assert 'data-chart="burndown"' in page
    assert 'id="page-charts"' in page
    assert "Plotly.newPlot" not in page
    planned, actual = response.context["charts"]["burndown"]["data"]
    assert (str(planned["x"][0]), str(planned["x"][-1])) == ("2023-12-31", "2024-06-30")
    assert (list(planned["y"])[:2], list(planned["y"])[-1]) == ([2, 1], 0)  # M-OLD falls due in January
    assert list(actual["y"])[:4] == [2, 2, 2, 2]  # nothing approved: both still open on 1 March
    assert "M-OLD" in page
    assert '<tr data-area="371502">' in page  # on the warning list by area
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    title, *rows = list(sheet.iter_rows(values_only=True))
    assert title[0] == "任务措施看板（截至 2024-03-01）"
    assert rows[0][0] == "编号"
    assert [r[0] for r in rows[1:]] == ["M-OLD", "M-NEW"]
    assert rows[0][3:5] == ("责任区域", "填报部门")
    assert rows[1][4] is None  # the area reports, not a department
    assert rows[1][12] == "预警"


def test_the_board_shows_its_rows_a_page_at_a_time_and_keeps_the_filters(client, bureau, monkeypatch):
    from measures import views

    monkeypatch.setattr(views, "BOARD_ROWS_PER_PAGE", 2)
    area = area_by_code("371502")
    for code in ("M-P1", "M-P2", "M-P3"):
        AssignmentFactory(measure=MeasureFactory(code=code, deadline=date(2024, 6, 30)), area=area)
    client.force_login(bureau)
    first = client.get(reverse("measures:board") + "?area=371502").content.decode()
    second = client.get(reverse("measures:board") + "?area=371502&page=2").content.decode()
    shown = [code for code in ("M-P1", "M-P2", "M-P3") if f">{code}<" in first]
    assert len(shown) == 2
    assert [code for code in ("M-P1", "M-P2", "M-P3") if f">{code}<" in second] == sorted(
        {"M-P1", "M-P2", "M-P3"} - set(shown)
    )
    assert 'href="?area=371502&amp;page=2" rel="next"' in first
    assert "第 3–3 条，共 3 条" in second
    assert "第 2 页，共 2 页" in client.get(reverse("measures:board") + "?area=371502&page=99").content.decode()
    assert "第 1 页，共 2 页" in client.get(reverse("measures:board") + "?area=371502&page=x").content.decode()


def test_the_audit_page_shows_its_entries_a_page_at_a_time(client, assignment_a, bureau, monkeypatch):
    from measures import views

    monkeypatch.setattr(views, "AUDIT_ENTRIES_PER_PAGE", 1)
    for deadline, reason in ((date(2024, 9, 30), "第一次延期"), (date(2024, 10, 31), "第二次延期")):
        services.assignment_refine_deadline(assignment=assignment_a, deadline=deadline, reason=reason, user=bureau)
    client.force_login(bureau)
    newest = client.get(reverse("measures:audit") + "?kind=assignment").content.decode()
    older = client.get(reverse("measures:audit") + "?kind=assignment&page=2").content.decode()
    assert "调整完成时限：第二次延期" in newest
    assert "调整完成时限：第一次延期" not in newest
    assert "调整完成时限：第一次延期" in older
    assert "调整完成时限：第二次延期" not in older
    assert 'href="?kind=assignment&amp;page=2" rel="next"' in newest


def test_audit_page_filters_and_exports_csv_and_excel(client, assignment_a, official_a, bureau):
    services.assignment_refine_deadline(
        assignment=assignment_a, deadline=date(2024, 9, 30), reason="延期批复", user=bureau
    )
    client.force_login(bureau)
    page = client.get(reverse("measures:audit") + "?kind=assignment").content.decode()
    assert "延期批复" in page
    csv_body = client.get(reverse("measures:audit") + "?kind=assignment&format=csv").content.decode("utf-8-sig")
    assert "延期批复" in csv_body
    assert csv_body.splitlines()[0].startswith("时间,操作人")
    xlsx = client.get(reverse("measures:audit") + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert any("延期批复" in str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)


def approved_dustfall(official, bureau, *, code="M-DUSTFALL", sort_order=0):
    """A monthly dust-fall measure (at most 7) with an approved March 2024 figure of 6.5 for county A."""
    dust = MeasureFactory(
        code=code,
        title="降尘量",
        report_period="month",
        quantity=Decimal(7),
        unit="t/(km²·月)",
        comparison="at_most",
        sort_order=sort_order,
    )
    a = AssignmentFactory(measure=dust, area=area_by_code("371502"))
    s = services.submission_save(
        assignment=a,
        user=official,
        period="2024-03",
        today=date(2024, 4, 1),
        data=SubmissionData(work_status="done", progress_value=Decimal("6.5"), narrative=""),
    )
    services.submission_submit(submission=s, user=official)
    services.submission_approve(submission=s, user=bureau)
    return dust


def test_periodic_page_shows_the_limit_and_values(client, official_a, bureau):
    approved_dustfall(official_a, bureau)
    client.force_login(bureau)
    page = client.get(reverse("measures:periodic") + "?measure=M-DUSTFALL&year=2024").content.decode()
    assert "不高于 7" in page
    assert "6.5" in page


def test_the_periodic_page_opens_on_a_measure_and_a_year_with_numbers(client, official_a, bureau):
    MeasureFactory(code="M-A-EMPTY", title="没有数字的措施", report_period="month", sort_order=1)
    approved_dustfall(official_a, bureau, code="M-B-DUSTFALL", sort_order=2)
    client.force_login(bureau)
    page = client.get(reverse("measures:periodic"))
    assert (page.context["chosen"].code, page.context["year"]) == ("M-B-DUSTFALL", 2024)
    assert "6.5" in page.content.decode()


def test_official_registers_a_key_project_on_the_page(client, official_a, small_plan):
    client.force_login(official_a)
    response = client.post(
        reverse("measures:projects"),
        {
            "name": "焦炉烟气脱硝",
            "enterprise": "某焦化公司",
            "pollutant": "nox",
            "expected_tonnes": "150",
            "planned_completion": "2024-12-31",
        },
    )
    project = ReductionProject.objects.get()
    assert response.status_code == 302
    assert (project.area.code, project.plan) == ("371502", small_plan)
    bad = client.post(
        reverse("measures:projects"),
        {
            "name": "x",
            "enterprise": "y",
            "pollutant": "nox",
            "expected_tonnes": "-5",
            "planned_completion": "2024-12-31",
        },
    )
    assert bad.status_code == 400
    assert ReductionProject.objects.count() == 1


def test_a_refused_save_and_submit_stores_nothing_and_the_corrected_one_goes_through(
    client, official_a, settings, small_plan
):
    """Save and submit is one service call in one transaction: when the submit is refused, the save is not
    kept either (nor the evidence file it wrote), so the corrected form (same version) is not taken for
    someone else's edit."""
    client.force_login(official_a)
    client.post(
        reverse("measures:projects"),
        {
            "name": "焦炉烟气脱硝",
            "enterprise": "某焦化公司",
            "pollutant": "nox",
            "expected_tonnes": "150",
            "planned_completion": "2024-12-31",
        },
    )
    project = ReductionProject.objects.get()
    detail = reverse("measures:project", args=[project.pk])
    form = {
        "name": "焦炉烟气脱硝（二期）",
        "enterprise": "某焦化公司",
        "pollutant": "nox",
        "expected_tonnes": "150",
        "planned_completion": "2024-12-31",
        "version": project.version,
        "action": "submit",
    }
    refused = client.post(detail, form | {"evidence": [pdf()]})
    assert refused.status_code == 400
    assert "提交审核前请填写核定减排量、核定日期和减排生效日期" in refused.content.decode()
    kept = ReductionProject.objects.get()
    assert (kept.name, kept.version, kept.state) == ("焦炉烟气脱硝", project.version, "draft")
    assert not Evidence.objects.exists()
    assert [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()] == []

    corrected = client.post(
        detail, form | {"verified_tonnes": "120", "verified_on": "2024-12-20", "effective_on": "2024-11-30"}
    )
    assert corrected.status_code == 302
    submitted = ReductionProject.objects.get()
    assert (submitted.name, submitted.state, submitted.verified_tonnes) == ("焦炉烟气脱硝（二期）", "submitted", 120)


def test_official_county_view_lists_due_and_overdue(client, official_a):
    area = area_by_code("371502")
    AssignmentFactory(measure=MeasureFactory(code="M-LATE", deadline=date(2024, 2, 2)), area=area)
    client.force_login(official_a)
    with time_machine.travel("2024-02-08 10:00 +0800", tick=False):
        page = client.get(reverse("measures:mine")).content.decode()
    assert "M-LATE" in page
    assert 'data-count="overdue">1<' in page


def test_saved_dates_reach_the_date_picker_as_iso_dates_in_chinese(client, official_a, small_plan):
    """The browser's date picker takes only YYYY-MM-DD: Chinese formatting ("2024/12/31") left it empty."""
    from measures.services import ProjectData

    project = services.project_save(
        user=official_a,
        area=area_by_code("371502"),
        data=ProjectData(
            name="焦炉烟气脱硝",
            enterprise="某焦化公司",
            pollutant="nox",
            expected_tonnes=Decimal(150),
            planned_completion=date(2024, 12, 31),
        ),
    )
    client.force_login(official_a)
    page = client.get(reverse("measures:project", args=[project.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'type="date" name="planned_completion" value="2024-12-31"' in page


def test_the_overdue_count_includes_the_items_on_the_warning_list(client, bureau):
    """ "逾期 0" stood above a list of overdue items once they were all on the warning list."""
    area = area_by_code("371502")
    AssignmentFactory(measure=MeasureFactory(code="M-LONG-LATE", deadline=date(2024, 1, 2)), area=area)
    AssignmentFactory(measure=MeasureFactory(code="M-JUST-LATE", deadline=date(2024, 2, 6)), area=area)
    client.force_login(bureau)
    with time_machine.travel("2024-02-08 10:00 +0800", tick=False):
        page = client.get(reverse("measures:board")).content.decode()
    assert 'data-count="overdue">2<' in page
    assert 'data-count="warning">1<' in page
    assert 'data-count="overdue-on-warning-list">其中预警 1<' in page


def test_an_official_lands_on_their_tasks_with_returned_forms_first(client, official_a, bureau, assignment_a):
    from tests.factories import PASSWORD

    submission = services.submission_save(
        assignment=assignment_a,
        user=official_a,
        data=SubmissionData(work_status="in_progress", progress_value=Decimal(10), narrative="进行中"),
    )
    services.submission_submit(submission=submission, user=official_a)
    services.submission_return(submission=submission, user=bureau, reason="请补充现场照片。")
    landing = client.post(
        reverse("accounts:login"), {"username": official_a.username, "password": PASSWORD}, follow=True
    )
    assert landing.redirect_chain[-1][0] == reverse("measures:mine")
    page = landing.content.decode()
    assert 'id="returned-forms"' in page
    assert f'data-submission="{submission.pk}"' in page
    assert "退回理由：请补充现场照片。" in page
    client.force_login(bureau)
    assert client.get(reverse("accounts:landing")).url == reverse("progress:dashboard")


def test_the_audit_page_reads_one_page_and_agrees_with_the_full_list(client, assignment_a, bureau, monkeypatch):
    """Each page is the slice of the full, newest-first list (which the exports use), changes included; a
    page's queries do not grow with the history."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from measures import views
    from measures.audit import AuditFilters, audit_entries

    monkeypatch.setattr(views, "AUDIT_ENTRIES_PER_PAGE", 3)
    for month in range(1, 8):
        services.assignment_refine_deadline(
            assignment=assignment_a, deadline=date(2024, month, 28), reason=f"第{month}次调整", user=bureau
        )
    everything = audit_entries(AuditFilters())
    client.force_login(bureau)
    shown = []
    for page in (1, 2, 3):
        shown += list(client.get(reverse("measures:audit"), {"page": page}).context["pages"].page.object_list)
    assert [(e.kind, e.object_id, e.when, e.changes, e.reason) for e in shown] == [
        (e.kind, e.object_id, e.when, e.changes, e.reason) for e in everything[:9]
    ]
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("measures:audit"), {"page": 2})
    for month in range(8, 13):
        services.assignment_refine_deadline(
            assignment=assignment_a, deadline=date(2024, month, 28), reason=f"第{month}次调整", user=bureau
        )
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("measures:audit"), {"page": 2})
    assert len(more.captured_queries) == len(few.captured_queries)
