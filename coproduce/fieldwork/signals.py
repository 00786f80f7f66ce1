"""What fieldwork tells the apps above it (STYLE.md: lower apps signal, higher apps listen)."""

from django.dispatch import Signal

# Sent after a task was finished (status done, with its outcome), with task and actor, on commit.
task_finished = Signal()
