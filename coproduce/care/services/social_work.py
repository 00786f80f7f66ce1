"""Medical social work: cases of patients, families and health workers, visits and referrals."""

from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.care.models import CaseNeed, CaseReferral, CaseVisit, Group, SocialCase
from coproduce.care.selectors import practitioner_of
from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import Conflict, PermissionDenied, ValidationFailed


def case_open(*, actor: User, group: str, needs: list[str], person=None) -> SocialCase:
    """A social worker (or counselor, clinician) of an organization opens a case."""
    practitioner = practitioner_of(user=actor)
    if practitioner is None:
        raise PermissionDenied(_("Only a practitioner of an organization follows cases."))
    fields: dict[str, list[str]] = {}
    if group not in Group.values:
        fields["group"] = [_("Choose one of the options.")]
    if not needs or any(n not in CaseNeed.values for n in needs):
        fields["needs"] = [_("Choose what the case needs.")]
    if fields:
        raise ValidationFailed(next(iter(fields.values()))[0], fields=fields)
    with transaction.atomic():
        case = SocialCase.objects.create(
            organization=practitioner.organization,
            worker=actor,
            region=person.home_region if person else practitioner.organization.home_region,
            person=person,
            group=group,
            needs=sorted(set(needs)),
            opened_at=clock.now(),
        )
        audit_record(actor=actor, action="care.case_open", target=case)
    return case


def _open_case(case: SocialCase) -> None:
    if case.status != SocialCase.Status.OPEN:
        raise Conflict(_("This case is closed."), code="case_closed")


def case_visit(*, case: SocialCase, kind: str, note: str = "", actor: User) -> CaseVisit:
    """Record a visit or call to a case."""
    _open_case(case)
    if kind not in CaseVisit.Kind.values:
        raise ValidationFailed.field("kind", _("Choose one of the options."))
    with transaction.atomic():
        visit = CaseVisit.objects.create(
            case=case, kind=kind, note=note.strip()[:200], visited_at=clock.now()
        )
        audit_record(actor=actor, action="care.case_visit", target=case)
    return visit


def case_refer(*, case: SocialCase, to: str, note: str = "", actor: User) -> CaseReferral:
    """Refer a case to deliveries, counseling or relief (the receiving team takes it from there)."""
    _open_case(case)
    if to not in CaseReferral.To.values:
        raise ValidationFailed.field("to", _("Choose deliveries, counseling or relief."))
    with transaction.atomic():
        referral = CaseReferral.objects.create(
            case=case, to=to, note=note.strip()[:200], referred_at=clock.now()
        )
        audit_record(actor=actor, action="care.case_refer", target=case, details={"to": to})
    return referral


def case_close(*, case: SocialCase, actor: User) -> SocialCase:
    """Close a case that needs no more follow-up."""
    _open_case(case)
    with transaction.atomic():
        case.status = SocialCase.Status.CLOSED
        case.closed_at = clock.now()
        case.save(update_fields=["status", "closed_at"])
        audit_record(actor=actor, action="care.case_close", target=case)
    return case
