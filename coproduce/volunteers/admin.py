"""Back office of volunteers: profiles and teams, searchable (changes go through the pages)."""

from django.contrib import admin

from coproduce.volunteers.models import Team, VolunteerProfile


@admin.register(VolunteerProfile)
class VolunteerProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "public_id", "home_region", "is_official", "active"]
    list_filter = ["is_official", "active"]
    search_fields = ["name", "public_id", "phone"]
    readonly_fields = ["public_id", "user", "registered_by", "created_at"]
    autocomplete_fields = ["home_region"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "region"]
    list_filter = ["organization__category"]
    search_fields = ["name", "organization__name"]
    autocomplete_fields = ["region", "leader"]
    filter_horizontal = ["members"]
