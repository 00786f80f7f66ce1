"""Forms of the deliveries pages (the services check the rules again)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from coproduce.accounts.models import RoleAssignment
from coproduce.accounts.permissions import Scope
from coproduce.accounts.rules import roles_granting
from coproduce.core.forms import PageForm


def couriers(scope: Scope):
    """Accounts that may deliver within the scope: its organizations' volunteers and staff."""
    held = RoleAssignment.objects.filter(role__in=roles_granting("deliveries.deliver")).filter(
        scope.q(region_field="region", org_field="organization")
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=held.values("user_id"))
        .order_by("username")
    )


class AssignForm(PageForm):
    """Give a run to a volunteer of the scope."""

    assignee = forms.ModelChoiceField(
        get_user_model().objects.none(),
        label=_("Volunteer"),
        to_field_name="username",
        empty_label=_("Choose one"),
    )

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = couriers(scope)
        self.fields["assignee"].label_from_instance = lambda u: (
            f"{u.volunteer_profile.name} ({u.username})"
            if hasattr(u, "volunteer_profile")
            else u.username
        )


class FeedbackForm(PageForm):
    """The household's word on a delivered order."""

    rating = forms.TypedChoiceField(
        label=_("How did it go?"),
        choices=[(5, "★★★★★"), (4, "★★★★"), (3, "★★★"), (2, "★★"), (1, "★")],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )
