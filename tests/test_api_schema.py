"""The OpenAPI schema is honest: every operation declares the statuses it can return, enums are listed,
and the docs page is served from our own static files."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from sightline.backlog.models import ItemType, Priority, Status

AUTHENTICATED_ERRORS = {"400", "401", "403", "404", "409", "422"}


@pytest.fixture(scope="module")
def schema():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def resolve(schema, ref_or_schema):
    ref = ref_or_schema.get("$ref")
    if ref is None:
        return ref_or_schema
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def response_schema(schema, operation, status: str):
    return resolve(schema, operation["responses"][status]["content"]["application/json"]["schema"])


def test_the_schema_is_served_without_authentication_and_describes_the_api(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Sightline API"
    assert {
        "/api/v1/auth/token",
        "/api/v1/projects",
        "/api/v1/projects/{key}/items",
        "/api/v1/items/{item_key}",
        "/api/v1/items/{item_key}/transition",
        "/api/v1/items/{item_key}/accept",
        "/api/v1/items/{item_key}/reject",
        "/api/v1/items/{item_key}/history",
        "/api/v1/projects/{key}/sprints",
        "/api/v1/sprints/{sprint_id}/start",
        "/api/v1/sprints/{sprint_id}/close",
    } <= set(schema["paths"])


def test_every_authenticated_operation_declares_its_error_statuses_and_security(schema):
    checked = 0
    for path, method, operation in operations(schema):
        if path == "/api/v1/auth/token":
            continue
        declared = set(operation["responses"])
        assert declared >= AUTHENTICATED_ERRORS, (method, path, declared)
        assert declared & {"200", "201"}, (method, path)
        assert {name for entry in operation["security"] for name in entry} == {
            "BearerToken",
            "BrowserSession",
        }
        checked += 1
    assert checked >= 15


def test_the_token_operation_declares_401_422_and_429_and_needs_no_credentials(schema):
    operation = schema["paths"]["/api/v1/auth/token"]["post"]
    assert {"201", "401", "422", "429"} <= set(operation["responses"])
    assert not operation.get("security")


def test_error_responses_use_the_documented_format(schema):
    for path, method, operation in operations(schema):
        for status in set(operation["responses"]) & AUTHENTICATED_ERRORS:
            error = response_schema(schema, operation, status)
            assert {"detail", "errors"} <= set(error["properties"]), (method, path, status)
    item = schema["paths"]["/api/v1/items/{item_key}"]["patch"]
    assert "current_version" in response_schema(schema, item, "409")["properties"]
    transition = schema["paths"]["/api/v1/items/{item_key}/transition"]["post"]
    assert "allowed" in response_schema(schema, transition, "400")["properties"]


def test_enumerations_are_spelled_out(schema):
    create = schema["paths"]["/api/v1/projects/{key}/items"]["post"]
    body = resolve(schema, create["requestBody"]["content"]["application/json"]["schema"])
    assert body["properties"]["type"]["enum"] == ItemType.values
    assert body["properties"]["priority"]["enum"] == Priority.values
    assert body["required"] == ["title"]
    transition = schema["paths"]["/api/v1/items/{item_key}/transition"]["post"]
    to = resolve(schema, transition["requestBody"]["content"]["application/json"]["schema"])["properties"][
        "to"
    ]
    assert to["enum"] == Status.values
    listing = schema["paths"]["/api/v1/projects/{key}/items"]["get"]
    status = next(p for p in listing["parameters"] if p["name"] == "status")
    assert Status.values in [s.get("enum") for s in status["schema"].get("anyOf", [status["schema"]])]


def test_item_list_documents_its_page_envelope(schema):
    listing = schema["paths"]["/api/v1/projects/{key}/items"]["get"]
    page = response_schema(schema, listing, "200")
    assert set(page["properties"]) == {"items", "count", "page", "page_size", "next"}
    size = next(p for p in listing["parameters"] if p["name"] == "page_size")["schema"]
    assert (size["default"], size["maximum"]) == (50, 500)


def test_patch_requires_only_the_version(schema):
    patch = schema["paths"]["/api/v1/items/{item_key}"]["patch"]
    body = resolve(schema, patch["requestBody"]["content"]["application/json"]["schema"])
    assert body["required"] == ["version"]
    assert "criteria" in body["properties"] and "priority" in body["properties"]


def test_the_docs_page_loads_swagger_from_our_own_static_files(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn." not in html and "django-ninja.dev" not in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not among the static files"
