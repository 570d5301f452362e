"""Reads others call: completion shares, reduction totals, the public count, due lists, audit."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from measures import selectors, services
from measures.audit import AuditFilters, audit_entries
from measures.models import Assignment, Submission
from measures.services import ProjectData, SubmissionData
from tests.factories import AssignmentFactory, MeasureFactory, PlanFactory, area_by_code

# These tests build their own small world with factories, on a database without the preloaded plan.
pytestmark = pytest.mark.usefixtures("no_plan")

DONE = SubmissionData(work_status="done", progress_value=Decimal(100), narrative="完成", completed_on=date(2024, 1, 5))


def approve(assignment, official, bureau, *, period="", data=DONE):
    submission = services.submission_save(assignment=assignment, user=official, data=data, period=period)
    services.submission_submit(submission=submission, user=official)
    return services.submission_approve(submission=submission, user=bureau)


def done_on(day):
    return SubmissionData(work_status="done", progress_value=Decimal(100), narrative="完成", completed_on=day)


def test_completion_share_counts_assignments_due_and_approved_on_time_by_their_completion_date(official_a, bureau):
    area = area_by_code("371502")
    with time_machine.travel("2024-03-01 10:00 +0800", tick=False):
        on_time = AssignmentFactory(measure=MeasureFactory(deadline=date(2024, 3, 31)), area=area)
        approve(on_time, official_a, bureau, data=done_on(date(2024, 2, 28)))
    late = AssignmentFactory(measure=MeasureFactory(deadline=date(2024, 4, 30)), area=area)
    back_filled = AssignmentFactory(measure=MeasureFactory(deadline=date(2024, 4, 15)), area=area)
    with time_machine.travel("2024-05-06 10:00 +0800", tick=False):
        approve(late, official_a, bureau, data=done_on(date(2024, 5, 2)))
        # Done on 10 April (the acceptance report says so), recorded in May: on time.
        approve(back_filled, official_a, bureau, data=done_on(date(2024, 4, 10)))
    AssignmentFactory(measure=MeasureFactory(deadline=date(2024, 5, 31)), area=area)  # due, not done
    AssignmentFactory(measure=MeasureFactory(deadline=date(2024, 8, 31)), area=area)  # not yet due
    AssignmentFactory(measure=MeasureFactory(deadline=date(2023, 5, 31)), area=area)  # other year

    shares = selectors.measure_completion_by_area(year=2024, as_of=date(2024, 6, 30))
    assert shares == {"371502": selectors.CompletionShare(due=4, approved_on_time=2)}
    assert shares["371502"].share == Decimal("0.5000")
    assert selectors.measure_completion_by_area(year=2024, as_of=date(2024, 1, 1)) == {}
    # Approved only on 6 May: not yet counted on 30 April, though done on time.
    assert selectors.measure_completion_by_area(year=2024, as_of=date(2024, 4, 30)) == {
        "371502": selectors.CompletionShare(due=3, approved_on_time=1)
    }


def test_a_form_stored_before_completion_dates_is_judged_by_the_day_it_was_submitted(official_a, bureau):
    area = area_by_code("371502")
    assignment = AssignmentFactory(measure=MeasureFactory(deadline=date(2024, 3, 31)), area=area)
    with time_machine.travel("2024-04-02 10:00 +0800", tick=False):
        submission = approve(assignment, official_a, bureau)
    Submission.objects.filter(pk=submission.pk).update(completed_on=None)
    assert selectors.measure_completion_by_area(year=2024, as_of=date(2024, 6, 30)) == {
        "371502": selectors.CompletionShare(due=1, approved_on_time=0)
    }


def test_a_completion_date_is_required_to_submit_done_work_and_never_in_the_future(assignment_a, official_a):
    no_date = SubmissionData(work_status="done", progress_value=Decimal(100), narrative="完成")
    submission = services.submission_save(assignment=assignment_a, user=official_a, data=no_date)
    with pytest.raises(ValidationError) as refused:
        services.submission_submit(submission=submission, user=official_a)
    assert list(refused.value.message_dict) == ["completed_on"]
    with time_machine.travel("2024-03-01 10:00 +0800", tick=False), pytest.raises(ValidationError) as future:
        services.submission_save(
            assignment=assignment_a, user=official_a, data=done_on(date(2024, 3, 2)), submission=submission
        )
    assert "2024-03-01" in future.value.message_dict["completed_on"][0]
    not_done = SubmissionData(
        work_status="in_progress", progress_value=None, narrative="", completed_on=date(2024, 1, 1)
    )
    with pytest.raises(ValidationError) as unfinished:
        services.submission_save(assignment=assignment_a, user=official_a, data=not_done, submission=submission)
    assert list(unfinished.value.message_dict) == ["completed_on"]


def test_reduction_totals_count_a_plans_approved_tonnes_in_the_year_they_take_effect(official_a, official_b, bureau):
    first = PlanFactory(code="first", start_year=2021, end_year=2025, baseline_year=2020)
    second = PlanFactory(code="second", start_year=2026, end_year=2030, baseline_year=2025)

    def project(official, code, name, pollutant, tonnes, effective_on, approve_it=True, planned=None):
        p = services.project_save(
            user=official,
            area=area_by_code(code),
            data=ProjectData(
                name=name,
                enterprise="企业",
                pollutant=pollutant,
                expected_tonnes=tonnes,
                planned_completion=planned or effective_on,
                verified_tonnes=tonnes,
                # Verified months after the reduction took effect, in the next year for the first one.
                verified_on=effective_on + timedelta(days=90),
                effective_on=effective_on,
            ),
        )
        services.project_transition(project=p, transition=services.Transition.SUBMIT, user=official)
        if approve_it:
            services.project_transition(project=p, transition=services.Transition.APPROVE, user=bureau)
        return p

    assert project(official_a, "371502", "锅炉改造", "nox", Decimal("120.5"), date(2023, 11, 1)).plan == first
    project(official_a, "371502", "脱硝", "nox", Decimal("80"), date(2024, 6, 1))
    project(official_a, "371502", "涂装 VOCs 治理", "vocs", Decimal("30"), date(2024, 6, 1))
    project(official_b, "371581", "焦化改造", "nox", Decimal("200"), date(2024, 7, 1))
    project(official_b, "371581", "未审核", "nox", Decimal("999"), date(2024, 7, 1), approve_it=False)
    assert project(official_b, "371581", "后续规划工程", "nox", Decimal("50"), date(2026, 3, 1)).plan == second

    assert selectors.reduction_totals(plan=first) == {
        ("371502", "nox"): Decimal("200.50"),
        ("371502", "vocs"): Decimal("30.00"),
        ("371581", "nox"): Decimal("200.00"),
    }
    # 锅炉改造 took effect in 2023 and was verified in 2024: it counts in 2023.
    assert selectors.reduction_totals(plan=first, year=2023) == {("371502", "nox"): Decimal("120.50")}
    assert selectors.reduction_totals(plan=first, year=2024) == {
        ("371502", "nox"): Decimal("80.00"),
        ("371502", "vocs"): Decimal("30.00"),
        ("371581", "nox"): Decimal("200.00"),
    }
    assert selectors.reduction_city_totals(plan=first, year=2024) == {
        "nox": Decimal("280.00"),
        "vocs": Decimal("30.00"),
    }
    assert selectors.reduction_city_totals(plan=second) == {"nox": Decimal("50.00"), "vocs": Decimal("0")}
    # The table by area: every county's for the bureau, a county official's own only.
    assert {(row.area.code, row.year) for row in selectors.reduction_table(first, bureau)} == {
        ("371502", 2023),
        ("371502", 2024),
        ("371581", 2024),
    }
    assert {(row.area.code, row.year) for row in selectors.reduction_table(first, official_b)} == {("371581", 2024)}


def test_a_reduction_taking_effect_outside_its_plans_period_is_refused(official_a):
    from django.core.exceptions import ValidationError

    PlanFactory(code="first", start_year=2021, end_year=2025, baseline_year=2020)
    data = ProjectData(
        name="x",
        enterprise="y",
        pollutant="nox",
        expected_tonnes=Decimal(10),
        planned_completion=date(2025, 10, 1),
        verified_tonnes=Decimal(9),
        verified_on=date(2026, 2, 1),
        effective_on=date(2026, 1, 15),
    )
    with pytest.raises(ValidationError, match="2021-2025"):
        services.project_save(user=official_a, area=area_by_code("371502"), data=data)
    later = ProjectData(
        name="x", enterprise="y", pollutant="nox", expected_tonnes=Decimal(10), planned_completion=date(2031, 1, 1)
    )
    with pytest.raises(ValidationError, match="没有适用的规划"):
        services.project_save(user=official_a, area=area_by_code("371502"), data=later)


def test_project_cannot_be_submitted_without_verified_tonnes(official_a):
    from django.core.exceptions import ValidationError

    PlanFactory(start_year=2021, end_year=2025, baseline_year=2020)
    p = services.project_save(
        user=official_a,
        area=area_by_code("371502"),
        data=ProjectData(
            name="x", enterprise="y", pollutant="vocs", expected_tonnes=Decimal(1), planned_completion=date(2025, 1, 1)
        ),
    )
    with pytest.raises(ValidationError, match="核定减排量"):
        services.project_transition(project=p, transition=services.Transition.SUBMIT, user=official_a)


def test_completed_measures_count_needs_every_assignment_approved(official_a, official_b, bureau):
    measure = MeasureFactory()
    a = AssignmentFactory(measure=measure, area=area_by_code("371502"))
    b = AssignmentFactory(measure=measure, area=area_by_code("371581"))
    MeasureFactory(section=measure.section)  # a measure without assignments is not complete
    other_plan = AssignmentFactory(  # another plan's work is not counted
        measure=MeasureFactory(section__chapter__plan=PlanFactory(code="other")), area=area_by_code("371502")
    )
    plan = measure.plan
    assert other_plan.measure.plan != plan
    assert selectors.completed_measures_count(plan) == selectors.CompletedCount(0, 2, 0, 2)
    approve(a, official_a, bureau)
    assert selectors.completed_measures_count(plan) == selectors.CompletedCount(1, 2, 0, 2)
    approve(b, official_b, bureau)
    assert selectors.completed_measures_count(plan) == selectors.CompletedCount(2, 2, 1, 2)


def test_due_lists_follow_the_frozen_china_date(official_a):
    area = area_by_code("371502")
    soon = AssignmentFactory(measure=MeasureFactory(deadline=date(2024, 2, 19)), area=area)
    overdue = AssignmentFactory(measure=MeasureFactory(deadline=date(2024, 2, 2)), area=area)
    warning = AssignmentFactory(measure=MeasureFactory(deadline=date(2024, 1, 5)), area=area)
    AssignmentFactory(measure=MeasureFactory(deadline=date(2024, 6, 28)), area=area)
    # 8 Feb 2024 at 01:00 in Beijing is still 7 Feb in UTC: the China date decides.
    with time_machine.travel("2024-02-08 01:00 +0800", tick=False):
        due = selectors.due_lists(selectors.assignment_rows(selectors.visible_assignments(official_a)))
    assert [r.assignment for r in due.due_soon] == [soon]
    assert [r.assignment for r in due.overdue] == [overdue]
    assert [r.assignment for r in due.warning] == [warning]


def test_period_table_shows_county_numbers_against_the_limit_and_the_city_mean(official_a, official_b, bureau):
    dust = MeasureFactory(report_period="month", quantity=Decimal(7), unit="t/(km²·月)", comparison="at_most")
    a = AssignmentFactory(measure=dust, area=area_by_code("371502"))
    b = AssignmentFactory(measure=dust, area=area_by_code("371581"))
    for assignment, official, value in ((a, official_a, "6.2"), (b, official_b, "8.4")):
        s = services.submission_save(
            assignment=assignment,
            user=official,
            period="2024-03",
            today=date(2024, 4, 2),
            data=SubmissionData(work_status="done", progress_value=Decimal(value), narrative=""),
        )
        services.submission_submit(submission=s, user=official)
        services.submission_approve(submission=s, user=bureau)
    table = selectors.period_table(dust, bureau, year=2024)
    assert len(table.periods) == 12
    assert table.cell("2024-03", a.area).meets is True
    assert table.cell("2024-03", b.area).meets is False
    assert table.city["2024-03"] == Decimal("7.30")
    assert table.city_meets["2024-03"] is False
    assert table.city["2024-04"] is None
    # A county official sees only their own county's row.
    assert [area.code for area in selectors.period_table(dust, official_a, year=2024).areas] == ["371502"]


def _approved_reports(measure, reports, bureau, *, period="2024-03"):
    for assignment, official, value in reports:
        s = services.submission_save(
            assignment=assignment,
            user=official,
            period=period,
            today=date(2024, 4, 2),
            data=SubmissionData(work_status="done", progress_value=Decimal(value), narrative=""),
        )
        services.submission_submit(submission=s, user=official)
        services.submission_approve(submission=s, user=bureau)


def test_each_county_is_judged_against_its_own_target_of_a_city_rate(official_a, official_b, bureau):
    """Issue 11: 全市平均降尘量 ≤ 7 is the city's; each county is judged on the target the bureau gave it."""
    dust = MeasureFactory(
        report_period="month",
        quantity=Decimal(7),
        unit="吨/月·平方公里",
        comparison="at_most",
        target_basis="city_rate",
    )
    a = AssignmentFactory(measure=dust, area=area_by_code("371502"), target_quantity=Decimal(6))
    b = AssignmentFactory(measure=dust, area=area_by_code("371581"), target_quantity=Decimal(9))
    _approved_reports(dust, ((a, official_a, "6.2"), (b, official_b, "8.4")), bureau)
    table = selectors.period_table(dust, bureau, year=2024)
    assert table.cell("2024-03", a.area).meets is False  # 6.2 > its own 6, though under the city's 7
    assert table.cell("2024-03", b.area).meets is True  # 8.4 <= its own 9, though over the city's 7
    assert (table.city["2024-03"], table.city_meets["2024-03"]) == (Decimal("7.30"), False)


