"""The JSON API of labor sharing: /labor/postings, /labor/matchings, /labor/proposals,
/labor/agreements, /labor/map and /labor/employment (API.md "Stages 2 and 3")."""

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from coproduce.accounts.permissions import authorize
from coproduce.core import clock
from coproduce.core.api import InputSchema
from coproduce.core.errors import PermissionDenied, ValidationFailed
from coproduce.labor import selectors, services
from coproduce.labor.models import Agreement, MatchingRun, Posting, Proposal
from coproduce.recovery.scope import enterprise_scope

router = Router(tags=["labor"])


def _scope(request: HttpRequest, permission: str):
    scope = enterprise_scope(request.auth, permission)
    if scope.empty:
        raise PermissionDenied(f"Your roles do not allow {permission}.")
    return scope


class PostingIn(InputSchema):
    enterprise: int
    kind: str = Field(max_length=10)
    skill: str = Field(max_length=40, description="a skill code of GET /labor/skills")
    workers: int = Field(ge=-(10**9), le=10**9)
    start_date: date
    end_date: date
    note: str = Field(default="", max_length=300)


class PostingPatch(InputSchema):
    workers: int | None = Field(default=None, ge=-(10**9), le=10**9)
    start_date: date | None = None
    end_date: date | None = None
    note: str | None = Field(default=None, max_length=300)


class PostingOut(Schema):
    id: int
    enterprise: int
    enterprise_name: str
    kind: str
    skill: str
    workers: int
    committed: int
    open_workers: int
    start_date: date
    end_date: date
    county: str
    lat: Decimal
    lon: Decimal
    place_source: str
    state: str


def posting_out(p: Posting) -> dict:
    return {
        "id": p.pk,
        "enterprise": p.enterprise_id,
        "enterprise_name": p.enterprise.name,
        "kind": p.kind,
        "skill": p.skill.code,
        "workers": p.workers,
        "committed": p.committed,
        "open_workers": p.open_workers,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "county": p.county_id,
        "lat": p.lat,
        "lon": p.lon,
        "place_source": p.place_source,
        "state": p.state,
    }


class SkillOut(Schema):
    code: str
    name_en: str
    name_zh: str


@router.get("/labor/skills", response=list[SkillOut])
def skills(request: HttpRequest):
    _scope(request, "labor.view")
    return list(selectors.skill_list())


@router.post("/labor/postings", response={201: PostingOut})
def posting_create(request: HttpRequest, payload: PostingIn):
    posting = services.posting_create(
        actor=request.auth,
        enterprise_id=payload.enterprise,
        kind=payload.kind,
        skill=payload.skill,
        workers=payload.workers,
        start_date=payload.start_date,
        end_date=payload.end_date,
        note=payload.note,
    )
    return Status(201, posting_out(posting))


@router.get("/labor/postings", response=list[PostingOut])
def posting_list(
    request: HttpRequest,
    kind: str | None = None,
    state: str | None = None,
    enterprise: int | None = None,
):
    scope = _scope(request, "labor.view")
    rows = selectors.posting_list(scope=scope, kind=kind, state=state, enterprise_id=enterprise)
    return [posting_out(p) for p in rows[:500]]


@router.get("/labor/postings/{posting_id}", response=PostingOut)
def posting_get(request: HttpRequest, posting_id: int):
    scope = _scope(request, "labor.view")
    return posting_out(selectors.posting_get(posting_id=posting_id, scope=scope))


@router.patch("/labor/postings/{posting_id}", response=PostingOut)
def posting_update(request: HttpRequest, posting_id: int, payload: PostingPatch):
    posting = services.posting_update(
        actor=request.auth,
        posting_id=posting_id,
        workers=payload.workers,
        start_date=payload.start_date,
        end_date=payload.end_date,
        note=payload.note,
    )
    return posting_out(posting)


@router.post("/labor/postings/{posting_id}/withdraw", response=PostingOut)
def posting_withdraw(request: HttpRequest, posting_id: int):
    return posting_out(services.posting_withdraw(actor=request.auth, posting_id=posting_id))


class MatchingIn(InputSchema):
    region: str | None = Field(default=None, max_length=20)
    max_distance_km: float | None = Field(default=None, allow_inf_nan=False)


