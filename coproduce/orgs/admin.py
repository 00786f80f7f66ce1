from django.contrib import admin

from coproduce.orgs.models import Membership, Organization


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "name_zh", "category", "home_region", "verification"]
    list_filter = ["category", "verification"]
    search_fields = ["name", "name_zh", "slug"]
    autocomplete_fields = ["home_region"]
    filter_horizontal = ["service_regions"]
    inlines = [MembershipInline]
