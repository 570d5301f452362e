from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Area, CountyOfficial, RankingGroup


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("code", "name", "name_en")


@admin.register(CountyOfficial)
class CountyOfficialAdmin(admin.ModelAdmin):
    list_display = ("user", "area")
    list_filter = ("area",)


@admin.register(RankingGroup)
class RankingGroupAdmin(SimpleHistoryAdmin):
    """The bureau changes the ranking groups here; each change is in the group's history (修改记录)."""

    list_display = ("code", "name", "name_en", "sort_order")
    filter_horizontal = ("members",)
