"""Pages of contact tracing: line list and export, a case, the tracer's tasks, progress, chain,
quarantine orders and sites. Each view serves the full page or its htmx partial."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.accounts.permissions import authorize, scope_for
from coproduce.core import clock
from coproduce.core.errors import DomainError
from coproduce.core.exports import csv_response
from coproduce.fieldwork import selectors as task_selectors
from coproduce.fieldwork import services as task_services
from coproduce.tracing import selectors, services
from coproduce.tracing.models import Case, QuarantineOrder

PAGE_SIZE = 100


def _date(value: str) -> date | None:
    try:
        return parse_date(value or "")
    except ValueError:
        return None


def _filters(request) -> dict:
    return {
        "status": request.GET.get("status", "")[:20],
        "cluster": request.GET.get("cluster", "")[:40],
        "reported_from": _date(request.GET.get("from", "")),
        "reported_to": _date(request.GET.get("to", "")),
        "search": request.GET.get("q", "")[:100],
    }


@login_required
def case_list(request: HttpRequest):
    """The line list with filters; every case shown is audited."""
    scope = authorize(request.user, "tracing.cases.view")
    cases = list(selectors.case_list(scope=scope, **_filters(request))[:PAGE_SIZE])
    services.cases_listed(cases=cases, actor=request.user)
    template = "tracing/_case_rows.html" if request.htmx else "tracing/case_list.html"
    return render(request, template, {"cases": cases, "f": request.GET, "Status": Case.Status})


@login_required
def case_export(request: HttpRequest):
    """The filtered line list as CSV (audited as an export of each case)."""
    scope = authorize(request.user, "tracing.cases.view")
    cases = list(selectors.case_list(scope=scope, **_filters(request)))
    services.cases_listed(cases=cases, actor=request.user, action="tracing.case_export")
    # core.exports: cells never run as formulas, times local with their offset, a BOM.
    response, writer = csv_response("line-list.csv")
    writer.writerow(
        [
            "case",
            "resident",
            "name",
            "area",
            "status",
            "onset_date",
            "test_date",
            "reported_at",
            "reporting_unit",
            "isolated_at",
            "closed_on",
            "cluster",
            "contacts",
        ]
    )
    for c in cases:
        writer.writerow(
            [
                c.pk,
                c.person.public_id,
                c.person.name,
                c.region_id,
                c.status,
                c.onset_date,
                c.test_date,
                c.reported_at,
                c.reporting_unit,
                c.isolated_at,
                c.closed_on,
                c.cluster,
                c.contact_count,
            ]
        )
    return response


def _aware(value: str):
    moment = parse_datetime(value)
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=clock.local_zone())  # a form's local time is Shanghai's
    return moment


@login_required
def case_detail(request: HttpRequest, case_id: int):
    """One case: its data, contacts (discovered now, in scope, audited), rounds and progress."""
    scope = authorize(request.user, "tracing.contacts.view")
    case = services.case_open(
        case=selectors.case_get(case_id=case_id, scope=scope), actor=request.user
    )
    services.contacts_refresh(case=case, actor=request.user)
    contacts, hidden = selectors.contact_list(case=case, scope=scope)
    services.contacts_viewed(contacts=contacts, actor=request.user)
    manage = not scope_for(request.user, "tracing.cases.manage").empty
    return render(
        request,
        "tracing/case_detail.html",
        {
            "case": case,
            "contacts": contacts,
            "hidden": hidden,
            "manage": manage,
            "progress": selectors.case_progress(case=case, now=clock.now()),
            "older_than_log": selectors.contacts_older_than_log(contacts=contacts, now=clock.now()),
            "retention_days": settings.LOG_RETENTION_DAYS,
            "Status": Case.Status,
        },
    )


@login_required
@require_POST
def case_action(request: HttpRequest, case_id: int):
    """A change to a case from its page: status, an interview contact, the next round."""
    action = request.POST.get("action", "")
    permission = {"round": "tracing.rounds.start"}.get(action, "tracing.cases.manage")
    scope = authorize(request.user, permission)
    case = selectors.case_get(case_id=case_id, scope=scope)
    p = request.POST
    try:
        if action == "status":
            services.case_update(
                case=case,
                actor=request.user,
                status=p.get("status"),
                isolated_at=_aware(p.get("isolated_at", "")) if p.get("isolated_at") else None,
            )
            messages.success(request, _("The case was updated."))
        elif action == "round":
            round_, created = services.round_start(case=case, actor=request.user)
            messages.success(
                request,
                _("Round %(n)s started: %(t)s tasks for the teams.")
                % {"n": round_.number, "t": created},
            )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("tracing:case", case_id=case.pk)


# Cards per page of the tracer's list: a cheap phone on a weak network loads 25 at a time.
TASKS_PER_PAGE = 25


@login_required
def task_list(request: HttpRequest):
    """The tracer's tasks on a phone: unfinished first, overdue in red, outcomes in one tap;
    25 at a time, the next ones added below by the "More" button (htmx) or by ?page=N."""
    scope = authorize(request.user, "tasks.view")
    now = clock.now()
    show = request.GET.get("show", "open")
    if show not in {"open", "done", "all"}:
        show = "open"
    try:
        page = max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        page = 1
    tasks = selectors.field_tasks(
        scope=scope, now=now, show=show, offset=(page - 1) * TASKS_PER_PAGE, limit=TASKS_PER_PAGE
    )
    more = len(tasks) > TASKS_PER_PAGE
    tasks = tasks[:TASKS_PER_PAGE]
    services.task_people_viewed(tasks=tasks, actor=request.user)
    context = {
        "tasks": tasks,
        "now": now,
        "show": show,
        "next_page": page + 1 if more else None,
        "official": not scope_for(request.user, "tracing.cases.view").empty,
    }
    if request.htmx and page > 1:
        return render(request, "tracing/_task_page.html", context)
    return render(request, "tracing/task_list.html", context)


@login_required
@require_POST
def task_act(request: HttpRequest, task_id: int):
    """Start a task or finish it with an outcome; answers the task's card for htmx."""
    scope = authorize(request.user, "tasks.work")
    task = task_selectors.task_get(task_id=task_id, scope=scope)
    outcome = request.POST.get("outcome") or None
    status = "done" if outcome else request.POST.get("status", "in_progress")
    error = None
    try:
        task = task_services.task_update(
            task=task,
            actor=request.user,
            status=status,
            outcome=outcome,
            note=request.POST.get("note") or None,
        )
    except DomainError as exc:
        error = exc.message
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("tracing:tasks")
    task = task_selectors.task_get(task_id=task_id, scope=scope)
    return render(
        request, "tracing/_task_card.html", {"t": task, "now": clock.now(), "error": error}
    )


