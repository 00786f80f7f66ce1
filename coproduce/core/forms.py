"""Forms that help: errors in plain words beside their field, a refused form keeping its input.

Every page form derives from `PageForm`, which renders through the shared templates
`core/forms/form.html` and `core/forms/field.html` (an error sits right under its field, a
summary at the top names how many fields need another look). A service's refusal
(`core.errors.DomainError`) is laid onto the form with `refuse(form, exc)`: each field path of
the service (`lines.0.quantity`, `amount`) goes to the form field it names, never shown as a path.
"""

from django import forms
from django.forms.renderers import DjangoTemplates

from coproduce.core.errors import DomainError


class PageRenderer(DjangoTemplates):
    """Renders forms with the platform's templates (errors beside fields)."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


class PageForm(forms.Form):
    """A page's form: rendered the shared way; `refuse` lays a service's errors onto it."""

    default_renderer = PageRenderer
    # Aliases from a service's field names to this form's, when they differ.
    service_fields: dict[str, str] = {}


def field_for(path: str, names, aliases: dict[str, str] | None = None) -> str | None:
    """The form field that a service's error path designates, or None for the whole form.

    `lines.0.quantity` → `lines-0-quantity` if the form has it, else `quantity`, else `lines`.
    """
    aliases = aliases or {}
    names = set(names)
    parts = [p for p in path.replace("[", ".").replace("]", "").split(".") if p]
    candidates = [path, "-".join(parts)]
    candidates += [p for p in reversed(parts) if not p.isdigit()]
    for candidate in candidates:
        candidate = aliases.get(candidate, candidate)
        if candidate in names:
            return candidate
    return None


def refuse(form: forms.Form, exc: DomainError) -> forms.Form:
    """Lay a service's refusal onto the form, each message beside the field it concerns."""
    aliases = getattr(form, "service_fields", {})
    placed = False
    for path, messages in (exc.fields or {}).items():
        name = field_for(path, form.fields, aliases)
        for message in messages:
            if name is not None and name not in form.errors.get(name, []):
                form.add_error(name, message)
                placed = True
            elif name is None:
                form.add_error(None, message)
                placed = True
    if not placed:
        form.add_error(None, exc.message)
    return form
