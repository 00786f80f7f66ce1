"""The supply-chain board, member service requests and rent relief programs."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from coproduce.accounts.permissions import scope_for
from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from coproduce.orgs.models import Organization
from coproduce.recovery import rules
from coproduce.recovery.models import (
    ASSOCIATION_CATEGORIES,
    BoardMatch,
    BoardPost,
    Enterprise,
    EnterpriseMembership,
    IndustrialPark,
    RentReliefBeneficiary,
    RentReliefProgram,
    ServiceRequest,
)
from coproduce.recovery.scope import enterprise_scope


def _own_enterprise(actor, enterprise_id: int, permission: str) -> Enterprise:
    ent = (
        Enterprise.objects.select_related("region")
        .filter(enterprise_scope(actor, permission).q(), pk=enterprise_id)
        .first()
    )
    if ent is None:
        raise NotFound(_("No such enterprise in your scope."))
    return ent


def _desk_of(actor, association_id: int) -> bool:
    scope = scope_for(actor, "recovery.services.manage")
    return scope.everywhere or any(g.organization_id == association_id for g in scope.grants)


# --- the supply-chain board -----------------------------------------------------------------------


def _facts(post: BoardPost) -> rules.BoardPostFacts:
    ent = post.enterprise
    return rules.BoardPostFacts(
        id=post.pk,
        enterprise=ent.pk,
        topic=post.topic,
        material=post.material,
        region_path=ent.region.path,
        lat=float(ent.lat) if ent.lat is not None else None,
        lon=float(ent.lon) if ent.lon is not None else None,
    )


def _neighbours(post: BoardPost):
    """Open posts of the other kind among the enterprises sharing an association with `post`'s."""
    associations = EnterpriseMembership.objects.filter(enterprise_id=post.enterprise_id).values(
        "association_id"
    )
    peers = EnterpriseMembership.objects.filter(association_id__in=associations).values(
        "enterprise_id"
    )
    other = (
        BoardPost.Kind.OFFER if post.kind == BoardPost.Kind.SHORTAGE else BoardPost.Kind.SHORTAGE
    )
    return (
        BoardPost.objects.select_related("enterprise__region")
        .filter(kind=other, topic=post.topic, status=BoardPost.Status.OPEN)
        .filter(
            Q(enterprise_id__in=peers)
            | Q(enterprise__region__path__startswith=rules.city_path(post.enterprise.region.path))
        )
    )


def board_post_create(
    *,
    actor,
    enterprise_id: int,
    kind: str,
    topic: str,
    material: str,
    quantity: str = "",
    note: str = "",
) -> tuple[BoardPost, list[BoardMatch]]:
    """Post a shortage or an offer for an enterprise; the board proposes matches at once."""
    ent = _own_enterprise(actor, enterprise_id, "recovery.board")
    errors = {}
    if kind not in BoardPost.Kind.values:
        errors["kind"] = [_("Choose shortage or offer.")]
    if topic not in BoardPost.Topic.values:
        errors["topic"] = [_("Choose raw material or distribution route.")]
    if not rules.material_key(material):
        errors["material"] = [_("Name the material or route.")]
    if errors:
        raise ValidationFailed(_("The post has problems."), fields=errors)
    with transaction.atomic():
        post = BoardPost.objects.create(
            enterprise=ent,
            kind=kind,
            topic=topic,
            material=material.strip()[:200],
            quantity=quantity.strip()[:100],
            note=note.strip()[:500],
            created_by=actor,
        )
        matches = _propose(post)
        audit_record(actor=actor, action="recovery.board.post", target=post)
    return post, matches


def _propose(post: BoardPost) -> list[BoardMatch]:
    """Matches of `post` with open posts of the other side (rules.board_matches)."""
    others = list(_neighbours(post))
    made = []
    if post.kind == BoardPost.Kind.SHORTAGE:
        pairs = [(post, o, km) for o, km in _pairs(post, others)]
    else:
        pairs = []
        for s in others:
            for _o, km in rules.board_matches(_facts(s), [_facts(post)]):
                pairs.append((s, post, km))
    for shortage, offer, km in pairs:
        match, created = BoardMatch.objects.get_or_create(
            shortage=shortage,
            offer=offer,
            defaults={"distance_km": None if km is None else round(km, 1)},
        )
        if created:
            made.append(match)
    return made


def _pairs(shortage: BoardPost, offers: list[BoardPost]):
    by_id = {o.pk: o for o in offers}
    return [
        (by_id[f.id], km)
        for f, km in rules.board_matches(_facts(shortage), [_facts(o) for o in offers])
    ]


