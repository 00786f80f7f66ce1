"""Postings, matching runs, acceptances and agreements through the services."""

import pytest

from coproduce.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from coproduce.core.models import AuditEvent
from coproduce.labor import services
from coproduce.labor.models import Agreement, PlaceSource, Posting


def test_a_posting_takes_the_enterprises_coordinates(surplus):
    assert surplus.place_source == PlaceSource.ENTERPRISE
    assert str(surplus.lat) == "30.270000"
    assert surplus.county_id == "330110"


def test_a_posting_without_coordinates_sits_at_its_county_centroid(shortage):
    assert shortage.place_source == PlaceSource.COUNTY
    assert 29.8 < float(shortage.lat) < 30.3 and 119.5 < float(shortage.lon) < 120.3


def test_bad_counts_and_ranges_get_field_errors(lender, enterprise_rep, days):
    with pytest.raises(ValidationFailed) as err:
        services.posting_create(
            actor=enterprise_rep,
            enterprise_id=lender.pk,
            kind="loan",
            skill="juggler",
            workers=0,
            start_date=days(5),
            end_date=days(2),
        )
    assert set(err.value.fields) == {"kind", "skill", "workers", "end_date"}
    assert not Posting.objects.exists()


def test_a_rep_cannot_post_for_another_enterprise(stranger, enterprise_rep, days):
    with pytest.raises(NotFound):
        services.posting_create(
            actor=enterprise_rep,
            enterprise_id=stranger.pk,
            kind="surplus",
            skill="welder",
            workers=2,
            start_date=days(1),
            end_date=days(3),
        )


def test_an_outsider_cannot_post(lender, outsider, days):
    with pytest.raises(PermissionDenied):
        services.posting_create(
            actor=outsider,
            enterprise_id=lender.pk,
            kind="surplus",
            skill="welder",
            workers=2,
            start_date=days(1),
            end_date=days(3),
        )


def test_association_staff_post_for_a_member(lender, association_staff, days):
    posting = services.posting_create(
        actor=association_staff,
        enterprise_id=lender.pk,
        kind="shortage",
        skill="packer",
        workers=3,
        start_date=days(1),
        end_date=days(3),
    )
    assert posting.kind == "shortage"


def test_a_run_proposes_the_loan_and_keeps_its_inputs(proposal, surplus, shortage):
    assert (proposal.surplus_id, proposal.shortage_id, proposal.workers) == (
        surplus.pk,
        shortage.pk,
        4,
    )
    run = proposal.run
    assert run.matched_workers == 4
    assert {row["id"] for row in run.inputs} == {surplus.pk, shortage.pk}
    assert AuditEvent.objects.filter(action="labor.matching.run").count() == 1


def test_pending_proposals_hold_their_workers_for_the_next_run(proposal, province_admin):
    again = services.matching_run(actor=province_admin, region_code="330000")
    assert again.matched_workers == 0


def test_both_acceptances_make_an_agreement_that_reduces_both_postings(
    proposal, enterprise_rep, fuyang_rep, surplus, shortage
):
    services.proposal_accept(
        actor=fuyang_rep,
        proposal_id=proposal.pk,
        pay_terms="Borrower pays 220 yuan a day",
        insurance_terms="Lender's work injury insurance stays",
    )
    assert not Agreement.objects.exists()
    services.proposal_accept(actor=enterprise_rep, proposal_id=proposal.pk)
    agreement = Agreement.objects.get()
    assert (agreement.lender_id, agreement.borrower_id, agreement.workers) == (
        surplus.enterprise_id,
        shortage.enterprise_id,
        4,
    )
    assert agreement.lender_signatory == enterprise_rep
    assert agreement.borrower_signatory == fuyang_rep
    surplus.refresh_from_db()
    shortage.refresh_from_db()
    assert (surplus.committed, surplus.state) == (4, "open")
    assert (shortage.committed, shortage.state) == (4, "matched")


