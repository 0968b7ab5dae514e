"""No input makes the API fail: random JSON bodies, query strings and path values against every operation of
the OpenAPI schema get one of the statuses that operation declares, never a 5xx."""

import json
from datetime import date
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sightline.api.api import api
from sightline.backlog.models import Status
from sightline.decisions.services import OptionInput, decision_create
from sightline.feedback.services import feedback_give
from sightline.reviews.services import criteria_review_request
from tests.api_support import ApiClient, api_for
from tests.conftest import make_sprint

SCHEMA = api.get_openapi_schema()
OPERATIONS = [
    (method, path.removeprefix("/api/v1"), operation)
    for path, methods in SCHEMA["paths"].items()
    for method, operation in methods.items()
]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(
        [
            "",
            "ACME-1",
            "ACME-2",
            "draft",
            "ready",
            "planned",
            "delivered",
            "none",
            "1",
            "-1",
            "https://staging.acme.test",
            "2026-11-02",
            "\x00",
            "9" * 40,
            "critical",
            "bug",
        ]
    )
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=8,
)


def plausible(schema: dict):
    """Values of roughly the declared shape, where the deeper code paths are (bodies add random JSON)."""
    if "anyOf" in schema:
        return st.one_of([plausible(option) for option in schema["anyOf"]])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "string":
        return st.text(max_size=40) | st.sampled_from(
            [
                "ACME-1",
                "ACME-2",
                "https://staging.acme.test/x",
                "A reason long enough",
                "2026-11-16",
                "x" * 300,
            ]
        )
    if kind == "integer":
        return st.integers(min_value=-3, max_value=4) | st.integers(min_value=-(2**70), max_value=2**70)
    if kind == "number":
        return st.floats(min_value=-2, max_value=1e6, allow_nan=False) | st.integers(-5, 10**9)
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        return st.lists(plausible(schema.get("items", {})), max_size=4)
    return json_values


def _body_schema(operation) -> dict:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if not content:
        return {}
    ref = content["schema"].get("$ref", "")
    return SCHEMA["components"]["schemas"].get(ref.rsplit("/", 1)[-1], content["schema"])


def bodies(operation):
    schema = _body_schema(operation)
    properties, required = schema.get("properties", {}), schema.get("required", [])
    shaped = st.fixed_dictionaries(
        {name: plausible(properties[name]) for name in required},
        optional={name: plausible(prop) for name, prop in properties.items() if name not in required},
    ).map(json.dumps)
    anything = json_values.map(json.dumps) | st.binary(max_size=20)
    return st.one_of(shaped, shaped, shaped, anything)


def queries(operation):
    names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
    return st.fixed_dictionaries(
        {},
        optional={
            name: st.text(max_size=12)
            | st.sampled_from(["0", "1", "2", "-5", "none", "9" * 30, "draft", "bug", "high", "1e3", "\x00"])
            for name in names
        },
    )


PATH_VALUES = {
    "key": ["ACME", "GLOBEX"],
    "item_key": ["ACME-1", "ACME-2", "GLOBEX-1"],
    "sprint_id": ["1", "2"],
    "change_id": ["1", "2"],
    "release_id": ["1", "2"],
    "epic_id": ["1", "2"],
    "decision_id": ["1", "2"],
    "review_id": ["1", "2"],
    "feedback_id": ["1", "2"],
}


def path_values(name: str):
    odd = st.sampled_from(["0", "-1", "9" * 30, "acme", "ACME-0"]) | st.text(min_size=1, max_size=12)
    return st.sampled_from(PATH_VALUES[name]) | odd


def _fill(path: str, values: dict) -> str:
    for name, value in values.items():
        path = path.replace("{" + name + "}", quote(value, safe=""))
    return path


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(po, client_po, make_item):
    sprint = make_sprint(po)
    make_item(Status.DELIVERED, sprint=sprint)
    draft = make_item()
    criteria_review_request(actor=po.user, membership=po, items=[draft], due_date=date(2099, 1, 6))
    feedback_give(actor=client_po.user, membership=client_po, text="Faster search, please")
    decision_create(
        actor=po.user,
        membership=po,
        question="Card or PayPal?",
        options=[OptionInput("Card"), OptionInput("PayPal")],
        due_date=date(2099, 1, 6),
    )
    return {"po": api_for(po), "client_po": api_for(client_po)}


@pytest.mark.parametrize(
    ("method", "path", "operation"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS]
)
def test_random_input_never_gets_an_undeclared_status(world, method, path, operation):
    declared = {int(status) for status in operation["responses"]}
    names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(
        who=st.sampled_from(["po", "po", "client_po", "anonymous"]),
        where=st.fixed_dictionaries({name: path_values(name) for name in names}),
        query=queries(operation),
        body=bodies(operation),
    )
    def check(who, where, query, body):
        client = world.get(who) or ApiClient()
        target = _fill(path, where)
        send = client.get if method == "get" else getattr(client, method)
        response = send(target, query if method == "get" else body)
        if response.status_code == 404 and response.get("Content-Type", "").startswith("text/html"):
            return  # the path did not match the route at all (e.g. a value with a slash)
        assert response.status_code in declared, (method, target, query, body, response.content[:300])
        assert response.status_code < 500

    check()
