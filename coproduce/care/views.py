"""Pages of care, phone-first: booking (also by proxy), the counselor's call log with the
screening, crisis alerts, the clinician's slots, records, roster, credentials, counts, cases.
Views call the same services and selectors as the API."""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.accounts.models import User
from coproduce.accounts.permissions import authorize, scope_for
from coproduce.care import forms, selectors, services
from coproduce.care.models import Slot
from coproduce.core import clock
from coproduce.core.errors import DomainError, NotFound, ValidationFailed
from coproduce.people.selectors import person_get, person_of_user
from coproduce.regions.selectors import region_get


def _valid(form):
    if not form.is_valid():
        fields = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        raise ValidationFailed(
            _("Check the form: %(e)s") % {"e": form.errors.as_text()}, fields=fields
        )
    return form.cleaned_data


def _act(request, action, success: str, to: str = "care:home", **kwargs):
    """Run a write; tell the person how it went; back to a page."""
    try:
        result = action()
        messages.success(request, success)
    except DomainError as exc:
        messages.error(request, exc.message)
        result = None
    if callable(to):
        return redirect(to(result)) if result is not None else redirect("care:home")
    return redirect(to, **kwargs)


@login_required
def home(request: HttpRequest):
    """What the caller does in care: book, take calls and alerts, offer slots, see counts."""
    me = selectors.practitioner_of(user=request.user)
    own = person_of_user(user=request.user)
    proxy = scope_for(request.user, "care.proxy")
    context = {
        "me": me,
        "own": own,
        "can_proxy": not proxy.empty,
        "can_count": not scope_for(request.user, "care.counts").empty,
        "can_verify": not scope_for(request.user, "care.credentials.verify").empty
        or not scope_for(request.user, "care.credentials.record").empty,
        "open_slots": selectors.slot_list_open(limit=30) if own or not proxy.empty else [],
        "book_form": forms.BookForm(),
        "my_bookings": selectors.bookings_of_resident(person=own)[:20] if own else [],
        "feedback_form": forms.FeedbackForm(),
        "now": clock.now(),
    }
    if me is not None:
        context["alerts"] = selectors.alert_list(viewer=request.user)[:20]
        context["my_slots"] = selectors.slots_of_provider(
            provider=request.user, since=clock.now() - timedelta(hours=12)
        )[:40]
        context["slot_form"] = forms.SlotForm(
            initial={
                "starts_at": (clock.now() + timedelta(days=1))
                .astimezone(clock.local_zone())
                .replace(minute=0, second=0, microsecond=0)
            }
        )
        context["consultation_form"] = forms.ConsultationForm()
        context["on_duty"] = (
            selectors.on_duty_now(organization_id=me.organization_id) == request.user.pk
        )
    return render(request, "care/home.html", context)


# --- the counselor's call log -----------------------------------------------------------------