def test_a_county_without_a_share_yet_is_not_judged_and_a_city_total_sums(official_a, official_b, bureau):
    coal = MeasureFactory(
        report_period="year", quantity=Decimal(56), unit="万吨", comparison="at_least", target_basis="city_total"
    )
    a = AssignmentFactory(measure=coal, area=area_by_code("371502"))
    b = AssignmentFactory(measure=coal, area=area_by_code("371581"), target_quantity=Decimal(20))
    assert a.target_quantity is None  # the city's 56 is never a county's target
    _approved_reports(coal, ((a, official_a, "30"), (b, official_b, "21.5")), bureau, period="2024")
    table = selectors.period_table(coal, bureau, year=2024)
    assert table.cell("2024", a.area).meets is None
    assert table.cell("2024", b.area).meets is True
    assert (table.city["2024"], table.city_meets["2024"]) == (Decimal("51.5"), False)


def test_a_city_statistic_is_the_citys_own_report_in_the_city_row_only(official_a, bureau):
    from tests.factories import BureauStaffFactory

    nev = MeasureFactory(
        report_period="year", quantity=Decimal(20), unit="%", comparison="about", target_basis="city_statistic"
    )
    city = AssignmentFactory(measure=nev, area=area_by_code("371500"))
    county = AssignmentFactory(measure=nev, area=area_by_code("371502"))
    assert (city.target_quantity, county.target_quantity) == (Decimal(20), None)
    _approved_reports(nev, ((county, official_a, "35"),), bureau, period="2024")
    s = services.submission_save(
        assignment=city,
        user=bureau,
        period="2024",
        today=date(2024, 4, 2),
        data=SubmissionData(work_status="in_progress", progress_value=Decimal("18.5"), narrative=""),
    )
    services.submission_submit(submission=s, user=bureau)
    services.submission_approve(submission=s, user=BureauStaffFactory(username="dave"))
    table = selectors.period_table(nev, bureau, year=2024)
    assert [a.code for a in table.areas] == ["371502"]
    assert table.city["2024"] == Decimal("18.5")  # the city's statistic, not the county's 35


