"""The items API's workflow: transitions with staging links and policy refusals, and the client's accept and
reject of delivered items."""

import pytest

from sightline.backlog.models import Status
from tests.api_support import api_for, fields
from tests.conftest import make_sprint

# --- POST /items/{item_key}/transition ------------------------------------------------------------------


def test_developer_moves_an_item_to_ready(dev, make_item):
    item = make_item()
    response = api_for(dev).post(f"/items/{item.key}/transition", {"to": "ready", "note": "Groomed"})
    assert response.status_code == 200
    assert response.json()["status"] == "ready" and response.json()["version"] == 2


def test_po_plans_an_item_into_a_sprint_by_number(po, make_item):
    sprint = make_sprint(po)
    item = make_item(Status.READY)
    response = api_for(po).post(f"/items/{item.key}/transition", {"to": "planned", "sprint": sprint.number})
    assert response.status_code == 200 and response.json()["sprint"] == sprint.number


def test_planning_into_an_unknown_sprint_gets_422(po, make_item):
    item = make_item(Status.READY)
    response = api_for(po).post(f"/items/{item.key}/transition", {"to": "planned", "sprint": 42})
    assert response.status_code == 422 and fields(response) == ["sprint"]


def test_delivering_records_the_staging_link(dev, make_item):
    item = make_item(Status.IN_PROGRESS)
    response = api_for(dev).post(
        f"/items/{item.key}/transition", {"to": "delivered", "staging_url": "https://staging.acme.test/pay"}
    )
    body = response.json()
    assert body["status"] == "delivered" and body["staging_url"] == "https://staging.acme.test/pay"
    assert body["delivered_at"] is not None


def test_staging_links_must_be_web_urls(dev, make_item):
    item = make_item(Status.IN_PROGRESS)
    response = api_for(dev).post(
        f"/items/{item.key}/transition", {"to": "delivered", "staging_url": "javascript:alert(1)"}
    )
    assert response.status_code == 422 and fields(response) == ["staging_url"]


def test_illegal_transition_gets_400_with_the_allowed_states(dev, make_item):
    item = make_item()
    response = api_for(dev).post(f"/items/{item.key}/transition", {"to": "delivered"})
    assert response.status_code == 400
    body = response.json()
    assert body["allowed"] == ["ready"] and "allowed next states: ready" in body["detail"]
    assert fields(response) == ["to"]


def test_unknown_state_gets_422(dev, make_item):
    item = make_item()
    response = api_for(dev).post(f"/items/{item.key}/transition", {"to": "done"})
    assert response.status_code == 422 and fields(response) == ["to"]


def test_a_role_lacking_the_transition_gets_403_with_the_policy_message(client_po, make_item):
    item = make_item()
    response = api_for(client_po).post(f"/items/{item.key}/transition", {"to": "ready"})
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Your role may not do this (item.work)")


def test_a_business_rule_refusal_gets_400(dev, make_item):
    item = make_item(user_story="", criteria=[], points=None)
    response = api_for(dev).post(f"/items/{item.key}/transition", {"to": "ready"})
    assert response.status_code == 400 and "is not ready" in response.json()["detail"]


def test_transition_with_a_stale_version_gets_409(dev, make_item):
    item = make_item()
    response = api_for(dev).post(f"/items/{item.key}/transition", {"to": "ready", "version": 7})
    assert response.status_code == 409 and response.json()["current_version"] == 1


# --- accept / reject ------------------------------------------------------------------------------------


def test_client_po_accepts_a_delivered_item(client_po, make_item):
    item = make_item(Status.DELIVERED)
    response = api_for(client_po).post(f"/items/{item.key}/accept", {"comment": "Lovely"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "accepted" and body["accepted_by"] == client_po.user.email
    assert body["accepted_at"] is not None and all(c["met"] for c in body["criteria"])


def test_a_designated_client_acceptor_may_accept(stakeholder, make_item):
    stakeholder.is_acceptor = True
    stakeholder.save(update_fields=["is_acceptor"])
    item = make_item(Status.DELIVERED)
    response = api_for(stakeholder).post(f"/items/{item.key}/accept", {})
    assert response.status_code == 200 and response.json()["accepted_by"] == stakeholder.user.email


def test_accepting_with_a_criterion_unticked_is_refused(client_po, make_item):
    item = make_item(Status.DELIVERED)
    first = item.criteria.first()
    response = api_for(client_po).post(f"/items/{item.key}/accept", {"criteria_met": [first.id]})
    assert response.status_code == 400 and fields(response) == ["criteria"]


def test_accepting_with_unknown_criteria_gets_422(client_po, make_item):
    item = make_item(Status.DELIVERED)
    response = api_for(client_po).post(f"/items/{item.key}/accept", {"criteria_met": [987654]})
    assert response.status_code == 422 and fields(response) == ["criteria"]


def test_developers_may_not_accept(dev, make_item):
    item = make_item(Status.DELIVERED)
    response = api_for(dev).post(f"/items/{item.key}/accept", {})
    assert response.status_code == 403
    assert "client_po" in response.json()["detail"]


def test_accepting_an_item_not_delivered_gets_400_with_allowed(client_po, make_item):
    item = make_item(Status.IN_PROGRESS)
    response = api_for(client_po).post(f"/items/{item.key}/accept", {})
    assert response.status_code == 400 and response.json()["allowed"] == ["delivered", "draft"]


def test_client_po_rejects_with_a_reason(client_po, make_item):
    item = make_item(Status.DELIVERED)
    first = item.criteria.first()
    response = api_for(client_po).post(
        f"/items/{item.key}/reject", {"reason": "The pay button does nothing", "criteria_met": [first.id]}
    )
    body = response.json()
    assert body["status"] == "rejected" and body["rejection_reason"] == "The pay button does nothing"
    assert [c["met"] for c in body["criteria"]] == [True, False]


@pytest.mark.parametrize("reason", ["too short", "          x", None])
def test_rejecting_without_a_real_reason_gets_422_naming_reason(client_po, make_item, reason):
    item = make_item(Status.DELIVERED)
    response = api_for(client_po).post(f"/items/{item.key}/reject", {"reason": reason} if reason else {})
    assert response.status_code == 422 and fields(response) == ["reason"]
    item.refresh_from_db()
    assert item.status == Status.DELIVERED
