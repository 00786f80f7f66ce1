"""What the accounts app tells the apps above it (connected in their AppConfig.ready)."""

from django.dispatch import Signal

# Sent when the home page lists a user's modules (names in order), with `user` and `modules`.
# A receiver may answer {"modules": [...reordered], "banner": {...}}: the response stages put the
# modules of the current stage's roles first (PRODUCT.md section 2). Lower apps cannot import
# stages, so they ask through this signal.
home_modules_ordering = Signal()
