"""The recovery pages for each role, and their refusals."""

import pytest
from django.test import Client

from coproduce.core import clock
from coproduce.recovery.models import Procurement, ResumptionReport

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_an_enterprise_reports_today_from_its_home_page(enterprise_rep, member):
    c = client_for(enterprise_rep)
    page = c.get("/recovery/")
    assert page.status_code == 200 and b"Linping Hardware" in page.content
    today = clock.today()
    r = c.post(
        f"/recovery/enterprises/{member.pk}/report/",
        {
            "date": today.isoformat(),
            "open": "1",
            "workers_on_site": "30",
            "blockers": ["logistics"],
            "next": "/recovery/",
        },
    )
    assert r.status_code == 302
    assert ResumptionReport.objects.get(enterprise=member, date=today).workers_on_site == 30
    assert "report is in" in c.get("/recovery/").content.decode()
    # impossible figures are refused with the field's message
    r = c.post(
        f"/recovery/enterprises/{member.pk}/report/",
        {"date": today.isoformat(), "open": "1", "workers_on_site": "99"},
        follow=True,
    )
    assert "already reported" in r.content.decode() or "More workers" in r.content.decode()
    assert c.get(f"/recovery/enterprises/{member.pk}/").status_code == 200


def test_pages_refuse_others(enterprise_rep, stranger, outsider, county_official, member):
    assert (
        client_for(enterprise_rep).get(f"/recovery/enterprises/{stranger.pk}/").status_code == 404
    )
    assert client_for(outsider).get("/recovery/").status_code == 403
    assert (
        client_for(county_official).get("/recovery/associations/yuhang-metal/").status_code == 404
    )
    assert client_for(enterprise_rep).get("/recovery/resumption/").status_code == 403
    client_for(enterprise_rep).post(
        f"/recovery/enterprises/{stranger.pk}/report/",
        {"date": clock.today().isoformat(), "open": "1", "workers_on_site": "1"},
        follow=True,
    )
    assert not ResumptionReport.objects.filter(enterprise=stranger).exists()


def test_an_association_runs_a_purchase_from_its_pages(association_staff, enterprise_rep, member):
    staff = client_for(association_staff)
    assert staff.get("/recovery/associations/yuhang-metal/").status_code == 200
    r = staff.post(
        "/recovery/associations/yuhang-metal/purchases/",
        {"item": "Masks", "unit": "piece", "needed_by": clock.today().isoformat()},
    )
    p = Procurement.objects.get()
    assert r.url == f"/recovery/purchases/{p.pk}/"
    client_for(enterprise_rep).post(
        f"/recovery/purchases/{p.pk}/need/", {"enterprise": member.pk, "quantity": "500"}
    )
    staff.post(
        f"/recovery/purchases/{p.pk}/quote/", {"supplier": "S", "tiers": "1 = 0.50\n400 = 0.40"}
    )
    quote = p.quotes.get()
    staff.post(f"/recovery/purchases/{p.pk}/award/", {"quote": quote.pk})
    p.refresh_from_db()
    assert p.status == "awarded" and p.total_cost_fen == 20000
    page = staff.get(f"/recovery/purchases/{p.pk}/").content.decode()
    assert "200.00" in page  # the member pays the lot (alone it reaches the same tier)
    staff.post(f"/recovery/purchases/{p.pk}/order/", {"reference": "PO"})
    staff.post(f"/recovery/purchases/{p.pk}/delivery/", {})
    client_for(enterprise_rep).post(
        f"/recovery/purchases/{p.pk}/receipt/", {"enterprise": member.pk}
    )
    p.refresh_from_db()
    assert p.status == "received"


def test_an_official_reads_the_table_and_trend(other_official, member, enterprise_rep):
    client_for(enterprise_rep).post(
        f"/recovery/enterprises/{member.pk}/report/",
        {"date": clock.today().isoformat(), "open": "1", "workers_on_site": "20"},
    )
    page = client_for(other_official).get("/recovery/resumption/?region=330110")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-figure="production_resumption_pct">50.0%' in text
    assert client_for(other_official).get("/recovery/").status_code == 200


def test_board_and_services_pages(enterprise_rep, association_staff, member):
    rep = client_for(enterprise_rep)
    rep.post(
        "/recovery/board/post/",
        {"enterprise": member.pk, "kind": "shortage", "topic": "material", "material": "Zinc"},
    )
    assert "Zinc" in rep.get("/recovery/board/").content.decode()
    rep.post(
        "/recovery/services/new/",
        {
            "enterprise": member.pk,
            "association": "yuhang-metal",
            "topic": "force_majeure",
            "description": "Certificate for a late delivery",
        },
    )
    staff = client_for(association_staff)
    text = staff.get("/recovery/services/").content.decode()
    assert "Certificate for a late delivery" in text
