from django.contrib import admin

from coproduce.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name", "name_en"]
    raw_id_fields = ["parent"]
    readonly_fields = ["path", "depth"]
