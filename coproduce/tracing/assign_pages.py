"""Officials and coordinators give tracing tasks to teams (and, if they wish, to one tracer).

The same service as the API's task update (fieldwork.services.task_update, which reassigns a
task to an organization and an account); the choices offer only teams and tracers of the
caller's scope, and the task must lie in it.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from coproduce.accounts.models import RoleAssignment
from coproduce.accounts.permissions import Scope, authorize
from coproduce.accounts.rules import Role
from coproduce.core.errors import DomainError
from coproduce.core.forms import PageForm
from coproduce.core.paging import page_of
from coproduce.fieldwork import selectors as task_selectors
from coproduce.fieldwork import services as task_services
from coproduce.orgs.models import Organization
from coproduce.tracing.services.cases import TASK_KIND, TRACING_TEAM_CATEGORIES

UNFINISHED = ("open", "assigned", "in_progress")


def tracing_teams(scope: Scope):
    """Tracing teams (organizations of the tracing categories) that work in the scope."""
    return (
        Organization.objects.filter(category__in=TRACING_TEAM_CATEGORIES)
        .exclude(verification=Organization.Verification.SUSPENDED)
        .filter(scope.q(region_field="home_region", org_field="pk"))
        .order_by("name")
    )


def tracers(scope: Scope):
    """Accounts that trace within the scope (tracers and volunteers there)."""
    held = RoleAssignment.objects.filter(role__in=[Role.TRACER, Role.VOLUNTEER]).filter(
        scope.region_q("region")
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=held.values("user_id"))
        .order_by("username")
    )


class TaskAssignForm(PageForm):
    """Which team (and, optionally, which tracer) takes the task."""

    organization = forms.ModelChoiceField(
        Organization.objects.none(),
        label=gettext_lazy("Team"),
        empty_label=gettext_lazy("Choose one"),
    )
    assignee = forms.ModelChoiceField(
        get_user_model().objects.none(),
        label=gettext_lazy("Tracer (optional)"),
        to_field_name="username",
        required=False,
        empty_label=gettext_lazy("The team decides"),
    )

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = tracing_teams(scope)
        self.fields["assignee"].queryset = tracers(scope)


@login_required
def task_assign_list(request: HttpRequest):
    """Unfinished tracing tasks in scope, soonest deadline first, each to give to a team."""
    scope = authorize(request.user, "tasks.assign")
    tasks = task_selectors.task_list(scope=scope, kind=TASK_KIND).filter(status__in=UNFINISHED)
    team = request.GET.get("team", "")
    if team == "none":
        tasks = tasks.filter(organization__isnull=True)
    context = {"page": page_of(request, tasks), "form": TaskAssignForm(scope=scope), "team": team}
    return render(request, "tracing/task_assign.html", context)


@login_required
@require_POST
def task_assign(request: HttpRequest, task_id: int):
    """Give one task to a team (and a tracer)."""
    scope = authorize(request.user, "tasks.assign")
    task = task_selectors.task_get(task_id=task_id, scope=scope)
    form = TaskAssignForm(request.POST, scope=scope)
    if not form.is_valid():
        messages.error(request, _("Choose a team from the list."))
        return redirect("tracing:task_assign_list")
    team, tracer = form.cleaned_data["organization"], form.cleaned_data["assignee"]
    try:
        task_services.task_update(task=task, actor=request.user, organization=team, assignee=tracer)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The task is given to %(team)s.") % {"team": team.name})
    return redirect("tracing:task_assign_list")
