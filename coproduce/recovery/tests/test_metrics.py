"""The recovery panel's figures and the associations' contributions (core.metrics)."""

from datetime import timedelta

import pytest

from coproduce.accounts.permissions import scope_for
from coproduce.core import clock
from coproduce.core.metrics import CboRole, Period
from coproduce.recovery import metrics
from coproduce.recovery.services import (
    procurement_award,
    procurement_create,
    procurement_need_add,
    procurement_quote_add,
    resumption_report_create,
)

pytestmark = pytest.mark.django_db


def test_metrics_and_contributions(
    member,
    association_staff,
    enterprise_rep,
    yuhang_association,
    regions,
    other_official,
    county_official,
):
    today = clock.today()
    resumption_report_create(
        actor=enterprise_rep, enterprise_id=member.pk, date=today, open=True, workers_on_site=20
    )
    p = procurement_create(
        actor=association_staff,
        association=yuhang_association,
        item="Masks",
        unit="piece",
        needed_by=today,
    )
    procurement_need_add(
        actor=association_staff, procurement_id=p.pk, enterprise_id=member.pk, quantity=10
    )
    q = procurement_quote_add(
        actor=association_staff, procurement_id=p.pk, supplier="S", tiers=[(1, "1.00")]
    )
    procurement_award(actor=association_staff, procurement_id=p.pk, quote_id=q.pk)
    period = Period(today - timedelta(days=2), today)
    figures = {
        m.key: m
        for m in metrics.metrics(
            scope=scope_for(other_official, "recovery.aggregates"),
            region=regions["330110"],
            period=period,
        )
    }
    assert str(figures["production_resumption_pct"].value) == "50.0"
    assert len(figures["parks_reopened_pct"].series) == 3
    assert figures["procurements_awarded"].value == 1
    assert (
        metrics.metrics(
            scope=scope_for(county_official, "recovery.aggregates"),
            region=regions["330110"],
            period=period,
        )
        == []
    )
    done = metrics.contributions(region=regions["330000"], period=period)
    assert [(c.role, c.organization_id, c.measure, c.amount) for c in done] == [
        (CboRole.PRODUCTION_RESUMPTION, yuhang_association.pk, "procurements", 1)
    ]
