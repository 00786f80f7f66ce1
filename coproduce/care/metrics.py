"""Care's figures for the dashboard (core.metrics): counseling volume, screenings by severity,
crisis alerts, clinic consultations; and its work for Table 1's counseling and social work role.

Counts of care are about people's mental health: every value here goes through
`core.suppression.suppress_small`, so a count of 1-4 is the string "<5" rather than a number
(the dashboard shows it as it is). None names a person.
"""

from collections import Counter
from datetime import datetime, time, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from coproduce.care.models import Alert, CaseVisit, Consultation, Screening, Session
from coproduce.care.rules import GAD7_BANDS, PHQ9_BANDS
from coproduce.core import clock
from coproduce.core.metrics import CboRole, Contribution, Metric, Period, Point
from coproduce.core.suppression import suppress_small

PANEL = "care"


def _bounds(period: Period) -> tuple[datetime, datetime]:
    zone = clock.local_zone()
    return (
        datetime.combine(period.start, time(0), tzinfo=zone),
        datetime.combine(period.end + timedelta(days=1), time(0), tzinfo=zone),
    )


def metrics(*, scope, region, period: Period) -> list[Metric]:
    """Sessions (per day), screenings by instrument and severity, alerts, consultations."""
    start, end = _bounds(period)
    where = {"region__path__startswith": region.path}
    sessions = Session.objects.filter(scope.region_q("region"), **where).filter(
        started_at__gte=start, started_at__lt=end
    )
    per_day = Counter(
        {
            row["day"]: row["n"]
            for row in sessions.annotate(day=TruncDate("started_at", tzinfo=clock.local_zone()))
            .values("day")
            .annotate(n=Count("id"))
        }
    )
    out = [
        Metric(
            key="sessions",
            label=_("Counseling sessions"),
            value=suppress_small(sum(per_day.values())),
            series=tuple(Point(day, suppress_small(per_day.get(day, 0))) for day in period.dates()),
            link="/care/counts/?region=" + region.code,
        )
    ]
    screenings = Counter(
        {
            (row["instrument"], row["severity"]): row["n"]
            for row in Screening.objects.filter(scope.region_q("region"), **where)
            .filter(taken_at__gte=start, taken_at__lt=end)
            .values("instrument", "severity")
            .annotate(n=Count("id"))
        }
    )
    for instrument, bands, name in (("phq9", PHQ9_BANDS, "PHQ-9"), ("gad7", GAD7_BANDS, "GAD-7")):
        for _lowest, band in reversed(bands):
            label = Screening.Severity(band.value).label
            out.append(
                Metric(
                    key=f"screenings_{instrument}_{band.value}",
                    label=f"{name} {label}",
                    value=suppress_small(screenings.get((instrument, band.value), 0)),
                )
            )
    alerts = Alert.objects.filter(
        scope.region_q("screening__region"),
        screening__region__path__startswith=region.path,
        raised_at__gte=start,
        raised_at__lt=end,
    ).count()
    consultations = Consultation.objects.filter(
        scope.region_q("region"), **where, recorded_at__gte=start, recorded_at__lt=end
    ).count()
    out.append(Metric(key="crisis_alerts", label=_("Crisis alerts"), value=suppress_small(alerts)))
    out.append(
        Metric(
            key="clinic_consultations",
            label=_("Voluntary Clinic consultations"),
            value=suppress_small(consultations),
        )
    )
    return out


def contributions(*, region, period: Period) -> list[Contribution]:
    """Counseling sessions, clinic consultations and social work visits per organization."""
    start, end = _bounds(period)
    role = CboRole.COUNSELING_SOCIAL_WORK
    out: list[Contribution] = []
    for measure, queryset, org_field in (
        (
            "sessions",
            Session.objects.filter(
                region__path__startswith=region.path, started_at__gte=start, started_at__lt=end
            ),
            "organization_id",
        ),
        (
            "consultations",
            Consultation.objects.filter(
                region__path__startswith=region.path, recorded_at__gte=start, recorded_at__lt=end
            ),
            "organization_id",
        ),
        (
            "social_work_visits",
            CaseVisit.objects.filter(
                case__region__path__startswith=region.path,
                visited_at__gte=start,
                visited_at__lt=end,
            ),
            "case__organization_id",
        ),
    ):
        for row in queryset.values(org_field).annotate(n=Count("id")).order_by(org_field):
            out.append(
                Contribution(
                    role=role, organization_id=row[org_field], measure=measure, amount=row["n"]
                )
            )
    return out
