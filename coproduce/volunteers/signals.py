"""What the volunteers app tells the apps above it (the time bank listens; STYLE.md layers)."""

from django.dispatch import Signal

# Sent INSIDE the confirmation transaction with record and actor. The time bank posts the earned
# hours in the same transaction, so a confirmed record and its hours are written together or not
# at all; a receiver that raises undoes the confirmation.
service_record_confirmed = Signal()
# Sent inside the transaction that voids a confirmed record (record, actor, reason): the time bank
# reverses the earned hours with a new entry (never an edit).
service_record_voided = Signal()