def test_a_scope_threshold_never_colours_a_value(official_a, bureau):
    boilers = MeasureFactory(
        report_period="year",
        scope_text="35蒸吨/小时及以下燃煤锅炉",
        scope_threshold=Decimal(35),
        scope_unit="蒸吨/小时",
        scope_comparison="at_most",
    )
    a = AssignmentFactory(measure=boilers, area=area_by_code("371502"))
    assert a.target_quantity is None
    _approved_reports(boilers, ((a, official_a, "40"),), bureau, period="2024")
    table = selectors.period_table(boilers, bureau, year=2024)
    assert table.cell("2024", a.area).meets is None
    assert table.city_meets["2024"] is None


def test_audit_view_data_includes_transitions_reasons_and_target_history(assignment_a, official_a, bureau, db):
    s = services.submission_save(assignment=assignment_a, user=official_a, data=DONE)
    services.submission_submit(submission=s, user=official_a)
    services.submission_return(submission=s, user=bureau, reason="请补充照片")
    from targets.models import Indicator, Target
    from tests.factories import PlanFactory

    indicator = Indicator.objects.create(
        code="pm25", name="PM2.5", name_en="PM2.5", unit="µg/m³", direction="at_most", source="monitoring"
    )
    target = Target.objects.create(
        plan=PlanFactory(), indicator=indicator, area=area_by_code("371502"), target_year=2025, value=Decimal(45)
    )
    target.value = Decimal(44)
    target._history_user = bureau
    target.save()

    entries = audit_entries(AuditFilters())
    returned = next(e for e in entries if e.kind == "submission" and e.reason.startswith("退回"))
    assert returned.who == "alice"
    assert returned.area == "371502"
    assert "状态: 已提交 → 已退回" in returned.changes  # labels, never the stored codes
    reviewer = next(c for c in returned.changes if c.startswith("审核人"))
    assert reviewer == f"审核人: — → {bureau.get_full_name() or bureau.username}"  # a name, not an id
    assert not any(" UTC" in c or "+00:00" in c for c in returned.changes)  # times in China time
    target_change = next(e for e in entries if e.kind == "target" and e.action == "修改")
    assert any("45" in c and "44" in c for c in target_change.changes)

    only_bob = audit_entries(AuditFilters(user="bob"))
    assert only_bob
    assert {e.who for e in only_bob} == {"bob"}
    assert audit_entries(AuditFilters(area="371581")) == []
    assert Assignment.objects.count() == 1
