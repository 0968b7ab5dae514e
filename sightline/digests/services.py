"""Sending digests, the post-planning message and the draft sprint goal shared ahead of planning."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from sightline.audit.services import audit_record
from sightline.backlog.models import Item
from sightline.backlog.services import require_same_project
from sightline.digests.content import Digest, digest_for, period_for, shared_digest
from sightline.digests.models import Audience, DigestSent, SprintGoalShare
from sightline.lib.errors import DomainError
from sightline.lib.numbers import plain_number
from sightline.notifications.models import Delivery
from sightline.notifications.services import deliveries_for, notify
from sightline.projects.models import AGENCY_ROLES, CLIENT_ROLES, Membership, Project, project_zone
from sightline.projects.policy import require
from sightline.sprints.models import Sprint, SprintState

ROLES_OF: dict[str, frozenset] = {Audience.CLIENT: CLIENT_ROLES, Audience.TEAM: AGENCY_ROLES}


# --- Rendering -------------------------------------------------------------------------------------


def digest_context(digest: Digest) -> dict:
    return {"digest": digest, "project": digest.project, "base_url": settings.SIGHTLINE_BASE_URL}


def render_digest(digest: Digest) -> tuple[str, str, str]:
    """``(subject, text, html)`` of ``digest``; dates read in the project's time zone."""
    name = "client" if digest.is_client else "team"
    context = digest_context(digest)
    with timezone.override(project_zone(digest.project)):
        text = render_to_string(f"digests/email_{name}.txt", context)
        html = render_to_string(f"digests/email_{name}.html", context)
    return digest.subject, text, html


def _reader(digest: Digest):
    if digest.reader is None:
        raise ValueError("A preview of the whole client side has no reader to send it to")
    return digest.reader


def digest_message(digest: Digest, rendered: tuple[str, str, str] | None = None) -> EmailMultiAlternatives:
    subject, text, html = rendered or render_digest(digest)
    message = EmailMultiAlternatives(subject, text, None, [_reader(digest).email])
    message.attach_alternative(html, "text/html")
    return message


# --- Sending the weekly digests --------------------------------------------------------------------


@dataclass(frozen=True)
class DigestOutcome:
    project: str
    audience: str
    email: str
    status: str  # "sent" | "would send" | "already sent" | "nothing to say" | "turned off"
    period_start: object

    def __str__(self) -> str:
        week = f"week of {self.period_start:%-d %b %Y}"
        where = f"{self.project} {self.audience} digest to {self.email}"
        if self.status == "already sent":
            return f"{where}: already sent for the {week}"
        if self.status == "turned off":
            return f"{where}: this person turned the weekly digest off"
        if self.status == "nothing to say":
            return f"{where}: nothing happened and nothing waits in the {week}; not sent"
        return f"{where}: {self.status} ({week})"


def recipients(project: Project, audience: str) -> list:
    roles = ROLES_OF[audience]
    return [
        m.user
        for m in Membership.objects.filter(project=project, user__is_active=True)
        .select_related("user")
        .order_by("user__email")
        if m.role in roles
    ]


def digests_send(
    *,
    projects=None,
    audiences=(Audience.CLIENT, Audience.TEAM),
    dry_run: bool = False,
    now: datetime | None = None,
) -> list[DigestOutcome]:
    """Send this week's digests of ``projects`` (all by default) to each member of each audience,
    once per person and week: a person who already had this week's digest gets nothing new."""
    now = now or timezone.now()
    projects = list(projects if projects is not None else Project.objects.order_by("key"))
    outcomes = []
    for project in projects:
        period = period_for(project, now)
        for audience in audiences:
            people = recipients(project, audience)
            done = set(
                DigestSent.objects.filter(
                    project=project, audience=audience, period_start=period.start
                ).values_list("recipient_id", flat=True)
            )
            delivery = deliveries_for(people, "digest.weekly")
            shared, rendered = None, None
            for person in people:
                outcome = DigestOutcome(project.key, audience, person.email, "", period.start)
                if delivery[person.pk] == Delivery.OFF:
                    outcomes.append(_with(outcome, "turned off"))
                    continue
                if person.pk in done:
                    outcomes.append(_with(outcome, "already sent"))
                    continue
                shared = shared or shared_digest(project, audience, now=now)
                digest = digest_for(shared, person)
                if digest.is_quiet:
                    outcomes.append(_with(outcome, "nothing to say"))
                    continue
                if dry_run:
                    outcomes.append(_with(outcome, "would send"))
                    continue
                if audience == Audience.CLIENT or rendered is None:  # the team's reads the same for all
                    rendered = render_digest(digest)
                outcomes.append(_with(outcome, _send_once(digest, period.start, rendered)))
    return outcomes


