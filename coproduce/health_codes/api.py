"""Health codes over JSON: risk levels, daily reports, the code, QR images, trust list, verify,
conditions, appeals and family proxies."""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status

from coproduce.accounts.models import User
from coproduce.accounts.permissions import authorize, scope_for
from coproduce.core import clock
from coproduce.core.api import InputSchema
from coproduce.core.errors import NotFound, PermissionDenied
from coproduce.health_codes import qrcodes, rules, selectors, services, texts
from coproduce.health_codes.models import Appeal, Condition, HealthReport, ProxyConsent
from coproduce.people import selectors as people_selectors
from coproduce.people.models import Person
from coproduce.people.services import person_open
from coproduce.regions.models import RegionRiskLevel
from coproduce.regions.selectors import region_get, risk_history, risk_levels_at
from coproduce.regions.services import region_risk_set

router = Router(tags=["health codes"])


# --- who may act for a person --------------------------------------------------------------


def person_for_request(request: HttpRequest, public_id: str, permission: str) -> tuple[Person, str]:
    """The person and how the caller acts for them: "self", "proxy" (family) or "staff" (audited)."""
    user = request.user
    own = people_selectors.person_of_user(user=user)
    if own is not None and own.public_id == public_id:
        return own, "self"
    managed = selectors.managed_people(user=user).filter(public_id=public_id).first()
    if managed is not None:
        return managed, "proxy"
    scope = scope_for(user, permission)
    if scope.empty:
        raise NotFound("No such person in your scope.", code="person_not_found")
    person = people_selectors.person_get(public_id=public_id, scope=scope)
    return person_open(person=person, actor=user), "staff"


def proxy_for_request(
    request: HttpRequest, public_id: str, username: str
) -> tuple[ProxyConsent, str]:
    """A live consent the caller may withdraw, and how they stand: "self", "proxy" or "staff".

    The parties may: the person (any of their proxies) and the proxy (their own consent); so
    may staff with health_codes.proxy in the person's scope (audited as a view of the record).
    Anyone else is not party to it (403, whether or not it exists); an unknown person or
    consent is 404, and so is a person outside the staff member's scope (architecture.md).
    """
    user = request.user
    own = people_selectors.person_of_user(user=user)
    if own is not None and own.public_id == public_id:
        return selectors.proxy_consent_named(person=own, username=username), "self"
    if username == user.get_username():
        managed = selectors.managed_people(user=user).filter(public_id=public_id).first()
        if managed is not None:
            return selectors.proxy_consent_named(person=managed, username=username), "proxy"
    scope = scope_for(user, "health_codes.proxy")
    if scope.empty:
        raise PermissionDenied(
            "Only the person, the proxy themselves or staff in scope withdraw a consent."
        )
    person = people_selectors.person_get(public_id=public_id, scope=scope)
    person_open(person=person, actor=user)
    return selectors.proxy_consent_named(person=person, username=username), "staff"


# --- region risk levels ------------------------------------------------------------------


class RiskIn(InputSchema):
    level: rules.RiskLevel
    effective_from: dt.date
    note: str = Field(default="", max_length=300)


class RiskOut(Schema):
    region: str
    level: str
    effective_from: dt.date
    note: str
    set_at: dt.datetime


class RiskStateOut(Schema):
    region: str
    current: str
    history: list[RiskOut]


def _risk_out(r: RegionRiskLevel) -> dict:
    return {
        "region": r.region_id,
        "level": r.level,
        "effective_from": r.effective_from,
        "note": r.note,
        "set_at": r.set_at,
    }


# The endpoint lives here rather than in regions/api.py: regions sits below accounts, whose
# permission helper it needs (docs/health_codes.md). The model and service are in regions.
@router.put("/regions/{code}/risk", response=RiskOut)
def region_risk_put(request: HttpRequest, code: str, payload: RiskIn):
    """Set a region's risk level from a date (health officials of the region's scope)."""
    region = region_get(code=code)
    authorize(request.user, "regions.set_risk", region=region)
    record = region_risk_set(
        region=region,
        level=payload.level.value,
        effective_from=payload.effective_from,
        note=payload.note,
        actor=request.user,
    )
    return _risk_out(record)


