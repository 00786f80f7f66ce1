"""Back office of relief: the item catalogue is edited here; warehouses and campaigns are
listed for the operators (they change through the services, which audit and keep the ledger)."""

from django.contrib import admin

from coproduce.relief.models import Campaign, Item, Warehouse


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = [
        "slug",
        "name",
        "name_zh",
        "category",
        "unit",
        "quantum",
        "unit_value_fen",
        "active",
    ]
    list_filter = ["category", "unit", "active"]
    search_fields = ["slug", "name", "name_zh"]


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Warehouse)
class WarehouseAdmin(_ReadOnly):
    list_display = ["name", "organization", "region", "created_at"]
    list_filter = ["organization__category"]
    search_fields = ["name", "organization__name", "region__name"]
    list_select_related = ["organization", "region"]


@admin.register(Campaign)
class CampaignAdmin(_ReadOnly):
    list_display = ["title", "organization", "region", "goal_fen", "starts_at", "ends_at"]
    list_filter = ["starts_at"]
    search_fields = ["title", "slug", "organization__name"]
    list_select_related = ["organization", "region"]