@login_required
def call_new(request: HttpRequest):
    """Log a call and its screening in one screen (under a minute on a phone)."""
    authorize(request.user, "care.counsel")
    form = forms.CallForm(request.POST or None)
    if request.method == "POST":
        try:
            data = _valid(form)
            chosen = form.screening()
            session, screening = services.session_log(
                actor=request.user,
                group=data["group"],
                topic=data["topic"],
                channel=data["channel"],
                resident=person_get(
                    public_id=data["resident"].strip().upper(),
                    scope=scope_for(request.user, "care.counsel"),
                )
                if data["resident"].strip()
                else None,
                callback_phone=data["callback_phone"],
                outcome=data["outcome"],
                follow_up=data["follow_up"],
                minutes=data["minutes"] or 0,
                screening=services.ScreeningInput(*chosen) if chosen else None,
            )
            if screening is not None and screening.escalated:
                messages.warning(request, _("High risk: the counselor on crisis duty is alerted."))
            else:
                messages.success(request, _("The call is logged."))
            return redirect("care:session", session_id=session.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(request, "care/call.html", {"form": form})


@login_required
def session_detail(request: HttpRequest, session_id: int):
    """One session: its counselor and their supervisors only (404 for anyone else)."""
    session = selectors.session_get(session_id=session_id, viewer=request.user)
    return render(request, "care/session.html", {"s": session})


@login_required
def screening_detail(request: HttpRequest, screening_id: int):
    """One screening: its counselor and their supervisors only (404 for anyone else)."""
    screening = selectors.screening_get(screening_id=screening_id, viewer=request.user)
    items = forms.PHQ9_ITEMS if screening.instrument == "phq9" else forms.GAD7_ITEMS
    return render(
        request,
        "care/screening.html",
        {"s": screening, "items": zip(items, screening.answers, strict=False)},
    )


@login_required
def consultation_detail(request: HttpRequest, consultation_id: int):
    """One consultation: its clinician and their supervisors only (404 for anyone else)."""
    consultation = selectors.consultation_get(consultation_id=consultation_id, viewer=request.user)
    return render(request, "care/consultation.html", {"c": consultation})


# --- alerts -------------------------------------------------------------------------------------


@login_required
def alert_detail(request: HttpRequest, alert_id: int):
    """A crisis alert for its handlers: who called back, the deadline, acknowledge, follow up."""
    alert = selectors.alert_get(alert_id=alert_id, viewer=request.user)
    return render(
        request, "care/alert.html", {"a": alert, "form": forms.FollowUpForm(), "now": clock.now()}
    )


@login_required
@require_POST
def alert_acknowledge(request: HttpRequest, alert_id: int):
    """Take the alert (the first acknowledgement is recorded)."""
    return _act(
        request,
        lambda: services.alert_acknowledge(
            alert=selectors.alert_get(alert_id=alert_id, viewer=request.user), actor=request.user
        ),
        _("You have the alert: call back now."),
        "care:alert",
        alert_id=alert_id,
    )


@login_required
@require_POST
def alert_follow_up(request: HttpRequest, alert_id: int):
    """Record the follow-up that closes the alert."""
    return _act(
        request,
        lambda: services.alert_follow_up(
            alert=selectors.alert_get(alert_id=alert_id, viewer=request.user),
            outcome=_valid(forms.FollowUpForm(request.POST))["outcome"],
            actor=request.user,
        ),
        _("The follow-up is recorded; the alert is closed."),
        "care:alert",
        alert_id=alert_id,
    )


# --- slots and bookings --------------------------------------------------------------------------


@login_required
@require_POST
def slot_offer(request: HttpRequest):
    """A clinician (clinic) or counselor (counseling) offers a slot."""
    me = selectors.practitioner_of(user=request.user)

    def offer():
        if me is None:
            raise NotFound(_("You are not registered as a practitioner."))
        data = _valid(forms.SlotForm(request.POST))
        starts = data["starts_at"]
        return services.slot_offer(
            actor=request.user,
            service=Slot.Service.CLINIC if me.kind == "clinician" else Slot.Service.COUNSELING,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=data["minutes"]),
            specialty=data["specialty"],
            mode=data["mode"],
            place=data["place"],
        )

    return _act(request, offer, _("The slot is offered."))


@login_required
@require_POST
def slot_cancel(request: HttpRequest, slot_id: int):
    """The provider withdraws a slot."""
    return _act(
        request,
        lambda: services.slot_cancel(slot=selectors.slot_get(slot_id=slot_id), actor=request.user),
        _("The slot is withdrawn."),
    )


@login_required
@require_POST
def slot_book(request: HttpRequest, slot_id: int):
    """Book a slot for yourself, or by proxy for a resident of your area by their id."""

    def book():
        data = _valid(forms.BookForm(request.POST))
        public_id = data["resident"].strip().upper()
        own = person_of_user(user=request.user)
        if not public_id or (own is not None and own.public_id == public_id):
            if own is None:
                raise ValidationFailed.field("resident", _("Give the resident's id."))
            resident, by_proxy = own, False
        else:
            resident = person_get(public_id=public_id, scope=authorize(request.user, "care.proxy"))
            by_proxy = True
        return services.booking_create(
            slot=selectors.slot_get(slot_id=slot_id),
            resident=resident,
            actor=request.user,
            by_proxy=by_proxy,
        )

    return _act(request, book, _("Booked. You will get a reminder the day before."))


