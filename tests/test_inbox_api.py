"""The inbox API: GET /api/v1/inbox, GET /api/v1/projects/{key}/inbox and POST /api/v1/requests/handover."""

import json
import re
from importlib import import_module

import pytest
from django.test import Client

from sightline.accounts.services import token_create
from sightline.audit.models import AuditEvent
from sightline.backlog.models import Item
from sightline.inbox import registry
from sightline.inbox.selectors import KIND_LABELS
from sightline.projects.models import Membership, Role
from tests.inbox_helpers import delivered_items

FIELDS = {"kind", "id", "title", "project", "asked_by", "due", "overdue", "cost_of_delay", "url", "holder"}


def api(user, method, path, body=None):
    headers = {"Authorization": f"Bearer {token_create(user=user)}"}
    client = Client()
    if method == "GET":
        return client.get(path, headers=headers)
    return client.post(path, json.dumps(body or {}), content_type="application/json", headers=headers)


def test_the_inbox_lists_rows_with_the_documented_fields(client_po, project, settings):
    old = delivered_items(project, 1, days_ago=10, start=1)[0]
    new = delivered_items(project, 1, days_ago=0, start=2)[0]
    response = api(client_po.user, "GET", "/api/v1/inbox")
    assert response.status_code == 200
    rows = response.json()
    assert [r["id"] for r in rows] == [old.pk, new.pk]
    assert all(set(r) == FIELDS for r in rows)
    first = rows[0]
    assert first["kind"] == "acceptance" and first["project"] == "ACME" and first["overdue"] is True
    assert first["title"] == f"{old.key} {old.title}" and first["asked_by"] == "The team"
    assert first["url"] == f"{settings.SIGHTLINE_BASE_URL}/p/ACME/items/{old.key}/review/"
    assert first["holder"] is None and first["cost_of_delay"]
    assert rows[1]["overdue"] is False and len(rows[1]["due"]) == 10


def test_the_project_inbox_keeps_to_the_project_and_to_members(client_po, outsider, project, other_project):
    Membership.objects.create(project=other_project, user=client_po.user, role=Role.CLIENT_PO)
    delivered_items(project, 1, start=1)
    delivered_items(other_project, 1, start=1)
    everything = api(client_po.user, "GET", "/api/v1/inbox").json()
    assert sorted(r["project"] for r in everything) == ["ACME", "GLOBEX"]
    acme = api(client_po.user, "GET", "/api/v1/projects/ACME/inbox").json()
    assert [r["project"] for r in acme] == ["ACME"]
    assert api(outsider.user, "GET", "/api/v1/projects/ACME/inbox").status_code == 404
    assert [r["project"] for r in api(outsider.user, "GET", "/api/v1/inbox").json()] == ["GLOBEX"]


def test_handing_over_through_the_api_moves_the_row_and_is_audited(client_po, stakeholder, project):
    item = delivered_items(project, 1)[0]
    body = {"kind": "acceptance", "id": item.pk, "to_email": stakeholder.user.email.upper(), "note": "Yours"}
    response = api(client_po.user, "POST", "/api/v1/requests/handover", body)
    assert response.status_code == 200
    assert response.json()["holder"] == {"id": stakeholder.user.pk, "name": stakeholder.user.display_name}
    assert api(client_po.user, "GET", "/api/v1/inbox").json() == []
    assert [r["id"] for r in api(stakeholder.user, "GET", "/api/v1/inbox").json()] == [item.pk]
    assert AuditEvent.objects.filter(action="request.handed_over", note="Yours").count() == 1


@pytest.mark.parametrize("to_email", ["agency_po@example.test", "outsider@globex.test", "nobody@acme.test"])
def test_handing_over_to_someone_not_a_client_member_is_422_on_the_email(
    client_po, outsider, project, to_email
):
    item = delivered_items(project, 1)[0]
    response = api(
        client_po.user,
        "POST",
        "/api/v1/requests/handover",
        {"kind": "acceptance", "id": item.pk, "to_email": to_email},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "to_email"
    assert Item.objects.get(pk=item.pk).acceptance_holder is None


def test_a_stakeholder_who_does_not_hold_it_gets_403_and_an_outsider_404(
    stakeholder, outsider, client_po, project
):
    item = delivered_items(project, 1)[0]
    body = {"kind": "acceptance", "id": item.pk, "to_email": client_po.user.email}
    assert api(stakeholder.user, "POST", "/api/v1/requests/handover", body).status_code == 403
    assert api(outsider.user, "POST", "/api/v1/requests/handover", body).status_code == 404


def test_an_unknown_request_is_404_and_a_bad_body_422(client_po, stakeholder):
    body = {"kind": "decision", "id": 424242, "to_email": stakeholder.user.email}
    assert api(client_po.user, "POST", "/api/v1/requests/handover", body).status_code == 404
    bad = api(client_po.user, "POST", "/api/v1/requests/handover", {"kind": "acceptance"})
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} >= {"id", "to_email"}


def test_anonymous_callers_get_401():
    assert Client().get("/api/v1/inbox").status_code == 401


def test_the_documented_kinds_are_the_kinds_the_inbox_produces(db):
    produced = {import_module(path.rsplit(".", 1)[0]).KIND for path in registry.PROVIDERS}
    assert set(KIND_LABELS) == produced
    schema = Client().get("/api/v1/openapi.json").json()
    documented = schema["components"]["schemas"]["InboxRowOut"]["properties"]["kind"]["description"]
    assert set(re.findall(r"[a-z]+(?:_[a-z]+)*", documented)) - {"or"} == produced
