"""Choices built from the rules' enums offer exactly the values stored, so that forms and the
admin accept every stored row (a (value, label) pair handed to TextChoices' functional API made
the labels the values once)."""

import pytest

from coproduce.accounts.models import RoleAssignment
from coproduce.accounts.rules import Role
from coproduce.fieldwork.models import Task
from coproduce.fieldwork.rules import TaskOutcome, TaskStatus
from coproduce.health_codes.models import Condition
from coproduce.health_codes.rules import ConditionKind, ReasonCode
from coproduce.relief.models import SupplyRequest
from coproduce.relief.rules import RequesterKind


@pytest.mark.parametrize(
    ("model", "field", "enum"),
    [
        (RoleAssignment, "role", Role),
        (Task, "status", TaskStatus),
        (Task, "outcome", TaskOutcome),
        (Condition, "kind", ConditionKind),
        (Condition, "reason", ReasonCode),
        (SupplyRequest, "requester_kind", RequesterKind),
    ],
)
def test_a_field_offers_the_enum_values_with_readable_labels(model, field, enum):
    choices = dict(model._meta.get_field(field).choices)
    assert set(choices) == {m.value for m in enum}
    for member in enum:
        assert choices[member.value] == member.value.replace("_", " ")
