"""Optimistic locking of item edits through the services: a stale version is refused and writes nothing, two
people editing the same version cannot lose an update, and every saved change bumps the version."""

from decimal import Decimal

import pytest

from sightline.audit.models import AuditEvent
from sightline.backlog.models import Item, Priority
from sightline.backlog.services import item_update
from sightline.lib.errors import StaleVersion
from tests.test_items_services import update

# --- Optimistic locking -----------------------------------------------------------------------------------


def test_an_update_with_a_stale_version_is_refused_and_writes_nothing(po, make_item):
    item = make_item()
    update(po, item, {"title": "Saved cards"})
    events = AuditEvent.objects.filter(item=item).count()

    with pytest.raises(StaleVersion) as refused:
        update(po, item, {"title": "One-click pay"}, version=1)

    assert refused.value.current_version == 2
    assert refused.value.field == "version"
    assert "version 2, yours 1" in refused.value.message
    fresh = Item.objects.get(pk=item.pk)
    assert (fresh.title, fresh.version) == ("Saved cards", 2)
    assert AuditEvent.objects.filter(item=item).count() == events


def test_two_people_editing_the_same_version_cannot_lose_an_update(po, dev, make_item):
    item = make_item()
    read_by_both = Item.objects.get(pk=item.pk)

    update(po, read_by_both, {"priority": Priority.HIGH}, version=read_by_both.version)
    with pytest.raises(StaleVersion) as refused:
        update(dev, read_by_both, {"title": "Saved cards v2"}, version=read_by_both.version)

    assert refused.value.current_version == read_by_both.version + 1
    fresh = Item.objects.get(pk=item.pk)
    assert (fresh.priority, fresh.title) == (Priority.HIGH, "Checkout with saved card")


def test_every_saved_change_bumps_the_version(po, make_item):
    item = make_item()
    for n, title in enumerate(["A", "B", "C"], start=2):
        item = update(po, item, {"title": title})
        assert Item.objects.get(pk=item.pk).version == n


def test_an_update_without_a_version_is_not_checked(po, make_item):
    item = make_item()
    item_update(actor=po.user, membership=po, item=item, version=None, changes={"title": "Imported"})
    assert Item.objects.get(pk=item.pk).title == "Imported"


@pytest.mark.parametrize("points", [3, 3.0, Decimal("3"), Decimal("3.00")], ids=repr)
def test_an_update_that_changes_nothing_writes_nothing(points, po, make_item):
    item = make_item()
    update(
        po,
        item,
        {"title": "Checkout with saved card", "points": points, "estimate_hours": None},
        criteria=["Card is remembered", "Pay in one click"],
    )
    assert Item.objects.get(pk=item.pk).version == item.version
    assert not AuditEvent.objects.filter(item=item, action="item.updated").exists()
