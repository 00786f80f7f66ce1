from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from coproduce.accounts.devices import remember_device
from coproduce.accounts.forms import AdminSignInForm
from coproduce.accounts.models import ApiToken, RoleAssignment, User
from coproduce.accounts.views import sign_in_refused

# The back office's sign-in counts and refuses like the sign-in page (docs/accounts.md): the same
# form, a refusal answered 429 with Retry-After, a success remembering the device.
admin.site.login_form = AdminSignInForm
_admin_login = admin.site.login


def _back_office_login(request, extra_context=None):
    response = _admin_login(request, extra_context)
    form = (getattr(response, "context_data", None) or {}).get("form")
    if request.method == "POST" and form is not None:
        sign_in_refused(form, response)
    if request.method == "POST" and response.status_code == 302 and request.user.is_authenticated:
        remember_device(request, response, request.user.get_username())
    return response


admin.site.login = _back_office_login


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
