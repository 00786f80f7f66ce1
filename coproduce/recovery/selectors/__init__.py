"""Reads of parks, enterprises and their reports, always within the caller's scope."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from coproduce.accounts.permissions import Scope
from coproduce.core.errors import NotFound
from coproduce.recovery.models import Enterprise, IndustrialPark, ResumptionReport
from coproduce.recovery.scope import EnterpriseScope


def park_list(*, scope: Scope) -> QuerySet[IndustrialPark]:
    """Parks of the scope's regions."""
    return IndustrialPark.objects.select_related("region").filter(scope.region_q("region"))


def park_get(*, park_id: int, scope: Scope) -> IndustrialPark:
    """One park in scope, or NotFound."""
    park = park_list(scope=scope).filter(pk=park_id).first()
    if park is None:
        raise NotFound(_("No such park in your scope."))
    return park


def enterprise_list(
    *, scope: EnterpriseScope, association_id: int | None = None, region_path: str = ""
) -> QuerySet[Enterprise]:
    """Enterprises in the caller's enterprise scope (recovery.scope), optionally narrowed."""
    qs = Enterprise.objects.select_related("region", "park").filter(scope.q())
    if association_id is not None:
        qs = qs.filter(memberships__association_id=association_id)
    if region_path:
        qs = qs.filter(region__path__startswith=region_path)
    return qs.order_by("name", "id")


def enterprise_get(*, enterprise_id: int, scope: EnterpriseScope) -> Enterprise:
    """One enterprise in the caller's scope, or NotFound (out of scope reads as absent)."""
    ent = (
        Enterprise.objects.select_related("region", "park")
        .filter(scope.q(), pk=enterprise_id)
        .first()
    )
    if ent is None:
        raise NotFound(_("No such enterprise in your scope."))
    return ent


def enterprise_get_in_region(*, enterprise_id: int, scope: Scope) -> Enterprise:
    """An enterprise in the regions of the caller's grants, member of theirs or not (an
    association adding a member of its region), or NotFound."""
    ent = (
        Enterprise.objects.select_related("region")
        .filter(scope.region_q("region"), pk=enterprise_id)
        .first()
    )
    if ent is None:
        raise NotFound(_("No such enterprise in your scope."))
    return ent


def enterprises_of_user(*, user) -> QuerySet[Enterprise]:
    """The enterprises a user represents (their own, whatever their role)."""
    return Enterprise.objects.filter(representatives__user=user).order_by("name", "id")


def report_list(*, enterprise: Enterprise) -> QuerySet[ResumptionReport]:
    """An enterprise's reports, newest first (the caller got the enterprise within scope)."""
    return ResumptionReport.objects.filter(enterprise=enterprise).order_by("-date")
