"""The line list CSV (issue 18, point 8): no cell runs as a formula; times local with offset."""

import csv
import io

import pytest
from django.test import Client

from coproduce.tracing import services
from coproduce.tracing.tests.conftest import at

pytestmark = pytest.mark.django_db


def test_line_list_neutralizes_a_formula_in_a_name(world, clock_at, county_official):
    clock_at(at(12, 12))
    person = world.person('=HYPERLINK("http://evil.example","click")')
    case = services.case_report(
        person=person,
        status="confirmed",
        onset_date=at(10, 0).date(),
        isolated_at=at(11, 9),
        actor=county_official,
    )
    client = Client()
    client.force_login(county_official)
    answer = client.get("/tracing/cases/export.csv")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    (row,) = [r for r in rows if r["case"] == str(case.pk)]
    assert row["name"] == "'" + person.name
    # Local time with its offset, not bare UTC.
    assert row["isolated_at"].endswith("+08:00") and row["reported_at"].endswith("+08:00")
