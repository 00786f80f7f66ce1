"""Tracing pages: line list and CSV, a case (audited), tasks with one-tap outcomes, progress,
chain, quarantine; refused out of scope."""

import pytest
from django.test import Client

from coproduce.core.models import AuditEvent
from coproduce.fieldwork.models import Task
from coproduce.tracing import services
from coproduce.tracing.models import QuarantineOrder
from coproduce.tracing.tests.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world, clock_at, fuyang_org, county_official):
    clock_at(at(12, 12))
    world.place("market")
    world.person("case")
    world.person("neighbour")
    world.seen("case", "market", at(10, 10))
    world.seen("neighbour", "market", at(10, 10, 20))
    fuyang_org.service_regions.add(world.people["case"].home_region)
    return services.case_report(
        person=world.people["case"],
        status="confirmed",
        onset_date=at(10, 0).date(),
        cluster="F1",
        actor=county_official,
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_official_pages_work_and_views_are_audited(case, county_official):
    c = client_for(county_official)
    page = c.get("/tracing/cases/?status=confirmed")
    assert page.status_code == 200 and "case" in page.content.decode()
    csv = c.get("/tracing/cases/export.csv")
    assert csv.status_code == 200
    assert csv.content.decode("utf-8-sig").splitlines()[1].startswith(f"{case.pk},")
    detail = c.get(f"/tracing/cases/{case.pk}/")
    assert "neighbour" in detail.content.decode()
    for action in (
        "tracing.case_list_view",
        "tracing.case_export",
        "tracing.case_view",
        "tracing.contact_view",
    ):
        assert AuditEvent.objects.filter(action=action).exists(), action
    assert c.post(f"/tracing/cases/{case.pk}/act/", {"action": "round"}).status_code == 302
    assert Task.objects.filter(kind="trace_contact").count() == 1
    assert c.get("/tracing/progress/").status_code == 200
    chain = c.get("/tracing/chains/F1/")
    assert chain.status_code == 200 and 'data-nodes="2"' in chain.content.decode()
    assert c.get("/tracing/quarantine/").status_code == 200


def test_tracer_finishes_a_task_in_one_tap_and_never_sees_the_case(
    case, county_official, tracer, clock_at
):
    services.round_start(case=case, actor=county_official)
    c = client_for(tracer)
    page = c.get("/tracing/").content.decode()
    assert "neighbour" in page
    assert "case" not in page.split("<main")[1].split("</main>")[0].replace(
        "trace contact", ""
    ).lower().replace("cases", "")
    task = Task.objects.get(kind="trace_contact")
    card = c.post(f"/tracing/tasks/{task.pk}/", {"outcome": "reached"}, HTTP_HX_REQUEST="true")
    assert card.status_code == 200 and "outcome-reached" in card.content.decode()
    task.refresh_from_db()
    assert (task.status, task.outcome) == ("done", "reached")
    # The tracer reaches no official page.
    assert c.get("/tracing/cases/").status_code == 403
    assert c.get("/tracing/quarantine/").status_code == 403


def test_overdue_tasks_stand_out(case, county_official, tracer, clock_at):
    services.round_start(case=case, actor=county_official)
    clock_at(at(14, 12))
    page = client_for(tracer).get("/tracing/").content.decode()
    assert "task card overdue" in page


def test_pages_refuse_other_counties_and_outsiders(case, other_official, outsider):
    for user in (other_official, outsider):
        c = client_for(user)
        assert c.get(f"/tracing/cases/{case.pk}/").status_code in (403, 404)
        listing = c.get("/tracing/cases/")
        assert listing.status_code == 403 or f"/tracing/cases/{case.pk}/" not in (
            listing.content.decode()
        )
        assert c.get("/tracing/chains/F1/").content.decode().count("neighbour") == 0
    assert client_for(outsider).get("/tracing/cases/").status_code == 403
    assert Client().get("/tracing/cases/").status_code == 302


def test_order_and_site_forms(case, county_official, world):
    c = client_for(county_official)
    c.post("/tracing/quarantine/sites/new/", {"name": "Hotel", "region": "330111", "capacity": "3"})
    from coproduce.tracing.models import QuarantineSite

    site = QuarantineSite.objects.get()
    c.post(
        "/tracing/quarantine/new/",
        {
            "person": world.people["neighbour"].public_id,
            "kind": "centralized",
            "site": str(site.pk),
            "reason": "close_contact",
            "start_date": "2020-02-12",
        },
    )
    order = QuarantineOrder.objects.get()
    c.post(
        "/tracing/quarantine/",
        {"action": "lengthen", "order": str(order.pk), "date": "2020-03-01", "why": "re-exposed"},
    )
    order.refresh_from_db()
    assert order.not_before.isoformat() == "2020-03-01"
    page = c.get("/tracing/quarantine/").content.decode()
    assert "neighbour" in page


def test_fever_follow_ups_appear_in_the_same_task_list(case, tracer, world):
    from decimal import Decimal

    from coproduce.health_codes import services as code_services

    neighbour = world.people["neighbour"]
    code_services.report_file(
        person=neighbour,
        report=code_services.ReportInput(
            on=at(12, 0).date(), temperature_c=Decimal("38.2"), symptoms=[]
        ),
        actor=None,
        by_proxy=True,
    )
    page = client_for(tracer).get("/tracing/").content.decode()
    assert "fever follow-up" in page and "neighbour" in page


def test_a_volunteer_finishing_a_tracing_task_earns_a_service_record(
    case, county_official, volunteer, fuyang_org, django_capture_on_commit_callbacks, clock_at
):
    from coproduce.volunteers.models import ServiceRecord
    from coproduce.volunteers.services import volunteer_register

    volunteer_register(
        actor=volunteer, user=volunteer, name="Volunteer Zhou", home_region=case.region
    )
    services.round_start(case=case, actor=county_official)
    task = Task.objects.get(kind="trace_contact")
    assert task.organization == fuyang_org  # the CBO serves the area: the volunteer sees it
    c = client_for(volunteer)
    clock_at(at(12, 15))  # the call was made three hours later
    with django_capture_on_commit_callbacks(execute=True):
        c.post(f"/tracing/tasks/{task.pk}/", {"outcome": "reached"}, HTTP_HX_REQUEST="true")
    record = ServiceRecord.objects.get(source=f"tracing.task:{task.pk}")
    assert record.activity == "tracing" and record.minutes == 30
    # Finishing it is final: the same task is never credited twice.
    assert ServiceRecord.objects.filter(source__startswith="tracing.task:").count() == 1


def test_the_task_list_comes_25_at_a_time_and_audits_only_what_is_shown(case, tracer, world):
    from coproduce.fieldwork.services import task_open

    area = world.people["case"].home_region
    for n in range(30):
        task_open(
            kind="fever_follow_up",
            title=f"Task {n:02d}",
            region=area,
            actor=None,
            source=f"test:{n}",
        )
    c = client_for(tracer)
    first = c.get("/tracing/").content.decode()
    assert first.count('class="task card') == 25 and "page=2" in first
    before = AuditEvent.objects.count()
    rest = c.get("/tracing/?show=open&page=2", HTTP_HX_REQUEST="true").content.decode()
    assert "<ul" not in rest  # the cards alone, added below the first page
    assert rest.count('class="task card') == Task.objects.exclude(status="done").count() - 25
    assert "page=3" not in rest
    assert AuditEvent.objects.count() == before  # these tasks name nobody
    assert c.get("/tracing/?page=x&show=nonsense").status_code == 200
