"""Reminders for open decisions, run daily by `sightline send_reminders`.

Two per decision at most: one the day before it is due, one once it is overdue. Each goes out once
(recorded with ``once``); the key carries the due date, so a decision moved to a later date is
reminded of again for its new date.
"""

from datetime import date, timedelta

from django.db import transaction

from sightline.decisions.messages import client_recipients
from sightline.decisions.models import DecisionRequest, DecisionState
from sightline.notifications.reminders import already_sent, once
from sightline.notifications.services import notify


def _day(value: date) -> str:
    return f"{value:%a} {value.day} {value:%b}"


def _body(decision: DecisionRequest, opening: str) -> str:
    lines = [opening, "", decision.question, "", "The options:"]
    lines += [f"- {option.label}" for option in decision.options.all()]
    if decision.cost_of_delay:
        lines += ["", f"If the answer comes later: {decision.cost_of_delay}"]
    keys = [item.key for item in decision.blocking_items.all()]
    if keys:
        lines.append(f"Waiting for your answer: {', '.join(keys)}.")
    lines += ["", "One click on the option you choose is enough."]
    return "\n".join(lines)


def _due_tomorrow(decision: DecisionRequest) -> tuple[list, str, str]:
    message = (
        f"Reminder: {decision.reference} is due tomorrow ({_day(decision.due_date)}): {decision.question}"
    )
    body = _body(decision, f"The team needs your answer to {decision.reference} by tomorrow.")
    return client_recipients(decision), message, body


def _overdue(decision: DecisionRequest) -> tuple[list, str, str]:
    message = f"Overdue: {decision.reference} was due {_day(decision.due_date)}: {decision.question}"
    body = _body(decision, f"The answer to {decision.reference} was needed by {_day(decision.due_date)}.")
    asker = [decision.created_by] if decision.created_by else []
    return [*client_recipients(decision), *asker], message, body


def remind(*, today: date, dry_run: bool) -> list[str]:
    """Remind the client of open decisions due tomorrow or overdue; each reminder once."""
    decisions = (
        DecisionRequest.objects.filter(state=DecisionState.OPEN, due_date__lte=today + timedelta(days=1))
        .select_related("project", "holder", "created_by")
        .prefetch_related("options", "blocking_items")
        .order_by("project__key", "due_date", "number")
    )
    sent = []
    for decision in decisions:
        if decision.due_date == today + timedelta(days=1):
            kind, compose = "due", _due_tomorrow
        elif decision.due_date < today:
            kind, compose = "overdue", _overdue
        else:  # due today: the day-before reminder went out yesterday, overdue starts tomorrow
            continue
        key = f"decision.{kind}:{decision.pk}:{decision.due_date.isoformat()}"
        users, message, body = compose(decision)
        if dry_run:
            if already_sent(key):
                continue
        else:
            with transaction.atomic():  # recorded and notified together, or neither
                if not once(key):
                    continue
                notify(
                    users=users,
                    project=decision.project,
                    kind="decision.reminder",
                    message=message,
                    url=decision.get_absolute_url(),
                    email_body=body,
                )
        names = ", ".join(sorted({u.email for u in users})) or "nobody (no client PO)"
        sent.append(f"{decision.project.key} {message} → {names}")
    return sent