@router.get("/regions/{code}/risk", response=RiskStateOut, auth=None)
def region_risk_get(request: HttpRequest, code: str, on: dt.date | None = None):
    """A region's risk level in force (today or `on`) and its history (public, like a map)."""
    region = region_get(code=code)
    day = on or clock.today()
    return {
        "region": region.code,
        "current": risk_levels_at(paths={region.code: region.path}, on=day)[region.code],
        "history": [_risk_out(r) for r in risk_history(region=region)[:100]],
    }


# --- daily reports -----------------------------------------------------------------------


class ReportIn(InputSchema):
    date: dt.date
    temperature_c: Decimal = Field(max_digits=5, decimal_places=2)
    symptoms: list[str] = Field(default_factory=list, max_length=20)


class ReportOut(Schema):
    id: int
    date: dt.date
    temperature_c: Decimal
    symptoms: list[str]
    abnormal: bool
    by_proxy: bool
    color: str


def _report_out(r: HealthReport, color: str = "") -> dict:
    return {
        "id": r.pk,
        "date": r.on,
        "temperature_c": r.temperature_c,
        "symptoms": r.symptoms,
        "abnormal": r.abnormal,
        "by_proxy": r.by_proxy,
        "color": color,
    }


@router.post("/residents/{public_id}/reports", response={201: ReportOut})
def report_create(request: HttpRequest, public_id: str, payload: ReportIn):
    """File the daily report: the resident, a family proxy, or staff in scope by proxy."""
    person, how = person_for_request(request, public_id, "health_codes.report")
    record = services.report_file(
        person=person,
        report=services.ReportInput(
            on=payload.date, temperature_c=payload.temperature_c, symptoms=payload.symptoms
        ),
        actor=request.user,
        by_proxy=how != "self",
    )
    color = selectors.colors_of(person_ids=[person.pk])[person.pk]
    return Status(201, _report_out(record, color))


@router.get("/residents/{public_id}/reports", response=list[ReportOut])
def report_list(request: HttpRequest, public_id: str):
    """A person's latest reports, newest first."""
    person, _ = person_for_request(request, public_id, "health_codes.view")
    return [_report_out(r) for r in selectors.report_list(person=person)]


# --- the code ----------------------------------------------------------------------------


class ReasonOut(Schema):
    code: str
    text: str
    since: dt.date
    reports_remaining: int | None
    green_on: dt.date | None


class CodeOut(Schema):
    color: str
    as_of: dt.date
    reasons: list[ReasonOut]
    green_on: dt.date | None
    payload: str | None
    expires_at: dt.datetime | None


def code_out(person: Person, state: rules.CodeState, *, with_token: bool) -> dict:
    """The code as the API and pages show it; a live token only for today's code."""
    token = (
        services.token_issue_for(person=person, kind="live", color=state.color)
        if with_token
        else None
    )
    return {
        "color": state.color.value,
        "as_of": state.as_of,
        "reasons": [
            {
                "code": r.code.value,
                "text": texts.reason_words(r),
                "since": r.since,
                "reports_remaining": r.reports_remaining,
                "green_on": r.green_on,
            }
            for r in state.reasons
        ],
        "green_on": state.green_on,
        "payload": token.payload if token else None,
        "expires_at": token.claims.expires_at if token else None,
    }


def current_state(person: Person) -> rules.CodeState:
    """Today's code, storing it first if a date-driven change made the stored color stale."""
    state = selectors.code_state(person=person)
    if selectors.colors_of(person_ids=[person.pk])[person.pk] != state.color.value:
        # A date-driven change the daily recompute has not reached yet: store it now.
        services.health_code_recompute(person=person, actor=None)
    return state


