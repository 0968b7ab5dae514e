"""Who may do what in a project: one table, used by views, API and services alike.

A user who is not a member of a project gets 404 for everything in it; a member whose role lacks
a permission gets 403 with a message naming the roles that may.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from sightline.projects.models import Membership, Project, Role

PO, DEV, QA, CPO, CST = (Role.AGENCY_PO, Role.DEVELOPER, Role.TESTER, Role.CLIENT_PO, Role.CLIENT_STAKEHOLDER)
EVERYONE = frozenset({PO, DEV, QA, CPO, CST})
AGENCY = frozenset({PO, DEV, QA})

PERMISSIONS: dict[str, frozenset[str]] = {
    "project.view": EVERYONE,
    "project.manage": frozenset({PO}),
    "members.invite": frozenset({PO}),
    "item.view": EVERYONE,
    "item.view_internal": AGENCY,
    "item.create": AGENCY,
    "item.edit": AGENCY,
    "item.rank": frozenset({PO, CPO}),
    "item.prioritise": frozenset({PO, DEV, QA, CPO}),  # the client PO may change priority and nothing else
    "item.work": AGENCY,  # move through the team's states up to delivered
    "item.verify": frozenset({QA, PO}),
    "item.accept": frozenset({CPO}),  # plus client members designated as acceptors
    "item.reset_to_draft": frozenset({PO}),
    "item.comment": EVERYONE,
    "item.comment_internal": AGENCY,
    "epic.manage": frozenset({PO}),
    "epic.rank": frozenset({PO, CPO}),  # the order of features, as the backlog's order of items
    "template.manage": frozenset({PO}),
    "sprint.view": EVERYONE,
    "sprint.manage": frozenset({PO}),
    "sprint.availability": AGENCY,  # who is available when: internal planning data; the PO edits it
    "audit.view": EVERYONE,
    "roadmap.view": EVERYONE,
    "roadmap.propose": AGENCY,  # propose a change for the client PO to approve
    "roadmap.decide": frozenset({CPO}),  # plus the client member a change was handed to
    "roadmap.edit": frozenset({PO}),  # direct edits, only on a project without a client PO
    "decision.view": EVERYONE,
    "decision.request": AGENCY,  # ask, edit while open, withdraw
    "decision.answer": frozenset({CPO}),  # plus the client member a decision was handed to
    "criteria_review.request": AGENCY,
    "criteria_review.review": frozenset({CPO}),  # plus the client member a review was handed to
    "feedback.give": EVERYONE,
    "feedback.convert": AGENCY,
}


def may(membership: Membership | None, perm: str) -> bool:
    if membership is None:
        return False
    if perm == "item.accept" and membership.is_acceptor and membership.is_client:
        return True
    return membership.role in PERMISSIONS[perm]


def denial_message(perm: str) -> str:
    roles = sorted(PERMISSIONS[perm])
    if perm == "item.accept":
        roles.append("a client member designated as acceptor")
    return f"Your role may not do this ({perm}); allowed: {', '.join(roles)}."


def require(membership: Membership | None, perm: str) -> None:
    """Raise PermissionDenied unless the membership's role has ``perm``."""
    if not may(membership, perm):
        raise PermissionDenied(denial_message(perm))


def membership_for(user, project: Project) -> Membership | None:
    if not user.is_authenticated:
        return None
    cache = getattr(user, "_sightline_memberships", None)
    if cache is None:
        cache = {}
        user._sightline_memberships = cache
    if project.pk not in cache:
        cache[project.pk] = Membership.objects.filter(project=project, user=user).first()
    return cache[project.pk]


def get_project_for(user, key: str, perm: str = "project.view") -> tuple[Project, Membership]:
    """The project ``key`` with the user's membership; 404 for outsiders, 403 without ``perm``."""
    if not user.is_authenticated:
        raise Http404("No such project")
    membership = Membership.objects.select_related("project").filter(project__key=key, user=user).first()
    if membership is None:
        raise Http404("No such project")
    require(membership, perm)
    _remember(user, membership)
    return membership.project, membership


def _remember(user, membership: Membership) -> None:
    cache = getattr(user, "_sightline_memberships", None)
    if cache is None:
        cache = {}
        user._sightline_memberships = cache
    cache[membership.project_id] = membership
