"""Writes for the client's side: handing a request to another client member, stating availability."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from sightline.audit.services import audit_record
from sightline.backlog.models import Item, Status
from sightline.inbox.policy import may_hand_over, require_client
from sightline.lib.errors import DomainError, InvalidInput
from sightline.notifications.services import notify
from sightline.projects.models import Membership

NOTE_MAX = 1000
AVAILABILITY_MAX = 200


def holder_field(obj) -> str:
    """The field naming who holds a request: ``acceptance_holder`` on items, ``holder`` elsewhere."""
    return "acceptance_holder" if isinstance(obj, Item) else "holder"


def request_is_open(obj) -> bool:
    if isinstance(obj, Item):
        return obj.status == Status.DELIVERED
    is_open = getattr(obj, "is_open", True)
    return bool(is_open() if callable(is_open) else is_open)


def _holder_label(user) -> str:
    return user.display_name if user is not None else "the client product owner"


@transaction.atomic
def request_handover(*, actor, membership: Membership, obj, to_user, note: str = ""):
    """Hand an open client request (any model with ``project`` and a holder) to another client member
    of its project, with an optional note. The new holder is notified; the handover is audited."""
    if membership is None or membership.project_id != obj.project_id:
        raise PermissionDenied("This request belongs to another project.")
    obj = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    field = holder_field(obj)
    old_holder = getattr(obj, field)
    if not may_hand_over(membership, getattr(obj, f"{field}_id")):
        raise PermissionDenied(
            "Only the client product owner or the person who holds this request may hand it over."
        )
    if not request_is_open(obj):
        raise DomainError("This request has already been answered; there is nothing left to hand over.")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise InvalidInput(f"Keep the note under {NOTE_MAX} characters (it has {len(note)}).", field="note")
    target = (
        Membership.objects.filter(project_id=obj.project_id, user=to_user).select_related("user").first()
        if to_user is not None
        else None
    )
    if target is None or not target.is_client or not target.user.is_active:
        raise InvalidInput(
            "A request can be handed only to a client member of this project.", field="to_user"
        )
    if old_holder is not None and old_holder.pk == target.user.pk:
        raise InvalidInput(f"{target.user.display_name} already holds this request.", field="to_user")
    setattr(obj, field, target.user)
    obj.save(update_fields=[field])
    project = obj.project
    audit_record(
        actor=actor,
        project=project,
        item=obj if isinstance(obj, Item) else None,
        action="request.handed_over",
        target=obj,
        changes={"holder": [_holder_label(old_holder), target.user.display_name]},
        note=note,
    )
    url = reverse("inbox:project", args=[project.key])
    said = f"\n\nTheir note: {note}" if note else ""
    notify(
        users=[target.user],
        project=project,
        kind="request.handed_over",
        message=f"{actor.display_name} handed you a request to answer: {obj}",
        url=url,
        email_body=f"{actor.display_name} asks you to answer this request in their place: {obj}.{said}",
    )
    if old_holder is not None and old_holder.pk not in (actor.pk, target.user.pk):
        notify(
            users=[old_holder],
            project=project,
            kind="request.handed_over",
            message=f"{actor.display_name} handed your request to {target.user.display_name}: {obj}",
            url=url,
        )
    return obj


@transaction.atomic
def availability_update(
    *,
    actor,
    membership: Membership,
    availability: str,
    out_of_office_from: date | None,
    out_of_office_until: date | None,
) -> Membership:
    """A client member states when they usually have time and when they are away."""
    if membership.user_id != actor.pk:
        raise PermissionDenied("Each person states their own availability.")
    require_client(membership, "Stating availability")
    availability = (availability or "").strip()
    if len(availability) > AVAILABILITY_MAX:
        raise InvalidInput(
            f"Keep it under {AVAILABILITY_MAX} characters (it has {len(availability)}).", field="availability"
        )
    if (out_of_office_from is None) != (out_of_office_until is None):
        missing = "out_of_office_until" if out_of_office_until is None else "out_of_office_from"
        raise InvalidInput("Give both the first and the last day you are away (or neither).", field=missing)
    if out_of_office_from and out_of_office_until and out_of_office_from > out_of_office_until:
        raise InvalidInput(
            "The last day away must be on or after the first day away.", field="out_of_office_until"
        )
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    fields = ("availability", "out_of_office_from", "out_of_office_until")
    before = {name: getattr(membership, name) for name in fields}
    membership.availability = availability
    membership.out_of_office_from = out_of_office_from
    membership.out_of_office_until = out_of_office_until
    after = {name: getattr(membership, name) for name in fields}
    changes = {
        name: [_plain(before[name]), _plain(after[name])] for name in fields if before[name] != after[name]
    }
    if changes:
        membership.save(update_fields=list(fields))
        audit_record(
            actor=actor,
            project=membership.project,
            action="membership.availability_changed",
            target=membership,
            changes=changes,
        )
    return membership


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value
