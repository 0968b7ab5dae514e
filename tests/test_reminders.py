"""Reminders: `sightline send_reminders` sends each one once; the day before a sprint starts, the
client PO is reminded of deliveries still awaiting acceptance."""

from datetime import date, timedelta

from django.core.management import call_command

from sightline.backlog.models import Status
from sightline.digests.reminders import acceptance_before_planning
from sightline.notifications.models import Notification, ReminderSent
from sightline.notifications.reminders import REMINDERS, already_sent, once
from tests.conftest import make_sprint

START = date(2026, 11, 16)
EVE = START - timedelta(days=1)


def test_once_is_true_the_first_time_only(db):
    assert once("decision.due:1") is True
    assert once("decision.due:1") is False
    assert once("decision.due:2") is True
    assert already_sent("decision.due:1") and not already_sent("decision.due:3")


def test_the_acceptance_reminder_is_listed_in_reminders():
    assert "sightline.digests.reminders.acceptance_before_planning" in REMINDERS


def _eve_of_planning(po, make_item):
    active = make_sprint(po, active=True)
    item = make_item(Status.DELIVERED, sprint=active, title="Compare two bikes")
    upcoming = make_sprint(po, start=START, goal="Accounts")
    return item, upcoming


def test_the_day_before_a_sprint_starts_the_client_po_is_reminded_of_deliveries_awaiting_acceptance(
    members, po, client_po, stakeholder, make_item
):
    item, upcoming = _eve_of_planning(po, make_item)
    lines = acceptance_before_planning(today=EVE, dry_run=False)
    assert lines == ["ACME: 1 delivery awaiting acceptance before Sprint 2, to 1 person"]
    reminder = Notification.objects.get(kind="acceptance.reminder")
    assert reminder.user == client_po.user
    assert "before Sprint 2 is planned tomorrow" in reminder.message
    assert reminder.url == "/p/ACME/awaiting/"


def test_the_acceptance_reminder_goes_out_once_per_sprint(members, po, client_po, make_item):
    _eve_of_planning(po, make_item)
    assert len(acceptance_before_planning(today=EVE, dry_run=False)) == 1
    assert acceptance_before_planning(today=EVE, dry_run=False) == []
    assert Notification.objects.filter(kind="acceptance.reminder").count() == 1


def test_no_reminder_on_other_days_or_without_deliveries(members, po, client_po, make_item):
    upcoming = make_sprint(po, start=START)
    assert acceptance_before_planning(today=EVE, dry_run=False) == []  # nothing awaits acceptance
    make_item(Status.DELIVERED, sprint=make_sprint(po, active=True))
    assert acceptance_before_planning(today=EVE - timedelta(days=1), dry_run=False) == []
    assert acceptance_before_planning(today=START, dry_run=False) == []
    assert upcoming.state == "planned"
    assert not Notification.objects.filter(kind="acceptance.reminder").exists()


def test_the_email_lists_the_deliveries(
    members, po, client_po, make_item, mailoutbox, django_capture_on_commit_callbacks
):
    item, _upcoming = _eve_of_planning(po, make_item)
    with django_capture_on_commit_callbacks(execute=True):
        acceptance_before_planning(today=EVE, dry_run=False)
    assert mailoutbox[0].to == ["client_po@example.test"]
    assert f"- {item.key} Compare two bikes" in mailoutbox[0].body


def test_send_reminders_runs_every_reminder_and_a_dry_run_records_nothing(
    members, po, client_po, make_item, capsys
):
    _eve_of_planning(po, make_item)
    call_command("send_reminders", "--dry-run", "--today", EVE.isoformat())
    out = capsys.readouterr().out
    assert "Would send: ACME: 1 delivery awaiting acceptance before Sprint 2" in out
    assert ReminderSent.objects.count() == 0
    assert not Notification.objects.filter(kind="acceptance.reminder").exists()
    call_command("send_reminders", "--today", EVE.isoformat())
    assert "Sent: ACME: 1 delivery" in capsys.readouterr().out
    call_command("send_reminders", "--today", EVE.isoformat())
    out = capsys.readouterr().out
    assert "Sent: ACME" not in out
    assert Notification.objects.filter(kind="acceptance.reminder").count() == 1


def test_send_reminders_refuses_a_malformed_date(db):
    import pytest
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--today must be a date"):
        call_command("send_reminders", "--today", "next tuesday")
