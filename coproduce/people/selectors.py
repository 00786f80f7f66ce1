"""Reads of people, always within the caller's scope."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from coproduce.accounts.permissions import Scope
from coproduce.core.errors import NotFound
from coproduce.people import rules
from coproduce.people.models import Household, Person

# The duplicate check compares names within one area: areas with more unregistered people than
# this are compared on their first ones (a staff list is read by people, not machines).
DUPLICATE_SCAN_LIMIT = 2000


def person_list(
    *, scope: Scope, region=None, search: str = "", status: str | None = None
) -> QuerySet[Person]:
    """People living in the scope (and under `region`), newest first."""
    qs = Person.objects.select_related("home_region", "household").filter(
        scope.region_q("home_region")
    )
    qs = qs.exclude(status=Person.Status.MERGED)
    if region is not None:
        qs = qs.filter(home_region__path__startswith=region.path)
    if status:
        qs = qs.filter(status=status)
    if search:
        digits = rules.phone_normalize(search)
        q = Q(name__icontains=search) | Q(public_id=search.upper())
        if len(digits) >= 5:
            q |= Q(phone=digits)
        if len(search) == 4:
            q |= Q(national_id_last4=search.upper())
        qs = qs.filter(q)
    return qs.order_by("-created_at", "-id")


def person_search(*, scope: Scope, query: str, limit: int = 10) -> list[Person]:
    """People in scope found by part of the name, the phone (5 digits or more, any part), the
    last four characters of the ID number or the public id: the pickers' one search."""
    query = (query or "").strip()[:100]
    if not query or scope.empty:
        return []
    q = Q(name__icontains=query) | Q(public_id=query.upper())
    digits = rules.phone_normalize(query)
    if len(digits) >= 5 and digits.isdigit():
        q |= Q(phone__contains=digits)
    if len(query) == 4:
        q |= Q(national_id_last4=query.upper())
    found = (
        Person.objects.select_related("home_region")
        .filter(scope.region_q("home_region"))
        .exclude(status=Person.Status.MERGED)
        .filter(q)
        .order_by("name", "id")
    )
    return list(found[:limit])


def person_get(*, public_id: str, scope: Scope) -> Person:
    """One person in scope by public id (a merged id leads to the surviving record), or NotFound."""
    person = (
        Person.objects.select_related("home_region", "household", "merged_into__home_region")
        .filter(public_id=public_id)
        .first()
    )
    if person is not None and person.status == Person.Status.MERGED:
        person = person.merged_into
    # Out of scope looks the same as absent: the caller learns nothing about other counties.
    if person is None or not scope.covers(person.home_region.path):
        raise NotFound(_("No such person in your scope."), code="person_not_found")
    return person


def person_of_user(*, user) -> Person | None:
    """The person record a resident's account acts for, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.select_related("home_region").filter(user=user).first()


def household_get(*, household_id: int, scope: Scope) -> Household:
    """One household in scope with its members."""
    household = (
        Household.objects.select_related("region")
        .prefetch_related("members")
        .filter(pk=household_id)
        .first()
    )
    if household is None or not scope.covers(household.region.path):
        raise NotFound(_("No such household in your scope."), code="household_not_found")
    return household


@dataclass(frozen=True)
class DuplicatePair:
    """Two person records that may be the same person, and why."""

    a: Person
    b: Person
    same_phone: bool
    similar_name_same_area: bool


def duplicate_list(*, scope: Scope, limit: int = 200) -> list[DuplicatePair]:
    """Possible duplicates in scope: the same phone, or a similar name in the same area.

    Each pair involves at least one unregistered record or shares a phone; registered records
    with different ID numbers are never paired on names alone (they are different people).
    """
    people = Person.objects.filter(scope.region_q("home_region")).exclude(
        status=Person.Status.MERGED
    )
    pairs: dict[tuple[int, int], DuplicatePair] = {}
    # Same phone: one grouped query finds the shared numbers, a second loads their holders.
    shared = (
        people.exclude(phone="")
        .values("phone")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values("phone")
    )
    by_phone: dict[str, list[Person]] = defaultdict(list)
    for p in people.filter(phone__in=shared[:limit]).select_related("home_region"):
        by_phone[p.phone].append(p)
    for group in by_phone.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                key = (min(a.pk, b.pk), max(a.pk, b.pk))
                pairs[key] = DuplicatePair(
                    a,
                    b,
                    True,
                    rules.names_similar(a.name, b.name) and a.home_region_id == b.home_region_id,
                )
    # Similar names: compare each unregistered record with everyone in its own area.
    unregistered = list(people.filter(status=Person.Status.UNREGISTERED)[:DUPLICATE_SCAN_LIMIT])
    areas = {p.home_region_id for p in unregistered}
    neighbours: dict[str, list[Person]] = defaultdict(list)
    for p in people.filter(home_region_id__in=areas).select_related("home_region"):
        neighbours[p.home_region_id].append(p)
    for u in unregistered:
        for other in neighbours[u.home_region_id]:
            if other.pk == u.pk:
                continue
            key = (min(u.pk, other.pk), max(u.pk, other.pk))
            if key in pairs:
                continue
            reason = rules.duplicate_reason(
                phone_a=u.phone,
                phone_b=other.phone,
                name_a=u.name,
                name_b=other.name,
                same_area=True,
            )
            if reason:
                pairs[key] = DuplicatePair(
                    u, other, reason.same_phone, reason.similar_name_same_area
                )
        if len(pairs) >= limit:
            break
    return list(pairs.values())[:limit]
