"""Writes for feedback: giving it, converting it into a backlog item, and telling its giver how that
item progresses (called by the workflow when the item is planned and when it is accepted)."""

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sightline.audit.services import audit_record
from sightline.backlog.models import TITLE_MAX, Item, ItemType, Priority
from sightline.backlog.services import item_create, require_same_project
from sightline.feedback.models import Feedback
from sightline.feedback.uploads import checked_screenshot
from sightline.lib.errors import DomainError, InvalidInput
from sightline.notifications.services import notify
from sightline.projects.models import Membership, Role
from sightline.projects.policy import require

TEXT_MAX = 10_000
EVENTS = {"scheduled": "scheduled_at", "accepted": "done_at"}


class AlreadyConverted(DomainError):
    """The feedback already became a backlog item (HTTP 409)."""

    status = 409


def _subject(feedback: Feedback) -> str:
    if feedback.item is not None:
        return f"{feedback.item.key} {feedback.item.title}"
    if feedback.sprint is not None:
        return f"the {feedback.sprint} review"
    return "the product"


@transaction.atomic
def feedback_give(
    *,
    actor,
    membership: Membership,
    text: str,
    item: Item | None = None,
    sprint=None,
    screenshot: UploadedFile | None = None,
) -> Feedback:
    """Record feedback on an item, a sprint review or (neither given) the product, with an optional
    screenshot (an image of at most 5 MB). Nothing is written when any of it is refused."""
    require(membership, "feedback.give")
    project = membership.project
    text = (text or "").strip()
    if not text:
        raise InvalidInput(
            "Write your feedback: what you saw, and what you would like instead.", field="text"
        )
    if len(text) > TEXT_MAX:
        raise InvalidInput(
            f"Feedback must be at most {TEXT_MAX} characters (it has {len(text)}).", field="text"
        )
    if item is not None and item.project_id != project.pk:
        raise InvalidInput("The item belongs to another project.", field="item")
    if sprint is not None and sprint.project_id != project.pk:
        raise InvalidInput("The sprint belongs to another project.", field="sprint")
    checked = checked_screenshot(screenshot) if screenshot else None
    feedback = Feedback.objects.create(project=project, author=actor, text=text, item=item, sprint=sprint)
    audit_record(
        actor=actor,
        project=project,
        action="feedback.given",
        target=feedback,
        changes={"text": [None, text[:200]], "about": [None, _subject(feedback)]},
    )
    agency_pos = [
        m.user
        for m in Membership.objects.filter(project=project, role=Role.AGENCY_PO).select_related("user")
        if m.user_id != actor.pk
    ]
    notify(
        users=agency_pos,
        project=project,
        kind="feedback.given",
        message=f"{actor.display_name} gave feedback on {_subject(feedback)}: {text[:120]}",
        url=reverse("feedback:detail", args=[project.key, feedback.pk]),
    )
    if checked is not None:  # the file is written last: every check has passed by now
        content, kind, original = checked
        feedback.screenshot_type, feedback.screenshot_name = kind.content_type, original
        feedback.screenshot.save(content.name or original, content, save=False)
        feedback.save(update_fields=["screenshot", "screenshot_type", "screenshot_name"])
    return feedback


def default_title(text: str) -> str:
    """A backlog item's title from feedback: its first line, shortened to fit."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "Feedback")
    first = first.lstrip("#>-* ").strip() or "Feedback"
    return first if len(first) <= TITLE_MAX else first[: TITLE_MAX - 1].rstrip() + "…"


@transaction.atomic
def feedback_convert(
    *,
    actor,
    membership: Membership,
    feedback: Feedback,
    title: str = "",
    type: str = ItemType.STORY,
    priority: str = Priority.MEDIUM,
) -> Item:
    """Turn feedback into a backlog item (at the bottom of the backlog) carrying its text; the feedback
    keeps the link. Converting the same feedback twice is refused (409)."""
    require(membership, "feedback.convert")
    feedback = (
        Feedback.objects.select_for_update(of=("self",))
        .select_related("project", "author", "item_created")
        .get(pk=feedback.pk)
    )
    require_same_project(membership, feedback.project_id)
    if feedback.item_created is not None:
        raise AlreadyConverted(
            f"This feedback was already converted into {feedback.item_created.key}.", field="feedback"
        )
    item = item_create(
        actor=actor,
        membership=membership,
        title=(title or "").strip() or default_title(feedback.text),
        type=type,
        priority=priority,
        description=feedback.text,
    )
    feedback.item_created, feedback.converted_by, feedback.converted_at = item, actor, timezone.now()
    feedback.save(update_fields=["item_created", "converted_by", "converted_at"])
    audit_record(
        actor=actor,
        project=feedback.project,
        action="feedback.converted",
        target=feedback,
        changes={"item_created": [None, item.key]},
    )
    if feedback.author is not None and feedback.author.pk != actor.pk:
        notify(
            users=[feedback.author],
            project=feedback.project,
            kind="feedback.converted",
            message=f"Your feedback is now on the backlog as {item.key}: {item.title}",
            url=item.get_absolute_url(),
        )
    return item


def feedback_item_progressed(*, item: Item, event: str) -> int:
    """Tell whoever gave the feedback an item came from that it was ``scheduled`` (planned into a sprint)
    or ``accepted``; each giver hears of each event once. Returns how many were told."""
    field = EVENTS[event]
    found = list(
        Feedback.objects.filter(item_created=item, **{f"{field}__isnull": True}).select_related("author")
    )
    if not found:
        return 0
    Feedback.objects.filter(pk__in=[f.pk for f in found]).update(**{field: timezone.now()})
    if event == "scheduled":
        message = f"Your feedback is planned: {item.key} {item.title} is in {item.sprint or 'a sprint'}"
    else:
        message = f"Your feedback is done: {item.key} {item.title} was accepted"
    givers = [f.author for f in found if f.author is not None]
    return notify(
        users=givers,
        project=item.project,
        kind=f"feedback.{event}",
        message=message,
        url=item.get_absolute_url(),
    )