@router.get("/residents/{public_id}/health-code", response=CodeOut)
def health_code_get(request: HttpRequest, public_id: str, as_of: dt.date | None = None):
    """The code: color, reasons in plain words, reports remaining, a signed payload.

    `as_of` (a past or future day, no token) is for officials with health_codes.view.
    """
    person, how = person_for_request(request, public_id, "health_codes.view")
    if as_of is not None:
        if how != "staff":
            authorize(request.user, "health_codes.view", region=person.home_region)
        return code_out(person, selectors.code_state(person=person, as_of=as_of), with_token=False)
    return code_out(person, current_state(person), with_token=True)


@router.get("/residents/{public_id}/health-code.svg")
def health_code_svg(request: HttpRequest, public_id: str):
    """The live QR code in the code's color."""
    person, _ = person_for_request(request, public_id, "health_codes.view")
    state = current_state(person)
    token = services.token_issue_for(person=person, kind="live", color=state.color)
    svg = qrcodes.qr_svg(token.payload, color=state.color, scale=6)
    return HttpResponse(svg, content_type="image/svg+xml", headers={"Cache-Control": "no-store"})


@router.get("/residents/{public_id}/card.svg")
def card_svg(request: HttpRequest, public_id: str):
    """The printable card: an identity QR (no color) with the name and the public id."""
    person, _ = person_for_request(request, public_id, "health_codes.view")
    token = services.token_issue_for(person=person, kind="card")
    svg = qrcodes.card_svg(
        token.payload,
        name=person.name,
        subject=person.public_id,
        lines=(f"valid until {token.claims.expires_at.date().isoformat()}",),
    )
    return HttpResponse(svg, content_type="image/svg+xml", headers={"Cache-Control": "no-store"})


# --- trust list and verification -----------------------------------------------------------


class TrustKeyOut(Schema):
    kid: str
    alg: str
    issuer: str
    public_key: str
    not_before: str | None
    not_after: str | None


class TrustListOut(Schema):
    keys: list[TrustKeyOut]


@router.get("/trust-list", response=TrustListOut, auth=None)
def trust_list(request: HttpRequest):
    """The public keys that sign codes (own and imported issuers'), for offline checkpoints."""
    return {"keys": selectors.trust_list_entries()}


class VerifyIn(InputSchema):
    payload: str = Field(max_length=5000)


class ClaimsOut(Schema):
    issuer: str
    subject: str
    issued_at: dt.datetime
    expires_at: dt.datetime
    kind: str
    color: str | None


class VerifyOut(Schema):
    result: str
    message: str
    claims: ClaimsOut | None = None


@router.post("/verify", response=VerifyOut, auth=None)
def verify(request: HttpRequest, payload: VerifyIn):
    """Verify a payload against the trust list: exactly one of the six results.

    Public, like the trust list it uses: anyone could verify offline with the published keys.
    Claims come back only when the signature verified (valid, expired, not_yet_valid).
    """
    result = services.payload_verify(payload=payload.payload)
    claims = None
    if result.claims is not None and result.result.value in {
        "valid",
        "expired",
        "not_yet_valid",
    }:
        c = result.claims
        claims = {
            "issuer": c.issuer,
            "subject": c.subject,
            "issued_at": c.issued_at,
            "expires_at": c.expires_at,
            "kind": c.kind.value,
            "color": c.color.value if c.color else None,
        }
    return {"result": result.result.value, "message": result.message, "claims": claims}


# --- conditions (officials) ----------------------------------------------------------------


class ConditionIn(InputSchema):
    kind: rules.ConditionKind
    reason: rules.ReasonCode
    starts_on: dt.date
    not_before: dt.date | None = None
    why: str = Field(min_length=1, max_length=500)
    source: str = Field(default="", max_length=60)


class ConditionPatch(InputSchema):
    why: str = Field(min_length=1, max_length=500)
    ends_on: dt.date | None = None
    not_before: dt.date | None = None


class ChangeOut(Schema):
    action: str
    at: dt.datetime
    actor: str
    why: str
    before: dict
    after: dict


class ConditionOut(Schema):
    id: int
    person: str
    kind: str
    reason: str
    starts_on: dt.date
    ends_on: dt.date | None
    not_before: dt.date | None
    source: str
    changes: list[ChangeOut]


