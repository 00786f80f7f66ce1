"""The person picker: find a person by name, phone or the last four characters of the ID,
within the caller's scope, instead of typing an internal id.

One reusable widget: the template include `people/_picker.html`, the view `person_pick`
(htmx: search results, then the chosen person) and the scoped selector `person_search`.
A form declares `PersonField(permission=...)` and hands it the caller's scope; the field
accepts only a person of that scope (anything else is refused like an unknown id).
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from coproduce.accounts.permissions import Scope, authorize
from coproduce.core.errors import NotFound, PermissionDenied
from coproduce.people import selectors

# The permissions of the forms that pick a person: the picker searches the scope of one of
# them, never of an unrelated role (a checkpoint's staff must not search a county's residents).
PICKER_PERMISSIONS = frozenset(
    {
        "people.view",
        "people.register",
        "tracing.cases.manage",
        "tracing.contacts.add",
        "tracing.orders.manage",
        "deliveries.proxy",
        "health_codes.proxy",
        "health_codes.manage",
        "timebank.view",
        "volunteers.manage",
        "care.proxy",
    }
)


def _name_ok(name: str) -> str:
    """A form field name fit for an element id (letters, digits, _ and -), or refused."""
    if not name or len(name) > 40 or not all(c.isalnum() or c in "_-" for c in name):
        raise NotFound(_("No such picker."))
    return name


class PersonPicker(forms.Widget):
    """Renders the picker: a search box, or the chosen person with a way to change."""

    template_name = "people/_picker_widget.html"

    def __init__(self, *, permission: str, attrs=None):
        super().__init__(attrs)
        self.permission = permission
        self.scope: Scope | None = None
        self.query = ""

    def value_from_datadict(self, data, files, name):
        self.query = (data.get(f"{name}_q") or "")[:100]
        return data.get(name) or None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = None
        if value and self.scope is not None:
            try:
                chosen = selectors.person_get(public_id=str(value), scope=self.scope)
            except NotFound:
                chosen = None
        results = None
        if chosen is None and self.query and self.scope is not None:
            results = selectors.person_search(scope=self.scope, query=self.query)
        context.update(
            {
                "name": name,
                "perm": self.permission,
                "chosen": chosen,
                "q": self.query,
                "results": results,
            }
        )
        return context


class PersonField(forms.Field):
    """A person of the caller's scope, chosen with the picker; cleans to the Person."""

    default_error_messages = {
        "required": _("Search by name, phone or the ID's last four characters, then choose."),
        "invalid": _("Choose a person from the search results."),
    }

    def __init__(self, *, permission: str, **kwargs):
        assert permission in PICKER_PERMISSIONS, permission
        self.permission = permission
        self.scope: Scope | None = None
        kwargs.setdefault("widget", PersonPicker(permission=permission))
        super().__init__(**kwargs)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.widget.permission = self.permission
        return result

    def set_scope(self, scope: Scope) -> None:
        """The scope the person must lie in (the form's caller)."""
        self.scope = scope
        self.widget.scope = scope

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if self.scope is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return selectors.person_get(public_id=str(value)[:16], scope=self.scope)
        except NotFound:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


@login_required
def person_pick(request: HttpRequest):
    """htmx: the picker's results for `<name>_q`, or the picker with `chosen` set."""
    permission = request.GET.get("perm", "")
    if permission not in PICKER_PERMISSIONS:
        raise PermissionDenied(_("This search is not available."))
    scope = authorize(request.user, permission)
    name = _name_ok(request.GET.get("name", ""))
    context = {"name": name, "perm": permission, "q": ""}
    chosen = request.GET.get("chosen")
    if chosen is not None:
        context["chosen"] = (
            selectors.person_get(public_id=chosen[:16], scope=scope) if chosen else None
        )
        return render(request, "people/_picker.html", context)
    query = (request.GET.get(f"{name}_q") or request.GET.get("q") or "")[:100]
    context.update(q=query, results=selectors.person_search(scope=scope, query=query))
    return render(request, "people/_picker_results.html", context)
