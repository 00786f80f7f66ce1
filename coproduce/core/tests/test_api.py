"""The API's shared behaviour: health without auth, and the error shape of API.md."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_health_answers_without_auth():
    answer = Client().get("/api/v1/health")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}


def test_an_unknown_api_path_is_a_404_not_an_html_page():
    answer = Client().get("/api/v1/no-such-thing")
    assert answer.status_code == 404


def test_a_wrong_method_is_refused_without_a_500():
    answer = Client().delete("/api/v1/health")
    assert answer.status_code == 405


def test_the_openapi_schema_is_served():
    answer = Client().get("/api/v1/openapi.json")
    assert answer.status_code == 200
    assert "/api/v1/health" in answer.json()["paths"]
