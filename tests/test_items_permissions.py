"""Who may change what on an item through the services: the agency team edits, the client PO changes only
the priority, stakeholders and client roles may not edit or create."""

import pytest
from django.core.exceptions import PermissionDenied

from sightline.audit.models import AuditEvent
from sightline.backlog.models import Item, Priority
from tests.test_items_services import create, update

# --- Who may change what ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["agency_po", "developer", "tester"])
def test_the_agency_team_edits_items(role, members, make_item):
    item = update(members[role], make_item(), {"title": "Saved cards"}, criteria=["Only one"])
    assert Item.objects.get(pk=item.pk).title == "Saved cards"


@pytest.mark.parametrize("role", ["agency_po", "developer", "tester"])
def test_whoever_may_edit_an_item_may_change_just_its_priority(role, members, make_item):
    item = update(members[role], make_item(), {"priority": Priority.HIGH})
    assert Item.objects.get(pk=item.pk).priority == Priority.HIGH


def test_the_client_po_may_change_the_priority(client_po, make_item):
    item = update(client_po, make_item(), {"priority": Priority.CRITICAL})
    assert Item.objects.get(pk=item.pk).priority == Priority.CRITICAL
    assert AuditEvent.objects.filter(item=item, action="item.updated").latest("id").actor == client_po.user


@pytest.mark.parametrize(
    ("changes", "criteria"),
    [
        ({"title": "Mine now"}, None),
        ({"priority": Priority.HIGH, "title": "Also this"}, None),
        ({"points": 1}, None),
        ({}, ["A new criterion"]),
        ({"priority": Priority.HIGH}, ["A new criterion"]),
    ],
    ids=["title", "priority-and-title", "points", "criteria", "priority-and-criteria"],
)
def test_the_client_po_may_change_nothing_but_the_priority(changes, criteria, client_po, make_item):
    item = make_item()
    with pytest.raises(PermissionDenied):
        update(client_po, item, changes, criteria=criteria)
    fresh = Item.objects.get(pk=item.pk)
    assert (fresh.title, fresh.priority, fresh.version) == (item.title, item.priority, item.version)


@pytest.mark.parametrize("changes", [{"priority": Priority.HIGH}, {"title": "Mine now"}])
def test_a_stakeholder_may_not_edit_items(changes, stakeholder, make_item):
    with pytest.raises(PermissionDenied):
        update(stakeholder, make_item(), changes)


@pytest.mark.parametrize("role", ["client_po", "client_stakeholder"])
def test_client_roles_may_not_create_items(role, members):
    with pytest.raises(PermissionDenied, match="agency_po, developer, tester"):
        create(members[role])
    assert not Item.objects.exists()
