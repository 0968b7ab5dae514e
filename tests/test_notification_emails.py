"""Notification emails: the subject is the message on one line (an email header cannot hold a line break),
cut to a readable length; the body keeps the whole message. A reason or feedback typed on several lines
is sent like any other."""

import pytest
from django.core import mail

from sightline.backlog.models import Status
from sightline.backlog.transitions import item_reject
from sightline.feedback.services import feedback_give
from sightline.notifications.services import SUBJECT_MAX

TWO_LINES = "The pay button is hidden on mobile\nScroll down and it is under the footer"


@pytest.fixture
def delivered(make_item):
    return make_item(Status.DELIVERED, title="Pay with a saved card")


def assert_one_line(subject: str) -> None:
    assert "\n" not in subject and "\r" not in subject
    assert len(subject) <= SUBJECT_MAX


def test_a_rejection_with_a_two_line_reason_emails_the_team_with_a_one_line_subject(
    client_po, delivered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item_reject(actor=client_po.user, membership=client_po, item=delivered, reason=TWO_LINES)

    assert {m.to[0] for m in mail.outbox} == {
        "agency_po@example.test",
        "developer@example.test",
        "tester@example.test",
    }
    for message in mail.outbox:
        assert_one_line(message.subject)
        assert message.subject == (
            f"[ACME] {delivered.key} was rejected by {client_po.user.display_name}: "
            "The pay button is hidden on mobile Scroll down and it is under the footer"
        )
        assert TWO_LINES in message.body


def test_feedback_on_two_lines_emails_the_agency_po_with_a_one_line_subject(
    po, client_po, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        feedback_give(
            actor=client_po.user,
            membership=client_po,
            text="Checkout is slow\r\nIt takes ten seconds to pay",
        )

    [message] = mail.outbox
    assert message.to == ["agency_po@example.test"]
    assert_one_line(message.subject)
    assert message.subject.endswith(": Checkout is slow It takes ten seconds to pay")


def test_a_long_message_is_cut_in_the_subject_and_kept_whole_in_the_body(
    client_po, delivered, django_capture_on_commit_callbacks
):
    reason = "The receipt shows the wrong total " * 12
    with django_capture_on_commit_callbacks(execute=True):
        item_reject(actor=client_po.user, membership=client_po, item=delivered, reason=reason)

    message = mail.outbox[0]
    assert_one_line(message.subject)
    assert message.subject.endswith("…")
    assert reason.strip() in message.body
