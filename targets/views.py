"""Staff pages of the plan as data: the county targets (分解目标), their baselines and milestones.

The progress pages (home, dashboard, county pages, exports) are progress/views.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from areas import roles
from areas import selectors as area_selectors

from . import forms, selectors, services
from .models import Milestone

# --- County targets (分解目标): staff only --------------------------------------------------------


@roles.bureau_staff_required
def target_list(request: HttpRequest) -> HttpResponse:
    plan = selectors.plan_chosen(request.GET.get("plan"))
    areas = area_selectors.ranked_areas()
    area = next((a for a in areas if a.code == request.GET.get("area")), areas[0] if areas else None)
    context = {
        "plan": plan,
        "plans": selectors.plans_newest_first(),
        "areas": areas,
        "area": area,
        "target_rows": selectors.target_rows(plan, area=area) if plan and area else [],
        "plan_years": selectors.plan_years(plan) if plan else [],
        "reason_form": forms.ReasonForm(),
    }
    return render(request, "targets/target_list.html", context)


@require_POST
@roles.bureau_staff_required
def county_targets_create(request: HttpRequest) -> HttpResponse:
    plan = selectors.plan_chosen(request.POST.get("plan"))
    if plan is None:
        raise Http404
    created = services.county_targets_ensure(plan=plan, user=request.user)
    messages.success(request, _("已为各县（市、区）生成 %(n)s 项分解目标。") % {"n": created})
    return redirect(f"{reverse('targets:list')}?plan={plan.code}")


@roles.bureau_staff_required
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(selectors.targets_for_edit(), pk=pk)
    form = forms.TargetForm(request.POST or None, target=target)
    if request.method == "POST" and form.is_valid():
        try:
            form.save(user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已保存，修改记录已留存。"))
            return redirect(f"{request.path}")
    history = target.history.select_related("history_user").order_by("-history_date")[:20]
    milestone_history = (
        Milestone.history.filter(target_id=target.pk).select_related("history_user").order_by("-history_date")[:30]
    )
    context = {
        "target": target,
        "form": form,
        "milestones": target.milestones.order_by("year"),
        "history": history,
        "milestone_history": milestone_history,
    }
    return render(request, "targets/target_edit.html", context)


# --- Exports -----------------------------------------------------------------------------------
