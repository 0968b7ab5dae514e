"""Delivery to staging: a staging link or note is required, where and when the client can see the work is
recorded, and the client PO (or designated acceptor) is notified in the app and by email after commit."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from sightline.backlog.models import Item
from sightline.backlog.transitions import item_transition
from sightline.lib.errors import InvalidInput
from sightline.notifications.models import Notification
from tests.test_workflow import S, transition_events

# --- Delivery to staging ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("staging_url", "note"), [("", ""), ("   ", " \n ")], ids=["empty", "blank"])
def test_delivery_without_a_staging_link_or_note_is_refused(staging_url, note, dev, make_item):
    item = make_item(S.IN_PROGRESS)
    with pytest.raises(InvalidInput) as refused:
        item_transition(
            actor=dev.user, membership=dev, item=item, to=S.DELIVERED, staging_url=staging_url, note=note
        )
    assert refused.value.field == "staging_url"
    item = Item.objects.get(pk=item.pk)
    assert (item.status, item.delivered_at) == (S.IN_PROGRESS, None)
    assert not Notification.objects.filter(kind="item.delivered").exists()


@pytest.mark.parametrize(
    ("staging_url", "note"),
    [
        ("https://staging.acme.test/checkout", ""),
        ("", "In release 1.4: open /checkout"),
        ("https://staging.acme.test/checkout", "Log in as demo"),
    ],
    ids=["link", "note", "both"],
)
def test_delivery_records_where_and_when_the_client_can_see_it(staging_url, note, dev, make_item):
    item = make_item(S.IN_PROGRESS)
    item_transition(
        actor=dev.user, membership=dev, item=item, to=S.DELIVERED, staging_url=staging_url, note=note
    )
    item = Item.objects.get(pk=item.pk)
    assert item.status == S.DELIVERED
    assert (item.staging_url, item.delivery_note) == (staging_url, note)
    assert item.delivered_at is not None


def test_delivery_notifies_the_client_po_in_the_app_and_by_email(
    dev, client_po, stakeholder, make_item, django_capture_on_commit_callbacks
):
    item = make_item(S.IN_PROGRESS)
    with django_capture_on_commit_callbacks(execute=True):
        item_transition(
            actor=dev.user,
            membership=dev,
            item=item,
            to=S.DELIVERED,
            staging_url="https://staging.acme.test/checkout",
        )

    notices = Notification.objects.filter(kind="item.delivered")
    assert [n.user for n in notices] == [client_po.user]
    assert item.key in notices[0].message
    review = reverse("acceptance:review", args=["ACME", item.key])
    assert notices[0].url == review  # where the client accepts or rejects it
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [client_po.user.email]
    assert item.key in mail.outbox[0].subject
    assert f"{settings.SIGHTLINE_BASE_URL}{review}" in mail.outbox[0].body
    assert "https://staging.acme.test/checkout" in mail.outbox[0].body


def test_no_email_leaves_before_the_delivery_is_committed(dev, make_item, django_capture_on_commit_callbacks):
    item = make_item(S.IN_PROGRESS)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        item_transition(actor=dev.user, membership=dev, item=item, to=S.DELIVERED, note="On staging")
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_delivery_also_notifies_a_client_member_designated_as_acceptor(
    dev, client_po, stakeholder, make_item, django_capture_on_commit_callbacks
):
    stakeholder.is_acceptor = True
    stakeholder.save()
    item = make_item(S.IN_PROGRESS)
    with django_capture_on_commit_callbacks(execute=True):
        item_transition(actor=dev.user, membership=dev, item=item, to=S.DELIVERED, note="On staging")
    notified = set(Notification.objects.filter(kind="item.delivered").values_list("user__email", flat=True))
    assert notified == {client_po.user.email, stakeholder.user.email}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(notified)


def test_delivery_does_not_notify_a_deactivated_client_po(
    dev, client_po, make_item, django_capture_on_commit_callbacks
):
    client_po.user.is_active = False
    client_po.user.save()
    item = make_item(S.IN_PROGRESS)
    with django_capture_on_commit_callbacks(execute=True):
        item_transition(actor=dev.user, membership=dev, item=item, to=S.DELIVERED, note="On staging")
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_delivery_is_recorded_with_the_staging_link_in_the_audit(dev, make_item):
    item = make_item(S.IN_PROGRESS)
    item_transition(
        actor=dev.user, membership=dev, item=item, to=S.DELIVERED, staging_url="https://staging.acme.test/x"
    )
    event = transition_events(item).latest("id")
    assert event.changes["staging_url"] == [None, "https://staging.acme.test/x"]
