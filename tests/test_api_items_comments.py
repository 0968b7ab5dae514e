"""The items API's history and comments: events oldest first, and internal notes hidden from client roles."""

from sightline.backlog.services import comment_add
from tests.api_support import api_for, fields

# --- history and comments -------------------------------------------------------------------------------


def test_history_lists_events_oldest_first(po, dev, make_item):
    item = make_item()
    api_for(dev).post(f"/items/{item.key}/transition", {"to": "ready", "note": "Groomed"})
    events = api_for(po).get(f"/items/{item.key}/history").json()
    assert [e["action"] for e in events] == ["item.created", "item.transitioned"]
    assert events[1]["actor"] == dev.user.email and events[1]["note"] == "Groomed"
    assert events[1]["changes"] == {"status": ["draft", "ready"]}
    assert set(events[0]) == {"id", "at", "actor", "action", "changes", "note"}


def test_history_hides_internal_events_from_client_roles(dev, client_po, stakeholder, make_item):
    item = make_item()
    comment_add(actor=dev.user, membership=dev, item=item, body="Client is slow to answer", internal=True)
    comment_add(actor=dev.user, membership=dev, item=item, body="Ready for review")
    agency = [e["note"] for e in api_for(dev).get(f"/items/{item.key}/history").json()]
    assert "Client is slow to answer" in agency and "Ready for review" in agency
    for member in (client_po, stakeholder):
        notes = [e["note"] for e in api_for(member).get(f"/items/{item.key}/history").json()]
        assert "Client is slow to answer" not in notes and "Ready for review" in notes


def test_comments_hide_internal_notes_from_client_roles(dev, client_po, make_item):
    item = make_item()
    client = api_for(dev)
    assert (
        client.post(f"/items/{item.key}/comments", {"body": "Internal", "internal": True}).status_code == 201
    )
    created = client.post(f"/items/{item.key}/comments", {"body": "Public"})
    assert created.status_code == 201
    assert created.json()["author"] == dev.user.email and created.json()["internal"] is False
    assert [c["body"] for c in client.get(f"/items/{item.key}/comments").json()] == ["Internal", "Public"]
    assert [c["body"] for c in api_for(client_po).get(f"/items/{item.key}/comments").json()] == ["Public"]


def test_client_roles_may_comment_but_not_internally(stakeholder, make_item):
    item = make_item()
    client = api_for(stakeholder)
    assert client.post(f"/items/{item.key}/comments", {"body": "Nice"}).status_code == 201
    response = client.post(f"/items/{item.key}/comments", {"body": "Secret", "internal": True})
    assert response.status_code == 403
    assert item.comments.count() == 1


def test_empty_comments_get_422(dev, make_item):
    item = make_item()
    for body in ({"body": ""}, {"body": "   "}, {}):
        response = api_for(dev).post(f"/items/{item.key}/comments", body)
        assert response.status_code == 422 and fields(response) == ["body"], body