def board_match_accept(
    *, actor, match_id: int, enterprise_id: int, accept: bool = True
) -> BoardMatch:
    """One side of a match accepts (or declines) it; accepted by both, it is agreed and both
    posts are matched (they stay on the board as history)."""
    ent = _own_enterprise(actor, enterprise_id, "recovery.board")
    with transaction.atomic():
        m = (
            BoardMatch.objects.select_for_update()
            .select_related("shortage", "offer")
            .filter(pk=match_id)
            .filter(Q(shortage__enterprise=ent) | Q(offer__enterprise=ent))
            .first()
        )
        if m is None:
            raise NotFound(_("No such match for this enterprise."))
        if m.status != BoardMatch.Status.PROPOSED:
            raise Conflict(_("The match is already settled."), code="settled")
        if not accept:
            m.status = BoardMatch.Status.DECLINED
        elif m.shortage.enterprise_id == ent.pk:
            m.shortage_accepted = True
        else:
            m.offer_accepted = True
        if m.shortage_accepted and m.offer_accepted:
            m.status = BoardMatch.Status.AGREED
            BoardPost.objects.filter(pk__in=[m.shortage_id, m.offer_id]).update(
                status=BoardPost.Status.MATCHED
            )
        m.save()
        audit_record(
            actor=actor,
            action="recovery.board.accept" if accept else "recovery.board.decline",
            target=m,
        )
    return m


def board_post_close(*, actor, post_id: int) -> BoardPost:
    """Close a post (it stays as history); its proposed matches are declined."""
    with transaction.atomic():
        post = BoardPost.objects.select_for_update().filter(pk=post_id).first()
        if post is None:
            raise NotFound(_("No such post."))
        _own_enterprise(actor, post.enterprise_id, "recovery.board")
        if post.status == BoardPost.Status.CLOSED:
            raise Conflict(_("The post is already closed."), code="closed")
        post.status = BoardPost.Status.CLOSED
        post.closed_at = clock.now()
        post.save(update_fields=["status", "closed_at"])
        BoardMatch.objects.filter(
            Q(shortage=post) | Q(offer=post), status=BoardMatch.Status.PROPOSED
        ).update(status=BoardMatch.Status.DECLINED)
        audit_record(actor=actor, action="recovery.board.close", target=post)
    return post


# --- member services --------------------------------------------------------------------------------


def service_request_create(
    *,
    actor,
    enterprise_id: int,
    association: Organization,
    kind: str,
    topic: str,
    description: str,
    amount_fen: int | None = None,
) -> ServiceRequest:
    """A member asks its association's desk for financial services or legal aid."""
    ent = _own_enterprise(actor, enterprise_id, "recovery.services")
    errors = {}
    if not EnterpriseMembership.objects.filter(enterprise=ent, association=association).exists():
        errors["association"] = [_("The enterprise is not a member of this association.")]
    if kind not in ServiceRequest.Kind.values:
        errors["kind"] = [_("Choose financial services or legal aid.")]
    elif topic not in [t.value for t in rules.TOPICS[rules.ServiceKind(kind)]]:
        errors["topic"] = [_("Not a topic of this kind of service.")]
    if not description.strip():
        errors["description"] = [_("Describe what you need.")]
    elif len(description) > 2000:
        errors["description"] = [_("At most 2000 characters.")]
    if amount_fen is not None and amount_fen <= 0:
        errors["amount"] = [_("An amount is above zero.")]
    if errors:
        raise ValidationFailed(_("The request has problems."), fields=errors)
    today = clock.today()
    with transaction.atomic():
        req = ServiceRequest.objects.create(
            enterprise=ent,
            association=association,
            kind=kind,
            topic=topic,
            description=description.strip(),
            amount_fen=amount_fen,
            submitted_on=today,
            due_on=rules.service_due(topic, today),
            created_by=actor,
        )
        audit_record(actor=actor, action="recovery.service.create", target=req)
    return req


