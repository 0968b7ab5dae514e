"""Decision reminders: one email the day before a decision is due, one once it is overdue, each sent once,
through `sightline send_reminders`."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from sightline.decisions.models import DecisionRequest
from sightline.decisions.reminders import remind
from sightline.decisions.services import decision_answer, decision_withdraw
from sightline.notifications.models import Notification, ReminderSent
from sightline.notifications.reminders import REMINDERS
from tests.test_decisions_services import ask, option_ids

XSS = "<script>alert('x')</script>"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def decision(po, client_po):
    return ask(
        po, question=f"Gift wrapping {XSS}?", cost_of_delay="After Friday the wrapping misses Christmas."
    )


def run(today, *, dry_run=False, capture=None):
    if capture is None:
        return remind(today=today, dry_run=dry_run)
    with capture(execute=True):
        return remind(today=today, dry_run=dry_run)


def test_decision_reminders_run_with_send_reminders():
    assert "sightline.decisions.reminders.remind" in REMINDERS


def test_the_day_before_it_is_due_the_client_po_is_reminded_once(
    decision, client_po, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    day_before = decision.due_date - timedelta(days=1)
    assert run(day_before - timedelta(days=1)) == []
    (line,) = run(day_before, capture=django_capture_on_commit_callbacks)
    assert "D-1 is due tomorrow" in line and client_po.user.email in line
    (email,) = mail.outbox
    assert email.to == [client_po.user.email] and "due tomorrow" in email.subject
    assert "After Friday the wrapping misses Christmas." in email.body and "- Card only" in email.body
    assert run(day_before, capture=django_capture_on_commit_callbacks) == []
    assert len(mail.outbox) == 1


def test_once_overdue_the_client_and_the_asker_are_reminded_once(
    decision, po, client_po, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    assert run(decision.due_date) == [], "nothing on the due day itself"
    overdue_day = decision.due_date + timedelta(days=1)
    (line,) = run(overdue_day, capture=django_capture_on_commit_callbacks)
    assert line.startswith("ACME Overdue: D-1")
    assert sorted(e.to[0] for e in mail.outbox) == sorted([client_po.user.email, po.user.email])
    assert run(overdue_day + timedelta(days=3), capture=django_capture_on_commit_callbacks) == []
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(kind="decision.reminder").count() == 2


def test_a_dry_run_says_what_it_would_send_and_sends_and_records_nothing(decision, client_po):
    mail.outbox.clear()
    lines = remind(today=decision.due_date - timedelta(days=1), dry_run=True)
    assert len(lines) == 1
    assert (
        mail.outbox == []
        and not ReminderSent.objects.exists()
        and not Notification.objects.filter(kind="decision.reminder").exists()
    )


def test_answered_and_withdrawn_decisions_are_not_reminded(decision, po, client_po):
    other = ask(po, due=decision.due_date)
    decision_answer(
        actor=client_po.user, membership=client_po, decision=decision, option_id=option_ids(decision)[0]
    )
    decision_withdraw(actor=po.user, membership=po, decision=other)
    assert remind(today=decision.due_date - timedelta(days=1), dry_run=False) == []
    assert remind(today=decision.due_date + timedelta(days=1), dry_run=False) == []


def test_a_decision_handed_to_someone_reminds_them(po, stakeholder, client_po):
    decision = ask(po, holder=stakeholder.user)
    (line,) = remind(today=decision.due_date - timedelta(days=1), dry_run=False)
    assert stakeholder.user.email in line and client_po.user.email not in line


@pytest.mark.parametrize("gone", ["left the project", "was deactivated"])
def test_a_decision_held_by_someone_who_is_gone_reminds_the_client_po_instead(
    po, stakeholder, client_po, gone
):
    decision = ask(po, holder=stakeholder.user)
    if gone == "left the project":
        stakeholder.delete()
    else:
        stakeholder.user.is_active = False
        stakeholder.user.save(update_fields=["is_active"])
    (line,) = remind(today=decision.due_date - timedelta(days=1), dry_run=False)
    assert client_po.user.email in line and stakeholder.user.email not in line


def test_a_decision_moved_to_a_later_date_is_reminded_again_for_it(decision, client_po):
    assert len(remind(today=decision.due_date - timedelta(days=1), dry_run=False)) == 1
    later = decision.due_date + timedelta(days=7)
    DecisionRequest.objects.filter(pk=decision.pk).update(due_date=later)
    assert len(remind(today=later - timedelta(days=1), dry_run=False)) == 1


def test_reminder_emails_carry_the_question_as_plain_text_never_as_html(
    decision, client_po, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    run(decision.due_date - timedelta(days=1), capture=django_capture_on_commit_callbacks)
    (email,) = mail.outbox
    assert XSS in email.body, "plain text shows what was typed"
    for content, mimetype in getattr(email, "alternatives", []):
        assert mimetype != "text/html" or XSS not in content


def test_the_command_sends_the_decision_reminders(decision, client_po):
    out = StringIO()
    day_before = (decision.due_date - timedelta(days=1)).isoformat()
    call_command("send_reminders", "--today", day_before, stdout=out)
    assert "D-1 is due tomorrow" in out.getvalue()
    out = StringIO()
    call_command("send_reminders", "--today", day_before, stdout=out)
    assert "D-1" not in out.getvalue()
