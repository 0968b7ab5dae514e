"""Dating the demo's history after the fact: the services stamp the time they run at, the loader moves
each stamp back to when its step is meant to have happened."""

from datetime import datetime

from django.db import connection
from django.utils import timezone

from sightline.accounts.models import User
from sightline.audit.models import AuditEvent
from sightline.backlog.models import AcceptanceDecision, Comment, Item
from sightline.notifications.models import Notification
from sightline.projects.models import Membership, Project
from sightline.sprints.models import ScopeChange, Sprint

qn = connection.ops.quote_name


class Clock:
    """Dates the history. The services stamp ``timezone.now()``; the loader notes when each of its steps
    ended and the time the step is meant to have happened, then moves every value stamped during a step
    back to that step's time in one pass (``rewrite``)."""

    STAMPED = (
        (AuditEvent, "at"),
        (AcceptanceDecision, "decided_at"),
        (Comment, "created_at"),
        (ScopeChange, "at"),
        (Notification, "created_at"),
        (Notification, "read_at"),
        (Sprint, "started_at"),
        (Sprint, "closed_at"),
        (Item, "created_at"),
        (Item, "updated_at"),
        (Item, "delivered_at"),
        (Item, "accepted_at"),
        (Item, "verified_at"),
        (Project, "created_at"),
        (Membership, "joined_at"),
        (User, "date_joined"),
    )

    def __init__(self):
        self.began = timezone.now()
        self.first_event_id = (
            AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        ) + 1
        self.steps: list[tuple[datetime, datetime]] = []  # (when the step ended, when it happened)

    def stamp(self, when: datetime) -> None:
        """The step just done happened at ``when``."""
        assert when < self.began, "history must lie in the past"
        self.steps.append((timezone.now(), when))

    def rewrite(self) -> None:
        if not self.steps:
            return
        adapt = connection.ops.adapt_datetimefield_value
        with connection.cursor() as cursor:
            for model, name in self.STAMPED:
                column = qn(model._meta.get_field(name).column)
                cases = " ".join([f"WHEN {column} <= %s THEN %s"] * len(self.steps))
                params = [adapt(value) for step in self.steps for value in step]
                # Audit events are immutable through save(); rewriting their time in bulk is acceptable
                # here only because this is demo data whose history is written after the fact. Table and
                # column names come from our own models, quoted; the values are parameters.
                cursor.execute(
                    f"UPDATE {qn(model._meta.db_table)} SET {column} = CASE {cases} ELSE {column} END "  # noqa: S608
                    f"WHERE {column} >= %s",
                    [*params, adapt(self.began)],
                )
        verified = list(AuditEvent.objects.filter(id__gte=self.first_event_id, action="item.verified"))
        for event in verified:
            event.changes = {"verified_at": [None, event.at.isoformat()]}
        AuditEvent.objects.bulk_update(verified, ["changes"])
