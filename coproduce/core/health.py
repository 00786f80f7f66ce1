"""GET /health: the process answers and reaches its database."""

from django.db import connection
from django.http import HttpRequest
from ninja import Router

router = Router(tags=["health"])


@router.get("/health", auth=None)
def health(request: HttpRequest):
    """Liveness and database reachability, without auth."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok"}
