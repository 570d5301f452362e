"""Forms of targets: county targets (分解目标), baselines and milestones, always with a reason."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Target


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("修改原因"), max_length=200, help_text=_("必填：记录在修改历史中。"), widget=forms.TextInput()
    )


class TargetForm(ReasonForm):
    """A target's value, baseline and each yearly milestone; only changed fields are written."""

    value = forms.DecimalField(label=_("目标值"), max_digits=12, decimal_places=2)
    baseline_value = forms.DecimalField(label=_("基准值"), max_digits=12, decimal_places=2, required=False)

    def __init__(self, *args: Any, target: Target, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.target = target
        self.fields["value"].initial = target.value
        self.fields["baseline_value"].initial = target.baseline_value
        self.milestones = list(target.milestones.order_by("year"))
        for milestone in self.milestones:
            self.fields[f"milestone_{milestone.year}"] = forms.DecimalField(
                label=_("%(year)s 年度目标") % {"year": milestone.year},
                max_digits=12,
                decimal_places=2,
                required=False,
                initial=milestone.value,
            )
        self.order_fields(["value", "baseline_value", *[f"milestone_{m.year}" for m in self.milestones], "reason"])

    @transaction.atomic
    def save(self, *, user: AbstractBaseUser | None) -> Target:
        data = self.cleaned_data
        reason = data["reason"]
        target = self.target
        if data["value"] != target.value:
            services.target_set_value(target=target, value=data["value"], user=user, reason=reason)
        if data["baseline_value"] != target.baseline_value:
            services.target_set_baseline(target=target, value=data["baseline_value"], user=user, reason=reason)
        for milestone in self.milestones:
            shown = milestone.value  # as the form showed it, before a new baseline or value redrew the line
            milestone.refresh_from_db()
            value: Decimal | None = data.get(f"milestone_{milestone.year}")
            # Only a milestone the user actually changed becomes custom.
            if value is not None and value != shown:
                services.milestone_set(milestone=milestone, value=value, user=user, reason=reason)
        return target
