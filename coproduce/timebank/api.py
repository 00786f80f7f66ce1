"""The Voluntary Bank: /timebank/... accounts, statements (JSON, CSV, PDF), gifts, offers,
partners and redemptions. Holders act on their own account; partners on their own offers."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from coproduce.accounts.models import User
from coproduce.accounts.permissions import authorize
from coproduce.core import clock
from coproduce.core.api import Id, InputSchema, Limit, Offset, SafeDateTime
from coproduce.core.errors import NotFound, PermissionDenied, ValidationFailed
from coproduce.people.selectors import person_of_user
from coproduce.regions.selectors import region_get
from coproduce.timebank import exports, rules, selectors, services
from coproduce.timebank.models import Account, Offer, Partner, Redemption
from coproduce.volunteers.selectors import volunteer_of_user

router = Router(tags=["timebank"])


class AccountOut(Schema):
    kind: str
    key: str
    holder: str
    balance_minutes: int
    balance_hours: Decimal


class TimebankLineOut(Schema):
    at: datetime
    kind: str
    minutes: int
    balance: int
    counterparties: list[str]
    reference: str
    memo: str
    posting: str


class StatementOut(Schema):
    account: str
    start: datetime
    end: datetime
    opening: int
    closing: int
    credits: int
    debits: int
    lines: list[TimebankLineOut]


class GiftIn(InputSchema):
    to: str = Field(max_length=16, description="public id of a volunteer or resident")
    hours: Decimal = Field(gt=0, le=1000, max_digits=9, decimal_places=4)
    key: str = Field(min_length=1, max_length=60, description="idempotency key of this gift")
    memo: str = Field(default="", max_length=200)


class TimebankPostingOut(Schema):
    key: str
    kind: str
    at: datetime
    lines: list[tuple[str, int]]


class PartnerIn(InputSchema):
    name: str = Field(max_length=200)
    kind: str = Field(max_length=16)
    region: str = Field(max_length=20)
    slug: str = Field(default="", max_length=80)
    staff: list[str] = Field(default_factory=list, max_length=50)


class PartnerOut(Schema):
    slug: str
    name: str
    kind: str
    region: str
    balance_minutes: int


class OfferIn(InputSchema):
    title: str = Field(max_length=200)
    hours: Decimal = Field(gt=0, le=1000, max_digits=9, decimal_places=4)
    description: str = Field(default="", max_length=2000)


class OfferOut(Schema):
    id: int
    partner: str
    partner_name: str
    title: str
    description: str
    price_minutes: int
    price_hours: Decimal
    active: bool


class RedeemIn(InputSchema):
    offer: Id
    key: str = Field(min_length=1, max_length=60, description="idempotency key of this request")


class DecideIn(InputSchema):
    note: str = Field(default="", max_length=300)


class RedemptionOut(Schema):
    id: int
    offer: int
    title: str
    partner: str
    holder: str
    minutes: int
    status: str
    requested_at: datetime
    decided_at: datetime | None
    note: str


def account_out(account: Account) -> dict:
    holder = (
        account.volunteer.name
        if account.volunteer_id
        else account.person.name
        if account.person_id
        else account.partner.name
        if account.partner_id
        else account.key
    )
    return {
        "kind": account.kind,
        "key": account.key,
        "holder": holder,
        "balance_minutes": account.balance,
        "balance_hours": rules.minutes_to_hours(account.balance),
    }


def offer_out(offer: Offer) -> dict:
    return {
        "id": offer.pk,
        "partner": offer.partner.slug,
        "partner_name": offer.partner.name,
        "title": offer.title,
        "description": offer.description,
        "price_minutes": offer.price_minutes,
        "price_hours": rules.minutes_to_hours(offer.price_minutes),
        "active": offer.active,
    }


def redemption_out(r: Redemption) -> dict:
    return {
        "id": r.pk,
        "offer": r.offer_id,
        "title": r.offer.title,
        "partner": r.offer.partner.slug,
        "holder": r.account.key,
        "minutes": r.offer.price_minutes,
        "status": r.status,
        "requested_at": r.requested_at,
        "decided_at": r.decided_at,
        "note": r.note,
    }


def statement_out(statement: rules.Statement) -> dict:
    return {
        "account": statement.account.key,
        "start": statement.start,
        "end": statement.end,
        "opening": statement.opening,
        "closing": statement.closing,
        "credits": statement.credits,
        "debits": statement.debits,
        "lines": [
            {
                "at": line.at,
                "kind": line.kind.value,
                "minutes": line.minutes,
                "balance": line.balance,
                "counterparties": [f"{a.kind.value}:{a.key}" for a in line.counterparties],
                "reference": line.reference,
                "memo": line.memo,
                "posting": line.posting_key,
            }
            for line in statement.lines
        ],
    }


def my_account(user) -> Account:
    """The caller's own account: as a volunteer, else as a resident; 403 for anyone else."""
    volunteer = volunteer_of_user(user=user)
    if volunteer is not None:
        return services.account_of_volunteer(volunteer=volunteer)
    person = person_of_user(user=user) if getattr(user, "is_authenticated", False) else None
    if person is not None:
        return services.account_of_person(person=person)
    authorize(user, "timebank.view")  # raises 401 for no one, and 403 for staff without it
    # The pages share this helper: the message is in the reader's language.
    raise PermissionDenied(_("Only volunteers and residents hold hours."), code="no_account")