def condition_out(c: Condition) -> dict:
    return {
        "id": c.pk,
        "person": c.person.public_id,
        "kind": c.kind,
        "reason": c.reason,
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "not_before": c.not_before,
        "source": c.source,
        "changes": [
            {
                "action": ch.action,
                "at": ch.at,
                "actor": ch.actor.get_username() if ch.actor else "system",
                "why": ch.why,
                "before": ch.before,
                "after": ch.after,
            }
            for ch in c.changes.all()
        ],
    }


@router.post("/residents/{public_id}/conditions", response={201: ConditionOut})
def condition_create(request: HttpRequest, public_id: str, payload: ConditionIn):
    """Impose an order or record a case by hand (health officials of the scope)."""
    scope = authorize(request.user, "health_codes.manage")
    person = people_selectors.person_get(public_id=public_id, scope=scope)
    key = (
        payload.source or f"{request.user.pk}:{person.public_id}:{payload.kind}:{payload.starts_on}"
    )
    condition = services.condition_impose(
        person=person,
        kind=payload.kind.value,
        reason=payload.reason.value,
        starts_on=payload.starts_on,
        not_before=payload.not_before,
        actor=request.user,
        source=f"health_codes.official:{key}",
        why=payload.why,
    )
    return Status(201, condition_out(condition))


@router.patch("/conditions/{condition_id}", response=ConditionOut)
def condition_update(request: HttpRequest, condition_id: int, payload: ConditionPatch):
    """Shorten (ends_on) or lengthen (not_before) an order, or close a case, with a reason."""
    scope = authorize(request.user, "health_codes.manage")
    condition = selectors.condition_get(condition_id=condition_id, scope=scope)
    changes = payload.model_dump(exclude_unset=True)
    why = changes.pop("why")
    condition = services.condition_adjust(
        condition=condition, actor=request.user, why=why, **changes
    )
    return condition_out(condition)


class HistoryOut(Schema):
    person: str
    color: str
    conditions: list[ConditionOut]
    reports: list[ReportOut]


@router.get("/residents/{public_id}/code-history", response=HistoryOut)
def code_history(request: HttpRequest, public_id: str):
    """A person's conditions with every change, and reports (officials; the view is audited)."""
    scope = authorize(request.user, "health_codes.history")
    person = person_open(
        person=people_selectors.person_get(public_id=public_id, scope=scope), actor=request.user
    )
    return {
        "person": person.public_id,
        "color": selectors.colors_of(person_ids=[person.pk])[person.pk],
        "conditions": [condition_out(c) for c in selectors.condition_list(person=person)],
        "reports": [_report_out(r) for r in selectors.report_list(person=person)],
    }


# --- appeals -------------------------------------------------------------------------------


class AppealIn(InputSchema):
    reason: str = Field(min_length=1, max_length=2000)


class DecisionIn(InputSchema):
    outcome: str = Field(pattern="^(corrected|refused)$")
    decision: str = Field(min_length=1, max_length=2000)
    end_conditions: list[int] | None = Field(default=None, max_length=50)


class AppealOut(Schema):
    id: int
    person: str
    color: str
    reason: str
    status: str
    filed_at: dt.datetime
    decided_at: dt.datetime | None
    decision: str


def appeal_out(a: Appeal) -> dict:
    return {
        "id": a.pk,
        "person": a.person.public_id,
        "color": a.color,
        "reason": a.reason,
        "status": a.status,
        "filed_at": a.filed_at,
        "decided_at": a.decided_at,
        "decision": a.decision,
    }


@router.post("/residents/{public_id}/appeals", response={201: AppealOut})
def appeal_create(request: HttpRequest, public_id: str, payload: AppealIn):
    """Dispute a color (the resident or a family proxy)."""
    person, how = person_for_request(request, public_id, "health_codes.manage")
    if how == "staff":
        raise PermissionDenied("The resident or their family proxy files an appeal.")
    return Status(
        201,
        appeal_out(services.appeal_file(person=person, reason=payload.reason, actor=request.user)),
    )


