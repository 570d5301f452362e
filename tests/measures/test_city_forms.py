"""Issue 11, item 3: bureau staff fill the city's own forms (the evaluations, the city's statistics), and
another member of staff reviews them; county officials fill only their county's, staff no county's."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from measures import services
from measures.models import Assignment, ReviewState
from measures.services import SubmissionData
from tests.factories import BureauStaffFactory

MID_TERM = SubmissionData(
    work_status="done", progress_value=None, narrative="中期评估报告已报市政府", completed_on=date(2023, 12, 20)
)


@pytest.fixture
def mid_term(plan):
    return Assignment.objects.get(measure__plan=plan, measure__code="m10-02-01", area__code="371500")


def test_staff_fill_a_city_form_and_another_member_of_staff_approves_it(client, mid_term, bureau):
    client.force_login(bureau)
    response = client.post(
        reverse("measures:assignment", args=[mid_term.pk]),
        {"work_status": "done", "completed_on": "2023-12-20", "narrative": "中期评估报告已报市政府"},
    )
    assert response.status_code == 302
    submission = mid_term.submissions.get()
    services.submission_submit(submission=submission, user=bureau)
    page = client.get(reverse("measures:submission", args=[submission.pk])).content.decode()
    assert 'data-transition="approve"' not in page
    assert 'data-transition="return"' not in page
    assert "您提交的填报由其他工作人员审核。" in page
    with pytest.raises(PermissionDenied):
        services.submission_approve(submission=submission, user=bureau)

    reviewer = BureauStaffFactory(username="dave")
    client.force_login(reviewer)
    page = client.get(reverse("measures:submission", args=[submission.pk])).content.decode()
    assert 'data-transition="approve"' in page
    services.submission_approve(submission=submission, user=reviewer)
    submission.refresh_from_db()
    assert (submission.state, submission.submitted_by, submission.reviewed_by) == (
        ReviewState.APPROVED,
        bureau,
        reviewer,
    )


def test_a_county_official_cannot_fill_the_citys_form_nor_staff_a_countys(plan, mid_term, bureau, official_a):
    with pytest.raises(PermissionDenied):
        services.submission_save(assignment=mid_term, user=official_a, data=MID_TERM)
    county = Assignment.objects.get(measure__plan=plan, measure__code="m05-02-05", area__code="371502")
    with pytest.raises(PermissionDenied):
        services.submission_save(assignment=county, user=bureau, data=MID_TERM)
    assert not mid_term.submissions.exists()
    assert not county.submissions.exists()
