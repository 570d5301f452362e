from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Area, Chapter, CountyOfficial, DemoDataset, Indicator, Milestone, Plan, Section, Target


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("code", "name", "name_en")


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


@admin.register(CountyOfficial)
class CountyOfficialAdmin(admin.ModelAdmin):
    list_display = ("user", "area")
    list_filter = ("area",)


@admin.register(DemoDataset)
class DemoDatasetAdmin(admin.ModelAdmin):
    list_display = ("description", "loaded_at")
