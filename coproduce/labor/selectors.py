"""Reads of postings, runs, proposals, agreements and the labor map, always within a scope.

Postings, proposals and agreements are scoped by enterprise (recovery.scope): a representative
sees what involves their own enterprises, association staff their members', officials their
region's. Runs and the map are scoped by region. Out of scope reads as absent (NotFound).
"""

from datetime import date

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from coproduce.accounts.permissions import Scope
from coproduce.core.errors import NotFound
from coproduce.labor.models import Agreement, MatchingRun, Posting, Proposal, Skill
from coproduce.labor.rules import PostingKind, PostingState, ProposalState
from coproduce.recovery.scope import EnterpriseScope
from coproduce.regions.models import Region


def region_label(region: Region) -> str:
    """A region's name in the active language (Chinese for zh-*, else English if known)."""
    if (get_language() or "").startswith("zh"):
        return region.name
    return region.name_en or region.name


def skill_list(*, active_only: bool = True) -> QuerySet[Skill]:
    """The skill catalogue."""
    qs = Skill.objects.all()
    return qs.filter(active=True) if active_only else qs


def skill_get(*, code: str) -> Skill | None:
    """An active skill by code (or by id given as digits), or None."""
    qs = skill_list()
    if str(code).isdigit():
        return qs.filter(pk=int(code)).first()
    return qs.filter(code=code).first()


def posting_list(
    *,
    scope: EnterpriseScope,
    kind: str | None = None,
    state: str | None = None,
    enterprise_id: int | None = None,
) -> QuerySet[Posting]:
    """Postings of the enterprises in scope, newest first."""
    qs = Posting.objects.select_related("enterprise", "skill", "county").filter(
        scope.q("enterprise__")
    )
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    if enterprise_id is not None:
        qs = qs.filter(enterprise_id=enterprise_id)
    return qs


def posting_get(*, posting_id: int, scope: EnterpriseScope) -> Posting:
    """One posting of an enterprise in scope, or NotFound."""
    posting = posting_list(scope=scope).filter(pk=posting_id).first()
    if posting is None:
        raise NotFound(_("No such posting in your scope."))
    return posting


def held_by_pending(*, region: Region) -> dict[int, int]:
    """Workers of each posting of a region held by pending proposals (not offered again until
    those are refused or lapse)."""
    held: dict[int, int] = {}
    for field in ("surplus_id", "shortage_id"):
        rows = (
            Proposal.objects.filter(
                state=ProposalState.PENDING,
                **{f"{field[:-3]}__county__path__startswith": region.path},
            )
            .values(field)
            .annotate(n=Sum("workers"))
        )
        for row in rows:
            held[row[field]] = held.get(row[field], 0) + row["n"]
    return held


def open_postings_in(*, region: Region, today: date) -> QuerySet[Posting]:
    """Open, unexpired postings of a region's subtree (the matching engine's input)."""
    return (
        Posting.objects.filter(
            state=PostingState.OPEN, county__path__startswith=region.path, end_date__gte=today
        )
        .only(
            "id",
            "kind",
            "enterprise_id",
            "skill_id",
            "workers",
            "committed",
            "start_date",
            "end_date",
            "lat",
            "lon",
        )
        .order_by("id")
    )


def _involving(scope: EnterpriseScope) -> Q:
    return scope.q("surplus__enterprise__") | scope.q("shortage__enterprise__")


def proposal_list(
    *, scope: EnterpriseScope, state: str | None = None, run_id: int | None = None
) -> QuerySet[Proposal]:
    """Proposals that involve an enterprise in scope (as lender or borrower)."""
    qs = Proposal.objects.select_related(
        "run",
        "surplus__enterprise",
        "shortage__enterprise",
        "surplus__skill",
        "shortage__county",
        "surplus__county",
    ).filter(_involving(scope))
    if state:
        qs = qs.filter(state=state)
    if run_id is not None:
        qs = qs.filter(run_id=run_id)
    return qs


def proposal_get(*, proposal_id: int, scope: EnterpriseScope) -> Proposal:
    """One proposal that involves an enterprise in scope, or NotFound."""
    proposal = proposal_list(scope=scope).filter(pk=proposal_id).first()
    if proposal is None:
        raise NotFound(_("No such proposal in your scope."))
    return proposal


def agreement_list(*, scope: EnterpriseScope, association_id: int | None = None):
    """Agreements whose lender or borrower is in scope (or a member of the association)."""
    qs = Agreement.objects.select_related("lender", "borrower", "skill").filter(
        scope.q("lender__") | scope.q("borrower__")
    )
    if association_id is not None:
        qs = qs.filter(
            Q(lender__memberships__association_id=association_id)
            | Q(borrower__memberships__association_id=association_id)
        ).distinct()
    return qs


def agreement_get(*, agreement_id: int, scope: EnterpriseScope) -> Agreement:
    """One agreement of an enterprise in scope, or NotFound."""
    agreement = agreement_list(scope=scope).filter(pk=agreement_id).first()
    if agreement is None:
        raise NotFound(_("No such agreement in your scope."))
    return agreement


def run_list(*, scope: Scope) -> QuerySet[MatchingRun]:
    """Matching runs over regions in scope, newest first."""
    return MatchingRun.objects.select_related("region", "organization").filter(
        scope.region_q("region")
    )


