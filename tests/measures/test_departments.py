"""Departments report too (issue 11, item 3): a department official reports on the measures its department
reports on city-wide, and follows the areas' handed-in forms of those measures, never an area's draft."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from areas.models import CountyOfficial
from measures import services
from measures.models import Assignment, DepartmentOfficial, Measure
from measures.services import SubmissionData
from measures.services_digest import digest_send
from tests.factories import (
    AssignmentFactory,
    BureauStaffFactory,
    DepartmentFactory,
    DepartmentOfficialFactory,
    MeasureFactory,
    UserFactory,
    area_by_code,
    city_area,
)
from tests.measures.conftest import pdf

DATA = SubmissionData(work_status="in_progress", progress_value=Decimal(10), narrative="草稿")


@pytest.fixture
def transport(db):
    return DepartmentFactory(name="交通运输部门")


@pytest.fixture
def world(no_plan, transport):
    """A measure the transport department reports on city-wide (and the counties too), and one it does not."""
    led = MeasureFactory(code="M-LED", deadline=date(2024, 6, 30))
    led.departments.add(transport)
    led.reporting_departments.add(transport)
    other = MeasureFactory(code="M-OTHER", deadline=date(2024, 6, 30))
    return {
        "own": AssignmentFactory(measure=led, area=city_area(), department=transport),
        "county": AssignmentFactory(measure=led, area=area_by_code("371502")),
        "other": AssignmentFactory(measure=other, area=area_by_code("371502")),
    }


@pytest.fixture
def clerk(transport):
    """Dora, who reports for the transport department."""
    return DepartmentOfficialFactory(user__username="dora", department=transport).user


def _ids(response):
    return {row["id"] for row in response.json()["results"]}


# The sentences of the plan that charge departments with the work, city-wide.
CHARGING = {
    "m05-02-02": "国家要求和鼓励淘汰的重型柴油车，公安机关交通管理部门不予办理迁入手续。",
    "m05-03-01": "生态环境、自然资源、住房城乡建设、交通运输、水利等部门在各自职责范围内"
    "对非道路移动机械排气污染防治实施监管",
}
CHARGING["m05-03-02"] = CHARGING["m05-03-01"]


def test_the_fixture_names_reporting_departments_the_plan_text_charges(plan):
    """Each reporting department is one of the measure's departments and is named in the plan's sentence
    charging it (the ecology department is the bureau, which reviews: it does not report to itself)."""
    text = Path("fixtures/plan_text.txt").read_text(encoding="utf-8")
    measures = Measure.objects.filter(plan=plan).prefetch_related("departments", "reporting_departments")
    reporting = {m.code: {d.name for d in m.reporting_departments.all()} for m in measures}
    assert {code for code, names in reporting.items() if names} == set(CHARGING)
    for measure in measures.filter(code__in=CHARGING):
        sentence = CHARGING[measure.code]
        assert sentence in text
        assert reporting[measure.code] <= {d.name for d in measure.departments.all()}
        assert all(name.removesuffix("部门") in sentence for name in reporting[measure.code])
        assert "生态环境部门" not in reporting[measure.code]
    departments = Assignment.objects.filter(measure__plan=plan, department__isnull=False)
    assert departments.count() == 9
    assert {a.area_id for a in departments} == {plan.area_id}
    assert all(a.target_quantity is None for a in departments)


def test_a_department_official_sees_own_reports_and_the_areas_handed_in_forms_of_its_measures(
    client, world, clerk, official_a, bureau
):
    draft = services.submission_save(
        assignment=world["county"], user=official_a, data=DATA, files=[pdf("county-draft.pdf")]
    )
    other = services.submission_save(assignment=world["other"], user=official_a, data=DATA)
    services.submission_submit(submission=other, user=official_a)
    client.force_login(clerk)
    assert _ids(client.get("/api/v1/assignments/")) == {world["own"].pk, world["county"].pk}
    assert client.get(f"/api/v1/assignments/{world['other'].pk}/").status_code == 404
    # A county's draft: not listed, not shown, its evidence not downloadable.
    assert _ids(client.get("/api/v1/submissions/")) == set()
    assert client.get(reverse("measures:submission", args=[draft.pk])).status_code == 404
    evidence = draft.evidence.get()
    assert client.get(reverse("measures:evidence-download", args=[evidence.pk])).status_code == 404
    page = client.get(reverse("measures:assignment", args=[world["county"].pk])).content.decode()
    assert "county-draft.pdf" not in page
    assert reverse("measures:submission", args=[draft.pk]) not in page
    # Handed in, the county's form is visible to the department (read-only); returned, it is the county's again.
    services.submission_submit(submission=draft, user=official_a)
    assert _ids(client.get("/api/v1/submissions/")) == {draft.pk}
    assert client.get(reverse("measures:evidence-download", args=[evidence.pk])).status_code == 200
    response = client.post(reverse("measures:submission-transition", args=[draft.pk, "approve"]))
    assert response.status_code in (403, 404)
    services.submission_return(submission=draft, user=bureau, reason="佐证不全")
    assert _ids(client.get("/api/v1/submissions/")) == set()
    # Another measure's forms never, handed in or not.
    assert client.get(reverse("measures:submission", args=[other.pk])).status_code == 404


def test_a_department_official_fills_its_own_report_and_the_bureau_reviews_it(client, world, clerk, official_a):
    with pytest.raises(PermissionDenied):
        services.submission_save(assignment=world["county"], user=clerk, data=DATA)
    with pytest.raises(PermissionDenied):
        services.submission_save(assignment=world["own"], user=official_a, data=DATA)
    client.force_login(clerk)
    page = client.get(reverse("measures:assignment", args=[world["county"].pk])).content.decode()
    assert 'name="work_status"' not in page  # following, not filling
    response = client.post(
        reverse("measures:assignment", args=[world["own"].pk]),
        {"work_status": "in_progress", "progress_value": "5", "narrative": "全市抽查 12 台机械"},
    )
    assert response.status_code == 302
    form = world["own"].submissions.get()
    assert form.created_by == clerk
    services.submission_submit(submission=form, user=clerk)
    reviewer = BureauStaffFactory(username="erin")
    approved = services.submission_approve(submission=form, user=reviewer)
    assert approved.state == "approved"
    # The county official never sees the department's report.
    client.force_login(official_a)
    assert client.get(reverse("measures:assignment", args=[world["own"].pk])).status_code == 404
    assert client.get(reverse("measures:submission", args=[form.pk])).status_code == 404
    assert world["own"].pk not in _ids(client.get("/api/v1/assignments/"))


def test_a_department_officials_task_list_holds_its_reports_and_the_measures_it_follows(client, world, clerk):
    client.force_login(clerk)
    assert client.get(reverse("accounts:landing")).url == reverse("measures:mine")
    page = client.get(reverse("measures:mine")).content.decode()
    assert "交通运输部门" in page
    assert f'data-assignment="{world["own"].pk}"' in page
    assert f'data-assignment="{world["county"].pk}"' in page  # followed, below
    assert f'data-assignment="{world["other"].pk}"' not in page
    assert client.get(reverse("measures:board")).status_code == 403


def test_the_digest_reaches_a_department_official_with_its_own_overdue_reports_only(world, clerk, official_a):
    import time_machine

    with time_machine.travel("2024-08-01 09:00 +0800", tick=False):
        digest_send()
    to_dora = [m for m in mail.outbox if m.to == [clerk.email]]
    assert len(to_dora) == 1
    assert "交通运输部门" in to_dora[0].subject
    assert "M-LED" in to_dora[0].body
    assert "M-OTHER" not in to_dora[0].body
    to_bob = next(m for m in mail.outbox if m.to == [official_a.email])
    assert to_bob.body.count("M-LED") == 1  # the county's own, not the department's


def test_one_account_is_one_reporter(db, transport):
    county = CountyOfficial.objects.create(user=UserFactory(username="frank"), area=area_by_code("371502"))
    with pytest.raises(ValidationError):
        DepartmentOfficial(user=county.user, department=transport).full_clean()
    with pytest.raises(ValidationError):
        DepartmentOfficial(user=BureauStaffFactory(username="gina"), department=transport).full_clean()
    clerk = DepartmentOfficialFactory(user__username="hank", department=transport)
    with pytest.raises(ValidationError):
        CountyOfficial(user=clerk.user, area=area_by_code("371581")).full_clean()
