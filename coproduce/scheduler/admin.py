from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from coproduce.scheduler import services
from coproduce.scheduler.models import JobRun


class AttentionFilter(admin.SimpleListFilter):
    """Runs an operator must look at: failed, retrying, or of a job overdue today."""

    title = _("attention")
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [("needed", _("failed, retrying or overdue"))]

    def queryset(self, request, queryset):
        if self.value() != "needed":
            return queryset
        overdue = [job.name for job in services.jobs_overdue()]
        today = services.local_now().date()
        return queryset.filter(status__in=[JobRun.Status.FAILED, JobRun.Status.RETRYING]) | (
            queryset.filter(day=today, job__in=overdue)
        )


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    """The scheduled runs, for operators: read-only, written by the schedulers."""

    list_display = [
        "job",
        "day",
        "status",
        "attention",
        "attempts",
        "started_at",
        "finished_at",
        "claimed_by",
    ]
    list_filter = [AttentionFilter, "job", "status"]
    date_hierarchy = "day"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("attention"))
    def attention(self, obj: JobRun) -> str:
        if obj.status == JobRun.Status.FAILED:
            return _("failed: %(error)s") % {"error": obj.error[:120]}
        if obj.status == JobRun.Status.RETRYING:
            return _("retrying after: %(error)s") % {"error": obj.error[:120]}
        if (
            obj.status != JobRun.Status.SUCCEEDED
            and obj.day == services.local_now().date()
            and obj.job in {job.name for job in services.jobs_overdue()}
        ):
            return _("overdue")
        return ""