@router.get("/residents/{public_id}/appeals", response=list[AppealOut])
def appeal_list_of(request: HttpRequest, public_id: str):
    """A person's appeals and their outcomes."""
    person, _ = person_for_request(request, public_id, "health_codes.manage")
    return [appeal_out(a) for a in selectors.appeals_of(person=person)]


@router.get("/appeals", response=list[AppealOut])
def appeal_list(request: HttpRequest, status: str | None = None):
    """Appeals of people in the caller's scope (health officials)."""
    scope = authorize(request.user, "health_codes.manage")
    return [appeal_out(a) for a in selectors.appeal_list(scope=scope, status=status)[:200]]


@router.post("/appeals/{appeal_id}/decision", response=AppealOut)
def appeal_decision(request: HttpRequest, appeal_id: int, payload: DecisionIn):
    """Correct the code (ending conditions) or refuse, with a recorded reason."""
    scope = authorize(request.user, "health_codes.manage")
    appeal = selectors.appeal_get(appeal_id=appeal_id, scope=scope)
    appeal = services.appeal_decide(
        appeal=appeal,
        actor=request.user,
        outcome=payload.outcome,
        decision=payload.decision,
        end_conditions=payload.end_conditions,
    )
    return appeal_out(appeal)


# --- family proxies ------------------------------------------------------------------------


class ProxyIn(InputSchema):
    username: str = Field(min_length=1, max_length=150)
    relation: str = Field(min_length=1, max_length=40)
    consent: str = Field(min_length=1, max_length=300)


class ProxyOut(Schema):
    person: str
    username: str
    relation: str
    granted_at: dt.datetime
    revoked_at: dt.datetime | None = None


def proxy_out(consent: ProxyConsent) -> dict:
    return {
        "person": consent.person.public_id,
        "username": consent.user.get_username(),
        "relation": consent.relation,
        "granted_at": consent.granted_at,
        "revoked_at": consent.revoked_at,
    }


@router.post("/residents/{public_id}/proxies", response={201: ProxyOut})
def proxy_create(request: HttpRequest, public_id: str, payload: ProxyIn):
    """Let a family member's account manage this person's code and reports, with consent.

    The person grants it from their own account, or staff in scope record consent given in
    person (an elderly parent without a phone).
    """
    person, how = person_for_request(request, public_id, "health_codes.proxy")
    if how == "proxy":
        raise PermissionDenied("Only the person or staff in scope add a proxy.")
    user = User.objects.filter(username=payload.username, is_active=True).first()
    if user is None:
        raise NotFound("No active account has that name.", code="user_not_found")
    consent = services.proxy_grant(
        person=person,
        user=user,
        relation=payload.relation,
        consent=payload.consent,
        actor=request.user,
    )
    return Status(201, proxy_out(consent))


@router.get("/residents/{public_id}/proxies", response=list[ProxyOut])
def proxy_list(request: HttpRequest, public_id: str):
    """The accounts that manage this person's code: for the person and staff in scope; a
    proxy sees only their own consent."""
    person, how = person_for_request(request, public_id, "health_codes.proxy")
    consents = selectors.proxies_of(person=person)
    if how == "proxy":
        consents = consents.filter(user=request.user)
    return [proxy_out(c) for c in consents]


@router.delete("/residents/{public_id}/proxies/{username}", response=ProxyOut)
def proxy_delete(request: HttpRequest, public_id: str, username: str):
    """Withdraw a family proxy's consent: the person, the proxy themselves, or staff in scope
    (consent withdrawn in person). The proxy loses access at once; audited."""
    consent, _how = proxy_for_request(request, public_id, username)
    return proxy_out(services.proxy_revoke(consent=consent, actor=request.user))


class ManagedOut(Schema):
    id: str
    name: str
    color: str


@router.get("/me/family", response=list[ManagedOut])
def family_list(request: HttpRequest):
    """The people the caller manages as a family proxy, with their current colors."""
    people = list(selectors.managed_people(user=request.user))
    colors = selectors.colors_of(person_ids=[p.pk for p in people])
    return [{"id": p.public_id, "name": p.name, "color": colors[p.pk]} for p in people]
