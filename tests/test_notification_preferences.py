"""Notification preferences: for each kind, an email at once, one daily email, or nothing at all."""

import pytest
from django.core.management import call_command

from sightline.backlog.models import Status
from sightline.lib.errors import InvalidInput
from sightline.notifications.kinds import KINDS
from sightline.notifications.models import DailyEmailEntry, Notification, NotificationPreference
from sightline.notifications.services import notify, preferences_for, preferences_save
from sightline.projects.models import Membership
from tests.conftest import login


def _prefer(member, kind, delivery):
    NotificationPreference.objects.create(user=member.user, kind=kind, delivery=delivery)


def _deliver(make_item, capture, **fields):
    with capture(execute=True):
        return make_item(Status.DELIVERED, **fields)


def test_by_default_a_notification_is_emailed_at_once(
    members, client_po, make_item, mailoutbox, django_capture_on_commit_callbacks
):
    item = _deliver(make_item, django_capture_on_commit_callbacks)
    assert Notification.objects.filter(user=client_po.user, kind="item.delivered").count() == 1
    assert [m.to for m in mailoutbox] == [["client_po@example.test"]]
    assert item.key in mailoutbox[0].subject


def test_off_sends_neither_a_notification_nor_an_email(
    members, client_po, make_item, mailoutbox, django_capture_on_commit_callbacks
):
    _prefer(client_po, "item.delivered", "off")
    _deliver(make_item, django_capture_on_commit_callbacks)
    assert not Notification.objects.filter(user=client_po.user).exists()
    assert mailoutbox == []


def test_off_for_one_kind_leaves_the_others_alone(members, po, client_po, project):
    _prefer(client_po, "item.delivered", "off")
    assert notify(users=[client_po.user], project=project, kind="sprint.planned", message="Sprint 2") == 1
    assert notify(users=[client_po.user], project=project, kind="item.delivered", message="ACME-1") == 0


def test_daily_keeps_the_notification_in_the_app_and_gathers_the_emails_into_one(
    members, client_po, make_item, mailoutbox, django_capture_on_commit_callbacks
):
    _prefer(client_po, "item.delivered", "daily")
    first = _deliver(make_item, django_capture_on_commit_callbacks, title="Compare two bikes")
    second = _deliver(make_item, django_capture_on_commit_callbacks, title="Print the invoice")
    assert Notification.objects.filter(user=client_po.user, kind="item.delivered").count() == 2
    assert mailoutbox == []
    call_command("send_digests", "--daily")
    assert len(mailoutbox) == 1
    daily = mailoutbox[0]
    assert daily.to == ["client_po@example.test"]
    assert daily.subject == "Sightline: 2 notifications from today"
    for text in (daily.body, daily.alternatives[0][0]):
        assert first.key in text and second.key in text
        assert "Work ready for your review on staging" in text
    assert not DailyEmailEntry.objects.filter(sent_at__isnull=True).exists()


def test_the_daily_email_goes_out_once(members, client_po, project, mailoutbox):
    _prefer(client_po, "sprint.planned", "daily")
    notify(users=[client_po.user], project=project, kind="sprint.planned", message="Sprint 2 has started")
    call_command("send_digests", "--daily")
    call_command("send_digests", "--daily")
    assert len(mailoutbox) == 1


def test_a_dry_run_of_the_daily_email_sends_and_marks_nothing(
    members, client_po, project, mailoutbox, capsys
):
    _prefer(client_po, "sprint.planned", "daily")
    notify(users=[client_po.user], project=project, kind="sprint.planned", message="Sprint 2 has started")
    call_command("send_digests", "--daily", "--dry-run")
    assert "Would send daily email to client_po@example.test (1 notification)" in capsys.readouterr().out
    assert mailoutbox == []
    assert DailyEmailEntry.objects.filter(sent_at__isnull=True).count() == 1


def test_the_daily_email_escapes_html_and_leaves_out_projects_the_person_left(
    members, client_po, project, other_project, mailoutbox
):
    _prefer(client_po, "sprint.planned", "daily")
    notify(users=[client_po.user], project=project, kind="sprint.planned", message="<b>Sprint</b> 2 started")
    notify(
        users=[client_po.user], project=other_project, kind="sprint.planned", message="Globex sprint started"
    )
    call_command("send_digests", "--daily")
    html = mailoutbox[0].alternatives[0][0]
    assert "&lt;b&gt;Sprint&lt;/b&gt; 2 started" in html and "<b>Sprint</b>" not in html
    assert "Globex" not in html and "Globex" not in mailoutbox[0].body


def test_notifications_of_a_project_the_person_left_are_dropped_from_the_daily_email(
    members, client_po, project, mailoutbox
):
    _prefer(client_po, "sprint.planned", "daily")
    notify(users=[client_po.user], project=project, kind="sprint.planned", message="Sprint 2 has started")
    Membership.objects.filter(pk=client_po.pk).delete()
    call_command("send_digests", "--daily", "--dry-run")
    assert DailyEmailEntry.objects.filter(sent_at__isnull=True).count() == 1  # a dry run changes nothing
    call_command("send_digests", "--daily")
    assert mailoutbox == []
    assert not DailyEmailEntry.objects.filter(sent_at__isnull=True).exists()
    assert Notification.objects.filter(user=client_po.user, kind="sprint.planned").count() == 1  # in the app


def test_preferences_are_saved_and_read_back(members, client_po):
    user = client_po.user
    assert preferences_save(user=user, choices={"item.delivered": "daily", "sprint.planned": "off"}) == 2
    assert preferences_save(user=user, choices={"item.delivered": "daily"}) == 0
    chosen = {kind: delivery for kind, _label, delivery in preferences_for(user)}
    assert chosen["item.delivered"] == "daily" and chosen["sprint.planned"] == "off"
    assert chosen["decision.requested"] == "immediate"


@pytest.mark.parametrize(
    "choices, message",
    [({"no.such.kind": "off"}, "Unknown kind"), ({"item.delivered": "weekly"}, "Choose one of")],
)
def test_unknown_kinds_and_choices_are_refused(members, client_po, choices, message):
    with pytest.raises(InvalidInput, match=message):
        preferences_save(user=client_po.user, choices=choices)
    assert not NotificationPreference.objects.exists()


def test_the_preferences_page_is_a_table_of_kinds_and_choices(members, client_po):
    page = login(client_po.user).get("/notifications/preferences/")
    assert page.status_code == 200
    text = page.content.decode()
    for label in KINDS.values():
        assert label in text
    assert text.count('type="radio"') == 3 * len(KINDS)
    assert 'name="item.delivered" value="immediate" checked' in text
    assert "/p/ACME/digest/" in text


def test_the_preferences_page_saves_the_choices(members, client_po):
    c = login(client_po.user)
    response = c.post("/notifications/preferences/", {"item.delivered": "daily", "sprint.planned": "off"})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=client_po.user, kind="item.delivered").delivery == "daily"
    page = c.get("/notifications/preferences/").content.decode()
    assert 'name="item.delivered" value="daily" checked' in page
    assert "Preferences saved (2 changed)." in page


def test_a_bad_choice_on_the_page_says_what_is_wrong_and_saves_nothing(members, client_po):
    c = login(client_po.user)
    response = c.post("/notifications/preferences/", {"item.delivered": "hourly", "sprint.planned": "off"})
    assert response.status_code == 422
    assert "Choose one of immediate, daily, off" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_the_preferences_page_is_for_signed_in_people(db, client):
    response = client.get("/notifications/preferences/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
