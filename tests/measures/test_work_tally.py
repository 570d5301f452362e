"""The evaluation's work tally (measures.selectors.work_tally): work due by a day, done on time, done late or
not done, judged by the completion date of an approved form."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from measures import services
from measures.selectors import work_tally
from measures.services import SubmissionData
from tests.factories import AssignmentFactory, MeasureFactory, area_by_code

pytestmark = pytest.mark.usefixtures("no_plan")


def done_on(assignment, official, reviewer, day):
    form = services.submission_save(
        assignment=assignment,
        user=official,
        data=SubmissionData(work_status="done", progress_value=Decimal(1), narrative="完成", completed_on=day),
    )
    services.submission_submit(submission=form, user=official)
    return services.submission_approve(submission=form, user=reviewer)


@time_machine.travel("2026-03-01 10:00 +0800", tick=False)
def test_on_time_late_and_not_done_by_the_date_the_work_was_done(small_plan, official_a, bureau):
    area = area_by_code("371502")
    due = date(2025, 6, 30)
    on_time, late, open_, later = (
        AssignmentFactory(measure=MeasureFactory(section__chapter__plan=small_plan, deadline=d), area=area)
        for d in (due, due, due, date(2026, 6, 30))
    )
    done_on(on_time, official_a, bureau, date(2025, 6, 1))
    done_on(late, official_a, bureau, date(2025, 9, 1))  # approved in 2026, but done in 2025: late, not undone
    tally = work_tally(small_plan, as_of=date(2025, 12, 31))["371502"]
    assert (tally.due, tally.on_time, tally.late, tally.not_done) == (3, 1, 1, 1)
    # As of mid-2025 the late task was not done yet.
    mid = work_tally(small_plan, as_of=date(2025, 8, 31))["371502"]
    assert (mid.due, mid.on_time, mid.late, mid.not_done) == (3, 1, 0, 2)
    assert later.deadline > date(2025, 12, 31)
    assert open_.submissions.count() == 0
