"""What health codes do when the people app signals (STYLE.md: lower apps signal)."""

from coproduce.health_codes import services
from coproduce.health_codes.models import HealthCode


def on_person_registered(sender, *, person, declaration, actor, **kwargs) -> None:
    """Judge the declaration inside the registration transaction (an unknown symptom refuses it)."""
    services.declaration_judge(person=person, declaration=declaration, actor=actor)


def on_persons_merged(sender, *, keep, remove, actor, **kwargs) -> None:
    """After a merge the survivor may carry the removed record's conditions: recompute it."""
    HealthCode.objects.filter(person=remove).delete()
    services.health_code_recompute(person=keep, actor=actor)
