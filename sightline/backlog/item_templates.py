"""Writes to a project's item templates: the user story, description and criteria a new item of a type
starts from."""

from django.db import transaction

from sightline.audit.services import audit_record, diff, snapshot
from sightline.backlog.models import ItemTemplate, ItemType
from sightline.backlog.services import _check_choice, _clean_criteria
from sightline.projects.models import Membership
from sightline.projects.policy import require

TEMPLATE_FIELDS = ("user_story", "description", "criteria")


@transaction.atomic
def template_save(
    *, actor, membership: Membership, type: str, user_story: str, description: str, criteria: list[str]
) -> ItemTemplate:
    """Save the project's template for ``type``; the audit event records each field before and after."""
    require(membership, "template.manage")
    _check_choice(type, ItemType, "type")
    saved = ItemTemplate.objects.select_for_update().filter(project=membership.project, type=type).first()
    before = snapshot(saved, TEMPLATE_FIELDS) if saved else {}
    template, _ = ItemTemplate.objects.update_or_create(
        project=membership.project,
        type=type,
        defaults={
            "user_story": user_story,
            "description": description,
            "criteria": _clean_criteria(criteria),
        },
    )
    changes = diff(before, snapshot(template, TEMPLATE_FIELDS))
    if changes:
        audit_record(
            actor=actor, project=membership.project, action="template.saved", target=template, changes=changes
        )
    return template
