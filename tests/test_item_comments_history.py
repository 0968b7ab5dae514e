"""Comments and history on the item page: internal notes kept from client roles, changes oldest first with
before and after, and times in words."""

import re

from sightline.audit.models import AuditEvent
from sightline.backlog.models import Status
from sightline.backlog.services import comment_add, item_update
from tests.conftest import login
from tests.test_item_pages import text, url

# --- Comments and history -------------------------------------------------------------------------


def test_client_roles_never_see_internal_comments(dev, client_po, stakeholder, po, make_item):
    item = make_item()
    comment_add(actor=dev.user, membership=dev, item=item, body="Vault vendor is 3 days late", internal=True)
    comment_add(actor=dev.user, membership=dev, item=item, body="Ready for a look on Friday")
    for member in (client_po, stakeholder):
        client = login(member.user)
        for page in ("item", "history"):
            html = text(client.get(url(page, item.key)))
            assert "Vault vendor is 3 days late" not in html
            assert "Ready for a look on Friday" in html
        assert "Internal note" not in text(client.get(url("item", item.key)))
    html = text(login(po.user).get(url("item", item.key)))
    assert "Vault vendor is 3 days late" in html and "Internal — not shown to the client" in html


def test_agency_roles_post_internal_notes_and_clients_may_not(dev, client_po, make_item):
    item = make_item()
    response = login(dev.user).post(
        url("comment_add", item.key),
        {"body": "Check the logs", "internal": "on"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "Check the logs" in text(response)
    assert item.comments.get().internal
    client = login(client_po.user)
    response = client.post(url("comment_add", item.key), {"body": "Looks good to me"})
    assert response.status_code == 302 and response.url.endswith("#comments")
    assert not item.comments.get(body="Looks good to me").internal
    client.post(url("comment_add", item.key), {"body": "Sneaky", "internal": "on"})
    assert not item.comments.get(body="Sneaky").internal  # the field does not exist for clients


def test_an_empty_comment_is_refused_naming_the_field(stakeholder, make_item):
    item = make_item()
    response = login(stakeholder.user).post(url("comment_add", item.key), {"body": "  "})
    assert response.status_code == 422 and "Comment: This field is required." in text(response)


def test_history_lists_changes_oldest_first_with_before_and_after(po, make_item):
    item = make_item(title="First title")
    item_update(actor=po.user, membership=po, item=item, version=1, changes={"title": "Second title"})
    item_update(actor=po.user, membership=po, item=item, version=2, changes={"priority": "low"})
    html = text(login(po.user).get(url("history", item.key)))
    html = html[html.index('<ol class="history">') :]
    created, edited, reprioritised = (html.index(s) for s in ("created the item", "Second title", "Low"))
    assert created < edited < reprioritised
    assert re.search(
        r'title: <span class="before">First title</span>.*?<span class="after">Second title</span>',
        html,
        re.S,
    )
    assert "Medium" in html and "Agency_Po" in html


def test_history_names_the_sprint_an_item_was_planned_into(po, sprint, make_item):
    item = make_item(Status.PLANNED, sprint=sprint)
    html = text(login(po.user).get(url("history", item.key)))
    assert re.search(
        r'sprint: <span class="before">—</span>.*?<span class="after">Sprint 1</span>', html, re.S
    )


def test_history_hides_internal_events_from_clients(dev, client_po, make_item):
    item = make_item()
    comment_add(actor=dev.user, membership=dev, item=item, body="Internal only", internal=True)
    assert AuditEvent.objects.filter(item=item, internal=True).exists()
    client_html = text(login(client_po.user).get(url("history", item.key)))
    assert "Internal only" not in client_html and "commented" not in client_html
    assert "Internal only" in text(login(dev.user).get(url("history", item.key)))


def test_history_leaves_out_empty_changes_and_shows_times_in_words(po, tester, make_item):
    from sightline.backlog.selectors import item_history
    from sightline.backlog.transitions import item_transition, item_verify

    item = make_item(Status.IN_PROGRESS)
    item_verify(actor=tester.user, membership=tester, item=item)
    item_transition(
        actor=po.user, membership=po, item=item, to=Status.DELIVERED, note="On staging, see notes"
    )
    changes = [c for entry in item_history(item, po) for c in entry.changes]
    assert not any(c.field == "staging link" for c in changes)  # delivered with a note only: "— → —"
    verified = next(c for c in changes if c.field.startswith("verified"))
    assert "T" not in verified.after and re.match(r"\d{1,2} \w{3} \d{4}, \d{2}:\d{2}", verified.after)
