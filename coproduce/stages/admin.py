from django.contrib import admin

from coproduce.stages.models import RegionStage, SuggestionDecision


@admin.register(RegionStage)
class RegionStageAdmin(admin.ModelAdmin):
    list_display = ("region", "stage", "effective_from", "set_by", "set_at")
    list_filter = ("stage",)
    search_fields = ("region__code", "region__name", "note")
    raw_id_fields = ("region", "set_by")

    def has_change_permission(self, request, obj=None):  # history: set a new row instead
        return False


@admin.register(SuggestionDecision)
class SuggestionDecisionAdmin(admin.ModelAdmin):
    list_display = ("region", "suggested_stage", "reason", "decision", "decided_by", "on_day")
    list_filter = ("decision", "suggested_stage", "reason")
    search_fields = ("region__code", "region__name")

    def has_change_permission(self, request, obj=None):
        return False