def _resident_booking(request, booking_id):
    proxy = scope_for(request.user, "care.proxy")
    return selectors.booking_get_for_resident(
        booking_id=booking_id,
        person=person_of_user(user=request.user),
        proxy_scope=None if proxy.empty else proxy,
    )


@login_required
@require_POST
def booking_cancel(request: HttpRequest, booking_id: int):
    """The resident (or their proxy) cancels a booking."""
    return _act(
        request,
        lambda: services.booking_cancel(
            booking=_resident_booking(request, booking_id), actor=request.user
        ),
        _("The booking is cancelled."),
    )


@login_required
@require_POST
def booking_mark(request: HttpRequest, booking_id: int):
    """The provider marks attended or no-show."""
    return _act(
        request,
        lambda: services.booking_mark(
            booking=selectors.booking_get_for_provider(
                booking_id=booking_id, provider=request.user
            ),
            status=_valid(forms.AttendanceForm(request.POST))["status"],
            actor=request.user,
        ),
        _("Saved."),
    )


@login_required
@require_POST
def consultation_record(request: HttpRequest, booking_id: int):
    """The doctor records the consultation of a booking."""

    def record():
        data = _valid(forms.ConsultationForm(request.POST))
        return services.consultation_record(
            booking=selectors.booking_get_for_provider(
                booking_id=booking_id, provider=request.user
            ),
            actor=request.user,
            **data,
        )

    return _act(request, record, _("The consultation is recorded."))


@login_required
@require_POST
def consultation_feedback(request: HttpRequest, booking_id: int):
    """The resident rates a consultation."""

    def give():
        booking = selectors.booking_get_for_resident(
            booking_id=booking_id, person=person_of_user(user=request.user)
        )
        consultation = getattr(booking, "consultation", None)
        if consultation is None:
            raise NotFound(_("No consultation for this booking yet."))
        data = _valid(forms.FeedbackForm(request.POST))
        return services.consultation_feedback(consultation=consultation, actor=request.user, **data)

    return _act(request, give, _("Thank you for your feedback."))


# --- roster, credentials, counts ---------------------------------------------------------------


@login_required
def roster(request: HttpRequest):
    """The organization's crisis duty for the next 24 hours, its gaps, and a new shift."""
    me = selectors.practitioner_of(user=request.user)
    scope = authorize(request.user, "care.roster")
    org_ids = [g.organization_id for g in scope.grants if g.organization_id]
    org_id = me.organization_id if me else (org_ids[0] if org_ids else None)
    if org_id is None:
        raise NotFound(_("You have no organization's roster."))
    form = forms.ShiftForm(request.POST or None)
    if request.method == "POST":
        try:
            data = _valid(form)
            counselor = User.objects.filter(username=data["counselor"]).first()
            counselor_p = selectors.practitioner_of(user=counselor) if counselor else None
            if counselor_p is None or counselor_p.organization_id != org_id:
                raise ValidationFailed.field(
                    "counselor", _("Not a counselor of your organization.")
                )
            authorize(
                request.user,
                "care.roster",
                region=counselor_p.organization.home_region,
                organization_id=org_id,
            )
            services.duty_shift_add(
                organization=counselor_p.organization,
                counselor=counselor,
                starts_at=data["starts_at"],
                ends_at=data["starts_at"] + timedelta(hours=data["hours"]),
                actor=request.user,
            )
            messages.success(request, _("The shift is on the roster."))
            return redirect("care:roster")
        except DomainError as exc:
            messages.error(request, exc.message)
    start = clock.now().astimezone(clock.local_zone()).replace(minute=0, second=0, microsecond=0)
    context = selectors.roster(organization_id=org_id, start=start, end=start + timedelta(days=1))
    context.update(
        {"form": form, "start": start, "on_duty": selectors.on_duty_now(organization_id=org_id)}
    )
    return render(request, "care/roster.html", context)


