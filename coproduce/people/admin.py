from django.contrib import admin

from coproduce.core.audit import audit_record
from coproduce.people.models import Household, Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """People in the back office, read-only: changes go through the audited services and pages.

    The national ID is never shown, only its last four characters; opening a record is audited.
    """

    list_display = [
        "public_id",
        "name",
        "status",
        "home_region",
        "national_id_last4",
        "by_proxy",
        "created_at",
    ]
    list_filter = ["status", "by_proxy"]
    search_fields = ["public_id", "name", "phone"]
    exclude = ["national_id_hash"]
    list_select_related = ["home_region"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def change_view(self, request, object_id, form_url="", extra_context=None):
        person = self.get_object(request, object_id)
        if person is not None:
            audit_record(
                actor=request.user, action="people.view", target=person, details={"via": "admin"}
            )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["id", "label", "region", "created_at"]
    search_fields = ["label"]
    raw_id_fields = ["region"]

    def has_change_permission(self, request, obj=None):
        return False