def test_the_first_acceptance_must_state_the_terms(proposal, enterprise_rep):
    with pytest.raises(ValidationFailed) as err:
        services.proposal_accept(actor=enterprise_rep, proposal_id=proposal.pk)
    assert set(err.value.fields) == {"pay_terms", "insurance_terms"}


def test_accepting_twice_is_a_conflict(proposal, enterprise_rep):
    services.proposal_accept(
        actor=enterprise_rep, proposal_id=proposal.pk, pay_terms="x", insurance_terms="y"
    )
    with pytest.raises(Conflict):
        services.proposal_accept(actor=enterprise_rep, proposal_id=proposal.pk)


def test_a_refusal_frees_the_workers_for_the_next_run(proposal, fuyang_rep, province_admin):
    services.proposal_refuse(actor=fuyang_rep, proposal_id=proposal.pk, reason="too far")
    again = services.matching_run(actor=province_admin, region_code="330000")
    assert again.matched_workers == 4


def test_an_enterprise_outside_the_proposal_cannot_answer_it(proposal, stranger, regions):
    from coproduce.accounts.services import RoleSpec, user_create
    from coproduce.recovery.services import enterprise_representative_add  # noqa: F401

    other = user_create(
        username="paper_rep",
        password="a-long-test-password",
        roles=[RoleSpec("enterprise_rep", "330111")],
        check_password=False,
    )
    with pytest.raises(NotFound):
        services.proposal_refuse(actor=other, proposal_id=proposal.pk)


def test_shrinking_a_surplus_makes_the_second_acceptance_lapse(
    surplus, lender, borrower, enterprise_rep, fuyang_rep, province_admin, days
):
    # Two shortages of 3 against a surplus of 6; then the lender keeps only 5 on offer.
    first = services.posting_create(
        actor=fuyang_rep,
        enterprise_id=borrower.pk,
        kind="shortage",
        skill="welder",
        workers=3,
        start_date=days(2),
        end_date=days(9),
    )
    second = services.posting_create(
        actor=fuyang_rep,
        enterprise_id=borrower.pk,
        kind="shortage",
        skill="welder",
        workers=3,
        start_date=days(2),
        end_date=days(9),
    )
    run = services.matching_run(actor=province_admin, region_code="330100")
    assert run.matched_workers == 6
    services.posting_update(actor=enterprise_rep, posting_id=surplus.pk, workers=5)
    p1, p2 = run.proposals.order_by("shortage_id")
    assert (p1.shortage_id, p2.shortage_id) == (first.pk, second.pk)
    for p in (p1, p2):
        services.proposal_accept(
            actor=enterprise_rep, proposal_id=p.pk, pay_terms="x", insurance_terms="y"
        )
    services.proposal_accept(actor=fuyang_rep, proposal_id=p1.pk)
    with pytest.raises(Conflict):
        services.proposal_accept(actor=fuyang_rep, proposal_id=p2.pk)
    p2.refresh_from_db()
    assert p2.state == "lapsed"
    surplus.refresh_from_db()
    assert (surplus.workers, surplus.committed) == (5, 3)


def test_withdrawing_a_posting_lapses_its_proposals(proposal, enterprise_rep, surplus):
    services.posting_withdraw(actor=enterprise_rep, posting_id=surplus.pk)
    proposal.refresh_from_db()
    assert proposal.state == "lapsed"


def test_a_matched_posting_cannot_be_changed(proposal, enterprise_rep, fuyang_rep, shortage):
    services.proposal_accept(
        actor=enterprise_rep, proposal_id=proposal.pk, pay_terms="x", insurance_terms="y"
    )
    services.proposal_accept(actor=fuyang_rep, proposal_id=proposal.pk)
    with pytest.raises(Conflict):
        services.posting_update(actor=fuyang_rep, posting_id=shortage.pk, workers=9)


def test_a_run_outside_the_callers_region_is_not_found(other_official, surplus):
    with pytest.raises(NotFound):
        services.matching_run(actor=other_official, region_code="330111")


def test_a_rep_cannot_run_the_matching(enterprise_rep, surplus):
    with pytest.raises(PermissionDenied):
        services.matching_run(actor=enterprise_rep)