@login_required
def progress(request: HttpRequest):
    """Progress for officials: per area and round; clusters with their chain graphs."""
    scope = authorize(request.user, "tracing.progress.view")
    now = clock.now()
    return render(
        request,
        "tracing/progress.html",
        {
            "areas": selectors.area_progress(scope=scope, now=now),
            "clusters": selectors.cluster_list(scope=scope),
            "rounds": range(1, 4),
        },
    )


@login_required
def chain(request: HttpRequest, cluster: str):
    """The transmission chain of a cluster, drawn with cytoscape."""
    scope = authorize(request.user, "tracing.progress.view")
    graph = selectors.chain_graph(scope=scope, cluster=cluster[:40])
    services.chain_viewed(graph=graph, actor=request.user, cluster=cluster[:40])
    return render(request, "tracing/chain.html", {"graph": graph, "cluster": cluster})


@login_required
def order_list(request: HttpRequest):
    """Quarantine orders (with the person's color) and sites; order, lengthen, shorten, end."""
    scope = authorize(request.user, "tracing.orders.view")
    if request.method == "POST":
        return _order_post(request)
    orders = list(
        selectors.order_list(scope=scope, status=request.GET.get("status", "active")[:12])[
            :PAGE_SIZE
        ]
    )
    services.orders_viewed(orders=orders, actor=request.user)
    return render(
        request,
        "tracing/order_list.html",
        {
            "orders": orders,
            "colors": selectors.colors_for(orders=orders),
            "sites": selectors.site_list(scope=scope),
            "Kind": QuarantineOrder.Kind,
            "Reason": QuarantineOrder.Reason,
            "status": request.GET.get("status", "active"),
            "today": clock.today(),
        },
    )


def _order_post(request):
    scope = authorize(request.user, "tracing.orders.manage")
    p, action = request.POST, request.POST.get("action")
    try:
        if action in ("lengthen", "shorten", "end"):
            order = selectors.order_get(order_id=int(p.get("order", "0") or 0), scope=scope)
            if action == "end":
                services.order_end(order=order, actor=request.user, why=p.get("why", ""))
            else:
                when = _date(p.get("date", ""))
                services.order_adjust(
                    order=order,
                    actor=request.user,
                    why=p.get("why", ""),
                    not_before=when if action == "lengthen" else None,
                    ends_on=when if action == "shorten" else None,
                )
        messages.success(request, _("Saved."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("tracing:orders")
