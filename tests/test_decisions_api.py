"""The decisions API: asking, listing, reading, answering and withdrawing, with its refusals."""

from datetime import timedelta

import pytest

from sightline.decisions.models import DecisionRequest, DecisionState
from sightline.decisions.services import decision_withdraw
from sightline.projects.models import project_today
from tests.api_support import api_for, fields
from tests.test_decisions_services import ask, option_ids


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def payload(project, **overrides):
    data = {
        "question": "Which payment methods at launch?",
        "context": "Payments are the last step.",
        "options": [
            {"label": "Card only", "pros": "Ships next sprint", "effort": "3 days"},
            {"label": "Card and PayPal", "cons": "Two providers", "effort": "8 days", "recommended": True},
        ],
        "recommendation_reason": "Half our buyers use PayPal.",
        "due_date": (project_today(project) + timedelta(days=4)).isoformat(),
        "cost_of_delay": "After the 12th this costs ~3 extra days.",
    }
    data.update(overrides)
    return data


# --- Asking ---------------------------------------------------------------------------------------


def test_an_agency_member_asks_and_gets_the_decision_back(dev, client_po, make_item):
    item = make_item(title="Pay by PayPal")
    response = api_for(dev).post(
        "/projects/ACME/decisions",
        payload(dev.project, blocking_items=[item.key], holder=client_po.user.email),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"] == "D-1" and body["state"] == "open" and body["overdue"] is False
    assert [(o["label"], o["recommended"]) for o in body["options"]] == [
        ("Card only", False),
        ("Card and PayPal", True),
    ]
    assert body["blocking_items"] == [item.key] and body["holder"] == client_po.user.email
    assert body["created_by"] == dev.user.email and body["answer"] is None and body["version"] == 1
    assert body["url"] == "/p/ACME/decisions/1/"


def test_the_client_may_not_ask(client_po):
    response = api_for(client_po).post("/projects/ACME/decisions", payload(client_po.project))
    assert response.status_code == 403
    assert not DecisionRequest.objects.exists()


def test_an_outsider_gets_404_for_the_project(outsider, po):
    assert api_for(outsider).post("/projects/ACME/decisions", payload(po.project)).status_code == 404
    assert api_for(outsider).get("/projects/ACME/decisions").status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"options": [{"label": "Card only"}]}, "options", "at least 2 options"),
        ({"options": [{"label": f"Provider {n}"} for n in range(6)]}, "options", "at most 5"),
        (
            {"options": [{"label": "Card"}, {"label": "  ", "pros": "Cheap"}]},
            "options.1.label",
            "Option 2 needs",
        ),
        ({"blocking_items": ["ACME-404"]}, "blocking_items", "ACME-404"),
        ({"holder": "nobody@acme.test"}, "holder", "nobody@acme.test"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(po, overrides, field, words):
    response = api_for(po).post("/projects/ACME/decisions", payload(po.project, **overrides))
    assert response.status_code == 422, response.content
    assert fields(response) == [field] and words in response.json()["detail"]
    assert not DecisionRequest.objects.exists()


def test_a_past_due_date_is_refused(po):
    yesterday = project_today(po.project) - timedelta(days=1)
    response = api_for(po).post(
        "/projects/ACME/decisions", payload(po.project, due_date=yesterday.isoformat())
    )
    assert response.status_code == 422 and fields(response) == ["due_date"]
    assert "in the past" in response.json()["detail"]


def test_a_missing_question_is_a_schema_error(po):
    data = payload(po.project)
    del data["question"]
    response = api_for(po).post("/projects/ACME/decisions", data)
    assert response.status_code == 422 and fields(response) == ["question"]


# --- Reading --------------------------------------------------------------------------------------


def test_members_list_and_read_decisions(po, stakeholder, client_po):
    first, second = ask(po), ask(po, question="Gift wrapping?")
    api = api_for(stakeholder)
    listed = api.get("/projects/ACME/decisions").json()
    assert [d["id"] for d in listed] == [first.id, second.id]
    api_for(client_po).post(f"/decisions/{first.id}/answer", {"option_id": option_ids(first)[0]})
    assert [d["id"] for d in api.get("/projects/ACME/decisions", {"state": "open"}).json()] == [second.id]
    body = api.get(f"/decisions/{first.id}").json()
    assert body["state"] == "answered" and body["answer"]["option"] == "Card only"
    assert body["answer"]["answered_by"] == client_po.user.email


def test_an_outsider_gets_the_same_404_as_for_a_decision_that_does_not_exist(po, outsider):
    decision = ask(po)
    api = api_for(outsider)
    for path in (f"/decisions/{decision.id}", "/decisions/999999", f"/decisions/{2**63 - 1}"):
        response = api.get(path)
        assert response.status_code == 404 and response.json()["detail"] == "No such decision."


def test_overdue_is_reported(po, client_po):
    decision = ask(po)
    DecisionRequest.objects.filter(pk=decision.pk).update(
        due_date=project_today(po.project) - timedelta(days=3)
    )
    assert api_for(client_po).get(f"/decisions/{decision.id}").json()["overdue"] is True


# --- Answering ------------------------------------------------------------------------------------


def test_the_client_po_answers(po, client_po):
    decision = ask(po)
    chosen = option_ids(decision)[1]
    response = api_for(client_po).post(
        f"/decisions/{decision.id}/answer", {"option_id": chosen, "comment": "PayPal matters.", "version": 1}
    )
    assert response.status_code == 200, response.content
    answer = response.json()["answer"]
    assert answer["option_id"] == chosen and answer["comment"] == "PayPal matters."
    assert response.json()["state"] == "answered" and response.json()["version"] == 2


def test_a_developer_answering_gets_403(po, dev):
    decision = ask(po)
    response = api_for(dev).post(f"/decisions/{decision.id}/answer", {"option_id": option_ids(decision)[0]})
    assert response.status_code == 403 and "client product owner" in response.json()["detail"]
    assert DecisionRequest.objects.get().state == DecisionState.OPEN


def test_answering_twice_gets_409(po, client_po):
    decision = ask(po)
    api = api_for(client_po)
    first, second = option_ids(decision)
    assert api.post(f"/decisions/{decision.id}/answer", {"option_id": first}).status_code == 200
    response = api.post(f"/decisions/{decision.id}/answer", {"option_id": second})
    assert response.status_code == 409 and "already answered" in response.json()["detail"]
    assert DecisionRequest.objects.get().answer_option_id == first


def test_an_unknown_option_gets_422(po, client_po):
    decision, other = ask(po), ask(po)
    api = api_for(client_po)
    for option_id in (option_ids(other)[0], 987654):
        response = api.post(f"/decisions/{decision.id}/answer", {"option_id": option_id})
        assert response.status_code == 422 and fields(response) == ["option"]
    assert DecisionRequest.objects.get(pk=decision.pk).state == DecisionState.OPEN


def test_a_withdrawn_decision_answered_gets_409(po, client_po):
    decision = ask(po)
    decision_withdraw(actor=po.user, membership=po, decision=decision)
    response = api_for(client_po).post(
        f"/decisions/{decision.id}/answer", {"option_id": option_ids(decision)[0]}
    )
    assert response.status_code == 409 and "withdrawn" in response.json()["detail"]


def test_an_answer_to_a_stale_version_gets_409_with_the_current_version(po, client_po):
    decision = ask(po)
    response = api_for(client_po).post(
        f"/decisions/{decision.id}/answer", {"option_id": option_ids(decision)[0], "version": 7}
    )
    assert response.status_code == 409 and response.json()["current_version"] == 1


def test_an_outsider_answering_gets_404(po, outsider):
    decision = ask(po)
    response = api_for(outsider).post(
        f"/decisions/{decision.id}/answer", {"option_id": option_ids(decision)[0]}
    )
    assert response.status_code == 404


# --- Withdrawing ----------------------------------------------------------------------------------


def test_the_team_withdraws_and_only_once(po, tester):
    decision = ask(po)
    api = api_for(tester)
    response = api.post(f"/decisions/{decision.id}/withdraw", {"reason": "Solved another way."})
    assert response.status_code == 200 and response.json()["state"] == "withdrawn"
    assert response.json()["withdrawal_reason"] == "Solved another way."
    assert api.post(f"/decisions/{decision.id}/withdraw", {}).status_code == 409


def test_the_client_may_not_withdraw(po, client_po):
    decision = ask(po)
    assert api_for(client_po).post(f"/decisions/{decision.id}/withdraw", {}).status_code == 403
