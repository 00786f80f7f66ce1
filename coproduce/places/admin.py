from django.contrib import admin

from coproduce.places.models import Place


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "operator", "code", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "code"]
    raw_id_fields = ["region", "operator"]
    readonly_fields = ["code"]
