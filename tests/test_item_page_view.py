"""The item page: the story, its criteria and sanitised markdown, the rejection reason, the staging link,
the client's verdict panel, and the workflow buttons offering only the allowed next states."""

from django.urls import reverse

from sightline.backlog.models import ItemType, Priority, Status
from sightline.backlog.transitions import item_reject
from tests.conftest import login, make_sprint
from tests.test_item_pages import text, url

# --- The item page --------------------------------------------------------------------------------


def test_the_item_page_shows_the_story_criteria_and_sanitised_markdown(stakeholder, make_item):
    item = make_item(description="**Bold** <script>alert('x')</script> [bad](javascript:alert(1))")
    html = text(login(stakeholder.user).get(url("item", item.key)))
    assert "<strong>Bold</strong>" in html
    assert "alert('x')" not in html and "javascript:" not in html
    assert "Card is remembered" in html and "As a buyer I want to pay fast" in html
    assert url("edit", item.key) not in html  # the stakeholder reads, the team edits


def test_a_rejected_item_shows_the_reason_to_everyone(po, client_po, stakeholder, dev, make_item):
    item = make_item(Status.DELIVERED)
    item_reject(
        actor=client_po.user, membership=client_po, item=item, reason="The button does nothing on iOS"
    )
    for member in (po, dev, client_po, stakeholder):
        html = text(login(member.user).get(url("item", item.key)))
        assert "Rejected by the client" in html and "The button does nothing on iOS" in html


def test_a_delivered_item_shows_where_to_try_it(stakeholder, make_item):
    item = make_item(Status.DELIVERED)
    html = text(login(stakeholder.user).get(url("item", item.key)))
    assert "On staging" in html and 'href="https://staging.acme.test/checkout"' in html


def test_the_client_po_gets_the_verdict_panel_on_a_delivered_item_and_others_do_not(
    client_po, stakeholder, dev, make_item
):
    item = make_item(Status.DELIVERED)
    accept_url = reverse("acceptance:accept", args=["ACME", item.key])
    assert accept_url in text(login(client_po.user).get(url("item", item.key)))
    for member in (stakeholder, dev):
        assert accept_url not in text(login(member.user).get(url("item", item.key)))


def test_criteria_met_are_ticked(po, client_po, make_item):
    from sightline.backlog.transitions import item_accept

    item = make_item(Status.DELIVERED)
    item_accept(actor=client_po.user, membership=client_po, item=item)
    html = text(login(po.user).get(url("item", item.key)))
    assert html.count('<li class="met">') == 2 and "Done — accepted by" in html


def test_workflow_buttons_offer_the_allowed_next_states_only(po, dev, client_po, make_item):
    draft = make_item()
    dev_html = text(login(dev.user).get(url("item", draft.key)))
    assert "Mark ready" in dev_html and "Back to draft" not in dev_html
    assert 'name="to" value="ready"' in dev_html
    assert 'name="to" value="ready"' not in text(login(client_po.user).get(url("item", draft.key)))
    ready = make_item(Status.READY)
    po_html = text(login(po.user).get(url("item", ready.key)))
    assert 'name="to" value="planned"' not in po_html and "Back to draft" in po_html


def test_marking_ready_moves_the_item_and_an_unready_one_explains_why(dev, make_item):
    item = make_item()
    client = login(dev.user)
    response = client.post(url("transition", item.key), {"to": "ready", "version": item.version})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.READY
    bare = make_item(criteria=[], points=None)
    response = client.post(url("transition", bare.key), {"to": "ready", "version": bare.version})
    assert response.status_code == 400
    assert "at least one acceptance criterion" in text(response) and "an estimate" in text(response)


def test_delivering_asks_for_a_staging_link_or_note(dev, make_item):
    item = make_item(Status.IN_PROGRESS)
    client = login(dev.user)
    html = text(client.get(url("item", item.key)))
    assert "Deliver to staging" in html and 'name="staging_url"' in html
    response = client.post(url("transition", item.key), {"to": "delivered", "version": item.version})
    assert response.status_code == 422 and "Staging link: Say where the client can see it" in text(response)
    response = client.post(
        url("transition", item.key),
        {"to": "delivered", "version": item.version, "staging_url": "https://staging.acme.test/cards"},
    )
    item.refresh_from_db()
    assert response.status_code == 302 and item.status == Status.DELIVERED


def test_a_critical_bug_can_join_the_running_sprint_from_its_page(po, make_item):
    sprint = make_sprint(po, active=True)
    bug = make_item(Status.READY, type=ItemType.BUG, priority=Priority.CRITICAL)
    client = login(po.user)
    assert f"Add to the running {sprint}" in text(client.get(url("item", bug.key)))
    response = client.post(url("transition", bug.key), {"to": "planned", "version": bug.version})
    bug.refresh_from_db()
    assert response.status_code == 302 and bug.status == Status.PLANNED and bug.sprint == sprint
