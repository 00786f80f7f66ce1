"""Django choices made from the pure rules' enums."""

from enum import StrEnum

from django.db import models


def choices_of(name: str, members: type[StrEnum]) -> type[models.TextChoices]:
    """Choices whose stored values are the enum's values ("active_case") and whose labels read
    as words ("active case"). (Handing the functional API (value, label) pairs instead makes the
    labels the values: forms and the admin then refuse every stored value.)"""
    return models.TextChoices(
        name, [(m.name, (m.value, m.value.replace("_", " "))) for m in members]
    )
