"""Postings of surplus and short workers: create, change, withdraw; the skill catalogue."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.accounts.permissions import authorize
from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import Conflict, PermissionDenied, ValidationFailed
from coproduce.labor import rules
from coproduce.labor.models import PlaceSource, Posting, PostingKind, Proposal, Skill
from coproduce.labor.rules import PostingState, ProposalState
from coproduce.labor.selectors import posting_get, skill_get
from coproduce.recovery.models import Enterprise
from coproduce.recovery.scope import enterprise_scope
from coproduce.recovery.selectors import enterprise_get
from coproduce.regions import geo
from coproduce.regions.models import Region

_SIX = Decimal("0.000001")


def _problems_in_words(problems: dict[str, str]) -> dict[str, list[str]]:
    """The rule's English problems, said in the reader's language."""
    words = {
        "at least one worker": _("At least one worker."),
        "the end date is before the start date": _("The end date is before the start date."),
        "the period is already over": _("The period is already over."),
    }
    out = {}
    for name, text in problems.items():
        if text.startswith("at most") and name == "workers":
            said = _("At most %(n)s workers in one posting.") % {"n": rules.MAX_POSTING_WORKERS}
        elif text.startswith("a posting lasts"):
            said = _("A posting lasts at most %(n)s days.") % {"n": rules.MAX_POSTING_DAYS}
        else:
            said = words.get(text, text)
        out[name] = [said]
    return out


def _county_of(enterprise: Enterprise) -> Region:
    """The county an enterprise lies in (its region, or the county above it)."""
    parts = [p for p in enterprise.region.path.split("/") if p]
    county = Region.objects.filter(code__in=parts, level=Region.Levels.COUNTY).first()
    if county is None:
        raise ValidationFailed.field(
            "enterprise", _("The enterprise's region is not a county or a place within one.")
        )
    return county


def place_of(enterprise: Enterprise, county: Region) -> tuple[Decimal, Decimal, str]:
    """Where a posting is: the enterprise's coordinates, else its county's centroid."""
    if enterprise.lat is not None and enterprise.lon is not None:
        return Decimal(enterprise.lat), Decimal(enterprise.lon), PlaceSource.ENTERPRISE
    if not geo.has_boundary(county.code):
        raise ValidationFailed.field(
            "enterprise", _("The enterprise has no coordinates and its county is not on the map.")
        )
    lat, lon = geo.centroid(county.code)
    return Decimal(lat).quantize(_SIX), Decimal(lon).quantize(_SIX), PlaceSource.COUNTY


def posting_create(
    *,
    actor,
    enterprise_id: int,
    kind: str,
    skill: str,
    workers: int,
    start_date: date,
    end_date: date,
    note: str = "",
) -> Posting:
    """Post an enterprise's surplus workers or shortage of one skill over a period."""
    scope = enterprise_scope(actor, "labor.post")
    if scope.empty:
        raise PermissionDenied(_("Your roles do not allow posting workers."))
    enterprise = enterprise_get(enterprise_id=enterprise_id, scope=scope)
    errors: dict[str, list[str]] = {}
    if kind not in PostingKind.values:
        errors["kind"] = [_("Choose surplus or shortage.")]
    skill_row = skill_get(code=skill)
    if skill_row is None:
        errors["skill"] = [_("Not a skill of the catalogue.")]
    errors.update(
        _problems_in_words(
            rules.posting_problems(
                workers=workers, start_date=start_date, end_date=end_date, today=clock.today()
            )
        )
    )
    if len(note) > 300:
        errors["note"] = [_("At most 300 characters.")]
    county = _county_of(enterprise)
    if errors:
        raise ValidationFailed(_("The posting has problems."), fields=errors)
    lat, lon, source = place_of(enterprise, county)
    with transaction.atomic():
        posting = Posting.objects.create(
            enterprise=enterprise,
            kind=kind,
            skill=skill_row,
            workers=workers,
            start_date=start_date,
            end_date=end_date,
            county=county,
            lat=lat,
            lon=lon,
            place_source=source,
            note=note.strip(),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="labor.posting.create",
            target=posting,
            details={"kind": kind, "skill": skill_row.code, "workers": workers},
        )
    return posting


def _lapse_pending(posting: Posting, *, actor, reason: str) -> int:
    """Close the pending proposals of a posting whose terms changed (they no longer hold)."""
    return (
        Proposal.objects.filter(state=ProposalState.PENDING)
        .filter(**{f"{posting.kind}": posting})
        .update(state=ProposalState.LAPSED, closed_by=actor, closed_at=clock.now(), reason=reason)
    )


