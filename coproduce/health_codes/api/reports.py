"""Daily health reports over JSON: file one (self, family proxy or staff), list them."""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Schema, Status

from coproduce.core.api import InputSchema, SafeDate
from coproduce.health_codes import selectors, services
from coproduce.health_codes.api.base import person_for_request, router
from coproduce.health_codes.models import HealthReport


class HealthReportIn(InputSchema):
    date: SafeDate
    temperature_c: Decimal = Field(max_digits=5, decimal_places=2)
    symptoms: list[str] = Field(default_factory=list, max_length=20)


class HealthReportOut(Schema):
    id: int
    date: dt.date
    temperature_c: Decimal
    symptoms: list[str]
    abnormal: bool
    by_proxy: bool
    color: str


def report_out(r: HealthReport, color: str = "") -> dict:
    return {
        "id": r.pk,
        "date": r.on,
        "temperature_c": r.temperature_c,
        "symptoms": r.symptoms,
        "abnormal": r.abnormal,
        "by_proxy": r.by_proxy,
        "color": color,
    }


@router.post("/residents/{public_id}/reports", response={201: HealthReportOut})
def report_create(request: HttpRequest, public_id: str, payload: HealthReportIn):
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
    return Status(201, report_out(record, color))


@router.get("/residents/{public_id}/reports", response=list[HealthReportOut])
def report_list(request: HttpRequest, public_id: str):
    """A person's latest reports, newest first."""
    person, _ = person_for_request(request, public_id, "health_codes.view")
    return [report_out(r) for r in selectors.report_list(person=person)]
