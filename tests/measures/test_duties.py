"""Recurring duties fall due period by period (issue 11, item 6): the board chases a duty's earliest period
not approved, its state counts periods due / approved / late, and it is done only when every period is."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from measures import selectors, services
from measures.services import SubmissionData
from tests.factories import AssignmentFactory, MeasureFactory, PlanFactory, SectionFactory, area_by_code

pytestmark = pytest.mark.usefixtures("no_plan")

REPORTED = SubmissionData(work_status="in_progress", progress_value=Decimal("6.5"), narrative="本月降尘监测结果")


def monthly_duty(**fields):
    measure = MeasureFactory(kind="recurring", report_period="month", unit="吨/月·平方公里", **fields)
    return AssignmentFactory(measure=measure, area=area_by_code("371502"))


def file(assignment, official, bureau, period, *, approve=True):
    submission = services.submission_save(assignment=assignment, user=official, data=REPORTED, period=period)
    services.submission_submit(submission=submission, user=official)
    return services.submission_approve(submission=submission, user=bureau) if approve else submission


def row_of(assignment, today):
    return selectors.assignment_rows(type(assignment).objects.filter(pk=assignment.pk), today=today)[0]


def test_a_monthly_duty_is_chased_for_its_earliest_month_not_approved(official_a, bureau):
    duty = monthly_duty()
    with time_machine.travel("2021-04-20 10:00 +0800", tick=False):
        file(duty, official_a, bureau, "2021-01")
        file(duty, official_a, bureau, "2021-03")
        file(duty, official_a, bureau, "2021-02", approve=False)

    row = row_of(duty, date(2021, 4, 20))
    # February is submitted, not approved: due on the 5th working day of March (1-5 March 2021).
    assert row.due_period == "2021-02"
    assert row.due_date == date(2021, 3, 5)
    assert row.level == "warning"  # 32 working days late, past the 10 of the warning list
    assert not row.is_done
    assert [s.period.key for s in row.duty.due] == ["2021-01", "2021-02", "2021-03"]
    assert [s.period.key for s in row.duty.approved] == ["2021-01", "2021-03"]
    assert [s.period.key for s in row.duty.late] == ["2021-02"]
    assert row in selectors.due_lists([row]).warning


def test_a_duty_with_every_period_to_date_approved_is_reminded_of_the_current_one(official_a, bureau):
    duty = monthly_duty()
    with time_machine.travel("2021-03-02 10:00 +0800", tick=False):
        file(duty, official_a, bureau, "2021-01")
        file(duty, official_a, bureau, "2021-02")
    row = row_of(duty, date(2021, 3, 2))
    # The open month is March, due on the 5th working day of April: 1, 2, 6, 7, 8 (Qingming: 3-5 April off).
    assert row.due_period == "2021-03"
    assert row.due_date == date(2021, 4, 8)
    assert row.level == "none"
    assert row.duty.late == []
    assert row_of(duty, date(2021, 4, 2)).level == "reminder"


def test_a_duty_is_done_only_when_its_last_period_is_approved(official_a, bureau):
    plan = PlanFactory(code="short-plan", start_year=2021, end_year=2021)
    section = SectionFactory(chapter__plan=plan)
    measure = MeasureFactory(section=section, kind="recurring", report_period="year")
    duty = AssignmentFactory(measure=measure, area=area_by_code("371502"))
    assert not row_of(duty, date(2022, 2, 1)).is_done
    assert row_of(duty, date(2022, 2, 1)).level == "warning"
    with time_machine.travel("2022-02-10 10:00 +0800", tick=False):
        file(duty, official_a, bureau, "2021")
    row = row_of(duty, date(2022, 2, 10))
    assert row.is_done
    assert row.approved_on == date(2022, 2, 10)
    assert row.level == "none"


def test_the_ozone_season_duty_falls_due_on_30_april_each_year():
    measure = MeasureFactory(kind="recurring", report_period="year", yearly_due_month=4, yearly_due_day=30)
    duty = AssignmentFactory(measure=measure, area=area_by_code("371502"))
    row = row_of(duty, date(2023, 4, 28))
    assert (row.due_period, row.due_date) == ("2021", date(2021, 4, 30))
    assert [s.period.key for s in row.duty.late] == ["2021", "2022"]
    assert measure.due_rule_text == "每期在当年 4 月 30 日前完成。"


def test_a_period_outside_the_duty_is_refused_with_the_periods_it_owes(official_a):
    duty = monthly_duty(start_date=date(2021, 7, 1))
    with time_machine.travel("2021-09-01 10:00 +0800", tick=False), pytest.raises(ValidationError) as refused:
        services.submission_save(assignment=duty, user=official_a, data=REPORTED, period="2021-06")
    assert refused.value.message_dict["period"] == ["2021-06 不在本措施的填报期内（2021-07 至 2025-12）。"]


def test_a_yearly_rule_needs_a_day_every_year_has():
    measure = MeasureFactory.build(
        section=SectionFactory(), kind="recurring", report_period="year", yearly_due_month=2, yearly_due_day=29
    )
    measure.plan = measure.section.chapter.plan
    with pytest.raises(ValidationError) as refused:
        measure.clean()
    assert "2 月没有 29 日" in refused.value.message_dict["yearly_due_day"][0]


def test_a_duty_has_no_single_deadline_to_move(bureau):
    duty = monthly_duty()
    with pytest.raises(ValidationError) as refused:
        services.assignment_refine_deadline(assignment=duty, deadline=date(2024, 1, 1), reason="调整", user=bureau)
    assert "逐期到期" in refused.value.message_dict["deadline"][0]


def test_the_assignment_page_lists_each_period_begun_with_its_due_date_and_state(client, official_a, bureau):
    duty = monthly_duty()
    with time_machine.travel("2021-04-20 10:00 +0800", tick=False):
        file(duty, official_a, bureau, "2021-01")
        file(duty, official_a, bureau, "2021-02", approve=False)
        client.force_login(official_a)
        page = client.get(reverse("measures:assignment", args=[duty.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-due="3" data-approved="1" data-late="2"' in html
    assert "每期在次月第 5 个工作日前报送。" in html
    periods = [chunk.split('"')[0] for chunk in html.split('data-period="')[1:]]
    assert periods == ["2021-04", "2021-03", "2021-02", "2021-01"]
    assert html.count("逾期未通过</span>") == 2  # February and March; April is not yet due
    assert "调整完成时限" not in html


def test_a_duty_counts_once_a_year_toward_on_time_and_only_when_every_period_due_was(official_a, bureau):
    yearly = AssignmentFactory(
        measure=MeasureFactory(kind="recurring", report_period="year", yearly_due_month=4, yearly_due_day=30),
        area=area_by_code("371502"),
    )
    monthly = monthly_duty()
    with time_machine.travel("2022-04-20 10:00 +0800", tick=False):
        file(yearly, official_a, bureau, "2022")
        file(monthly, official_a, bureau, "2022-01")
        file(monthly, official_a, bureau, "2022-02")
    with time_machine.travel("2022-04-25 10:00 +0800", tick=False):
        file(monthly, official_a, bureau, "2022-03")  # due 8 April 2022 (Qingming 3-5 April): late

    shares = selectors.measure_completion_by_area(year=2022, as_of=date(2022, 3, 31))
    # By 31 March: only the monthly duty has periods due (December 2021 is 2022's first, then January and
    # February); December 2021 was never filed.
    assert shares == {"371502": selectors.CompletionShare(due=1, approved_on_time=0)}
    shares = selectors.measure_completion_by_area(year=2022, as_of=date(2022, 5, 31))
    # The yearly duty was on time by 30 April; the monthly one was not (December 2021, March 2022).
    assert shares == {"371502": selectors.CompletionShare(due=2, approved_on_time=1)}


def test_a_monthly_duty_with_every_month_due_filed_by_its_day_is_on_time(official_a, bureau):
    monthly = monthly_duty(start_date=date(2022, 1, 1))
    for filed_on, period in (("2022-02-07", "2022-01"), ("2022-03-07", "2022-02")):
        with time_machine.travel(f"{filed_on} 10:00 +0800", tick=False):
            file(monthly, official_a, bureau, period)
    shares = selectors.measure_completion_by_area(year=2022, as_of=date(2022, 3, 31))
    assert shares == {"371502": selectors.CompletionShare(due=1, approved_on_time=1)}
