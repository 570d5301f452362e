"""Free texts have limits (issue 14): a 45 MB narrative once made the audit page 287 MB. Each limit comes
from areas/limits.py, is shown by the form and checked by the service; nothing is stored past it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from areas.limits import NARRATIVE_MAX_CHARS, REASON_MAX_CHARS
from measures import services
from measures.models import Assignment, Submission
from measures.services import SubmissionData

pytestmark = pytest.mark.django_db


def one_off(area_code: str = "371502") -> Assignment:
    return Assignment.objects.filter(area__code=area_code, measure__report_period="once").order_by("pk").first()


def test_a_narrative_past_the_limit_is_refused_naming_the_field_and_nothing_is_stored(official_a):
    data = SubmissionData(work_status="in_progress", progress_value=None, narrative="字" * (NARRATIVE_MAX_CHARS + 1))
    with pytest.raises(ValidationError) as refused:
        services.submission_save(assignment=one_off(), user=official_a, data=data)
    assert "narrative" in refused.value.message_dict
    assert str(NARRATIVE_MAX_CHARS) in refused.value.message_dict["narrative"][0]
    assert not Submission.objects.filter(assignment=one_off()).exists()
    at_limit = SubmissionData(
        work_status="in_progress", progress_value=Decimal(1), narrative="字" * NARRATIVE_MAX_CHARS
    )
    saved = services.submission_save(assignment=one_off(), user=official_a, data=at_limit)
    assert len(saved.narrative) == NARRATIVE_MAX_CHARS


def test_a_return_reason_past_the_limit_is_refused(official_a, bureau):
    submission = services.submission_save(
        assignment=one_off(),
        user=official_a,
        data=SubmissionData(work_status="in_progress", progress_value=None, narrative="进行中"),
    )
    services.submission_submit(submission=submission, user=official_a)
    with pytest.raises(ValidationError):
        services.submission_return(submission=submission, user=bureau, reason="缺" * (REASON_MAX_CHARS + 1))
    submission.refresh_from_db()
    assert (submission.state, submission.return_reason) == ("submitted", "")


def test_the_form_shows_the_limit_and_refuses_a_longer_text(client, official_a):
    client.force_login(official_a)
    url = reverse("measures:assignment", args=[one_off().pk])
    page = client.get(url).content.decode()
    assert f'maxlength="{NARRATIVE_MAX_CHARS}"' in page
    response = client.post(url, {"work_status": "in_progress", "narrative": "字" * (NARRATIVE_MAX_CHARS + 1)})
    assert response.status_code == 400
    assert not Submission.objects.filter(assignment=one_off()).exists()
