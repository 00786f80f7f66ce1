"""Back office: admins extend the skill catalogue; postings, runs and agreements to read."""

from django.contrib import admin

from coproduce.labor.models import Agreement, MatchingRun, Posting, Proposal, Skill


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    """The skill catalogue, in English and Chinese: admins add and retire skills here."""

    list_display = ["code", "name_en", "name_zh", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name_en", "name_zh"]


class _ReadOnly(admin.ModelAdmin):
    """Records written only by the services (with their audit): read here, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Posting)
class PostingAdmin(_ReadOnly):
    list_display = ["id", "enterprise", "kind", "skill", "workers", "committed", "state", "county"]
    list_filter = ["kind", "state", "skill"]
    search_fields = ["enterprise__name"]


@admin.register(MatchingRun)
class MatchingRunAdmin(_ReadOnly):
    list_display = ["id", "region", "organization", "matched_workers", "worker_km", "created_at"]


@admin.register(Proposal)
class ProposalAdmin(_ReadOnly):
    list_display = ["id", "run", "surplus", "shortage", "workers", "distance_km", "state"]
    list_filter = ["state"]


@admin.register(Agreement)
class AgreementAdmin(_ReadOnly):
    list_display = ["id", "lender", "borrower", "skill", "workers", "start_date", "end_date"]
