"""An honest OpenAPI schema (issue 18, point 5): no schema overwrites another, errors declared."""

import collections
import typing

from pydantic import BaseModel

from config.api import api


def _reachable_models() -> set[type[BaseModel]]:
    """Every pydantic model an operation reads or answers, with the models nested in them."""
    found: set[type[BaseModel]] = set()

    def walk(annotation) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation not in found:
                found.add(annotation)
                for field in annotation.model_fields.values():
                    walk(field.annotation)
            return
        for arg in typing.get_args(annotation):
            walk(arg)

    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    walk(model)
                for model in (operation.response_models or {}).values():
                    walk(model)
    return found


def test_no_two_schemas_of_the_api_share_a_name():
    """OpenAPI components are keyed by class name: two classes of one name overwrite each other."""
    by_name = collections.defaultdict(set)
    for model in _reachable_models():
        by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    clashes = {name: sorted(where) for name, where in by_name.items() if len(where) > 1}
    assert not clashes, clashes


def _answer_schema(schema, path, method="get", status="200"):
    content = schema["paths"][f"/api/v1{path}"][method]["responses"][status]["content"]
    ref = content["application/json"]["schema"]
    ref = ref.get("items", ref)["$ref"]
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_delivery_orders_and_quarantine_orders_are_documented_apart():
    schema = api.get_openapi_schema()
    delivery = _answer_schema(schema, "/deliveries/orders")
    quarantine = _answer_schema(schema, "/quarantine-orders")
    assert "handover_code" in delivery["properties"] and "site" not in delivery["properties"]
    assert "site" in quarantine["properties"] and "handover_code" not in quarantine["properties"]


def test_every_operation_declares_its_error_answers_in_the_error_shape():
    schema = api.get_openapi_schema()
    error = schema["components"]["schemas"]["ErrorOut"]
    assert error["properties"]["error"]["$ref"].endswith("/ErrorBody")
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            answers = operation["responses"]
            assert all(isinstance(status, str) for status in answers), (path, method)
            assert {"400", "404"} <= set(answers), (path, method)
            if operation.get("security"):
                assert {"401", "403"} <= set(answers), (path, method)
            if operation.get("parameters") or operation.get("requestBody"):
                assert "422" in answers, (path, method)
            for status, answer in answers.items():
                if status.startswith("4"):
                    ref = answer["content"]["application/json"]["schema"]["$ref"]
                    assert ref == "#/components/schemas/ErrorOut", (path, method, status)


def test_scans_declare_their_rate_limit():
    schema = api.get_openapi_schema()
    scans = schema["paths"]["/api/v1/checkpoints/{checkpoint_id}/scans"]["post"]
    assert "429" in scans["responses"]