class ProposalOut(Schema):
    id: int
    run: int
    surplus: int
    shortage: int
    lender: int
    lender_name: str
    borrower: int
    borrower_name: str
    skill: str
    workers: int
    distance_km: float
    start_date: date
    end_date: date
    state: str
    pay_terms: str
    insurance_terms: str
    lender_accepted_at: datetime | None
    borrower_accepted_at: datetime | None
    agreement: int | None


def proposal_out(p: Proposal) -> dict:
    agreement = Agreement.objects.filter(proposal=p).values_list("pk", flat=True).first()
    return {
        "id": p.pk,
        "run": p.run_id,
        "surplus": p.surplus_id,
        "shortage": p.shortage_id,
        "lender": p.surplus.enterprise_id,
        "lender_name": p.surplus.enterprise.name,
        "borrower": p.shortage.enterprise_id,
        "borrower_name": p.shortage.enterprise.name,
        "skill": p.surplus.skill.code,
        "workers": p.workers,
        "distance_km": float(p.distance_km),
        "start_date": p.shortage.start_date,
        "end_date": p.shortage.end_date,
        "state": p.state,
        "pay_terms": p.pay_terms,
        "insurance_terms": p.insurance_terms,
        "lender_accepted_at": p.lender_accepted_at,
        "borrower_accepted_at": p.borrower_accepted_at,
        "agreement": agreement,
    }


class RunProposalOut(Schema):
    id: int
    surplus: int
    shortage: int
    workers: int
    distance_km: float
    state: str


class RunOut(Schema):
    id: int
    region: str
    max_distance_km: float
    surplus_postings: int
    shortage_postings: int
    candidate_pairs: int
    matched_workers: int
    worker_km: float
    solve_ms: int
    created_at: datetime
    proposals: list[RunProposalOut]


def run_out(run: MatchingRun) -> dict:
    return {
        "id": run.pk,
        "region": run.region_id,
        "max_distance_km": float(run.max_distance_km),
        "surplus_postings": run.surplus_postings,
        "shortage_postings": run.shortage_postings,
        "candidate_pairs": run.candidate_pairs,
        "matched_workers": run.matched_workers,
        "worker_km": float(run.worker_km),
        "solve_ms": run.solve_ms,
        "created_at": run.created_at,
        "proposals": [
            {
                "id": p.pk,
                "surplus": p.surplus_id,
                "shortage": p.shortage_id,
                "workers": p.workers,
                "distance_km": float(p.distance_km),
                "state": p.state,
            }
            for p in run.proposals.order_by("id")
        ],
    }


@router.post("/labor/matchings", response={201: RunOut})
def matching_run(request: HttpRequest, payload: MatchingIn):
    run = services.matching_run(
        actor=request.auth, region_code=payload.region, max_distance_km=payload.max_distance_km
    )
    return Status(201, run_out(run))


@router.get("/labor/matchings/{run_id}", response=RunOut)
def matching_get(request: HttpRequest, run_id: int):
    scope = authorize(request.auth, "labor.match")
    return run_out(selectors.run_get(run_id=run_id, scope=scope))


@router.get("/labor/matchings/{run_id}/inputs")
def matching_inputs(request: HttpRequest, run_id: int):
    """The offers the engine saw in this run (to explain its answer later)."""
    scope = authorize(request.auth, "labor.match")
    run = selectors.run_get(run_id=run_id, scope=scope)
    return {"id": run.pk, "max_distance_km": float(run.max_distance_km), "inputs": run.inputs}


@router.get("/labor/proposals", response=list[ProposalOut])
def proposal_list(request: HttpRequest, state: str | None = None, run: int | None = None):
    scope = _scope(request, "labor.view")
    return [
        proposal_out(p) for p in selectors.proposal_list(scope=scope, state=state, run_id=run)[:500]
    ]


@router.get("/labor/proposals/{proposal_id}", response=ProposalOut)
def proposal_get(request: HttpRequest, proposal_id: int):
    scope = _scope(request, "labor.view")
    return proposal_out(selectors.proposal_get(proposal_id=proposal_id, scope=scope))


class AcceptIn(InputSchema):
    side: str | None = Field(default=None, max_length=10)
    pay_terms: str = Field(default="", max_length=2000)
    insurance_terms: str = Field(default="", max_length=2000)


class RefuseIn(InputSchema):
    reason: str = Field(default="", max_length=300)


