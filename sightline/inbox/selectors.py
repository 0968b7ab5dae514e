"""Reading the inbox: the rows every provider returns, sorted, counted, and dressed for a page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from importlib import import_module

from django.utils import timezone
from django.utils.module_loading import import_string

from sightline.inbox import registry
from sightline.inbox.policy import may_hand_over
from sightline.inbox.rows import InboxRow
from sightline.projects.models import CLIENT_ROLES, Membership, Role

KIND_LABELS = {
    "acceptance": "Acceptance",
    "decision": "Decision",
    "roadmap_change": "Roadmap change",
    "criteria_review": "Criteria review",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind) or kind.replace("_", " ").capitalize()


def _providers():
    """(rows, count or None) for each provider in the registry."""
    found = []
    for path in registry.PROVIDERS:
        module = import_module(path.rsplit(".", 1)[0])
        found.append((import_string(path), getattr(module, "count", None)))
    return found


def sort_key(row: InboxRow):
    """Oldest due first; rows without a due date last; then the oldest request first."""
    return (row.due is None, row.due or date.max, row.created_at, row.kind, row.id)


def inbox_rows(*, projects, holder=None, kind: str = "") -> list[InboxRow]:
    """Open client requests in ``projects`` (only those ``holder`` must answer, when given)."""
    projects = list(projects)
    if not projects:
        return []
    found: list[InboxRow] = []
    for rows, _ in _providers():
        found.extend(rows(projects=projects, holder=holder))
    if kind:
        found = [row for row in found if row.kind == kind]
    return sorted(found, key=sort_key)


def inbox_count(*, projects, holder) -> int:
    """How many requests wait for ``holder`` in ``projects``: one cheap query per provider."""
    projects = list(projects)
    if not projects:
        return 0
    total = 0
    for rows, count in _providers():
        total += (
            count(projects=projects, holder=holder) if count else len(rows(projects=projects, holder=holder))
        )
    return total


def waiting_total(user) -> int | None:
    """How many requests wait for ``user`` in all their projects, or None when they are a client member of
    none (they have no inbox): their memberships, then one count per provider."""
    memberships = list(Membership.objects.filter(user=user).select_related("project"))
    if not any(m.is_client for m in memberships):
        return None
    return inbox_count(projects=[m.project for m in memberships], holder=user)


def find_open_request(*, projects, kind: str, request_id: int) -> InboxRow | None:
    """The open request ``kind``/``request_id`` among ``projects``, or None."""
    for row in inbox_rows(projects=projects, kind=kind):
        if row.id == request_id:
            return row
    return None


@dataclass
class InboxEntry:
    """A row as a page shows it: who it may be handed to, how long it has waited, who is away."""

    row: InboxRow
    kind_label: str
    can_hand_over: bool = False
    hand_to: list[tuple[Membership, bool]] = field(default_factory=list)  # (person, away on the due date)
    age_days: int = 0
    holder: Membership | None = None
    responsible: list[Membership] = field(default_factory=list)
    away: list[Membership] = field(default_factory=list)
    error: dict | None = None

    @property
    def dom_id(self) -> str:
        return f"inbox-{self.row.kind}-{self.row.id}"


def client_members(project_keys) -> dict[str, list[Membership]]:
    """The client members of each project, by project key: one query."""
    found: dict[str, list[Membership]] = {key: [] for key in project_keys}
    qs = (
        Membership.objects.filter(project__key__in=list(project_keys), role__in=list(CLIENT_ROLES))
        .select_related("user", "project")
        .order_by("project__key", "role", "user__full_name", "user__email")
    )
    for membership in qs:
        found[membership.project.key].append(membership)
    return found


def entries(rows: list[InboxRow], *, user, memberships: dict[str, Membership]) -> list[InboxEntry]:
    """Dress ``rows`` for a page seen by ``user`` (``memberships``: their membership per project key)."""
    clients = client_members({row.project for row in rows})
    today = timezone.localdate()
    dressed = []
    for row in rows:
        people = clients.get(row.project, [])
        holder = next((m for m in people if m.user_id == row.holder_id), None) if row.holder_id else None
        responsible = [holder] if holder else [m for m in people if m.role == Role.CLIENT_PO]
        mine = memberships.get(row.project)
        created = timezone.localdate(row.created_at) if timezone.is_aware(row.created_at) else row.created_at
        dressed.append(
            InboxEntry(
                row=row,
                kind_label=kind_label(row.kind),
                can_hand_over=may_hand_over(mine, row.holder_id),
                hand_to=[
                    (m, m.is_out_of_office_on(row.due))
                    for m in people
                    if m.user_id not in (row.holder_id, user.pk) and m.user.is_active
                ],
                age_days=max((today - created).days, 0) if isinstance(created, date) else 0,
                holder=holder,
                responsible=responsible,
                away=[m for m in responsible if m.is_out_of_office_on(row.due)],
            )
        )
    return dressed
