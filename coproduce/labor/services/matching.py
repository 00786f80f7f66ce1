"""A matching run: read the open postings of a region, ask the engine, keep inputs and answer."""

import time
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.accounts.permissions import authorize
from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import ValidationFailed
from coproduce.labor import matching
from coproduce.labor.models import MatchingRun, Proposal
from coproduce.labor.rules import PostingKind
from coproduce.labor.selectors import (
    held_by_pending,
    open_postings_in,
    region_in_scope,
    scope_home_region,
)

MAX_DISTANCE_LIMIT_KM = 500


def _offer_of(posting, workers: int) -> matching.Offer:
    return matching.Offer(
        id=posting.pk,
        enterprise=posting.enterprise_id,
        skill=str(posting.skill_id),
        workers=workers,
        start=posting.start_date,
        end=posting.end_date,
        lat=float(posting.lat),
        lon=float(posting.lon),
    )


def _input_row(posting, offer: matching.Offer) -> dict:
    return {
        "id": offer.id,
        "kind": posting.kind,
        "enterprise": offer.enterprise,
        "skill": posting.skill_id,
        "workers": offer.workers,
        "start": offer.start.isoformat(),
        "end": offer.end.isoformat(),
        "lat": str(posting.lat),
        "lon": str(posting.lon),
    }


def matching_run(
    *, actor, region_code: str | None = None, max_distance_km: float | None = None
) -> MatchingRun:
    """Match the open postings of a region (default: the caller's) and store the proposals.

    Workers held by pending proposals of earlier runs are not offered again until those are
    refused or lapse; acceptances settle any overlap between concurrent runs.
    """
    scope = authorize(actor, "labor.match")
    region = (
        region_in_scope(code=region_code, scope=scope)
        if region_code
        else scope_home_region(scope=scope)
    )
    km = settings.LABOR_MAX_DISTANCE_KM if max_distance_km is None else max_distance_km
    if not 0 < km <= MAX_DISTANCE_LIMIT_KM:
        raise ValidationFailed.field(
            "max_distance_km",
            _("Between 0 and %(n)s km.") % {"n": MAX_DISTANCE_LIMIT_KM},
        )
    organization_id = next(
        (
            g.organization_id
            for g in scope.grants
            if g.organization_id is not None and region.path.startswith(g.region_path)
        ),
        None,
    )
    with transaction.atomic():
        postings = list(open_postings_in(region=region, today=clock.today()))
        held = held_by_pending(region=region)
        surpluses, shortages, inputs = [], [], []
        for posting in postings:
            free = posting.workers - posting.committed - held.get(posting.pk, 0)
            if free <= 0:
                continue
            offer = _offer_of(posting, free)
            (surpluses if posting.kind == PostingKind.SURPLUS else shortages).append(offer)
            inputs.append(_input_row(posting, offer))
        started = time.perf_counter()
        answer = matching.match(surpluses, shortages, max_distance_km=float(km))
        solve_ms = round((time.perf_counter() - started) * 1000)
        run = MatchingRun.objects.create(
            region=region,
            organization_id=organization_id,
            max_distance_km=Decimal(str(km)).quantize(Decimal("0.1")),
            inputs=inputs,
            surplus_postings=len(surpluses),
            shortage_postings=len(shortages),
            candidate_pairs=answer.candidate_pairs,
            matched_workers=answer.matched_workers,
            worker_km=Decimal(answer.worker_metres) / 1000,
            solve_ms=solve_ms,
            started_by=actor,
        )
        Proposal.objects.bulk_create(
            Proposal(
                run=run,
                surplus_id=p.surplus,
                shortage_id=p.shortage,
                workers=p.workers,
                distance_km=Decimal(str(p.distance_km)),
            )
            for p in answer.proposals
        )
        audit_record(
            actor=actor,
            action="labor.matching.run",
            target=run,
            details={
                "region": region.code,
                "max_distance_km": str(km),
                "matched_workers": answer.matched_workers,
                "proposals": len(answer.proposals),
            },
        )
    return run
