"""Forms of the volunteer pages (the services check the rules again)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coproduce.accounts.pickers import RegionField
from coproduce.core.forms import PageForm
from coproduce.orgs.models import Organization
from coproduce.regions.models import Region
from coproduce.volunteers.models import Activity, VolunteerProfile
from coproduce.volunteers.selectors import volunteer_list


class RegisterForm(PageForm):
    """Register yourself as a volunteer."""

    name = forms.CharField(label=_("Your name"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    home_region = forms.CharField(label=_("Home area code"), max_length=20)
    skills = forms.CharField(label=_("Skills, separated by commas"), max_length=400, required=False)
    availability = forms.CharField(label=_("When you can help"), max_length=200, required=False)

    def profile(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "phone": data["phone"],
            "skills": [s for s in data["skills"].split(",") if s.strip()],
            "availability": data["availability"],
        }


class CallForm(PageForm):
    """Post a call for volunteers."""

    # Django 6.1's blank choice ("- Select an option -") has no Simplified Chinese yet: our own.
    organization = forms.ModelChoiceField(
        Organization.objects.none(), label=_("Organization"), empty_label=_("Choose one")
    )
    title = forms.CharField(label=_("What"), max_length=200)
    activity = forms.ChoiceField(label=_("Activity"), choices=Activity.choices)
    region = forms.ModelChoiceField(
        Region.objects.none(),
        label=_("Where (region)"),
        to_field_name="code",
        empty_label=_("Choose one"),
    )
    start = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    end = forms.DateTimeField(
        label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    capacity = forms.IntegerField(label=_("How many volunteers"), min_value=1, max_value=10_000)
    required_skills = forms.CharField(
        label=_("Skills needed, separated by commas"), max_length=400, required=False
    )

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        org_ids = {g.organization_id for g in scope.grants if g.organization_id}
        orgs = Organization.objects.filter(pk__in=org_ids) if not scope.everywhere else None
        self.fields["organization"].queryset = orgs or Organization.objects.all()
        regions = Region.objects.filter(level__in=["county", "township", "community"])
        if not scope.everywhere:
            within = Q(pk__in=[])
            for grant in scope.grants:
                within |= Q(path__startswith=grant.region_path)
            regions = regions.filter(within)
        self.fields["region"].queryset = regions.order_by("path")

    def clean_required_skills(self):
        return [s for s in self.cleaned_data["required_skills"].split(",") if s.strip()]


class TeamForm(PageForm):
    """Make a team within an organization."""

    organization = forms.ModelChoiceField(
        Organization.objects.none(), label=_("Organization"), empty_label=_("Choose one")
    )
    name = forms.CharField(label=_("Team name"), max_length=100)
    region = RegionField(permission="volunteers.manage", label=_("Where it works"))

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = Organization.objects.filter(
            scope.q(region_field="home_region", org_field="pk")
        ).order_by("name")
        self.fields["organization"].queryset = orgs
        if len(orgs[:2]) == 1:
            self.fields["organization"].initial = orgs[0].pk
        self.fields["region"].set_scope(scope)


class MemberForm(PageForm):
    """Add a volunteer of the scope to a team."""

    volunteer = forms.ModelChoiceField(
        VolunteerProfile.objects.none(),
        label=_("Volunteer"),
        to_field_name="public_id",
        empty_label=_("Choose one"),
    )

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteer_list(scope=scope).filter(active=True)
        self.fields["volunteer"].label_from_instance = lambda v: (
            f"{v.name} · {v.home_region.name}" if v.home_region_id else v.name
        )


class VoidForm(PageForm):
    """Why a confirmed record is voided."""

    reason = forms.CharField(label=_("Why it is wrong"), max_length=300)