@router.post("/labor/proposals/{proposal_id}/accept", response=ProposalOut)
def proposal_accept(request: HttpRequest, proposal_id: int, payload: AcceptIn):
    proposal = services.proposal_accept(
        actor=request.auth,
        proposal_id=proposal_id,
        side=payload.side,
        pay_terms=payload.pay_terms,
        insurance_terms=payload.insurance_terms,
    )
    return proposal_out(
        Proposal.objects.select_related(
            "surplus__enterprise", "shortage__enterprise", "surplus__skill"
        ).get(pk=proposal.pk)
    )


@router.post("/labor/proposals/{proposal_id}/refuse", response=ProposalOut)
def proposal_refuse(request: HttpRequest, proposal_id: int, payload: RefuseIn):
    proposal = services.proposal_refuse(
        actor=request.auth, proposal_id=proposal_id, reason=payload.reason
    )
    return proposal_out(
        Proposal.objects.select_related(
            "surplus__enterprise", "shortage__enterprise", "surplus__skill"
        ).get(pk=proposal.pk)
    )


class AgreementOut(Schema):
    id: int
    proposal: int
    lender: int
    lender_name: str
    borrower: int
    borrower_name: str
    skill: str
    workers: int
    start_date: date
    end_date: date
    distance_km: float
    pay_terms: str
    insurance_terms: str
    signed_at: datetime


def agreement_out(a: Agreement) -> dict:
    return {
        "id": a.pk,
        "proposal": a.proposal_id,
        "lender": a.lender_id,
        "lender_name": a.lender.name,
        "borrower": a.borrower_id,
        "borrower_name": a.borrower.name,
        "skill": a.skill.code,
        "workers": a.workers,
        "start_date": a.start_date,
        "end_date": a.end_date,
        "distance_km": float(a.distance_km),
        "pay_terms": a.pay_terms,
        "insurance_terms": a.insurance_terms,
        "signed_at": a.signed_at,
    }


@router.get("/labor/agreements", response=list[AgreementOut])
def agreement_list(request: HttpRequest):
    scope = _scope(request, "labor.view")
    return [agreement_out(a) for a in selectors.agreement_list(scope=scope)[:500]]


@router.get("/labor/agreements/{agreement_id}", response=AgreementOut)
def agreement_get(request: HttpRequest, agreement_id: int):
    scope = _scope(request, "labor.view")
    return agreement_out(selectors.agreement_get(agreement_id=agreement_id, scope=scope))


class MapRegionOut(Schema):
    code: str
    name: str
    available: int
    demand: int


class MapOut(Schema):
    regions: list[MapRegionOut]


class MapQuery(Schema):
    region: str | None = Field(default=None, max_length=20)


@router.get("/labor/map", response=MapOut)
def labor_map(request: HttpRequest, query: Query[MapQuery]):
    """Open workers available and in demand per county below `region` (default: the caller's)."""
    scope = authorize(request.auth, "labor.map")
    region = (
        selectors.region_in_scope(code=query.region, scope=scope)
        if query.region
        else selectors.scope_home_region(scope=scope)
    )
    return {"regions": selectors.labor_balance(region=region, today=clock.today())}


class EmploymentQuery(Schema):
    region: str | None = Field(default=None, max_length=20)
    skill: str | None = Field(default=None, max_length=40)


class SkillDemandOut(Schema):
    skill: str
    name: str
    demand: int


class CountyDemandOut(Schema):
    code: str
    name: str
    demand: int


class EmploymentOut(Schema):
    regions: list[CountyDemandOut]
    skills: list[SkillDemandOut]


@router.get("/labor/employment", response=EmploymentOut)
def employment_map(request: HttpRequest, query: Query[EmploymentQuery]):
    """Open shortages per county (of one skill, or all) and per skill below `region`."""
    scope = authorize(request.auth, "labor.map")
    region = (
        selectors.region_in_scope(code=query.region, scope=scope)
        if query.region
        else selectors.scope_home_region(scope=scope)
    )
    skill = selectors.skill_get(code=query.skill) if query.skill else None
    if query.skill and skill is None:
        raise ValidationFailed.field("skill", "Not a skill of the catalogue.")
    data = selectors.shortages_by_skill(region=region, today=clock.today(), skill=skill)
    return {
        "regions": data["counties"],
        "skills": [
            {"skill": r["skill"].code, "name": r["skill"].label, "demand": r["demand"]}
            for r in data["skills"]
        ],
    }
