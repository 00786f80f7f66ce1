"""People and households: /residents, /people, /households."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from coproduce.accounts.permissions import authorize, scope_for
from coproduce.core.api import Id, InputSchema, Offset, SafeDate
from coproduce.core.errors import NotFound, PermissionDenied, ValidationFailed
from coproduce.people import selectors, services
from coproduce.people.models import Person
from coproduce.regions.selectors import region_get

router = Router(tags=["people"])


class TravelIn(InputSchema):
    region: str = Field(max_length=20)
    date: SafeDate


class DeclarationIn(InputSchema):
    travel: list[TravelIn] = Field(default_factory=list, max_length=50)
    case_contact: bool = False
    symptoms: list[str] = Field(default_factory=list, max_length=50)


class ResidentIn(InputSchema):
    national_id: str = Field(max_length=32)
    name: str = Field(max_length=200)
    phone: str = Field(default="", max_length=32)
    home_region: str = Field(max_length=20)
    household: Id | None = None
    declaration: DeclarationIn | None = None


class ResidentPatch(InputSchema):
    name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=32)
    home_region: str | None = Field(default=None, max_length=20)


class ResidentOut(Schema):
    id: str
    name: str
    phone: str
    national_id_last4: str
    home_region: str
    household: int | None
    status: str
    by_proxy: bool
    created_at: datetime


class UnregisteredIn(InputSchema):
    name: str = Field(max_length=200)
    home_region: str = Field(max_length=20)
    phone: str = Field(default="", max_length=32)
    national_id: str = Field(default="", max_length=32)
    note: str = Field(default="", max_length=400)


class MergeIn(InputSchema):
    keep: str = Field(max_length=16)
    remove: str = Field(max_length=16)


class DuplicateOut(Schema):
    a: ResidentOut
    b: ResidentOut
    same_phone: bool
    similar_name_same_area: bool


class HouseholdIn(InputSchema):
    region: str = Field(max_length=20)
    label: str = Field(max_length=300)
    members: list[str] = Field(default_factory=list, max_length=50)


class HouseholdOut(Schema):
    id: int
    region: str
    label: str
    members: list[str]


def resident_out(person: Person) -> dict:
    return {
        "id": person.public_id,
        "name": person.name,
        "phone": person.phone,
        "national_id_last4": person.national_id_last4,
        "home_region": person.home_region_id,
        "household": person.household_id,
        "status": person.status,
        "by_proxy": person.by_proxy,
        "created_at": person.created_at,
    }


def household_out(household) -> dict:
    return {
        "id": household.pk,
        "region": household.region_id,
        "label": household.label,
        "members": [p.public_id for p in household.members.all()],
    }


def resident_for_request(
    request: HttpRequest, public_id: str, permission: str = "people.view"
) -> Person:
    """The person `public_id` if the caller is that resident, or staff with `permission` there."""
    own = selectors.person_of_user(user=request.user)
    if own is not None and own.public_id == public_id:
        return own
    scope = scope_for(request.user, permission)
    if scope.empty:
        raise NotFound("No such person in your scope.", code="person_not_found")
    return services.person_open(
        person=selectors.person_get(public_id=public_id, scope=scope), actor=request.user
    )


@router.post("/residents", response={201: ResidentOut})
def resident_register(request: HttpRequest, payload: ResidentIn):
    """Register a resident: staff in scope register others by proxy; residents register self."""
    user = request.user
    register_scope = scope_for(user, "people.register")
    household = None
    if register_scope.empty:
        # Self-registration: the record is linked to the caller's own account, once.
        if selectors.person_of_user(user=user) is not None:
            raise PermissionDenied("You are registered already.", code="already_registered")
        if payload.household is not None:
            raise ValidationFailed.field("household", "Staff add people to households.")
        own_account = user
    else:
        region = _region_or_none(payload.home_region)
        if region is not None and not register_scope.covers(region.path):
            raise PermissionDenied("This residential area is outside your scope.")
        if payload.household is not None:
            household = selectors.household_get(
                household_id=payload.household, scope=register_scope
            )
        own_account = None
    declaration = None
    if payload.declaration is not None:
        declaration = services.DeclarationInput(
            travel=[
                services.TravelInput(region=t.region, date=t.date)
                for t in payload.declaration.travel
            ],
            case_contact=payload.declaration.case_contact,
            symptoms=list(payload.declaration.symptoms),
        )
    person = services.person_register(
        national_id=payload.national_id,
        name=payload.name,
        phone=payload.phone,
        home_region=payload.home_region,
        household=household,
        declaration=declaration,
        actor=user,
        own_account=own_account,
    )
    return Status(201, resident_out(person))


def _region_or_none(code: str):
    try:
        return region_get(code=code)
    except NotFound:
        return None  # the service reports the unknown code as a field error


@router.get("/residents", response=list[ResidentOut])
def resident_list(
    request: HttpRequest,
    region: str | None = None,
    q: str = "",
    status: str | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: Offset = 0,
):
    """People in the caller's scope (staff), newest first."""
    scope = authorize(request.user, "people.view")
    people = selectors.person_list(
        scope=scope,
        region=region_get(code=region) if region else None,
        search=q[:100],
        status=status,
    )
    return [resident_out(p) for p in people[offset : offset + limit]]