def run_get(*, run_id: int, scope: Scope) -> MatchingRun:
    """One run over a region in scope, or NotFound."""
    run = run_list(scope=scope).filter(pk=run_id).first()
    if run is None:
        raise NotFound(_("No such matching run in your scope."))
    return run


def run_summary(*, run: MatchingRun) -> dict:
    """A run's proposals counted by state."""
    rows = run.proposals.values("state").annotate(n=Count("id"), w=Sum("workers"))
    return {r["state"]: {"proposals": r["n"], "workers": r["w"]} for r in rows}


def region_in_scope(*, code: str, scope: Scope) -> Region:
    """A region the scope reaches (an ancestor of none of its grants' regions), or NotFound."""
    region = Region.objects.select_related("parent").filter(code=code).first()
    if region is None or not scope.covers(region.path):
        raise NotFound(_("No such region in your scope."), code="region_not_found")
    return region


def scope_home_region(*, scope: Scope) -> Region:
    """The widest region of the caller's grants (the province for an admin)."""
    if scope.everywhere:
        return Region.objects.filter(parent__isnull=True).order_by("code").first()
    grant = min(scope.grants, key=lambda g: (g.region_path.count("/"), g.region_code))
    return Region.objects.get(code=grant.region_code)


def counties_below(*, region: Region) -> list[Region]:
    """The counties in a region's subtree (itself if it is one; its county if it is below)."""
    if region.level == Region.Levels.COUNTY:
        return [region]
    counties = list(
        Region.objects.filter(path__startswith=region.path, level=Region.Levels.COUNTY).order_by(
            "code"
        )
    )
    if not counties:  # a township or below: the county above it
        parts = [p for p in region.path.split("/") if p]
        counties = list(Region.objects.filter(code__in=parts, level=Region.Levels.COUNTY))
    return counties


def labor_balance(*, region: Region, today: date) -> list[dict]:
    """Open workers offered (available) and sought (demand) per county below `region`."""
    counties = counties_below(region=region)
    rows = (
        Posting.objects.filter(
            state=PostingState.OPEN,
            end_date__gte=today,
            county__in=[c.code for c in counties],
        )
        .values("county_id", "kind")
        .annotate(workers=Sum("workers"), committed=Sum("committed"))
    )
    tally: dict[tuple[str, str], int] = {}
    for row in rows:
        tally[(row["county_id"], row["kind"])] = row["workers"] - row["committed"]
    return [
        {
            "code": c.code,
            "name": region_label(c),
            "parent": c.parent_id,
            "available": tally.get((c.code, PostingKind.SURPLUS), 0),
            "demand": tally.get((c.code, PostingKind.SHORTAGE), 0),
        }
        for c in counties
    ]


def shortages_by_skill(*, region: Region, today: date, skill: Skill | None = None) -> dict:
    """Open shortage workers per county and skill below `region` (the employment map)."""
    counties = counties_below(region=region)
    qs = Posting.objects.filter(
        state=PostingState.OPEN,
        kind=PostingKind.SHORTAGE,
        end_date__gte=today,
        county__in=[c.code for c in counties],
    )
    if skill is not None:
        qs = qs.filter(skill=skill)
    rows = qs.values("county_id", "skill_id").annotate(
        workers=Sum("workers"), committed=Sum("committed")
    )
    per_county: dict[str, int] = {}
    per_skill: dict[int, int] = {}
    for row in rows:
        n = row["workers"] - row["committed"]
        per_county[row["county_id"]] = per_county.get(row["county_id"], 0) + n
        per_skill[row["skill_id"]] = per_skill.get(row["skill_id"], 0) + n
    skills = {s.pk: s for s in Skill.objects.filter(pk__in=per_skill)}
    return {
        "counties": [
            {"code": c.code, "name": region_label(c), "demand": per_county.get(c.code, 0)}
            for c in counties
        ],
        "skills": sorted(
            ({"skill": skills[k], "demand": v} for k, v in per_skill.items()),
            key=lambda r: (-r["demand"], r["skill"].code),
        ),
    }


def balance_by_skill(*, region: Region, today: date) -> list[dict]:
    """Open workers offered and sought per skill in a region's subtree (a county's table)."""
    rows = (
        Posting.objects.filter(
            state=PostingState.OPEN, end_date__gte=today, county__path__startswith=region.path
        )
        .values("skill_id", "kind")
        .annotate(workers=Sum("workers"), committed=Sum("committed"))
    )
    tally: dict[int, dict] = {}
    for row in rows:
        entry = tally.setdefault(row["skill_id"], {"available": 0, "demand": 0})
        key = "available" if row["kind"] == PostingKind.SURPLUS else "demand"
        entry[key] += row["workers"] - row["committed"]
    skills = {s.pk: s for s in Skill.objects.filter(pk__in=tally)}
    return sorted(
        ({"skill": skills[k], **v} for k, v in tally.items()),
        key=lambda r: (-(r["available"] + r["demand"]), r["skill"].code),
    )


def region_trail(*, region: Region, scope: Scope) -> list[Region]:
    """The regions from the top of the caller's scope down to `region` (the map's breadcrumbs)."""
    codes = [c for c in region.path.split("/") if c]
    found = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found and scope.covers(found[c].path)]
