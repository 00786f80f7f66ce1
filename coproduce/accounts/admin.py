from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from coproduce.accounts.forms import AdminSignInForm
from coproduce.accounts.models import ApiToken, RoleAssignment, User

# The back office's sign-in counts and refuses like the sign-in page (docs/accounts.md).
admin.site.login_form = AdminSignInForm


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["region"]
    raw_id_fields = ["organization"]
    readonly_fields = ["granted_by", "created_at"]


@admin.register(User)
class CoproduceUserAdmin(UserAdmin):
    inlines = [RoleAssignmentInline]
    list_display = [
        "username",
        "first_name",
        "last_name",
        "is_active",
        "is_superuser",
        "last_login",
    ]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "prefix", "key_hash", "created_at", "last_used_at"]
    search_fields = ["name", "user__username", "prefix"]

    def has_add_permission(self, request):
        return False  # tokens are made with `coproduce token create`, which shows the key once