def service_request_update(
    *, actor, request_id: int, status: str, partner: str = "", outcome: str = ""
) -> ServiceRequest:
    """The association's desk moves a request on (assigns it to a bank or lawyer, resolves it)."""
    with transaction.atomic():
        req = ServiceRequest.objects.select_for_update().filter(pk=request_id).first()
        if req is None or not _desk_of(actor, req.association_id):
            raise NotFound(_("No such request at your desk."))
        if status not in ServiceRequest.Status.values:
            raise ValidationFailed.field("status", _("Not a known status."))
        if not rules.service_move_allowed(req.status, status):
            raise Conflict(
                _("A request %(from)s cannot become %(to)s.")
                % {"from": req.get_status_display(), "to": status},
                code="wrong_status",
            )
        if status == ServiceRequest.Status.ASSIGNED and not (partner.strip() or req.partner):
            raise ValidationFailed.field("partner", _("Name the bank or law firm."))
        req.status = status
        if partner.strip():
            req.partner = partner.strip()[:200]
        if outcome.strip():
            req.outcome = outcome.strip()[:500]
        if status in (ServiceRequest.Status.RESOLVED, ServiceRequest.Status.DECLINED):
            req.resolved_at = clock.now()
        req.save()
        audit_record(
            actor=actor, action="recovery.service.update", target=req, details={"status": status}
        )
    return req


# --- rent relief ------------------------------------------------------------------------------------


def rent_relief_program_create(
    *,
    actor,
    association: Organization,
    name: str,
    provider_kind: str,
    provider_name: str,
    kind: str,
    start_month: date,
    months: int,
    percent: int = 0,
    amount_fen: int = 0,
    park: IndustrialPark | None = None,
) -> RentReliefProgram:
    """Record a landlord's or park's rent reduction that the association negotiated or relays."""
    if association.category not in ASSOCIATION_CATEGORIES:
        raise ValidationFailed.field("association", _("Not an industrial or business association."))
    if not _desk_of(actor, association.pk):
        raise PermissionDenied(_("Only the association's staff record its rent relief."))
    errors = {}
    if not name.strip():
        errors["name"] = [_("A name is required.")]
    if provider_kind not in RentReliefProgram.Provider.values:
        errors["provider_kind"] = [_("Choose landlord or park.")]
    if not provider_name.strip():
        errors["provider_name"] = [_("Name the landlord or park.")]
    if kind == RentReliefProgram.Kind.PERCENTAGE:
        if not 1 <= percent <= 100:
            errors["percent"] = [_("A percentage is from 1 to 100.")]
    elif kind == RentReliefProgram.Kind.AMOUNT:
        if amount_fen <= 0:
            errors["amount"] = [_("An amount is above zero.")]
    else:
        errors["kind"] = [_("Choose a percentage or an amount.")]
    if not 1 <= months <= 24:
        errors["months"] = [_("From 1 to 24 months.")]
    if errors:
        raise ValidationFailed(_("The program has problems."), fields=errors)
    with transaction.atomic():
        program = RentReliefProgram.objects.create(
            association=association,
            name=name.strip()[:200],
            provider_kind=provider_kind,
            provider_name=provider_name.strip()[:200],
            park=park,
            kind=kind,
            percent=percent if kind == RentReliefProgram.Kind.PERCENTAGE else 0,
            amount_fen=amount_fen if kind == RentReliefProgram.Kind.AMOUNT else 0,
            start_month=start_month.replace(day=1),
            months=months,
            created_by=actor,
        )
        audit_record(actor=actor, action="recovery.rent_relief.create", target=program)
    return program


def rent_relief_beneficiary_add(
    *, actor, program_id: int, enterprise_id: int, monthly_rent_fen: int
) -> RentReliefBeneficiary:
    """Add a member that benefits, with its monthly rent; its relief follows the program's terms."""
    with transaction.atomic():
        program = RentReliefProgram.objects.select_for_update().filter(pk=program_id).first()
        if program is None or not _desk_of(actor, program.association_id):
            raise NotFound(_("No such program in your scope."))
        if not EnterpriseMembership.objects.filter(
            association_id=program.association_id, enterprise_id=enterprise_id
        ).exists():
            raise ValidationFailed.field("enterprise", _("Not a member of the association."))
        if not isinstance(monthly_rent_fen, int) or monthly_rent_fen <= 0:
            raise ValidationFailed.field("monthly_rent", _("A rent is above zero."))
        relief = rules.rent_relief_fen(
            kind=program.kind,
            percent=program.percent,
            amount_fen=program.amount_fen,
            monthly_rent_fen=monthly_rent_fen,
            months=program.months,
        )
        try:
            with transaction.atomic():
                b = RentReliefBeneficiary.objects.create(
                    program=program,
                    enterprise_id=enterprise_id,
                    monthly_rent_fen=monthly_rent_fen,
                    relief_fen=relief,
                )
        except IntegrityError:
            raise Conflict(_("This member already benefits."), code="already_benefits") from None
        audit_record(
            actor=actor,
            action="recovery.rent_relief.beneficiary",
            target=program,
            details={"enterprise": enterprise_id, "relief_fen": relief},
        )
    return b
