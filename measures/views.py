"""Pages of the measures workflow. Thin: parse, call one service or selector, render.

Roles (areas/roles.py): every page needs a login (anonymous users get the login page); a county
official's lookups go through the ``visible_*`` selectors, so another county's records are 404.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.views.decorators.http import require_POST

from areas.exports import FORMATS as EXPORT_FORMATS
from areas.exports import table_response
from areas.forms import errors_to_form
from areas.localization import join_clauses
from areas.models import Area
from areas.page_cache import public_page
from areas.pagination import paginate
from areas.roles import bureau_staff_required, is_bureau_staff, official_area
from targets.models import Chapter, Plan
from targets.selectors import plan_chosen, plan_end_targets, plans_newest_first

from . import audit, selectors, services
from .charts import burndown_chart, burndown_series
from .exports import board_table
from .forms import DeadlineForm, PlanFileForm, ProjectForm, ReasonForm, SharesForm, SubmissionForm
from .models import Assignment, Measure, ReviewState, Submission
from .plan_loader import PlanFileRefused, plan_file_load
from .reporters import official_department, reports_on
from .workflow import Transition


@login_required
def measure_list(request: HttpRequest) -> HttpResponse:
    plan = plan_chosen(request.GET.get("plan"))
    return render(
        request,
        "measures/measure_list.html",
        {"plan": plan, "plans": plans_newest_first(), "measures": selectors.plan_measures(plan) if plan else []},
    )


PUBLIC_MEASURES_PER_PAGE = 10


@public_page()
def measures_public(request: HttpRequest) -> HttpResponse:
    """The plan's measures and where each area's share of the work stands, from approved forms only: public."""
    plan = plan_chosen(request.GET.get("plan"))
    chapter = request.GET.get("chapter", "")
    status = request.GET.get("status", "")
    filters = selectors.PublicFilters(
        area=request.GET.get("area", ""),
        chapter=int(chapter) if chapter.isdigit() else None,
        status=status if status in selectors.PublicStatus.LABELS else "",
        text=request.GET.get("q", "").strip()[:100],
    )
    listed = selectors.public_measures(plan, filters) if plan else []
    context = {
        "plan": plan,
        "plans": plans_newest_first(),
        "filters": filters,
        "pages": paginate(request, listed, per_page=PUBLIC_MEASURES_PER_PAGE),
        "chapters": Chapter.objects.filter(plan=plan) if plan else [],
        "areas": Area.objects.filter(assignments__measure__plan=plan).distinct() if plan else [],
        "statuses": list(selectors.PublicStatus.LABELS.items()),
        "today": timezone.localdate(),
    }
    return render(request, "measures/measures_public.html", context)


@bureau_staff_required
def plan_upload(request: HttpRequest) -> HttpResponse:
    """Load a plan file (a new plan, or a new version of a stored one); a file with errors stores nothing."""
    form = PlanFileForm(request.POST or None, request.FILES or None)
    refused: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = plan_file_load(form.cleaned_data["file"].read())
        except PlanFileRefused as error:
            refused = error.messages
        else:
            messages.success(request, gettext_now("行动计划文件已载入：%(summary)s") % {"summary": result.summary()})
            return redirect("measures:plan-upload")
    return render(request, "measures/plan_upload.html", {"form": form, "refused": refused})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """An official's own assignments with deadlines, due soon and overdue: a county's, or a department's
    city-wide reports with, below, the areas' handed-in forms on the measures it reports on."""
    if is_bureau_staff(request.user):
        return redirect("measures:board")
    visible = selectors.visible_assignments(request.user)
    department = official_department(request.user)
    own = visible.filter(department=department) if department else visible
    rows = selectors.assignment_rows(own)
    # Returned forms come first: they wait on the official, with the bureau's reason.
    returned = [r for r in rows if r.latest is not None and r.latest.state == ReviewState.RETURNED]
    followed = (
        selectors.assignment_rows(
            visible.filter(department__isnull=True), submissions=selectors.visible_submissions(request.user)
        )
        if department
        else []
    )
    context = {
        "area": official_area(request.user),
        "department": department,
        "rows": rows,
        "due": selectors.due_lists(rows),
        "returned": returned,
        "followed": followed,
    }
    return render(request, "measures/mine.html", context)


