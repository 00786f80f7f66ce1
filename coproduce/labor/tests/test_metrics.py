"""Labor figures for the dashboard and the associations' contributions (Table 1)."""

from coproduce.accounts.permissions import scope_for
from coproduce.core import clock
from coproduce.core.metrics import CboRole, Period
from coproduce.labor import metrics, services


def _agree(proposal, enterprise_rep, fuyang_rep):
    services.proposal_accept(
        actor=enterprise_rep, proposal_id=proposal.pk, pay_terms="x", insurance_terms="y"
    )
    services.proposal_accept(actor=fuyang_rep, proposal_id=proposal.pk)


def test_the_panel_counts_open_workers_and_shared_ones(
    proposal, enterprise_rep, fuyang_rep, province_admin, regions, days
):
    _agree(proposal, enterprise_rep, fuyang_rep)
    today = clock.today()
    figures = {
        m.key: m.value
        for m in metrics.metrics(
            scope=scope_for(province_admin, "labor.view"),
            region=regions["330000"],
            period=Period(today, days(5)),
        )
    }
    assert figures["available"] == 2  # 6 posted, 4 agreed
    assert figures["demand"] == 0
    assert figures["agreements"] == 1 and figures["workers_shared"] == 4


def test_agreements_are_credited_to_the_members_associations(
    proposal, enterprise_rep, fuyang_rep, regions, yuhang_association
):
    _agree(proposal, enterprise_rep, fuyang_rep)
    today = clock.today()
    rows = metrics.contributions(region=regions["330000"], period=Period(today, today))
    assert {(r.role, r.organization_id, r.measure, r.amount) for r in rows} == {
        (CboRole.ECONOMIC_COLLABORATION, yuhang_association.pk, "labor_agreements", 1),
        (CboRole.ECONOMIC_COLLABORATION, yuhang_association.pk, "workers_shared", 4),
    }


def test_an_official_of_another_county_gets_no_figures(other_official, regions, surplus):
    today = clock.today()
    rows = metrics.metrics(
        scope=scope_for(other_official, "labor.view"),
        region=regions["330111"],
        period=Period(today, today),
    )
    assert rows == []
