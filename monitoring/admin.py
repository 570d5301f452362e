from django.contrib import admin

from .models import IngestRun, RejectedRow, Station


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "area", "network", "latitude", "longitude", "active_from", "active_until")
    list_filter = ("network", "area")
    search_fields = ("code", "name")


class RejectedRowInline(admin.TabularInline):
    model = RejectedRow
    extra = 0
    can_delete = False
    readonly_fields = ("line", "field", "raw_value", "reason")
    max_num = 0


@admin.register(IngestRun)
class IngestRunAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "file_name",
        "source",
        "state",
        "values_read",
        "values_stored",
        "values_updated",
        "values_rejected",
        "created_at",
        "started_by",
    )
    list_filter = ("state", "source", "detected_format")
    search_fields = ("file_name", "checksum")
    readonly_fields = tuple(field.name for field in IngestRun._meta.fields)
    inlines = (RejectedRowInline,)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # runs are created by the upload page, the command and the scheduled fetch


# No admin for Observation: Django 5.2's admin cannot register a model with a composite primary key
# (Observation's is its natural key, see the model). Staff see flagged values on the data-quality page and
# change values by ingesting a corrected file, which keeps the reviewed-vs-real-time rule and the recompute.
