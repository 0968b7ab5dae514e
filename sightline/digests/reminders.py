"""Reminders ahead of the ceremonies (run daily by `sightline send_reminders`)."""

import datetime

from django.urls import reverse

from sightline.backlog.models import Item, Status
from sightline.notifications.reminders import already_sent, once
from sightline.notifications.services import notify
from sightline.projects.models import Membership, Role
from sightline.sprints.models import Sprint, SprintState


def acceptance_before_planning(*, today: datetime.date, dry_run: bool) -> list[str]:
    """The day before a planned sprint starts, remind the client PO (and the client members designated
    as acceptors) of the deliveries still awaiting acceptance: accepting them before planning lets the
    unfinished work be planned correctly. Once per sprint."""
    sprints = list(
        Sprint.objects.filter(
            state=SprintState.PLANNED, start_date=today + datetime.timedelta(days=1)
        ).select_related("project")
    )
    projects = [s.project_id for s in sprints]
    waiting: dict[int, list[Item]] = {}
    for item in Item.objects.filter(project_id__in=projects, status=Status.DELIVERED).order_by(
        "delivered_at", "id"
    ):
        waiting.setdefault(item.project_id, []).append(item)
    acceptors: dict[int, list] = {}
    for m in Membership.objects.filter(project_id__in=projects).select_related("user"):
        if m.role == Role.CLIENT_PO or (m.is_acceptor and m.is_client):
            acceptors.setdefault(m.project_id, []).append(m.user)
    sent = []
    for sprint in sprints:
        items, people = waiting.get(sprint.project_id, []), acceptors.get(sprint.project_id, [])
        if not items or not people:
            continue
        key = f"acceptance.before_planning:{sprint.pk}"
        if dry_run:
            if already_sent(key):
                continue
        elif not once(key):
            continue
        project = sprint.project
        count = f"{len(items)} deliver{'ies' if len(items) != 1 else 'y'}"
        if not dry_run:
            notify(
                users=people,
                project=project,
                kind="acceptance.reminder",
                message=f"{count} still await your acceptance before {sprint.name} is planned tomorrow",
                url=reverse("acceptance:awaiting", args=[project.key]),
                email_body=(
                    f"{sprint.name} starts tomorrow. These deliveries are on staging and still await your "
                    "verdict; accepting or rejecting them before planning lets the team plan the unfinished "
                    "work correctly:\n\n" + "\n".join(f"- {i.key} {i.title}" for i in items)
                ),
            )
        whom = f"{len(people)} {'person' if len(people) == 1 else 'people'}"
        sent.append(f"{project.key}: {count} awaiting acceptance before {sprint.name}, to {whom}")
    return sent
