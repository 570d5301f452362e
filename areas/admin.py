from django.contrib import admin

from .models import Area, CountyOfficial


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("code", "name", "name_en")


@admin.register(CountyOfficial)
class CountyOfficialAdmin(admin.ModelAdmin):
    list_display = ("user", "area")
    list_filter = ("area",)