def _minutes(hours: Decimal, field: str = "hours") -> int:
    try:
        return rules.hours_to_minutes(hours)
    except (ValueError, TypeError) as exc:
        raise ValidationFailed.field(field, str(exc)) from None


def _period(start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
    end = end or clock.now() + timedelta(seconds=1)
    start = start or datetime(2000, 1, 1, tzinfo=end.tzinfo)
    if end < start:
        raise ValidationFailed.field("end", "The period ends after it starts.")
    return start, end


def statement_answer(account: Account, start, end, format: str, holder: str):
    """The statement as JSON, or a CSV or PDF download."""
    statement = selectors.statement_get(account=account, start=start, end=end)
    name = f"statement-{account.key}-{clock.local_date(end):%Y%m%d}"
    if format == "csv":
        response = HttpResponse(
            exports.statement_csv(statement, holder=holder, zone=clock.local_zone()),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if format == "pdf":
        response = HttpResponse(
            exports.statement_pdf(statement, holder=holder, zone=clock.local_zone()),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    return statement_out(statement)


@router.get("/timebank/accounts/me", response=AccountOut)
def account_me(request: HttpRequest):
    """Your balance, derived from your entries."""
    return account_out(my_account(request.user))


# ?format=csv or pdf answers a download instead of JSON: declared, so the schema says so.
STATEMENT_FILES = {
    "responses": {
        200: {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            }
        }
    }
}


@router.get("/timebank/accounts/me/statement", response=StatementOut, openapi_extra=STATEMENT_FILES)
def statement_me(
    request: HttpRequest,
    start: SafeDateTime | None = None,
    end: SafeDateTime | None = None,
    format: str = Query("json", pattern="^(json|csv|pdf)$"),
):
    """Your statement for a period (all time by default): JSON, `format=csv` or `format=pdf`."""
    account = my_account(request.user)
    start, end = _period(start, end)
    return statement_answer(account, start, end, format, account_out(account)["holder"])


@router.get("/timebank/accounts", response=list[AccountOut])
def account_list(
    request: HttpRequest,
    kind: str | None = Query(None, max_length=12),
    limit: Limit = 100,
    offset: Offset = 0,
):
    """Holders' accounts in the caller's scope (staff)."""
    scope = authorize(request.user, "timebank.view")
    accounts = selectors.account_list(scope=scope, kind=kind)[offset : offset + limit]
    return [account_out(a) for a in accounts]


@router.get(
    "/timebank/accounts/{kind}/{key}/statement",
    response=StatementOut,
    openapi_extra=STATEMENT_FILES,
)
def statement_of(
    request: HttpRequest,
    kind: str,
    key: str,
    start: SafeDateTime | None = None,
    end: SafeDateTime | None = None,
    format: str = Query("json", pattern="^(json|csv|pdf)$"),
):
    """A holder's statement, for staff of their region."""
    scope = authorize(request.user, "timebank.view")
    account = selectors.account_get(kind=kind, key=key, scope=scope)
    start, end = _period(start, end)
    return statement_answer(account, start, end, format, account_out(account)["holder"])


@router.post("/timebank/gifts", response={201: TimebankPostingOut})
def gift(request: HttpRequest, payload: GiftIn):
    """Give hours to another volunteer or a resident (an elderly neighbour); never below zero."""
    source = my_account(request.user)
    posting = services.hours_gift(
        source=source,
        to=payload.to,
        minutes=_minutes(payload.hours),
        key=payload.key,
        actor=request.user,
        memo=payload.memo,
    )
    lines = [(e.account.key, e.minutes) for e in posting.entries.select_related("account")]
    return Status(201, {"key": posting.key, "kind": posting.kind, "at": posting.at, "lines": lines})


@router.get("/timebank/offers", response=list[OfferOut])
def offer_list(request: HttpRequest):
    """Offers you can redeem hours for, from partners serving your home region."""
    account = my_account(request.user)
    return [offer_out(o) for o in selectors.offers_for(home_region=account.region)]


@router.post("/timebank/redemptions", response={201: RedemptionOut})
def redeem(request: HttpRequest, payload: RedeemIn):
    """Redeem hours for an offer: they leave your balance now and return if the partner refuses."""
    account = my_account(request.user)
    offer = selectors.offer_get(offer_id=payload.offer, home_region=account.region)
    redemption = services.redemption_request(
        account=account, offer=offer, key=payload.key, actor=request.user
    )
    return Status(201, redemption_out(redemption))


@router.get("/timebank/redemptions/mine", response=list[RedemptionOut])
def redemptions_mine(request: HttpRequest):
    """Your redemptions and their state."""
    account = my_account(request.user)
    return [redemption_out(r) for r in selectors.redemptions_of(account=account)]


@router.post("/timebank/partners", response={201: PartnerOut})
def partner_create(request: HttpRequest, payload: PartnerIn):
    """Register a partner (bank, shop, public service) that honours hours."""
    try:
        region = region_get(code=payload.region)
    except NotFound:
        raise ValidationFailed.field(
            "region", f"No region has the code {payload.region!r}."
        ) from None
    authorize(request.user, "timebank.partners", region=region)
    staff = list(User.objects.filter(username__in=payload.staff))
    if len(staff) != len(set(payload.staff)):
        raise ValidationFailed.field("staff", "Some of these usernames do not exist.")
    partner = services.partner_create(
        name=payload.name,
        kind=payload.kind,
        region=region,
        slug=payload.slug,
        staff=staff,
        actor=request.user,
    )
    return Status(201, partner_out(partner))


def partner_out(partner: Partner) -> dict:
    return {
        "slug": partner.slug,
        "name": partner.name,
        "kind": partner.kind,
        "region": partner.region_id,
        "balance_minutes": services.account_of_partner(partner=partner).balance,
    }


def my_partner(user, slug: str) -> Partner:
    """A partner the caller works for, within their partner role's scope; else 404/403."""
    scope = authorize(user, "timebank.partner")
    partner = selectors.partners_of_user(user=user, scope=scope).filter(slug=slug).first()
    if partner is None:
        raise NotFound("You do not work for this partner.", code="partner_not_found")
    return partner


@router.get("/timebank/partners/mine", response=list[PartnerOut])
def partners_mine(request: HttpRequest):
    """The partners you work for."""
    scope = authorize(request.user, "timebank.partner")
    return [partner_out(p) for p in selectors.partners_of_user(user=request.user, scope=scope)]


@router.post("/timebank/partners/{slug}/offers", response={201: OfferOut})
def offer_create(request: HttpRequest, slug: str, payload: OfferIn):
    """Publish an offer priced in hours (for example a loan interest discount)."""
    partner = my_partner(request.user, slug)
    offer = services.offer_create(
        partner=partner,
        title=payload.title,
        price_minutes=_minutes(payload.hours),
        description=payload.description,
        actor=request.user,
    )
    return Status(201, offer_out(offer))


@router.get("/timebank/partners/{slug}/redemptions", response=list[RedemptionOut])
def partner_redemptions(
    request: HttpRequest, slug: str, status: str | None = Query(None, max_length=10)
):
    """Redemptions of your offers (`status=pending` for those to decide)."""
    partner = my_partner(request.user, slug)
    qs = selectors.redemptions_for_partners(partners=[partner], status=status)
    return [redemption_out(r) for r in qs[:500]]


def _redemption_for_partner(user, redemption_id: int) -> Redemption:
    scope = authorize(user, "timebank.partner")
    partners = selectors.partners_of_user(user=user, scope=scope)
    redemption = (
        selectors.redemptions_for_partners(partners=partners).filter(pk=redemption_id).first()
    )
    if redemption is None:
        raise NotFound("No such redemption of your offers.", code="redemption_not_found")
    return redemption


@router.post("/timebank/redemptions/{redemption_id}/confirm", response=RedemptionOut)
def redemption_confirm(request: HttpRequest, redemption_id: Id, payload: DecideIn):
    """The partner confirms a redemption: the benefit is given."""
    redemption = _redemption_for_partner(request.user, redemption_id)
    return redemption_out(
        services.redemption_decide(
            redemption=redemption, accept=True, actor=request.user, note=payload.note
        )
    )


@router.post("/timebank/redemptions/{redemption_id}/refuse", response=RedemptionOut)
def redemption_refuse(request: HttpRequest, redemption_id: Id, payload: DecideIn):
    """The partner refuses a redemption: the hours return to the holder."""
    redemption = _redemption_for_partner(request.user, redemption_id)
    return redemption_out(
        services.redemption_decide(
            redemption=redemption, accept=False, actor=request.user, note=payload.note
        )
    )
