"""Care's figures: counts only, small counts suppressed; contributions per organization."""

from datetime import timedelta

import pytest

from coproduce.accounts.permissions import scope_for
from coproduce.care import metrics
from coproduce.care.services import ScreeningInput, session_log
from coproduce.care.tests.conftest import GAD7_SEVERE
from coproduce.core import clock
from coproduce.core.metrics import CboRole, Period
from coproduce.regions.models import Region

pytestmark = pytest.mark.django_db


def test_metrics_suppress_small_counts_and_count_sessions(counselor, county_official, care_org):
    for _ in range(5):
        session_log(actor=counselor, group="patient", topic="sleep")
    session_log(
        actor=counselor,
        group="family",
        topic="grief",
        screening=ScreeningInput("gad7", GAD7_SEVERE),
    )
    today = clock.today()
    period = Period(today - timedelta(days=6), today)
    figures = {
        m.key: m
        for m in metrics.metrics(
            scope=scope_for(county_official, "care.counts"),
            region=Region.objects.get(code="330111"),
            period=period,
        )
    }
    assert metrics.PANEL == "care"
    assert figures["sessions"].value == 6
    assert figures["sessions"].series[-1].value == 6
    assert figures["screenings_gad7_severe"].value == "<5"
    assert figures["screenings_phq9_minimal"].value == "<5"  # zero too (core.suppression)
    # another county's official sees none of Fuyang's
    other = {
        m.key: m.value
        for m in metrics.metrics(
            scope=scope_for(county_official, "care.counts"),
            region=Region.objects.get(code="330110"),
            period=period,
        )
    }
    assert other["sessions"] == "<5"  # zero too (core.suppression)
    contributions = metrics.contributions(region=Region.objects.get(code="330000"), period=period)
    assert [(c.role, c.organization_id, c.measure, c.amount) for c in contributions] == [
        (CboRole.COUNSELING_SOCIAL_WORK, care_org.pk, "sessions", 6)
    ]