def _board_filters(request: HttpRequest) -> selectors.BoardFilters:
    chapter = request.GET.get("chapter", "")
    plan_code = request.GET.get("plan", "")
    return selectors.BoardFilters(
        plan=plan_chosen(plan_code),
        chapter=int(chapter) if chapter.isdigit() else None,
        area=request.GET.get("area") or None,
        state=request.GET.get("state") or None,
        level=request.GET.get("level") or None,
    )


BOARD_ROWS_PER_PAGE = 100
AUDIT_ENTRIES_PER_PAGE = 100


@bureau_staff_required
def board(request: HttpRequest) -> HttpResponse:
    """The bureau's measure board: by chapter, county, state and deadline, with a burn-down."""
    filters = _board_filters(request)
    today = timezone.localdate()
    rows = selectors.board_rows(request.user, filters, today=today)
    if request.GET.get("format") == "xlsx":
        return table_response(
            board_table(rows, today=today), fmt="xlsx", filename=f"measures-board-{today.isoformat()}"
        )
    series = burndown_series(selectors.burndown_points(rows), today=today)
    due = selectors.due_lists(rows)
    plan = filters.plan
    context = {
        "plan": plan,
        "plans": plans_newest_first(),
        "rows": rows,
        "pages": paginate(request, rows, per_page=BOARD_ROWS_PER_PAGE),
        "due": due,
        "escalation": selectors.escalation_by_area(due),
        "filters": filters,
        "chapters": Chapter.objects.filter(plan=plan) if plan else [],
        "areas": Area.objects.all(),
        "states": [("none", gettext_now("未填报")), *ReviewState.choices],
        "levels": [
            ("reminder", gettext_now("即将到期")),
            ("overdue", gettext_now("逾期")),
            ("warning", gettext_now("预警")),
        ],
        "charts": {
            "burndown": burndown_chart(
                series,
                planned_label=gettext_now("按时限应剩余"),
                actual_label=gettext_now("实际未完成"),
                y_title=gettext_now("未完成任务数"),
            )
        }
        if series.dates
        else {},
        "query": request.GET.urlencode(),
        "due_soon_days": settings.MEASURES_DUE_SOON_WORKING_DAYS,
        "warning_days": settings.MEASURES_WARNING_AFTER_WORKING_DAYS,
    }
    return render(request, "measures/board.html", context)


@login_required
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(selectors.visible_assignments(request.user), pk=pk)
    measure = assignment.measure
    can_fill = reports_on(request.user, assignment.area, assignment.department_id)
    form = SubmissionForm(measure=measure, new=True) if can_fill else None
    if request.method == "POST":
        if not can_fill:
            raise Http404
        form = SubmissionForm(request.POST, request.FILES, measure=measure, new=True)
        if form.is_valid():
            try:
                submission = services.submission_save(
                    assignment=assignment,
                    user=request.user,
                    data=form.to_data(),
                    period=form.cleaned_data.get("period", ""),
                    files=form.cleaned_data["evidence"],
                )
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, gettext_now("草稿已保存。"))
                return redirect("measures:submission", pk=submission.pk)
    visible = selectors.visible_submissions(request.user)
    existing = visible.filter(assignment=assignment).order_by("-period")
    row = selectors.assignment_rows(selectors.visible_assignments(request.user).filter(pk=pk), submissions=visible)[0]
    context = {
        "assignment": assignment,
        "measure": measure,
        "row": row,
        "submissions": existing,
        "period_rows": selectors.duty_period_rows(row, list(existing)),
        "form": form if (measure.report_period != Measure.ReportPeriod.ONCE or not existing.exists()) else None,
        # A duty falls due period by period, by its measure's rules: there is no one deadline to move.
        "deadline_form": DeadlineForm(initial={"deadline": assignment.deadline})
        if is_bureau_staff(request.user) and row.duty is None
        else None,
        "history": assignment.history.select_related("history_user").order_by("-history_date")[:20],
        "carried_over_from": Assignment.objects.filter(carried_over_to=assignment)
        .select_related("measure__plan")
        .first(),
    }
    if assignment.measure.plan.status == Plan.Status.CLOSED:  # its close-out settled it: nothing more to file
        context |= {"form": None, "deadline_form": None}
    return render(request, "measures/assignment_detail.html", context, status=400 if form and form.errors else 200)