def posting_update(
    *,
    actor,
    posting_id: int,
    workers: int | None = None,
    start_date: date | None = None,
    end_date: date | None = None,
    note: str | None = None,
) -> Posting:
    """Change an open posting: fewer or more workers (never below those agreed), or its dates
    (only while nothing is agreed; pending proposals of it then lapse)."""
    scope = enterprise_scope(actor, "labor.post")
    if scope.empty:
        raise PermissionDenied(_("Your roles do not allow posting workers."))
    posting = posting_get(posting_id=posting_id, scope=scope)
    if posting.state != PostingState.OPEN:
        raise Conflict(_("Only an open posting can be changed."))
    new_workers = posting.workers if workers is None else workers
    new_start = start_date or posting.start_date
    new_end = end_date or posting.end_date
    errors = _problems_in_words(
        rules.posting_problems(
            workers=new_workers, start_date=new_start, end_date=new_end, today=clock.today()
        )
    )
    dates_changed = (new_start, new_end) != (posting.start_date, posting.end_date)
    if dates_changed and posting.committed:
        errors["start_date"] = [_("Workers of this posting are in an agreement: keep its dates.")]
    if new_workers < posting.committed:
        errors["workers"] = [
            _("%(n)s workers are already in agreements.") % {"n": posting.committed}
        ]
    if note is not None and len(note) > 300:
        errors["note"] = [_("At most 300 characters.")]
    if errors:
        raise ValidationFailed(_("The posting has problems."), fields=errors)
    with transaction.atomic():
        # Conditional: an agreement signed meanwhile may have raised `committed`.
        changed = Posting.objects.filter(
            pk=posting.pk, state=PostingState.OPEN, committed__lte=new_workers
        ).update(
            workers=new_workers,
            start_date=new_start,
            end_date=new_end,
            note=posting.note if note is None else note.strip(),
            state=PostingState.MATCHED if new_workers == posting.committed else PostingState.OPEN,
        )
        if not changed:
            raise Conflict(_("The posting changed meanwhile: reload it."))
        if dates_changed:
            _lapse_pending(posting, actor=actor, reason="posting dates changed")
        posting.refresh_from_db()
        audit_record(
            actor=actor,
            action="labor.posting.update",
            target=posting,
            details={"workers": new_workers, "start": str(new_start), "end": str(new_end)},
        )
    return posting


def posting_withdraw(*, actor, posting_id: int) -> Posting:
    """Withdraw an open posting; its pending proposals lapse. Workers already in agreements
    stay agreed: the posting then closes as matched with just those."""
    scope = enterprise_scope(actor, "labor.post")
    if scope.empty:
        raise PermissionDenied(_("Your roles do not allow posting workers."))
    posting = posting_get(posting_id=posting_id, scope=scope)
    if posting.state != PostingState.OPEN:
        raise Conflict(_("Only an open posting can be withdrawn."))
    with transaction.atomic():
        locked = Posting.objects.select_for_update().get(pk=posting.pk)
        if locked.state != PostingState.OPEN:
            raise Conflict(_("Only an open posting can be withdrawn."))
        if locked.committed:
            locked.workers = locked.committed
            locked.state = PostingState.MATCHED
        else:
            locked.state = PostingState.WITHDRAWN
        locked.save(update_fields=["workers", "state", "updated_at"])
        _lapse_pending(locked, actor=actor, reason="posting withdrawn")
        audit_record(actor=actor, action="labor.posting.withdraw", target=locked)
    return locked


def skill_create(*, actor, code: str, name_en: str, name_zh: str) -> Skill:
    """Add a skill to the catalogue (an admin; the back office does the same)."""
    authorize(actor, "labor.skills")
    errors: dict[str, list[str]] = {}
    if not code.strip():
        errors["code"] = [_("A code is required.")]
    elif Skill.objects.filter(code=code.strip()).exists():
        errors["code"] = [_("That code is taken.")]
    if not name_en.strip():
        errors["name_en"] = [_("A name is required.")]
    if not name_zh.strip():
        errors["name_zh"] = [_("A name is required.")]
    if errors:
        raise ValidationFailed(_("The skill has problems."), fields=errors)
    with transaction.atomic():
        skill = Skill.objects.create(
            code=code.strip(), name_en=name_en.strip(), name_zh=name_zh.strip()
        )
        audit_record(actor=actor, action="labor.skill.create", target=skill)
    return skill
