"""Reads of purchases, the board, service requests and rent relief, within the caller's
enterprise scope (recovery.scope): what concerns the associations it staffs, or the
associations of the enterprises it reaches."""

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from coproduce.core.errors import NotFound
from coproduce.recovery.models import (
    BoardMatch,
    BoardPost,
    Enterprise,
    EnterpriseMembership,
    Procurement,
    RentReliefProgram,
    ServiceRequest,
)
from coproduce.recovery.scope import EnterpriseScope


def association_ids(*, scope: EnterpriseScope) -> QuerySet | None:
    """The associations the scope reaches (None: every association)."""
    if scope.everywhere:
        return None
    members = Enterprise.objects.filter(scope.q()).values("pk")
    return (
        EnterpriseMembership.objects.filter(
            Q(association_id__in=scope.association_ids) | Q(enterprise_id__in=members)
        )
        .values("association_id")
        .distinct()
    )


def _by_association(qs: QuerySet, scope: EnterpriseScope) -> QuerySet:
    ids = association_ids(scope=scope)
    if ids is None:
        return qs
    return qs.filter(Q(association_id__in=ids) | Q(association_id__in=scope.association_ids))


def procurement_list(*, scope: EnterpriseScope) -> QuerySet[Procurement]:
    """Purchases of the associations in reach, newest first."""
    return _by_association(Procurement.objects.select_related("association"), scope)


def procurement_get(*, procurement_id: int, scope: EnterpriseScope) -> Procurement:
    """One purchase in reach, or NotFound."""
    p = procurement_list(scope=scope).filter(pk=procurement_id).first()
    if p is None:
        raise NotFound(_("No such purchase in your scope."))
    return p


def board_posts(*, scope: EnterpriseScope, include_closed: bool = False) -> QuerySet[BoardPost]:
    """Board posts of the enterprises of the associations in reach (closed ones as history)."""
    qs = BoardPost.objects.select_related("enterprise__region")
    ids = association_ids(scope=scope)
    if ids is not None:
        peers = EnterpriseMembership.objects.filter(association_id__in=ids).values("enterprise_id")
        qs = qs.filter(Q(enterprise_id__in=peers) | scope.q("enterprise__"))
    if not include_closed:
        qs = qs.exclude(status=BoardPost.Status.CLOSED)
    return qs


def board_matches_of(*, scope: EnterpriseScope) -> QuerySet[BoardMatch]:
    """Matches whose shortage or offer is an enterprise of the scope."""
    return BoardMatch.objects.select_related("shortage__enterprise", "offer__enterprise").filter(
        scope.q("shortage__enterprise__") | scope.q("offer__enterprise__")
    )


def service_requests(*, scope: EnterpriseScope) -> QuerySet[ServiceRequest]:
    """Requests at the desks of the associations the caller staffs, or of its enterprises."""
    qs = ServiceRequest.objects.select_related("enterprise", "association")
    if scope.everywhere:
        return qs
    return qs.filter(Q(association_id__in=scope.association_ids) | scope.q("enterprise__"))


def service_request_get(*, request_id: int, scope: EnterpriseScope) -> ServiceRequest:
    """One request in reach, or NotFound."""
    req = service_requests(scope=scope).filter(pk=request_id).first()
    if req is None:
        raise NotFound(_("No such request in your scope."))
    return req


def rent_relief_programs(*, scope: EnterpriseScope) -> QuerySet[RentReliefProgram]:
    """Rent relief programs of the associations in reach, with their totals."""
    return _by_association(
        RentReliefProgram.objects.select_related("association", "park").annotate(
            relief_total_fen=Sum("beneficiaries__relief_fen")
        ),
        scope,
    )
