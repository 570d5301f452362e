"""Demo records: believable, idempotent, made through the services."""

from __future__ import annotations

from measures.demo import load_demo
from measures.models import ReductionProject, Submission
from measures.selectors import assignment_rows, due_lists, visible_assignments


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
    assert load_demo(officials=officials, reviewer=bureau) == 0
