"""The API keeps the promises of its OpenAPI schema: schemathesis generates valid and invalid requests for
every operation from the schema alone (its examples, coverage and fuzzing phases), and every answer must be
a declared status, with the declared content type and body shape, and never a server error.

Generated keys and ids would nearly always miss, so three valid cases in four go to a real object of a small
engagement instead (ACME, its items in every state, its sprints and epics), half of the valid edits carry the
item's current version and half of the valid token requests a member's real password: the happy paths run
too, not only the 404s, 409s and 401s."""

import zlib

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from sightline.accounts.services import token_create
from sightline.backlog.epics import epic_create
from sightline.backlog.models import Item, Status
from sightline.backlog.transitions import item_accept
from sightline.sprints.services import sprint_close
from sightline.wsgi import application
from tests.conftest import PASSWORD, make_sprint

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
schema.config.generation.update(modes=list(schemathesis.GenerationMode))

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
    response_headers_conformance,
    unsupported_method,  # an undeclared method gets 405 ...
    allow_header_conformance,  # ... with an Allow header naming the declared ones
]
VERDICTS = ("/accept", "/reject")
FUZZED_CASES = 800
"""Random cases shared among the operations (at least 10 each), on top of the schemathesis coverage phase's
deterministic ones (about 60 per operation), so that the module stays well under a minute as the API grows."""


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def same_connection():
    """Requests go through the WSGI application in this thread; like Django's test client, keep the request
    signals from closing the test's database connection (and its transaction) after each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def engagement(request, po, client_po, make_item, same_connection):
    """ACME with an active sprint holding delivered work, a planned sprint, and items in every state; the
    agency PO's and the client PO's tokens. To test starting a sprint, the active one is closed first."""
    active = make_sprint(po, active=True)
    planned = make_sprint(po, goal="Let buyers track orders")
    items = [
        make_item(Status.DRAFT),
        make_item(Status.READY, priority="high"),
        make_item(Status.PLANNED, sprint=planned),
        make_item(Status.IN_PROGRESS, sprint=active),
        make_item(Status.DELIVERED, sprint=active, type="bug"),
        make_item(Status.DELIVERED, sprint=active),
        make_item(Status.DELIVERED, sprint=active),
        make_item(Status.DELIVERED, sprint=active),
    ]
    item_accept(actor=client_po.user, membership=client_po, item=items[-1])
    epics = [epic_create(actor=po.user, membership=po, title=title) for title in ("Checkout", "Gift cards")]
    if request.node.operation_label.endswith("/start"):
        sprint_close(actor=po.user, membership=po, sprint=active)
    return {
        "real": {
            "key": ["ACME"],
            "item_key": [item.key for item in items],
            "sprint_id": [active.pk, planned.pk],
            "epic_id": [epic.pk for epic in epics],
            "credentials": {"email": po.user.email, "password": PASSWORD},
        },
        "tokens": {"agency_po": token_create(user=po.user), "client_po": token_create(user=client_po.user)},
    }


def _pick(value, choices: list):
    """A real value for three generated values in four, the same one each time the value comes back."""
    digest = zlib.crc32(repr(value).encode())
    return value if digest % 4 == 0 else choices[digest // 4 % len(choices)]


def valid(case, location: str) -> bool:
    """Whether the case's values in ``location`` were generated to match the schema."""
    component = case.meta.components.get(location) if case.meta is not None else None
    return component is None or component.mode == schemathesis.GenerationMode.POSITIVE


def aim_at_real_objects(case, real: dict) -> None:
    """Point a case whose path is valid at real objects; give half of the valid edits the item's current
    version, and half of the valid token requests a member's real email and password."""
    if not valid(case, "path"):
        return
    for name, value in case.path_parameters.items():
        if real.get(name):
            case.path_parameters[name] = _pick(value, real[name])
    body = case.body
    if not (valid(case, "body") and isinstance(body, dict)) or zlib.crc32(repr(body).encode()) % 2:
        return
    if case.operation.path.endswith("/auth/token"):
        body.update(real["credentials"])
    item = Item.objects.filter(key=case.path_parameters.get("item_key", "")).first()
    if item is not None and "version" in body:
        body["version"] = item.version


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=max(10, FUZZED_CASES // len(schema)),
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_every_operation_keeps_the_promises_of_its_schema(case, engagement):
    """The agency PO calls everything but the verdicts, which are the client PO's to give."""
    aim_at_real_objects(case, engagement["real"])
    role = "client_po" if case.operation.path.endswith(VERDICTS) else "agency_po"
    token = engagement["tokens"][role]
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
