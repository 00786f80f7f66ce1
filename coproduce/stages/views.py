"""Pages of response stages: a region's stage with Table 1, the suggestion, setting the stage."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.accounts.permissions import authorize
from coproduce.core import clock
from coproduce.core.errors import DomainError, NotFound
from coproduce.regions.selectors import region_children, region_get, region_root
from coproduce.stages import forms, rules, selectors, services, texts


def _region(request: HttpRequest, code: str | None):
    """The region looked at: the one asked for if in the caller's scope, else their own."""
    scope = authorize(request.user, "stages.set")
    if code is None:
        root = region_root() if scope.everywhere else None
        code = root.code if root else scope.grants[0].region_code
    region = region_get(code=code)
    if not scope.covers(region.path):
        raise NotFound(_("No region has the code %(code)r.") % {"code": code})
    return region


def _parent_in_scope(request: HttpRequest, region) -> bool:
    """Whether the page may link up to the region above (only within the caller's scope)."""
    parent = region.parent
    return parent is not None and authorize(request.user, "stages.set").covers(parent.path)


def _table(current: int) -> list[dict]:
    return [
        {
            "stage": row.stage.value,
            "title": texts.STAGE_TITLE[row.stage],
            "roles": [texts.ROLE_TEXT[r] for r in row.roles],
            "categories": row.categories,
            "current": row.stage == current,
        }
        for row in rules.TABLE_1
    ]


@login_required
def home(request: HttpRequest, code: str | None = None):
    """The region's stage, since when, Table 1 with its row marked, the suggestion and history."""
    return _page(request, _region(request, code))


def _page(request: HttpRequest, region, form=None, status: int = 200):
    """The stage page of `region` with `form`: a refused one with its errors, or (None) a blank
    one set to the current stage from today."""
    today = clock.today()
    info = selectors.stage_current(region=region, on=today)
    if form is None:
        form = forms.StageForm(initial={"stage": info.stage, "effective_from": today})
    suggestion = selectors.suggestion_get(region=region, on=today)
    set_in = None
    if info.set_in and info.set_in != region.code:
        set_in = region_get(code=info.set_in)
    return render(
        request,
        "stages/home.html",
        {
            "region": region,
            "info": info,
            "set_in": set_in,
            "stage_label": texts.stage_label(info.stage),
            "table": _table(info.stage),
            "suggestion": suggestion,
            "suggestion_label": texts.stage_label(suggestion.stage) if suggestion else "",
            "suggestion_text": texts.suggestion_text(suggestion) if suggestion else "",
            "history": selectors.stage_history(region=region)[:20],
            "children": region_children(region=region)[:60],
            "form": form,
            "parent_in_scope": _parent_in_scope(request, region),
        },
        status=status,
    )


@login_required
@require_POST
def stage_set(request: HttpRequest, code: str):
    """Set the region's stage from a date; a refused form comes back with its errors (422)."""
    region = _region(request, code)
    form = forms.StageForm(request.POST)
    if form.is_valid():
        try:
            services.stage_set(region=region, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The stage was set."))
            return redirect(reverse("stages:region", args=[region.code]))
    return _page(request, region, form, status=422)


@login_required
@require_POST
def suggestion_answer(request: HttpRequest, code: str):
    """Accept or dismiss the suggested stage."""
    region = _region(request, code)
    form = forms.SuggestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or dismiss."))
    else:
        data = form.cleaned_data
        try:
            if data["decision"] == "accepted":
                services.suggestion_accept(region=region, stage=data["stage"], actor=request.user)
                messages.success(request, _("The suggested stage was set from today."))
            else:
                services.suggestion_dismiss(region=region, stage=data["stage"], actor=request.user)
                messages.success(request, _("The suggestion was dismissed."))
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect(reverse("stages:region", args=[region.code]))
