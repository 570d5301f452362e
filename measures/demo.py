"""Demo records of the measures workflow for `bootstrap --demo` (labelled as demo by the site banner).

``load_demo`` is idempotent: it fills only what is not there yet, through the same services as the
pages, so every demo record has a believable history (who, when, why) in the audit trail.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from areas.models import Area
from targets.demo import DemoLogin
from targets.selectors import current_plan

from . import services
from .deadlines import add_working_days
from .models import Assignment, Department, DepartmentOfficial, Measure, ReductionProject, Submission
from .services import ProjectData, SubmissionData
from .workflow import Transition

# A minimal valid one-page PDF: demo evidence must pass the same content check as real uploads.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


def _open_once_assignments(area: Area) -> list[Assignment]:
    return list(
        Assignment.objects.filter(area=area, department__isnull=True, measure__report_period=Measure.ReportPeriod.ONCE)
        .select_related("measure")
        .order_by("deadline", "measure__sort_order", "pk")
    )


# A department official: reports for the transport department, city-wide, on the measures it is charged with.
DEMO_DEPARTMENT_LOGIN = DemoLogin("jiaotong", "jiaotong-demo-2025", "交通运输部门填报人员 / Transport department", None)
DEMO_DEPARTMENT = "交通运输部门"


@transaction.atomic
def demo_department_load(*, reviewer: AbstractBaseUser) -> int:
    """The demo department official (password reset on every run) and, once, its forms: the first of its
    reports approved, the second a draft. Returns how many forms were created."""
    department = Department.objects.filter(name=DEMO_DEPARTMENT).first()
    if department is None:
        return 0
    user_model = type(reviewer)
    user, _ = user_model.objects.get_or_create(username=DEMO_DEPARTMENT_LOGIN.username)
    user.is_staff = False
    user.is_active = True
    user.set_password(DEMO_DEPARTMENT_LOGIN.password)
    user.save()
    DepartmentOfficial.objects.update_or_create(user=user, defaults={"department": department})
    reports = list(
        Assignment.objects.filter(department=department).select_related("measure").order_by("deadline", "pk")
    )
    if Submission.objects.filter(assignment__in=reports).exists():
        return 0
    created = 0
    for index, assignment in enumerate(reports[:2]):
        done = index == 0
        data = SubmissionData(
            work_status="done" if done else "in_progress",
            progress_value=None,
            narrative=f"交通运输部门在全市交通建设工地落实“{assignment.measure.title}”，已建立非道路移动机械台账。",
            completed_on=min(timezone.localdate(), assignment.deadline or timezone.localdate()) if done else None,
        )
        submission = services.submission_save(
            assignment=assignment, user=user, data=data, files=[_pdf(f"{assignment.measure.code}-部门台账.pdf")]
        )
        created += 1
        if done:
            services.submission_submit(submission=submission, user=user)
            services.submission_approve(submission=submission, user=reviewer)
    return created


@transaction.atomic
def load_demo(*, officials: dict[str, AbstractBaseUser], reviewer: AbstractBaseUser) -> int:
    """Drafts, submissions (one returned with its reason, some approved), an overdue item, one due soon, two key
    projects.

    ``officials`` maps an area code to that area's official. Returns how many records were created.
    """
    created = 0
    today = timezone.localdate()
    for index, (code, official) in enumerate(sorted(officials.items())):
        area = Area.objects.get(code=code)
        if Submission.objects.filter(assignment__area=area).exists():
            continue
        assignments = _open_once_assignments(area)
        plan: list[tuple[str, str]] = [("approved", "done"), ("approved", "done"), ("submitted", "done")]
        plan += [("returned", "in_progress")] if index == 0 else [("draft", "in_progress")]
        plan += [("draft", "in_progress")]
        for assignment, (target_state, work_status) in zip(assignments, plan, strict=False):
            unit = assignment.measure.unit
            value = None
            if assignment.target_quantity is not None:
                _low, high = services.progress_bounds(unit)
                value = assignment.target_quantity if high is None else min(assignment.target_quantity, high)
            data = SubmissionData(
                work_status=work_status,
                progress_value=value,
                narrative=f"{area.name}按计划推进“{assignment.measure.title}”，已形成阶段性工作台账。",
                completed_on=min(today, assignment.deadline or today) if work_status == "done" else None,
            )
            submission = services.submission_save(
                assignment=assignment, user=official, data=data, files=[_pdf(f"{assignment.measure.code}-台账.pdf")]
            )
            created += 1
            if target_state == "draft":
                continue
            services.submission_submit(submission=submission, user=official)
            if target_state == "approved":
                services.submission_approve(submission=submission, user=reviewer)
            elif target_state == "returned":
                services.submission_return(
                    submission=submission, user=reviewer, reason="佐证材料缺少现场照片和验收意见，请补充后重新提交。"
                )
        created += _demo_duty_periods(area=area, official=official, reviewer=reviewer, today=today)
        # One deadline-bound assignment without any form and a past deadline: it shows as overdue.
        untouched = [a for a in assignments[len(plan) :] if a.deadline]
        if untouched and untouched[0].deadline and untouched[0].deadline >= today:
            services.assignment_refine_deadline(
                assignment=untouched[0],
                deadline=today - timedelta(days=20),
                reason="演示：按省厅督办要求提前完成时限",
                user=reviewer,
            )
        # And one granted three more working days: within the due-soon window (MEASURES_DUE_SOON_WORKING_DAYS),
        # so it shows as 即将到期 whatever day the demo is loaded on.
        if len(untouched) > 1:
            services.assignment_refine_deadline(
                assignment=untouched[1],
                deadline=add_working_days(today, 3),
                reason="演示：经市局批准延期完成",
                user=reviewer,
            )
    created += _demo_projects(officials=officials, reviewer=reviewer)
    return created


def _demo_duty_periods(*, area: Area, official: AbstractBaseUser, reviewer: AbstractBaseUser, today: date) -> int:
    """A yearly duty reported and approved for every year but its plan's last, which is left late: its page
    shows periods approved and one late, and the board chases it for that year."""
    duties = Assignment.objects.filter(
        area=area, measure__kind=Measure.Kind.RECURRING, measure__report_period=Measure.ReportPeriod.YEAR
    ).select_related("measure__plan")
    # One with a number to report, if the plan has one, so that the periodic-figures page has numbers.
    assignment = (
        duties.filter(target_quantity__isnull=False).order_by("measure__sort_order", "pk").first()
        or duties.order_by("measure__sort_order", "pk").first()
    )
    if assignment is None:
        return 0
    value = None
    if assignment.target_quantity is not None:
        _low, high = services.progress_bounds(assignment.measure.unit)
        value = assignment.target_quantity if high is None else min(assignment.target_quantity, high)
    created = 0
    for period in assignment.measure.owed_periods()[:-1]:
        if period.due > today:
            break
        data = SubmissionData(
            work_status="done",
            progress_value=value,
            narrative=f"{area.name}{period.key}年度“{assignment.measure.title}”工作已完成，台账齐全。",
            completed_on=min(period.due, today),
        )
        submission = services.submission_save(
            assignment=assignment,
            user=official,
            data=data,
            period=period.key,
            files=[_pdf(f"{assignment.measure.code}-{period.key}-台账.pdf")],
        )
        services.submission_submit(submission=submission, user=official)
        services.submission_approve(submission=submission, user=reviewer)
        created += 1
    return created


def _demo_projects(*, officials: dict[str, AbstractBaseUser], reviewer: AbstractBaseUser) -> int:
    if not officials or ReductionProject.objects.exists():
        return 0
    code, official = sorted(officials.items())[0]
    area = Area.objects.get(code=code)
    # Within the current plan's period: a reduction counts toward the plan whose period it takes effect in.
    plan = current_plan()
    this_year = min(timezone.localdate().year, plan.end_year) if plan else timezone.localdate().year
    approved = services.project_save(
        user=official,
        area=area,
        data=ProjectData(
            name="燃煤锅炉超低排放改造",
            enterprise="聊城某热电有限公司（演示）",
            pollutant=ReductionProject.Pollutant.NOX,
            expected_tonnes=Decimal("320"),
            planned_completion=date(this_year, 6, 30),
            verified_tonnes=Decimal("305.5"),
            verified_on=date(this_year, 7, 15),
            effective_on=date(this_year, 6, 30),
            narrative="第三方核查报告确认氮氧化物减排量。",
        ),
        files=[_pdf("核查报告.pdf")],
    )
    services.project_transition(project=approved, transition=Transition.SUBMIT, user=official)
    services.project_transition(project=approved, transition=Transition.APPROVE, user=reviewer)
    services.project_save(
        user=official,
        area=area,
        data=ProjectData(
            name="汽车涂装线VOCs深度治理",
            enterprise="聊城某汽车零部件有限公司（演示）",
            pollutant=ReductionProject.Pollutant.VOCS,
            expected_tonnes=Decimal("85"),
            planned_completion=date(this_year, 12, 31),
        ),
    )
    return 2
