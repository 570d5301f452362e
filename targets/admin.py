from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Chapter, DemoDataset, Indicator, Milestone, Plan, Section, Target


class ChapterInline(admin.TabularInline):
    model = Chapter
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("name", "start_year", "end_year", "status")
    inlines = [ChapterInline]


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "plan")
    inlines = [SectionInline]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "chapter")
    list_filter = ("chapter",)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "unit", "direction", "source")


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ("indicator", "area", "target_year", "value", "baseline_year", "baseline_value")
    list_filter = ("indicator", "area", "target_year")
    inlines = [MilestoneInline]


@admin.register(DemoDataset)
class DemoDatasetAdmin(admin.ModelAdmin):
    list_display = ("description", "loaded_at")
