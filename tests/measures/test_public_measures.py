"""The measures in public (/measures/public/): each area's share of the work and where it stands, from
approved forms only; drafts, forms under review, returned forms and evidence files never shown."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from measures import selectors, services
from measures.services import SubmissionData
from tests.factories import AssignmentFactory, ChapterFactory, MeasureFactory, SectionFactory, area_by_code
from tests.measures.conftest import pdf

pytestmark = pytest.mark.usefixtures("no_plan")

COUNTY_A, COUNTY_B = "371502", "371581"


def filed(assignment, official, *, narrative, value=Decimal(100), files=None):
    data = SubmissionData(work_status="done", progress_value=value, narrative=narrative, completed_on=date(2024, 2, 20))
    return services.submission_save(assignment=assignment, user=official, data=data, files=files)


@pytest.fixture
def dust_measure(db):
    measure = MeasureFactory(
        code="M-DUST",
        title="建筑工地扬尘治理",
        title_en="Construction dust control",
        deadline=date(2024, 6, 30),
        quantity=Decimal(100),
        unit="%",
        comparison="at_least",
    )
    for code in (COUNTY_A, COUNTY_B):
        AssignmentFactory(measure=measure, area=area_by_code(code), target_quantity=Decimal(100))
    return measure


@pytest.fixture
def boiler_measure(dust_measure):
    chapter = ChapterFactory(plan=dust_measure.plan, number=4, title="能源结构", title_en="Energy")
    measure = MeasureFactory(
        code="M-BOILER",
        section=SectionFactory(chapter=chapter, number=1),
        title="燃煤锅炉淘汰",
        title_en="Coal boilers retired",
        deadline=date(2025, 12, 31),
    )
    AssignmentFactory(measure=measure, area=area_by_code(COUNTY_A))
    return measure


def assignment_of(measure, code):
    return measure.assignments.get(area__code=code)


@time_machine.travel("2024-09-01 10:00 +0800", tick=False)
def test_the_public_sees_each_areas_status_and_only_what_the_bureau_approved(
    client, dust_measure, official_a, official_b, bureau
):
    approved = filed(
        assignment_of(dust_measure, COUNTY_A),
        official_a,
        narrative="全部工地安装在线监测。",
        files=[pdf("秘密证明.pdf")],
    )
    services.submission_submit(submission=approved, user=official_a)
    services.submission_approve(submission=approved, user=bureau)
    pending = filed(assignment_of(dust_measure, COUNTY_B), official_b, narrative="尚在审核的说明", value=Decimal(40))
    services.submission_submit(submission=pending, user=official_b)

    page = client.get(reverse("measures:public"))

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-area="371502" data-status="done"' in html
    assert "全部工地安装在线监测。" in html
    assert "2024-02-20 完成" in html
    assert "秘密证明" not in html
    assert "/evidence/" not in html
    assert 'data-area="371581" data-status="overdue"' in html  # due 2024-06-30, nothing approved
    assert "尚在审核的说明" not in html
    assert "已完成 1 / 2" in html


@time_machine.travel("2024-09-01 10:00 +0800", tick=False)
def test_a_returned_form_and_a_reopened_one_are_not_shown(client, dust_measure, official_a, official_b, bureau):
    returned = filed(assignment_of(dust_measure, COUNTY_A), official_a, narrative="被退回的说明")
    services.submission_submit(submission=returned, user=official_a)
    services.submission_return(submission=returned, user=bureau, reason="证明材料不全")
    reopened = filed(assignment_of(dust_measure, COUNTY_B), official_b, narrative="重新打开的说明")
    services.submission_submit(submission=reopened, user=official_b)
    services.submission_approve(submission=reopened, user=bureau)
    services.submission_reopen(submission=reopened, user=bureau, reason="数值需核实")

    html = client.get(reverse("measures:public")).content.decode()

    assert "被退回的说明" not in html
    assert "证明材料不全" not in html
    assert "重新打开的说明" not in html
    assert html.count('data-status="overdue"') == 2


@time_machine.travel("2024-03-01 10:00 +0800", tick=False)
def test_the_list_filters_by_area_chapter_status_and_text(client, boiler_measure, dust_measure, official_a, bureau):
    done = filed(assignment_of(dust_measure, COUNTY_A), official_a, narrative="完成")
    services.submission_submit(submission=done, user=official_a)
    services.submission_approve(submission=done, user=bureau)
    url = reverse("measures:public")

    def codes(**query):
        page = client.get(url, query)
        assert page.status_code == 200
        return [m.measure.code for m in page.context["pages"].page.object_list]

    assert codes() == ["M-DUST", "M-BOILER"]
    assert codes(chapter=4) == ["M-BOILER"]
    assert codes(area=COUNTY_B) == ["M-DUST"]  # M-BOILER has no share for county B
    assert codes(status="done") == ["M-DUST"]
    open_rows = client.get(url, {"status": "open"}).context["pages"].page.object_list
    assert [(m.measure.code, [a.assignment.area.code for a in m.assignments]) for m in open_rows] == [
        ("M-DUST", [COUNTY_B]),
        ("M-BOILER", [COUNTY_A]),
    ]
    assert codes(q="锅炉") == ["M-BOILER"]
    assert codes(q="dust control") == ["M-DUST"]
    assert codes(q="m-boiler") == ["M-BOILER"]
    assert codes(status="nonsense") == ["M-DUST", "M-BOILER"]  # an unknown status is no filter
    assert codes(q="没有这个词") == []


def test_a_closed_plans_unfinished_work_shows_its_close_out_outcome(dust_measure):
    assignment = assignment_of(dust_measure, COUNTY_A)
    assignment.outcome = "not_completed"
    assignment.save()
    dust_measure.plan.status = "closed"
    dust_measure.plan.save()

    listed = selectors.public_measures(dust_measure.plan, selectors.PublicFilters(area=COUNTY_A))

    [shown] = listed[0].assignments
    assert (shown.status, shown.status_label) == ("closed", "未能完成")
