"""What the people app tells the apps above it (STYLE.md: lower apps signal, higher apps listen)."""

from django.dispatch import Signal

# Sent inside the registration transaction with person, declaration (or None) and actor.
# A receiver may raise ValidationFailed to refuse the registration: nothing is then written.
person_registered = Signal()
# Sent inside the merge transaction with keep, remove and actor, after the records are joined.
persons_merged = Signal()
