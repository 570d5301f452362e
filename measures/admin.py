from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Assignment, Department, DigestLog, Evidence, Measure, ReductionProject, Submission


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en")
    search_fields = ("name",)


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ("code", "title", "section", "kind", "deadline", "quantity", "unit", "applies_to_all_areas")
    list_filter = ("kind", "section__chapter", "applies_to_all_areas")
    search_fields = ("code", "title", "source_text")
    filter_horizontal = ("departments", "areas")


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
    list_display = ("measure", "area", "deadline", "target_quantity")
    list_filter = ("area", "measure__section__chapter")
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
