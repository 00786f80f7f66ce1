"""A statement CSV (issue 18, point 8): a memo never runs as a formula; times carry an offset."""

import csv
import io

import pytest

from coproduce.timebank import services
from coproduce.volunteers import services as volunteer_services

pytestmark = pytest.mark.django_db


def test_statement_csv_neutralizes_a_tab_or_at_sign_memo(
    api_as, volunteer, pending_record, coordinator
):
    volunteer_services.service_record_confirm(record=pending_record, actor=coordinator)
    services.hours_unearn(record=pending_record, actor=coordinator, reason="@SUM(1+1)*cmd")
    answer = api_as(volunteer).get("/timebank/accounts/me/statement?format=csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert "'@SUM(1+1)*cmd" in cells and "@SUM(1+1)*cmd" not in cells
    entry = next(row for row in rows if row and row[-2:-1] == ["'@SUM(1+1)*cmd"])
    assert entry[0].endswith("+08:00"), entry
