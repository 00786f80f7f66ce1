from django.contrib import admin

from coproduce.tracing.models import Case, QuarantineOrder, QuarantineSite


@admin.register(QuarantineSite)
class QuarantineSiteAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "occupied", "capacity", "active")


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("id", "status", "region", "cluster", "reported_at")
    list_filter = ("status",)
    readonly_fields = [f.name for f in Case._meta.fields]


@admin.register(QuarantineOrder)
class QuarantineOrderAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "status", "region", "start_date")
    list_filter = ("kind", "status")
    readonly_fields = [f.name for f in QuarantineOrder._meta.fields]
