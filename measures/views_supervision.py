"""Pages of special supervision (专项督导): the list, opening one, and one supervision with its next step."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.views.decorators.http import require_POST

from areas import selectors as area_selectors
from areas.forms import errors_to_form
from areas.models import Area
from areas.roles import is_bureau_staff, reports_for

from . import selectors, services_supervision
from .forms import SupervisionCloseForm, SupervisionFindingForm, SupervisionOpenForm, SupervisionReportForm
from .models import Supervision


def _unit_choices() -> list[tuple[str, str]]:
    return [(area.code, area.localized_name) for area in area_selectors.assessment_units()]


@login_required
def supervision_list(request: HttpRequest) -> HttpResponse:
    """Staff see every supervision and open new ones (``?area=`` from a county page); a county official sees
    their own area's."""
    form = None
    if is_bureau_staff(request.user):
        form = SupervisionOpenForm(
            request.POST or None, areas=_unit_choices(), initial={"area": request.GET.get("area", "")}
        )
        if request.method == "POST" and form.is_valid():
            try:
                supervision = services_supervision.supervision_open(
                    area=Area.objects.get(code=form.cleaned_data["area"]),
                    ground=form.cleaned_data["ground"],
                    reason=form.cleaned_data["reason"],
                    user=request.user,
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, gettext_now("已列入专项督导。"))
                return redirect("measures:supervision", pk=supervision.pk)
    elif request.method == "POST":
        raise Http404
    context = {"supervisions": selectors.visible_supervisions(request.user), "form": form}
    return render(request, "measures/supervisions.html", context, status=400 if form and form.errors else 200)


def _step_forms(request: HttpRequest, supervision: Supervision) -> dict[str, Any]:
    """The forms of the steps this user may take now."""
    staff = is_bureau_staff(request.user)
    state = supervision.state
    return {
        "finding_form": SupervisionFindingForm(
            initial={
                "finding": supervision.finding,
                "rectification": supervision.rectification,
                "due": supervision.rectification_due,
            }
        )
        if staff and state != Supervision.State.CLOSED
        else None,
        "report_form": SupervisionReportForm()
        if not staff and state == Supervision.State.RECTIFYING and reports_for(request.user, supervision.area)
        else None,
        "close_form": SupervisionCloseForm() if staff and state == Supervision.State.REPORTED else None,
    }


@login_required
def supervision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    supervision = get_object_or_404(selectors.visible_supervisions(request.user), pk=pk)
    return render(request, "measures/supervision_detail.html", _detail_context(request, supervision))


def _detail_context(request: HttpRequest, supervision: Supervision, **forms: Any) -> dict[str, Any]:
    return {
        "supervision": supervision,
        # The rectification task climbs the same ladder as any deadline until it is reported.
        "due": selectors.deadline_of(supervision.rectification_due, today=timezone.localdate())
        if supervision.state == Supervision.State.RECTIFYING
        else None,
        "history": supervision.history.select_related("history_user").order_by("-history_date", "-history_id"),
        **_step_forms(request, supervision),
        **forms,
    }


STEPS = {
    "finding": (SupervisionFindingForm, "finding_form"),
    "report": (SupervisionReportForm, "report_form"),
    "close": (SupervisionCloseForm, "close_form"),
}


@require_POST
@login_required
def supervision_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    supervision = get_object_or_404(selectors.visible_supervisions(request.user), pk=pk)
    if step not in STEPS:
        raise Http404
    form_class, name = STEPS[step]
    form = form_class(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if step == "finding":
                services_supervision.supervision_record_finding(
                    supervision=supervision,
                    finding=data["finding"],
                    rectification=data["rectification"],
                    due=data["due"],
                    user=request.user,
                )
            elif step == "report":
                services_supervision.supervision_report(
                    supervision=supervision, report=data["report"], user=request.user
                )
            else:
                services_supervision.supervision_close(supervision=supervision, note=data["note"], user=request.user)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, gettext_now("已保存。"))
            return redirect("measures:supervision", pk=supervision.pk)
    context = _detail_context(request, supervision, **{name: form})
    return render(request, "measures/supervision_detail.html", context, status=400)
