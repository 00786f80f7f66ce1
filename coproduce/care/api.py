"""The JSON API of Care: counseling and the Voluntary Clinic."""

from ninja import Router

router = Router(tags=["care"])
