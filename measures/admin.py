from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Department, Measure


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
