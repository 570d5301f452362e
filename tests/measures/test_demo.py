"""Demo records: believable, idempotent, made through the services."""

from __future__ import annotations

import time_machine

from measures.demo import load_demo
from measures.models import ReductionProject, Submission
from measures.selectors import assignment_rows, due_lists, visible_assignments


@time_machine.travel("2026-12-06 10:00 +0800", tick=False)
def test_load_demo_creates_a_believable_idempotent_set(plan, bureau, official_a, official_b):
    officials = {"371502": official_a, "371581": official_b}
    created = load_demo(officials=officials, reviewer=bureau)
    assert created > 0
    states = list(Submission.objects.values_list("state", flat=True))
    assert states.count("approved") >= 2
    assert states.count("returned") == 1
    assert "draft" in states
    assert "submitted" in states
    returned = Submission.objects.get(state="returned")
    assert returned.return_reason
    assert ReductionProject.objects.count() == 2
    due = due_lists(assignment_rows(visible_assignments(official_a)))
    assert due.overdue or due.warning
    # Loaded after the plan's end (December 2026), an official still sees work due soon.
    assert [row.assignment.deadline.isoformat() for row in due.due_soon] == ["2026-12-09"]
    # A yearly duty approved for every year but the plan's last: its page shows both.
    (duty,) = [r for r in assignment_rows(visible_assignments(official_a)) if r.duty and r.duty.approved]
    assert [s.period.key for s in duty.duty.approved] == ["2021", "2022", "2023", "2024"]
    assert [s.period.key for s in duty.duty.late] == ["2025"]
    assert load_demo(officials=officials, reviewer=bureau) == 0


@time_machine.travel("2026-12-06 10:00 +0800", tick=False)
def test_the_demo_department_official_reports_for_the_transport_department(plan, bureau):
    from django.contrib.auth import get_user_model

    from measures.demo import DEMO_DEPARTMENT_LOGIN, demo_department_load
    from measures.reporters import official_department

    assert demo_department_load(reviewer=bureau) == 2
    user = get_user_model().objects.get(username=DEMO_DEPARTMENT_LOGIN.username)
    assert user.check_password(DEMO_DEPARTMENT_LOGIN.password)
    assert not user.is_staff
    assert official_department(user).name == "交通运输部门"
    forms = Submission.objects.filter(assignment__department__name="交通运输部门")
    assert sorted(forms.values_list("state", flat=True)) == ["approved", "draft"]
    assert demo_department_load(reviewer=bureau) == 0
