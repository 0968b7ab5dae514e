"""Item pages: create from a template, edit with optimistic locking, the item page with its workflow,
subtasks, comments and history, plus epics and templates — and who may see and do what."""

import re

import pytest
from django.urls import reverse

from sightline.audit.models import AuditEvent
from sightline.backlog.epics import epic_create
from sightline.backlog.item_templates import template_save
from sightline.backlog.models import Item, ItemTemplate, ItemType, Priority, Status
from sightline.backlog.services import comment_add, item_update
from sightline.backlog.subtasks import subtask_add
from sightline.backlog.transitions import item_reject
from sightline.lib.errors import InvalidInput
from tests.conftest import login, make_sprint


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def url(name, *args):
    return reverse(f"backlog:{name}", args=["ACME", *args])


def item_fields(**overrides):
    data = {
        "type": "story",
        "title": "Pay with a saved card",
        "user_story": "As a buyer I want to pay fast",
        "description": "Uses the **card vault**.",
        "priority": "high",
        "points": "3",
        "estimate_hours": "",
        "epic": "",
        "assignee": "",
        "labels": "checkout, mobile",
        "criteria": ["Card is remembered", "Pay in one click"],
    }
    data.update(overrides)
    return data


def text(response) -> str:
    return response.content.decode()


# --- Create ---------------------------------------------------------------------------------------


def test_a_new_bug_starts_from_the_default_bug_template(po):
    html = text(login(po.user).get(url("create"), {"type": "bug"}))
    assert "## Steps to reproduce" in html and "## Expected" in html and "## Actual" in html
    assert '<option value="bug" selected>' in html


def test_a_new_story_starts_from_the_projects_saved_template_and_can_be_edited(po):
    template_save(
        actor=po.user,
        membership=po,
        type="story",
        user_story="As a shop owner I want …",
        description="Why it matters:",
        criteria=["Works on mobile", "Has analytics"],
    )
    html = text(login(po.user).get(url("create"), {"type": "story"}))
    assert "As a shop owner I want …" in html and "Why it matters:" in html
    assert 'value="Works on mobile"' in html and 'value="Has analytics"' in html
    assert re.search(r'<textarea name="user_story"[^>]*>\s*As a shop owner', html)


def test_creating_an_item_keeps_its_criteria_in_order(po, project):
    response = login(po.user).post(url("create"), item_fields(template_applied="True"))
    item = Item.objects.get(project=project)
    assert response.status_code == 302 and response.url == url("item", item.key)
    assert list(item.criteria.values_list("text", flat=True)) == ["Card is remembered", "Pay in one click"]
    assert item.labels == ["checkout", "mobile"] and item.priority == Priority.HIGH and item.points == 3


def test_a_quick_create_that_never_showed_the_template_still_gets_it(po, project):
    template_save(
        actor=po.user,
        membership=po,
        type="bug",
        user_story="",
        description="Steps: …",
        criteria=["Fixed on staging"],
    )
    login(po.user).post(url("create"), item_fields(type="bug", description="", criteria=[]))
    item = Item.objects.get(project=project)
    assert item.description == "Steps: …"
    assert list(item.criteria.values_list("text", flat=True)) == ["Fixed on staging"]


def test_validation_errors_name_the_field_and_keep_the_input(po, project):
    response = login(po.user).post(url("create"), item_fields(title="  ", points="-2", user_story="Keep me"))
    html = text(response)
    assert response.status_code == 422
    assert "Title: This field is required." in html
    assert "Points: An estimate must be more than 0; leave it empty while the item is not estimated." in html
    assert "Keep me" in html and 'value="Card is remembered"' in html
    assert not Item.objects.exists()


def test_criteria_buttons_rearrange_the_list_without_saving(po):
    client = login(po.user)
    data = item_fields(criteria=["First", "Second", "Third"])
    html = text(client.post(url("create"), {**data, "criteria_action": "up:2"}))
    assert html.index('value="Third"') < html.index('value="Second"')
    html = text(client.post(url("create"), {**data, "criteria_action": "remove:0"}))
    assert 'value="First"' not in html and 'value="Second"' in html
    html = text(client.post(url("create"), {**data, "criteria_action": "add"}))
    assert len(re.findall(r'name="criteria"', html)) == 4
    assert 'value="Pay with a saved card"' in html
    assert not Item.objects.exists()


def test_clients_cannot_create_items(client_po):
    assert login(client_po.user).get(url("create")).status_code == 403
    assert login(client_po.user).post(url("create"), item_fields()).status_code == 403


# --- Edit -----------------------------------------------------------------------------------------


