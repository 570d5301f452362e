"""Roles hold the same way in pages, API, exports and evidence downloads."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from measures import services
from measures.services import SubmissionData
from tests.factories import PASSWORD
from tests.measures.conftest import pdf

# These tests build their own small world with factories, on a database without the preloaded plan.
pytestmark = pytest.mark.usefixtures("no_plan")

DATA = SubmissionData(work_status="in_progress", progress_value=Decimal(10), narrative="县 A 的草稿")


@pytest.fixture
def submission_a(assignment_a, official_a):
    return services.submission_save(assignment=assignment_a, user=official_a, data=DATA, files=[pdf("a-secret.pdf")])


def urls_of(submission):
    evidence = submission.evidence.get()
    return [
        reverse("measures:assignment", args=[submission.assignment.pk]),
        reverse("measures:submission", args=[submission.pk]),
        reverse("measures:evidence-download", args=[evidence.pk]),
    ]


def test_official_b_cannot_see_or_download_county_as_records_by_page(client, submission_a, official_b):
    client.force_login(official_b)
    for url in urls_of(submission_a):
        assert client.get(url).status_code == 404, url


def test_official_b_cannot_act_on_county_as_submission(client, submission_a, official_b):
    client.force_login(official_b)
    url = reverse("measures:submission-transition", args=[submission_a.pk, "submit"])
    assert client.post(url).status_code == 404
    assert (
        client.post(reverse("measures:submission", args=[submission_a.pk]), {"work_status": "done"}).status_code == 404
    )
    submission_a.refresh_from_db()
    assert submission_a.state == "draft"


def test_official_b_cannot_see_county_as_records_through_the_api(client, submission_a, official_b):
    client.force_login(official_b)
    assert client.get(f"/api/v1/submissions/{submission_a.pk}/").status_code == 404
    assert client.get(f"/api/v1/assignments/{submission_a.assignment.pk}/").status_code == 404
    assert client.get("/api/v1/submissions/").json()["results"] == []
    assert client.get("/api/v1/assignments/").json()["results"] == []


def test_official_a_sees_own_records_and_downloads_own_evidence(client, submission_a, official_a):
    client.force_login(official_a)
    for url in urls_of(submission_a):
        assert client.get(url).status_code == 200, url
    response = client.get(urls_of(submission_a)[2])
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "a-secret.pdf" in response["Content-Disposition"]
    api = client.get("/api/v1/submissions/").json()["results"]
    assert [s["id"] for s in api] == [submission_a.pk]
    assert api[0]["evidence"][0]["download_url"] == urls_of(submission_a)[2]


def test_bureau_staff_see_every_county(client, submission_a, bureau):
    client.force_login(bureau)
    for url in urls_of(submission_a):
        assert client.get(url).status_code == 200, url
    assert len(client.get("/api/v1/submissions/").json()["results"]) == 1


def test_anonymous_gets_the_login_page_and_api_403(client, submission_a):
    for url in [*urls_of(submission_a), reverse("measures:mine"), reverse("measures:board"), reverse("measures:audit")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url
    assert client.get("/api/v1/submissions/").status_code == 403
    assert client.get("/api/v1/assignments/").status_code == 403


def test_officials_cannot_open_the_board_the_audit_or_their_exports(client, submission_a, official_a):
    client.force_login(official_a)
    assert client.get(reverse("measures:board")).status_code == 403
    assert client.get(reverse("measures:board") + "?format=xlsx").status_code == 403
    assert client.get(reverse("measures:audit") + "?format=csv").status_code == 403


def test_official_b_cannot_open_county_as_key_project(client, official_a, official_b):
    from measures.services import ProjectData
    from tests.factories import PlanFactory, area_by_code

    PlanFactory(start_year=2021, end_year=2025, baseline_year=2020)
    project = services.project_save(
        user=official_a,
        area=area_by_code("371502"),
        data=ProjectData(
            name="燃煤锅炉超低排放改造",
            enterprise="某热电公司",
            pollutant="nox",
            expected_tonnes=Decimal(120),
            planned_completion=__import__("datetime").date(2024, 12, 31),
        ),
        files=[pdf()],
    )
    client.force_login(official_b)
    assert client.get(reverse("measures:project", args=[project.pk])).status_code == 404
    assert client.get(reverse("measures:evidence-download", args=[project.evidence.get().pk])).status_code == 404
    assert client.get(f"/api/v1/reduction-projects/{project.pk}/").status_code == 404


def test_sixth_bad_password_locks_the_account_out(client, official_a):
    # AXES_FAILURE_LIMIT = 5: four failures still show the login form, the fifth locks out.
    statuses = [
        client.post(reverse("accounts:login"), {"username": "bob", "password": "wrong"}).status_code for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    # The sixth attempt is refused even with the right password.
    response = client.post(reverse("accounts:login"), {"username": "bob", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_evidence_downloads_with_the_extension_of_its_checked_type(client, assignment_a, official_a):
    """A PNG uploaded as "page.html" is not served as HTML: its name takes the checked type's extension."""
    from tests.measures.conftest import png

    submission = services.submission_save(assignment=assignment_a, user=official_a, data=DATA, files=[png("page.html")])
    client.force_login(official_a)
    response = client.get(reverse("measures:evidence-download", args=[submission.evidence.get().pk]))
    assert response["Content-Disposition"] == 'attachment; filename="page.png"'
    assert response["Content-Type"] == "image/png"
