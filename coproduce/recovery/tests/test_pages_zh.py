"""The recovery pages in Simplified Chinese: no string of the catalogue left in English (the
check of tests/test_pages_in_chinese.py, on this app's pages for each of its roles)."""

import pytest
from django.test import Client

from coproduce.accounts.models import User
from coproduce.core import clock
from coproduce.recovery.services import (
    board_post_create,
    procurement_award,
    procurement_create,
    procurement_need_add,
    procurement_quote_add,
    rent_relief_beneficiary_add,
    rent_relief_program_create,
    resumption_report_create,
    service_request_create,
)
from tests.test_pages_in_chinese import English, english_on

pytestmark = pytest.mark.django_db


def test_recovery_pages_in_chinese(
    member, enterprise_rep, association_staff, other_official, yuhang_association, park
):
    today = clock.today()
    resumption_report_create(
        actor=enterprise_rep,
        enterprise_id=member.pk,
        date=today,
        open=True,
        workers_on_site=20,
        blockers=["logistics"],
    )
    p = procurement_create(
        actor=association_staff,
        association=yuhang_association,
        item="口罩",
        unit="只",
        needed_by=today,
    )
    procurement_need_add(
        actor=association_staff, procurement_id=p.pk, enterprise_id=member.pk, quantity=100
    )
    q = procurement_quote_add(
        actor=association_staff,
        procurement_id=p.pk,
        supplier="供应商",
        tiers=[(1, "0.50"), (50, "0.40")],
    )
    procurement_award(actor=association_staff, procurement_id=p.pk, quote_id=q.pk)
    board_post_create(
        actor=enterprise_rep,
        enterprise_id=member.pk,
        kind="shortage",
        topic="material",
        material="钢丝",
    )
    service_request_create(
        actor=enterprise_rep,
        enterprise_id=member.pk,
        association=yuhang_association,
        kind="legal",
        topic="labor_law",
        description="工资问题",
    )
    program = rent_relief_program_create(
        actor=association_staff,
        association=yuhang_association,
        name="租金减半",
        provider_kind="park",
        provider_name="园区",
        kind="percentage",
        percent=50,
        start_month=today,
        months=3,
    )
    rent_relief_beneficiary_add(
        actor=association_staff,
        program_id=program.pk,
        enterprise_id=member.pk,
        monthly_rent_fen=100000,
    )
    pages = {
        "enterprise_rep": [
            "/recovery/",
            f"/recovery/enterprises/{member.pk}/",
            "/recovery/board/",
            "/recovery/services/",
            f"/recovery/purchases/{p.pk}/",
        ],
        "association_staff": [
            "/recovery/",
            "/recovery/associations/yuhang-metal/",
            f"/recovery/purchases/{p.pk}/",
            "/recovery/services/",
            "/recovery/board/",
        ],
        "other_official": ["/recovery/", "/recovery/resumption/?region=330110"],
    }
    msgids = English()
    data = set(User.objects.values_list("username", flat=True)) | {
        "Linping Hardware",
        "Linping Park",
    }
    left = {}
    for username, paths in pages.items():
        client = Client(headers={"Accept-Language": "zh-hans"})
        client.force_login(User.objects.get(username=username))
        for path in paths:
            answer = client.get(path)
            assert answer.status_code == 200, (username, path)
            if found := english_on(answer.content.decode(), msgids, data):
                left[f"{username} {path}"] = sorted(found)
    assert not left, f"English left on pages rendered in Chinese: {left}"