def test_editing_saves_fields_and_reordered_criteria(dev, make_item):
    item = make_item()
    response = login(dev.user).post(
        url("edit", item.key),
        item_fields(
            title="Pay with a stored card",
            version=item.version,
            criteria=["Pay in one click", "Card is remembered"],
        ),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Pay with a stored card" and item.version == 2
    assert list(item.criteria.values_list("text", flat=True)) == ["Pay in one click", "Card is remembered"]


def test_the_edit_form_shows_the_current_values_and_version(po, make_item):
    item = make_item(labels=["checkout", "mobile"])
    html = text(login(po.user).get(url("edit", item.key)))
    assert 'value="Checkout with saved card"' in html and 'value="checkout, mobile"' in html
    assert 'name="version" value="1"' in html and 'value="Pay in one click"' in html


def test_a_stale_version_is_refused_with_409_and_the_input_kept(po, dev, make_item):
    item = make_item()
    item_update(actor=po.user, membership=po, item=item, version=1, changes={"title": "Changed by the PO"})
    response = login(dev.user).post(url("edit", item.key), item_fields(title="My own title", version=1))
    html = text(response)
    assert response.status_code == 409
    assert "changed by someone else" in html
    assert 'value="My own title"' in html and "Card is remembered" in html
    assert 'name="version" value="2"' in html  # saving again now keeps the reader's version
    item.refresh_from_db()
    assert item.title == "Changed by the PO"


def test_service_errors_are_shown_next_to_their_field(po, make_item, other_project):
    from sightline.backlog.models import Epic

    item = make_item()
    foreign = Epic.objects.create(project=other_project, title="Not ours")
    response = login(po.user).post(url("edit", item.key), item_fields(epic=str(foreign.pk), version=1))
    assert response.status_code == 422
    assert "Epic: Select a valid choice." in text(response)


def test_clients_and_stakeholders_cannot_edit(client_po, stakeholder, make_item):
    item = make_item()
    for member in (client_po, stakeholder):
        assert login(member.user).get(url("edit", item.key)).status_code == 403


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


# --- Subtasks -------------------------------------------------------------------------------------


def test_subtasks_over_two_hours_carry_a_visible_warning(dev, make_item):
    item = make_item()
    client = login(dev.user)
    response = client.post(
        url("subtask_add", item.key),
        {"title": "Wire the vault", "estimate_hours": "3"},
        headers={"HX-Request": "true"},
    )
    html = text(response)
    assert response.status_code == 200 and html.lstrip().startswith('<section class="card" id="subtasks"')
    assert "Wire the vault" in html and "Over 2 h" in html
    client.post(url("subtask_add", item.key), {"title": "Write the test", "estimate_hours": "1.5"})
    html = text(client.get(url("item", item.key)))
    assert html.count("Over 2 h") == 1 and "4.5 h estimated" in html


def test_a_subtask_without_a_title_is_refused_naming_the_field(dev, make_item):
    item = make_item()
    response = login(dev.user).post(url("subtask_add", item.key), {"title": "", "estimate_hours": "1"})
    assert response.status_code == 422 and "Subtask: This field is required." in text(response)


@pytest.mark.parametrize("hours", ["0", "-1"])
def test_a_subtask_of_zero_hours_or_less_is_refused_naming_the_field(dev, make_item, hours):
    item = make_item()
    response = login(dev.user).post(
        url("subtask_add", item.key), {"title": "Wire it", "estimate_hours": hours}
    )
    assert response.status_code == 422
    assert "Hours: A subtask&#x27;s estimate must be more than 0" in response.content.decode()
    assert not item.subtasks.exists()


@pytest.mark.parametrize("hours", [0, -1])
def test_the_service_refuses_a_subtask_of_zero_hours_or_less_for_every_caller(dev, make_item, hours):
    item = make_item()
    with pytest.raises(InvalidInput) as refused:
        subtask_add(actor=dev.user, membership=dev, item=item, title="Wire it", estimate_hours=hours)
    assert refused.value.field == "estimate_hours"
    assert refused.value.message.startswith("Hours: a subtask's estimate must be more than 0")
    assert not item.subtasks.exists()


def test_toggling_a_subtask_marks_it_done_and_back(dev, make_item):
    item = make_item()
    subtask = subtask_add(actor=dev.user, membership=dev, item=item, title="Wire the vault", estimate_hours=1)
    client = login(dev.user)
    response = client.post(url("subtask_toggle", item.key, subtask.pk))
    assert response.status_code == 302 and response.url.endswith("#subtasks")
    subtask.refresh_from_db()
    assert subtask.done
    html = text(client.post(url("subtask_toggle", item.key, subtask.pk), headers={"HX-Request": "true"}))
    subtask.refresh_from_db()
    assert not subtask.done and "0 of 1 done" in html


def test_clients_see_subtasks_but_cannot_change_them(client_po, dev, make_item):
    item = make_item()
    subtask = subtask_add(actor=dev.user, membership=dev, item=item, title="Wire the vault")
    client = login(client_po.user)
    html = text(client.get(url("item", item.key)))
    assert "Wire the vault" in html and "subtask-form" not in html
    assert client.post(url("subtask_add", item.key), {"title": "Mine"}).status_code == 403
    assert client.post(url("subtask_toggle", item.key, subtask.pk)).status_code == 403


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


# --- Epics and templates --------------------------------------------------------------------------


def test_epics_show_item_counts_and_points_per_status(po, dev, make_item, django_assert_max_num_queries):
    checkout = epic_create(actor=po.user, membership=po, title="Checkout")
    epic_create(actor=po.user, membership=po, title="Search")
    make_item(epic=checkout, points=3)
    make_item(Status.READY, epic=checkout, points=5)
    client = login(dev.user)
    client.get(url("epics"))
    with django_assert_max_num_queries(9) as few:
        html = text(client.get(url("epics")))
    assert "Checkout" in html and "Search" in html and "No items yet" in html
    assert "Draft: 1" in html and "Ready: 1" in html and ">8<" in html
    for n in range(5):
        epic_create(actor=po.user, membership=po, title=f"Epic {n}")
    with django_assert_max_num_queries(9) as more:
        client.get(url("epics"))
    assert len(more.captured_queries) == len(few.captured_queries)
    assert "New epic" not in html


def test_the_agency_po_creates_an_epic_and_others_may_not(po, dev, project):
    response = login(po.user).post(url("epics"), {"title": "Loyalty points", "priority": "high"})
    assert response.status_code == 302 and project.epics.get().title == "Loyalty points"
    assert login(dev.user).post(url("epics"), {"title": "Mine", "priority": "low"}).status_code == 403
    response = login(po.user).post(url("epics"), {"title": "", "priority": "high"})
    assert response.status_code == 422 and "Title: This field is required." in text(response)


def test_the_agency_po_saves_the_bug_template(po, project):
    client = login(po.user)
    assert "Steps to reproduce" in text(client.get(url("templates")))
    response = client.post(
        url("templates"),
        {
            "type": "bug",
            "bug-user_story": "",
            "bug-description": "Steps:\nExpected:\nActual:",
            "bug-criteria": "Fixed on staging\n\nHas a test",
        },
    )
    assert response.status_code == 302
    template = ItemTemplate.objects.get(project=project, type="bug")
    assert template.description == "Steps:\nExpected:\nActual:"
    assert template.criteria == ["Fixed on staging", "Has a test"]
    assert "Fixed on staging" in text(client.get(url("create"), {"type": "bug"}))


def test_other_roles_read_templates_but_cannot_save_them(dev):
    client = login(dev.user)
    html = text(client.get(url("templates")))
    assert "Only the agency product owner can change the templates" in html and "disabled" in html
    response = client.post(url("templates"), {"type": "story", "story-user_story": "Mine"})
    assert response.status_code == 403


# --- Outsiders ------------------------------------------------------------------------------------


def test_a_non_member_gets_404_on_every_backlog_page(outsider, dev, make_item):
    item = make_item()
    subtask = subtask_add(actor=dev.user, membership=dev, item=item, title="Wire it")
    client = login(outsider.user)
    pages = [
        url("list"),
        url("create"),
        url("epics"),
        url("templates"),
        url("item", item.key),
        url("edit", item.key),
        url("history", item.key),
    ]
    for page in pages:
        assert client.get(page).status_code == 404, page
    actions = [
        url("move", item.key),
        url("priority", item.key),
        url("transition", item.key),
        url("subtask_add", item.key),
        url("subtask_toggle", item.key, subtask.pk),
        url("comment_add", item.key),
        url("create"),
        url("edit", item.key),
        url("epics"),
        url("templates"),
    ]
    for action in actions:
        assert client.post(action, {"title": "x", "to_top": "1"}).status_code == 404, action


def test_an_item_key_of_another_project_is_not_found(po, other_project):
    from sightline.backlog.services import item_create
    from sightline.projects.models import Membership, Role

    globex = Membership.objects.create(project=other_project, user=po.user, role=Role.AGENCY_PO)
    theirs = item_create(actor=po.user, membership=globex, title="Globex only")
    assert login(po.user).get(url("item", theirs.key)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, make_item):
    item = make_item()
    response = client.get(url("item", item.key))
    assert response.status_code == 302 and "/accounts/login" in response.url


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
