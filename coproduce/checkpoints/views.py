"""Pages of checkpoints: list and create, one checkpoint, its place code, the scanner, the staffing
plan with its coverage, statistics, and the resident's page to record a visit."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from coproduce.accounts.models import User
from coproduce.accounts.permissions import authorize, scope_for
from coproduce.checkpoints import selectors, services
from coproduce.checkpoints.models import KIND_LABELS, Shift, ShiftAssignment
from coproduce.core import clock
from coproduce.core.errors import DomainError, NotFound, ValidationFailed
from coproduce.health_codes.qrcodes import qr_svg
from coproduce.orgs.models import Organization
from coproduce.places.rules import place_payload
from coproduce.regions.selectors import region_get


def _day(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return clock.today()


def _checkpoint(request: HttpRequest, checkpoint_id: int, permission: str):
    scope = authorize(request.user, permission)
    return selectors.checkpoint_get(checkpoint_id=checkpoint_id, scope=scope)


@login_required
def checkpoint_list(request: HttpRequest):
    """Checkpoints in scope; coordinators and officials open new ones (POST)."""
    scope = authorize(request.user, "checkpoints.view")
    if request.method == "POST":
        return _checkpoint_create(request)
    manage = scope_for(request.user, "checkpoints.manage")
    context = {
        "checkpoints": selectors.checkpoint_list(scope=scope)[:200],
        "can_manage": not manage.empty,
        "kinds": KIND_LABELS.items(),
        "organizations": _operators(manage),
        "default_region": scope.grants[0].region_code if scope.grants else "",
    }
    return render(request, "checkpoints/list.html", context)


def _operators(manage):
    """The organizations the caller may open checkpoints for."""
    org_ids = {g.organization_id for g in manage.grants}
    if manage.everywhere or None in org_ids:
        return Organization.objects.order_by("name")[:300]
    return Organization.objects.filter(pk__in=org_ids).order_by("name")


def _decimal(value: str, name: str) -> Decimal | None:
    if not value.strip():
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValidationFailed.field(name, _("Give a number.")) from None


def _checkpoint_create(request: HttpRequest):
    post = request.POST
    try:
        region = region_get(code=post.get("region", "").strip())
        org_id = post.get("operator_org") or None
        operator = Organization.objects.filter(pk=org_id).first() if org_id else None
        authorize(
            request.user,
            "checkpoints.manage",
            region=region,
            organization_id=operator.pk if operator else None,
        )
        checkpoint = services.checkpoint_create(
            name=post.get("name", ""),
            kind=post.get("kind", ""),
            region=region,
            operator=operator,
            lat=_decimal(post.get("lat", ""), "lat"),
            lon=_decimal(post.get("lon", ""), "lon"),
            yellow_may_enter_own_gate=post.get("yellow_may_enter_own_gate") == "on",
            minimum_staff=int(post.get("minimum_staff") or 1),
            actor=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("checkpoints:list")
    except ValueError:  # the staff count was not a whole number
        messages.error(request, _("Give a number."))
        return redirect("checkpoints:list")
    messages.success(request, _("Checkpoint opened: print its place code."))
    return redirect("checkpoints:detail", checkpoint.pk)


@login_required
def checkpoint_detail(request: HttpRequest, checkpoint_id: int):
    """One checkpoint: where, who operates it, links to scanner, place code, shifts, statistics."""
    checkpoint = _checkpoint(request, checkpoint_id, "checkpoints.view")
    scan_scope = scope_for(request.user, "checkpoints.scan")
    context = {
        "c": checkpoint,
        "can_scan": scan_scope.covers(checkpoint.place.region.path, checkpoint.place.operator_id),
        "recent": selectors.scan_recent(checkpoint=checkpoint),
        "coverage": selectors.coverage_for_day(checkpoint=checkpoint, day=clock.today()),
    }
    return render(request, "checkpoints/detail.html", context)


@login_required
def place_code(request: HttpRequest, checkpoint_id: int):
    """The printable place code: residents scan it to record a visit."""
    checkpoint = _checkpoint(request, checkpoint_id, "checkpoints.view")
    payload = place_payload(checkpoint.place.code)
    svg = qr_svg(payload, scale=10, title=checkpoint.place.name)
    return render(
        request,
        "checkpoints/place_code.html",
        {"c": checkpoint, "payload": payload, "svg": mark_safe(svg)},  # noqa: S308 segno's own SVG
    )


@login_required
def scanner(request: HttpRequest, checkpoint_id: int):
    """The scanner of checkpoint staff: camera or typed code, full-screen decision, offline queue."""
    checkpoint = _checkpoint(request, checkpoint_id, "checkpoints.scan")
    config = {
        "checkpoint": checkpoint.pk,
        "csrf": get_token(request),
        "cborg": static("vendor/cborg/cborg.js"),
        # The device keeps the platform's time (the exercise clock in a drill), not its own.
        "server_now": clock.now().isoformat(),
        "service_worker": reverse("checkpoints:service_worker"),
        "time_zone": settings.TIME_ZONE,
        **scanner_texts(),
    }
    return render(request, "checkpoints/scanner.html", {"c": checkpoint, "config": config})


def scanner_texts() -> dict:
    """The scanner's words in the user's language: decisions, colors and every reason code."""
    return {
        "decisions": {"pass": _("Pass"), "deny": _("Deny"), "refer": _("Refer")},
        "colors": {"green": _("Green code"), "yellow": _("Yellow code"), "red": _("Red code")},
        "reasons": {
            "token_expired": _("The code has expired: ask the person to refresh it."),
            "token_not_yet_valid": _("The code is not valid yet: check the device's clock."),
            "token_bad_signature": _("The code's signature is wrong: it may be forged."),
            "token_unknown_key": _(
                "The code was signed by an issuer this checkpoint does not trust."
            ),
            "token_malformed": _("This is not a readable health code."),
            "server_color_stricter": _(
                "The person's current color is stricter than the code shown."
            ),
            "card_color_unknown": _(
                "The current color of this card's holder is unknown: check by hand."
            ),
            "green": _("Green code: may pass."),
            "yellow_denied": _("Yellow code: in home quarantine, may not enter."),
            "yellow_own_gate": _("Yellow code: may enter their own residential area to go home."),
            "yellow_exit": _("Yellow code: exit recorded; the person should go home."),
            "yellow_leaving_home": _("Yellow code: in home quarantine, may not leave."),
            "red_denied": _("Red code: may not pass; call the health team."),
            "red_exit_denied": _(
                "Red code: may not leave; keep the person here and call the health team."
            ),
            "fever": _("Fever: refer to a fever clinic."),
            "temperature_implausible": _("The reading is implausible: measure again."),
            "temperature_missing": _("No temperature taken: measure before entry."),
            "no_bundle": _("No offline list on this device yet: check by hand."),
        },
        "text": {
            "online": _("Online"),
            "offline": _("Offline"),
            "color_unknown": _("Color unknown"),
            "uploaded": _("Uploaded %(n)s scans; %(f)s refused."),
        },
    }


@login_required
def shifts(request: HttpRequest, checkpoint_id: int):
    """The 24-hour staffing plan of a day, its gaps, and (POST) planning and assigning."""
    checkpoint = _checkpoint(request, checkpoint_id, "checkpoints.view")
    day = _day(request)
    if request.method == "POST":
        _checkpoint(request, checkpoint_id, "checkpoints.manage")
        try:
            _shift_action(request, checkpoint, day)
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(f"{request.path}?day={day.isoformat()}")
    context = {
        "c": checkpoint,
        "day": day,
        "coverage": selectors.coverage_for_day(checkpoint=checkpoint, day=day),
        "volunteers": selectors.volunteers_for(checkpoint=checkpoint),
        "can_manage": scope_for(request.user, "checkpoints.manage").covers(
            checkpoint.place.region.path, checkpoint.place.operator_id
        ),
        "lengths": services.PLAN_LENGTHS,
    }
    template = "checkpoints/_coverage.html" if request.htmx else "checkpoints/shifts.html"
    return render(request, template, context)


def _shift_action(request: HttpRequest, checkpoint, day: date) -> None:
    post, actor = request.POST, request.user
    action = post.get("action")
    if action == "plan":
        services.shift_plan_day(
            checkpoint=checkpoint,
            day=day,
            hours=int(post.get("hours") or 8),
            capacity=int(post.get("capacity") or 1),
            actor=actor,
        )
        return
    shift = Shift.objects.filter(pk=post.get("shift") or 0, checkpoint=checkpoint).first()
    if shift is None:
        raise NotFound(_("No such shift."))
    if action == "assign":
        user = User.objects.filter(pk=post.get("user") or 0).first()
        if user is None:
            raise ValidationFailed.field("user", _("Choose a volunteer."))
        services.shift_assign(shift=shift, user=user, actor=actor)
    elif action in {"completed", "absent", "remove"}:
        assignment = ShiftAssignment.objects.filter(pk=post.get("assignment") or 0, shift=shift)
        assignment = assignment.select_related("shift").first()
        if assignment is None:
            raise NotFound(_("No such assignment."))
        if action == "remove":
            services.shift_unassign(assignment=assignment, actor=actor)
        else:
            services.shift_complete(
                assignment=assignment, actor=actor, present=action == "completed"
            )


@login_required
def checkpoint_stats(request: HttpRequest, checkpoint_id: int):
    """Scans, denials, referrals and fevers per hour of a day at one checkpoint: for whoever sees
    the checkpoint, its own staff too (they count their shift's work); region-wide figures stay
    with coordinators and officials (checkpoints.stats)."""
    checkpoint = _checkpoint(request, checkpoint_id, "checkpoints.view")
    day = _day(request)
    rows = selectors.scan_counts_by_hour(checkpoint=checkpoint, day=day)
    totals = {k: sum(r[k] for r in rows) for k in rows[0] if k != "hour"}
    return render(
        request,
        "checkpoints/stats.html",
        {"c": checkpoint, "day": day, "rows": rows, "totals": totals},
    )


@login_required
def region_stats(request: HttpRequest):
    """Scan counts per region below the chosen one (default: the caller's first grant)."""
    scope = authorize(request.user, "checkpoints.stats")
    code = request.GET.get("region") or (scope.grants[0].region_code if scope.grants else "330000")
    region = region_get(code=code)
    if not scope.everywhere and not any(
        region.path.startswith(g.region_path) for g in scope.grants
    ):
        raise NotFound(_("No such region in your scope."))
    day = _day(request)
    start, end = selectors.day_window(day)
    rows = selectors.scan_counts_by_region(scope=scope, region=region, start=start, end=end)
    return render(
        request, "checkpoints/region_stats.html", {"region": region, "day": day, "rows": rows}
    )


@login_required
def visit(request: HttpRequest):
    """A resident scans a place code (camera or typed) to record being there."""
    config = {
        "csrf": get_token(request),
        "text": {
            "recorded": _("Visit recorded: %(place)s."),
            "failed": _("The visit could not be recorded: try again."),
        },
    }
    return render(request, "checkpoints/visit.html", {"config": config})


@require_GET
def service_worker(request: HttpRequest):
    """The scanner's service worker at /checkpoints/sw.js: its scope, /checkpoints/, covers every
    scanner page, so a phone that lost the network reloads the scanner from its cache."""
    found = finders.find("checkpoints/sw.js")
    with open(found, encoding="utf-8") as source:
        answer = HttpResponse(source.read(), content_type="text/javascript; charset=utf-8")
    answer["Service-Worker-Allowed"] = reverse("checkpoints:list")
    answer["Cache-Control"] = "no-cache"  # a new worker reaches the phones at their next visit
    return answer


@login_required
def manifest(request: HttpRequest, checkpoint_id: int):
    """The web app manifest of one checkpoint's scanner: staff add it to their home screen."""
    checkpoint = _checkpoint(request, checkpoint_id, "checkpoints.scan")
    icons = [
        {
            "src": static(f"coproduce/icon-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
        }
        for size in (192, 512)
    ]
    body = {
        "name": _("Scanner · %(place)s") % {"place": checkpoint.place.name},
        "short_name": _("Scanner"),
        "start_url": reverse("checkpoints:scanner", args=[checkpoint.pk]),
        "scope": reverse("checkpoints:list"),
        "display": "standalone",
        "background_color": "#f5f7fa",
        "theme_color": "#0b6e4f",
        "icons": [
            *icons,
            {"src": static("coproduce/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return JsonResponse(
        body, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
