"""Recording audit events. Every service that changes data calls ``audit_record``."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from sightline.audit.models import AuditEvent
from sightline.lib.numbers import plain_number


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        # 3, 3.0 and Decimal("3.0") are the same estimate: record them alike, so re-saving an
        # unchanged form is not a change.
        return plain_number(value)
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields``, in a JSON-friendly form, for a later ``diff``."""
    values = {}
    for name in fields:
        value = getattr(obj, name)
        values[name] = _plain(value)
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {name: [before.get(name), after[name]] for name in after if before.get(name) != after[name]}


def audit_record(
    *,
    actor,
    project,
    action: str,
    target: models.Model,
    changes: dict[str, list[Any]] | None = None,
    note: str = "",
    item=None,
    internal: bool = False,
) -> AuditEvent:
    return AuditEvent.objects.create(
        project=project,
        item=item,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.model_name or "",
        target_id=target.pk,
        target_label=str(target)[:200],
        changes=changes or {},
        note=note,
        internal=internal,
    )