@login_required
def credentials(request: HttpRequest):
    """Credentials in scope: coordinators record them, health officials verify them."""
    record = scope_for(request.user, "care.credentials.record")
    verify = scope_for(request.user, "care.credentials.verify")
    if record.empty and verify.empty:
        raise NotFound(_("No credentials for you to see."))
    form = forms.CredentialForm(request.POST or None)
    if request.method == "POST":
        try:
            data = _valid(form)
            user = User.objects.filter(username=data.pop("user")).first()
            holder = selectors.practitioner_of(user=user) if user else None
            if holder is None:
                raise ValidationFailed.field(
                    "user", _("Register the person as a practitioner first.")
                )
            authorize(
                request.user,
                "care.credentials.record",
                region=holder.organization.home_region,
                organization_id=holder.organization_id,
            )
            services.credential_record(
                user=user, organization=holder.organization, actor=request.user, **data
            )
            messages.success(request, _("The credential is recorded; it counts once verified."))
            return redirect("care:credentials")
        except DomainError as exc:
            messages.error(request, exc.message)
    scope = verify if not verify.empty else record
    context = {
        "credentials": selectors.credential_list(scope=scope)[:100],
        "form": form,
        "can_record": not record.empty,
        "can_verify": not verify.empty,
        "verify_form": forms.VerifyForm(),
        "today": clock.today(),
    }
    return render(request, "care/credentials.html", context)


@login_required
@require_POST
def credential_verify(request: HttpRequest, credential_id: int):
    """A health official (or an admin) verifies or rejects a credential."""

    def verify():
        scope = authorize(request.user, "care.credentials.verify")
        return services.credential_verify(
            credential=selectors.credential_get(credential_id=credential_id, scope=scope),
            state=_valid(forms.VerifyForm(request.POST))["state"],
            actor=request.user,
        )

    return _act(request, verify, _("Saved."), "care:credentials")


@login_required
def counts(request: HttpRequest):
    """Counseling volume for officials: counts only, by region, group and severity, small counts
    shown as "<5"."""
    scope = authorize(request.user, "care.counts")
    code = request.GET.get("region") or (scope.grants[0].region_code if scope.grants else "330000")
    region = region_get(code=code[:20])
    authorize(request.user, "care.counts", region=region)
    end = clock.today()
    start = end - timedelta(days=27)
    zone = clock.local_zone()
    figures = selectors.counts(
        scope=scope,
        region=region,
        start=datetime.combine(start, time(0), tzinfo=zone),
        end=datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone),
    )
    return render(
        request, "care/counts.html", {"region": region, "start": start, "end": end, **figures}
    )


# --- social work --------------------------------------------------------------------------------


@login_required
def cases(request: HttpRequest):
    """The social worker's cases, and a new one."""
    authorize(request.user, "care.social_work")
    form = forms.CaseForm(request.POST or None)
    if request.method == "POST":
        try:
            data = _valid(form)
            person = (
                person_get(
                    public_id=data["person"].strip().upper(),
                    scope=scope_for(request.user, "care.social_work"),
                )
                if data["person"].strip()
                else None
            )
            case = services.case_open(
                actor=request.user, group=data["group"], needs=data["needs"], person=person
            )
            messages.success(request, _("The case is open."))
            return redirect("care:case", case_id=case.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "care/cases.html",
        {"cases": selectors.cases_of_worker(viewer=request.user)[:100], "form": form},
    )


@login_required
def case_detail(request: HttpRequest, case_id: int):
    """One case with its visits and referrals: its worker and their supervisors only."""
    case = selectors.case_get(case_id=case_id, viewer=request.user)
    return render(
        request,
        "care/case.html",
        {"case": case, "visit_form": forms.VisitForm(), "referral_form": forms.ReferralForm()},
    )


@login_required
@require_POST
def case_visit(request: HttpRequest, case_id: int):
    """Record a visit to a case."""
    return _act(
        request,
        lambda: services.case_visit(
            case=selectors.case_get(case_id=case_id, viewer=request.user),
            actor=request.user,
            **_valid(forms.VisitForm(request.POST)),
        ),
        _("Saved."),
        "care:case",
        case_id=case_id,
    )


@login_required
@require_POST
def case_refer(request: HttpRequest, case_id: int):
    """Refer a case to deliveries, counseling or relief."""
    return _act(
        request,
        lambda: services.case_refer(
            case=selectors.case_get(case_id=case_id, viewer=request.user),
            actor=request.user,
            **_valid(forms.ReferralForm(request.POST)),
        ),
        _("Saved."),
        "care:case",
        case_id=case_id,
    )