@router.get("/residents/{public_id}", response=ResidentOut)
def resident_detail(request: HttpRequest, public_id: str):
    """One person: the resident themselves, or staff in scope (audited)."""
    return resident_out(resident_for_request(request, public_id))


@router.patch("/residents/{public_id}", response=ResidentOut)
def resident_update(request: HttpRequest, public_id: str, payload: ResidentPatch):
    """Correct a person's name, phone or home (staff in scope)."""
    scope = authorize(request.user, "people.edit")
    person = selectors.person_get(public_id=public_id, scope=scope)
    if payload.home_region is not None:
        authorize(request.user, "people.edit", region=region_get(code=payload.home_region))
    person = services.person_update(
        person=person, actor=request.user, **payload.model_dump(exclude_unset=True)
    )
    return resident_out(person)


@router.post("/people/unregistered", response={201: ResidentOut})
def unregistered_record(request: HttpRequest, payload: UnregisteredIn):
    """Record a person named in fieldwork who is not registered."""
    authorize(request.user, "people.register", region=region_get(code=payload.home_region))
    person = services.person_record_unregistered(actor=request.user, **payload.model_dump())
    return Status(201, resident_out(person))


@router.get("/people/duplicates", response=list[DuplicateOut])
def duplicate_list(request: HttpRequest):
    """Records in scope that may be the same person."""
    scope = authorize(request.user, "people.duplicates")
    return [
        {
            "a": resident_out(p.a),
            "b": resident_out(p.b),
            "same_phone": p.same_phone,
            "similar_name_same_area": p.similar_name_same_area,
        }
        for p in selectors.duplicate_list(scope=scope)
    ]


@router.post("/people/merge", response=ResidentOut)
def person_merge(request: HttpRequest, payload: MergeIn):
    """Join two records of one person, with everything attached to them (audited)."""
    scope = authorize(request.user, "people.merge")
    keep = selectors.person_get(public_id=payload.keep, scope=scope)
    remove = selectors.person_get(public_id=payload.remove, scope=scope)
    return resident_out(services.person_merge(keep=keep, remove=remove, actor=request.user))


@router.post("/households", response={201: HouseholdOut})
def household_create(request: HttpRequest, payload: HouseholdIn):
    """Group people living at one address."""
    region = region_get(code=payload.region)
    scope = authorize(request.user, "people.register", region=region)
    members = [selectors.person_get(public_id=m, scope=scope) for m in payload.members]
    household = services.household_create(
        region=region, label=payload.label, members=members, actor=request.user
    )
    return Status(201, household_out(household))


@router.get("/households/{household_id}", response=HouseholdOut)
def household_detail(request: HttpRequest, household_id: Id):
    """A household and its members (staff in scope)."""
    scope = authorize(request.user, "people.view")
    return household_out(selectors.household_get(household_id=household_id, scope=scope))
