"""Staff pages for people: the list in scope, one record (audited), duplicates and merge."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from coproduce.accounts.permissions import authorize, scope_for
from coproduce.core.errors import DomainError
from coproduce.core.paging import page_of
from coproduce.people import selectors, services
from coproduce.people.models import Person

PAGE_SIZE = 50


@login_required
def person_list(request: HttpRequest):
    """People in the caller's scope, searchable by name, phone or id."""
    scope = authorize(request.user, "people.view")
    search = request.GET.get("q", "")[:100]
    page = page_of(request, selectors.person_list(scope=scope, search=search), per_page=PAGE_SIZE)
    context = {
        "people": page,
        "page": page,
        "q": search,
        "can_register": not scope_for(request.user, "people.register").empty,
        "can_proxy": not scope_for(request.user, "health_codes.proxy").empty,
    }
    template = "people/_results.html" if request.htmx else "people/list.html"
    return render(request, template, context)


@login_required
def person_detail(request: HttpRequest, public_id: str):
    """One person's record; opening it is audited."""
    scope = authorize(request.user, "people.view")
    person = services.person_open(
        person=selectors.person_get(public_id=public_id, scope=scope), actor=request.user
    )
    can_proxy = scope_for(request.user, "health_codes.proxy").covers(person.home_region.path)
    return render(request, "people/detail.html", {"person": person, "can_proxy": can_proxy})


@login_required
def duplicate_list(request: HttpRequest):
    """Possible duplicates in scope; a merge joins two records (POST, audited)."""
    scope = authorize(request.user, "people.duplicates")
    if request.method == "POST":
        merge_scope = authorize(request.user, "people.merge")
        try:
            keep = selectors.person_get(public_id=request.POST.get("keep", ""), scope=merge_scope)
            remove = selectors.person_get(
                public_id=request.POST.get("remove", ""), scope=merge_scope
            )
            services.person_merge(keep=keep, remove=remove, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("The records were merged into %(id)s.") % {"id": keep.public_id}
            )
        return redirect("people:duplicates")
    pairs = selectors.duplicate_list(scope=scope)
    return render(request, "people/duplicates.html", {"pairs": pairs, "Person": Person})
