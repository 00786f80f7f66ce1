"""The JSON API of Labor sharing."""

from ninja import Router

router = Router(tags=["labor"])
