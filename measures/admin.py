from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Assignment,
    Department,
    DepartmentOfficial,
    DigestLog,
    Evidence,
    Measure,
    ReductionProject,
    Submission,
)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en")
    search_fields = ("name",)


@admin.register(DepartmentOfficial)
class DepartmentOfficialAdmin(admin.ModelAdmin):
    list_display = ("user", "department")
    list_filter = ("department",)


class MeasureAdminForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = "__all__"  # noqa: DJ007 -- the admin lays out the fields; this form only adds a check

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        named = set(cleaned.get("departments") or [])
        stray = [d.name for d in cleaned.get("reporting_departments") or [] if d not in named]
        if stray:
            self.add_error(
                "reporting_departments",
                _("填报部门须为责任部门之一：%(names)s") % {"names": "、".join(stray)},
            )
        return cleaned


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    form = MeasureAdminForm
    list_display = ("code", "title", "section", "kind", "deadline", "quantity", "unit", "applies_to_all_areas")
    list_filter = ("kind", "section__chapter", "applies_to_all_areas")
    search_fields = ("code", "title", "source_text")
    filter_horizontal = ("departments", "reporting_departments", "areas")


# Workflow records are changed through the services (state machine, optimistic locking, audit
# reasons); the admin shows them read-only so nobody bypasses those rules.
class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyHistoryAdmin):
    list_display = ("measure", "area", "department", "deadline", "target_quantity")
    list_filter = ("area", "department", "measure__section__chapter")
    search_fields = ("measure__code", "measure__title")


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyHistoryAdmin):
    list_display = ("assignment", "period", "state", "work_status", "progress_value", "version", "updated_at")
    list_filter = ("state", "assignment__area")


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyHistoryAdmin):
    list_display = ("original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at")
    exclude = ("file",)  # downloads go through the permission-checked view only


@admin.register(ReductionProject)
class ReductionProjectAdmin(ReadOnlyHistoryAdmin):
    list_display = ("name", "enterprise", "area", "pollutant", "expected_tonnes", "verified_tonnes", "state")
    list_filter = ("state", "pollutant", "area")


@admin.register(DigestLog)
class DigestLogAdmin(admin.ModelAdmin):
    list_display = ("day", "email", "items", "sent_at")