def _with(outcome: DigestOutcome, status: str) -> DigestOutcome:
    return DigestOutcome(outcome.project, outcome.audience, outcome.email, status, outcome.period_start)


def _send_once(digest: Digest, period_start, rendered: tuple[str, str, str]) -> str:
    """Record the digest, then send it; a failed send takes the record back so a later run retries."""
    reader = _reader(digest)
    try:
        with transaction.atomic():
            record = DigestSent.objects.create(
                project=digest.project,
                audience=digest.audience,
                recipient=reader,
                period_start=period_start,
            )
    except IntegrityError:  # another run got there first
        return "already sent"
    try:
        digest_message(digest, rendered).send(fail_silently=False)
    except Exception:
        record.delete()
        raise
    return "sent"


# --- After planning: what the sprint contains ------------------------------------------------------


def client_members(project: Project) -> list:
    return [
        m.user
        for m in Membership.objects.filter(project=project).select_related("user")
        if m.role in CLIENT_ROLES
    ]


def sprint_planned_message(sprint: Sprint) -> int:
    """Tell the client members what the sprint that just started contains, and its goal."""
    items = list(Item.objects.filter(sprint=sprint).order_by("rank", "id"))
    points = sum((i.points or 0 for i in items), 0)
    goal = sprint.goal or "no goal was set"
    lines = [
        f"{sprint.name} has started ({sprint.start_date:%-d %b} – {sprint.end_date:%-d %b %Y}).",
        "",
        f"Its goal: {goal}",
        "",
        f"It contains {len(items)} item{'s' if len(items) != 1 else ''} ({plain_number(points)} points):",
        *[
            f"- {i.key} {i.title}" + (f" ({plain_number(i.points)} points)" if i.points else "")
            for i in items
        ],
        "",
        "You will be asked to accept each of them once it is on staging.",
    ]
    return notify(
        users=client_members(sprint.project),
        project=sprint.project,
        kind="sprint.planned",
        message=f"{sprint.name} has started: {goal} ({len(items)} items, {plain_number(points)} points)",
        url=reverse("sprints:detail", args=[sprint.project.key, sprint.number]),
        email_body="\n".join(lines),
    )


# --- Ahead of planning: the draft goal -------------------------------------------------------------


@transaction.atomic
def sprint_goal_share(*, actor, membership: Membership, sprint: Sprint) -> SprintGoalShare:
    """Share the draft goal of a planned sprint with the client members before planning."""
    require(membership, "sprint.manage")
    require_same_project(membership, sprint.project_id)
    sprint = Sprint.objects.select_for_update().select_related("project").get(pk=sprint.pk)
    if sprint.state != SprintState.PLANNED:
        raise DomainError(
            f"{sprint.name} is {sprint.state}; only the goal of a planned sprint is shared as a draft.",
            field="goal",
        )
    goal = (sprint.goal or "").strip()
    if not goal:
        raise DomainError("Write the sprint goal first, then share it.", field="goal")
    share = SprintGoalShare.objects.create(sprint=sprint, shared_by=actor, goal=goal)
    audit_record(
        actor=actor,
        project=sprint.project,
        action="sprint.goal_shared",
        target=sprint,
        changes={"goal": [None, goal]},
    )
    points = Item.objects.filter(sprint=sprint).aggregate(p=Sum("points"))["p"] or 0
    notify(
        users=client_members(sprint.project),
        project=sprint.project,
        kind="sprint.goal_shared",
        message=f"Draft goal for {sprint.name} (starts {sprint.start_date:%a %-d %b}): {goal}",
        url=reverse("sprints:detail", args=[sprint.project.key, sprint.number]),
        email_body=(
            f"Ahead of planning, here is the draft goal of {sprint.name}, which starts on "
            f"{sprint.start_date:%A %-d %B}:\n\n{goal}\n\n"
            f"So far {plain_number(points)} points are planned for it. Tell us before planning if the goal "
            "misses what matters most to you."
        ),
    )
    return share


def last_goal_share(sprint: Sprint) -> SprintGoalShare | None:
    return SprintGoalShare.objects.filter(sprint=sprint).select_related("shared_by").first()
