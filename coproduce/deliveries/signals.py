"""Signals of the deliveries app.

``delivery_run_completed`` is the hook for volunteer service records: it is sent (after the
commit) when every order of a run is settled, with ``run``, ``volunteer`` (the assignee, or None),
``organization``, ``region``, ``started_at`` and ``finished_at``. The volunteers app sits below
this one, so it cannot listen itself: connect a receiver that calls its service-record service
in ``DeliveriesConfig.ready()`` once that service exists.
"""

from django.dispatch import Signal

delivery_run_completed = Signal()
