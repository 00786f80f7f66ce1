from django.contrib import admin

from coproduce.scheduler.models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    """The scheduled runs, for operators: read-only, written by the schedulers."""

    list_display = ["job", "day", "status", "started_at", "finished_at", "claimed_by"]
    list_filter = ["job", "status"]
    date_hierarchy = "day"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