@require_POST
@bureau_staff_required
def assignment_deadline(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(selectors.visible_assignments(request.user), pk=pk)
    form = DeadlineForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_refine_deadline(
                assignment=assignment,
                deadline=form.cleaned_data["deadline"],
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
            messages.success(request, gettext_now("完成时限已调整。"))
        except ValidationError as exc:
            messages.error(request, join_clauses(exc.messages))
    else:
        messages.error(request, gettext_now("请填写新的完成时限和调整理由。"))
    return redirect("measures:assignment", pk=pk)


@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_object_or_404(selectors.visible_submissions(request.user), pk=pk)
    assignment = submission.assignment
    can_edit = submission.is_editable and reports_on(request.user, assignment.area, assignment.department_id)
    form = (
        SubmissionForm(
            initial={
                "work_status": submission.work_status,
                "progress_value": submission.progress_value,
                "narrative": submission.narrative,
                "completed_on": submission.completed_on,
                "version": submission.version,
            },
            measure=assignment.measure,
            new=False,
        )
        if can_edit
        else None
    )
    status = 200
    if request.method == "POST":
        if not can_edit:
            messages.error(
                request, gettext_now("“%(state)s”状态的填报不能修改。") % {"state": submission.get_state_display()}
            )
            return redirect("measures:submission", pk=pk)
        form = SubmissionForm(request.POST, request.FILES, measure=assignment.measure, new=False)
        submit = request.POST.get("action") == "submit"
        if form.is_valid():
            try:
                services.submission_save(
                    assignment=assignment,
                    user=request.user,
                    data=form.to_data(),
                    files=form.cleaned_data["evidence"],
                    submission=submission,
                    expected_version=form.cleaned_data.get("version"),
                    submit=submit,
                )
                messages.success(request, gettext_now("已提交审核。") if submit else gettext_now("草稿已保存。"))
                return redirect("measures:submission", pk=pk)
            except ValidationError as exc:
                errors_to_form(form, exc)
        status = 409 if any(e.code == "conflict" for e in form.non_field_errors().as_data()) else 400
    return render(
        request, "measures/submission_detail.html", _submission_context(request, submission, form), status=status
    )


def _submission_context(request: HttpRequest, submission: Submission, form: Any) -> dict[str, Any]:
    return {
        "submission": submission,
        "assignment": submission.assignment,
        "measure": submission.assignment.measure,
        "form": form,
        "transitions": [t.value for t in services.transitions_for(request.user, submission)],
        "reason_form": ReasonForm(),
        "evidence": submission.evidence.select_related("uploaded_by"),
        "changes_since_return": selectors.changes_since_return(submission) if submission.returned_snapshot else [],
        "changes_since_approval": selectors.changes_since_approval(submission),
        "history": submission.history.select_related("history_user").order_by("-history_date", "-history_id"),
    }


@require_POST
@login_required
def submission_transition(request: HttpRequest, pk: int, transition: str) -> HttpResponse:
    submission = get_object_or_404(selectors.visible_submissions(request.user), pk=pk)
    _apply_transition(
        request,
        transition,
        lambda name, reason: services.submission_transition(
            submission=submission, transition=name, user=request.user, reason=reason
        ),
    )
    return redirect("measures:submission", pk=pk)


def _apply_transition(request: HttpRequest, transition: str, apply: Callable[[Transition, str], object]) -> None:
    """Run one named workflow transition with the posted reason; report the outcome as a message."""
    try:
        name = Transition(transition)
    except ValueError as exc:
        raise Http404 from exc
    form = ReasonForm(request.POST)
    form.is_valid()  # the reason is optional here; the service refuses a missing one where it is required
    try:
        apply(name, form.cleaned_data.get("reason", ""))
        messages.success(
            request, gettext_now("操作成功：%(action)s。") % {"action": services.TRANSITION_MESSAGES[name]}
        )
    except ValidationError as exc:
        messages.error(request, join_clauses(exc.messages))


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Evidence is served only here, after the same role check as the record it belongs to."""
    evidence = get_object_or_404(selectors.visible_evidence(request.user), pk=pk)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        # The name the official gave, with the extension of the type its content was checked as: a JPEG
        # uploaded as "page.html" downloads as "page.jpg".
        filename=f"{Path(evidence.original_name).stem or 'evidence'}.{evidence.extension}",
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@bureau_staff_required
def audit_view(request: HttpRequest) -> HttpResponse:
    def day(name: str) -> date | None:
        try:
            return date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            return None

    filters = audit.AuditFilters(
        kind=request.GET.get("kind", ""),
        user=request.GET.get("user", "").strip(),
        area=request.GET.get("area", ""),
        start=day("start"),
        end=day("end"),
    )
    export = request.GET.get("format")
    if export in EXPORT_FORMATS:
        table = audit.audit_table(audit.audit_entries(filters))
        return table_response(table, fmt=export, filename=f"audit-{timezone.localdate().isoformat()}")
    context = {
        "pages": paginate(request, audit.AuditPages(filters), per_page=AUDIT_ENTRIES_PER_PAGE),
        "filters": filters,
        "kinds": [(k, label) for k, (_m, label, _l) in audit.SOURCES.items()],
        "areas": Area.objects.all(),
        "query": request.GET.urlencode(),
    }
    return render(request, "measures/audit.html", context)


@bureau_staff_required
def measure_shares(request: HttpRequest, pk: int) -> HttpResponse:
    """The bureau splits a city total into area shares, or sets each area's own target of a city rate."""
    measure = get_object_or_404(Measure.objects.select_related("plan"), pk=pk)
    if not measure.is_split_by_bureau:
        raise Http404
    table = selectors.share_table(measure)
    form = SharesForm(request.POST or None, table=table)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = services.measure_shares_set(
                    measure=measure, shares=form.shares(), reason=form.cleaned_data["reason"], user=request.user
                )
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, gettext_now("已更新 %(count)d 个区域的目标。") % {"count": changed})
                return redirect("measures:shares", pk=measure.pk)
        status = 400
    return render(request, "measures/shares.html", {"measure": measure, "table": table, "form": form}, status=status)


@login_required
def periodic(request: HttpRequest) -> HttpResponse:
    """Numbers reported per month or year, against their limit, per county and for the city."""
    plan = plan_chosen(request.GET.get("plan"))
    measures = list(selectors.periodic_measures(plan)) if plan else []
    latest_years = selectors.periodic_latest_years(plan, request.user) if plan else {}
    # Without a choice: the first measure with numbers, in the latest year with numbers (else this year, or
    # the plan's last year once it is over).
    default = next((m for m in measures if m.pk in latest_years), measures[0] if measures else None)
    code = request.GET.get("measure", "")
    chosen = next((m for m in measures if m.code == code), default)
    year_raw = request.GET.get("year", "")
    if year_raw.isdigit():
        year = int(year_raw)
    elif chosen is not None and chosen.pk in latest_years:
        year = latest_years[chosen.pk]
    else:
        year = min(timezone.localdate().year, plan.end_year) if plan else timezone.localdate().year
    table = selectors.period_table(chosen, request.user, year=year) if chosen else None
    context = {"plan": plan, "plans": plans_newest_first(), "measures": measures, "chosen": chosen}
    return render(request, "measures/periodic.html", context | {"table": table, "year": year})


@login_required
def projects(request: HttpRequest) -> HttpResponse:
    """Key emission-reduction projects: registration by counties, totals by county and year."""
    area = official_area(request.user)
    form = ProjectForm() if area else None
    status = 200
    if request.method == "POST":
        if area is None:
            raise Http404
        form = ProjectForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                project = services.project_save(
                    user=request.user, data=form.to_data(), area=area, files=form.cleaned_data["evidence"]
                )
                messages.success(request, gettext_now("重点工程已登记。"))
                return redirect("measures:project", pk=project.pk)
            except ValidationError as exc:
                errors_to_form(form, exc)
        status = 400
    plan = plan_chosen(request.GET.get("plan"))
    # "This year" within the plan's period: a closed plan shows its final year.
    year = min(timezone.localdate().year, plan.end_year) if plan else timezone.localdate().year
    targets = {
        t.indicator.code: t.value
        for t in (plan_end_targets(plan, [plan.area]) if plan else [])
        if t.indicator.code in ("nox_reduction", "vocs_reduction")
    }
    context = {
        "plan": plan,
        "plans": plans_newest_first(),
        "projects": selectors.visible_projects(request.user).filter(plan=plan),
        "form": form,
        "city_totals": selectors.reduction_city_totals(plan=plan) if plan else {},
        "city_totals_year": selectors.reduction_city_totals(plan=plan, year=year) if plan else {},
        "city_targets": {"nox": targets.get("nox_reduction"), "vocs": targets.get("vocs_reduction")},
        "year": year,
        "table": selectors.reduction_table(plan, request.user) if plan else [],
    }
    return render(request, "measures/projects.html", context, status=status)


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(selectors.visible_projects(request.user), pk=pk)
    can_edit = reports_on(request.user, project.area) and project.is_editable
    form = None
    if can_edit:
        initial = services.project_snapshot(project) | {
            "expected_tonnes": project.expected_tonnes,
            "verified_tonnes": project.verified_tonnes,
            "planned_completion": project.planned_completion,
            "verified_on": project.verified_on,
            "effective_on": project.effective_on,
            "version": project.version,
        }
        form = ProjectForm(initial=initial)
    status = 200
    if request.method == "POST":
        if not can_edit:
            messages.error(
                request, gettext_now("“%(state)s”状态的工程不能修改。") % {"state": project.get_state_display()}
            )
            return redirect("measures:project", pk=pk)
        form = ProjectForm(request.POST, request.FILES)
        submit = request.POST.get("action") == "submit"
        if form.is_valid():
            try:
                services.project_save(
                    user=request.user,
                    data=form.to_data(),
                    project=project,
                    files=form.cleaned_data["evidence"],
                    expected_version=form.cleaned_data.get("version"),
                    submit=submit,
                )
                messages.success(request, gettext_now("已提交审核。") if submit else gettext_now("已保存。"))
                return redirect("measures:project", pk=pk)
            except ValidationError as exc:
                errors_to_form(form, exc)
        status = 400
    context = {
        "project": project,
        "form": form,
        "transitions": [t.value for t in services.transitions_for(request.user, project)],
        "evidence": project.evidence.select_related("uploaded_by"),
        "changes_since_return": selectors.changes_since_return(project) if project.returned_snapshot else [],
        "changes_since_approval": selectors.changes_since_approval(project),
        "history": project.history.select_related("history_user").order_by("-history_date", "-history_id"),
    }
    return render(request, "measures/project_detail.html", context, status=status)


@require_POST
@login_required
def project_transition(request: HttpRequest, pk: int, transition: str) -> HttpResponse:
    project = get_object_or_404(selectors.visible_projects(request.user), pk=pk)
    _apply_transition(
        request,
        transition,
        lambda name, reason: services.project_transition(
            project=project, transition=name, user=request.user, reason=reason
        ),
    )
    return redirect("measures:project", pk=pk)
