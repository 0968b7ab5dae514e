"""The audit trail of item edits: each changed field and the criteria recorded before and after, and ticks
kept on unchanged criteria."""

from sightline.audit.models import AuditEvent
from sightline.backlog.epics import epic_create
from sightline.backlog.models import AcceptanceCriterion, Item, Priority
from sightline.backlog.transitions import item_reject
from tests.test_items_services import S, update

# --- The audit of edits -----------------------------------------------------------------------------------


def test_an_update_records_each_changed_field_before_and_after(po, dev, make_item):
    item = make_item()
    epic = epic_create(actor=po.user, membership=po, title="Checkout")
    update(
        po,
        item,
        {
            "title": "Saved cards",
            "points": 5,
            "priority": Priority.MEDIUM,
            "epic": epic,
            "assignee": dev.user,
            "labels": ["payments"],
        },
    )

    event = AuditEvent.objects.get(item=item, action="item.updated")
    assert event.actor == po.user
    assert event.changes == {
        "title": ["Checkout with saved card", "Saved cards"],
        "points": ["3", "5"],
        "epic": [None, "Checkout"],
        "assignee": [None, str(dev.user)],
        "labels": [[], ["payments"]],
    }
    fresh = Item.objects.get(pk=item.pk)
    assert (fresh.title, fresh.points, fresh.epic, fresh.assignee) == ("Saved cards", 5, epic, dev.user)


def test_changed_criteria_are_recorded_before_and_after(po, make_item):
    item = make_item()
    update(po, item, {}, criteria=["Card is remembered", "Receipt is emailed"])
    event = AuditEvent.objects.get(item=item, action="item.updated")
    assert event.changes == {
        "criteria": [["Card is remembered", "Pay in one click"], ["Card is remembered", "Receipt is emailed"]]
    }
    assert Item.objects.get(pk=item.pk).version == item.version + 1


def test_replacing_criteria_keeps_the_ticks_of_unchanged_criteria(po, client_po, make_item):
    item = make_item(S.DELIVERED, criteria=["Card is remembered", "Pay in one click", "Receipt is emailed"])
    ticked = list(
        item.criteria.filter(text__in=["Card is remembered", "Pay in one click"]).values_list("id", flat=True)
    )
    item_reject(
        actor=client_po.user,
        membership=client_po,
        item=item,
        reason="Receipt never arrives",
        criteria_met=ticked,
    )

    update(
        po,
        item,
        {},
        criteria=["Pay in one click", "Receipt is emailed within a minute", "Card is remembered"],
    )

    assert list(AcceptanceCriterion.objects.filter(item=item).values_list("text", "met")) == [
        ("Pay in one click", True),
        ("Receipt is emailed within a minute", False),
        ("Card is remembered", True),
    ]
