from django.contrib import admin

from coproduce.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail, for admins: read-only, as the log is append-only."""

    list_display = ["at", "actor_label", "action", "object_type", "object_id", "origin_ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_id", "action"]
    date_hierarchy = "at"
    list_select_related = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
