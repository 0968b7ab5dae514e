"""The workflow services act only inside the member's own project: members of another project cannot
transition, judge, plan or close sprints here."""

import pytest
from django.core.exceptions import PermissionDenied

from sightline.accounts.models import User
from sightline.audit.models import AuditEvent
from sightline.backlog.models import AcceptanceDecision, Item
from sightline.backlog.services import comment_add, item_move, item_update
from sightline.backlog.subtasks import subtask_add
from sightline.backlog.transitions import item_transition, item_verify
from sightline.projects.models import Membership, Role
from sightline.sprints.models import Sprint
from sightline.sprints.services import sprint_close, sprint_plan_item, sprint_start, sprint_update
from tests.test_workflow import S, attempt

# --- Services act only inside the member's own project ----------------------------------------------------


def _globex_po(other_project):
    user = User.objects.create_user(email="po@globex.test", password="x")
    return Membership.objects.create(project=other_project, user=user, role=Role.AGENCY_PO)


FOREIGN_ACTIONS = {
    "transition": lambda m, item, sprint: item_transition(
        actor=m.user, membership=m, item=item, to=S.IN_PROGRESS
    ),
    "back-to-draft": lambda m, item, sprint: item_transition(
        actor=m.user, membership=m, item=item, to=S.DRAFT
    ),
    "verify": lambda m, item, sprint: item_verify(actor=m.user, membership=m, item=item),
    "update": lambda m, item, sprint: item_update(
        actor=m.user, membership=m, item=item, version=None, changes={"title": "Ours now"}
    ),
    "move": lambda m, item, sprint: item_move(actor=m.user, membership=m, item=item, to_top=True),
    "comment": lambda m, item, sprint: comment_add(actor=m.user, membership=m, item=item, body="Hello"),
    "subtask": lambda m, item, sprint: subtask_add(actor=m.user, membership=m, item=item, title="Sneaky"),
    "sprint-start": lambda m, item, sprint: sprint_start(actor=m.user, membership=m, sprint=sprint),
    "sprint-update": lambda m, item, sprint: sprint_update(
        actor=m.user, membership=m, sprint=sprint, goal="Ours", capacity_hours=1
    ),
}


@pytest.mark.parametrize("action", FOREIGN_ACTIONS)
def test_the_agency_po_of_another_project_cannot_act_here(action, make_item, sprint, other_project):
    item = make_item(S.PLANNED, sprint=sprint)
    stranger = _globex_po(other_project)
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied, match="another project"):
        FOREIGN_ACTIONS[action](stranger, item, sprint)
    fresh = Item.objects.get(pk=item.pk)
    assert (fresh.status, fresh.version, fresh.title) == (S.PLANNED, item.version, item.title)
    assert Sprint.objects.get(pk=sprint.pk).state == "planned"
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("verdict", [S.ACCEPTED, S.REJECTED])
def test_the_client_po_of_another_project_cannot_judge_work_here(verdict, outsider, make_item):
    item = make_item(S.DELIVERED)
    with pytest.raises(PermissionDenied, match="another project"):
        attempt(outsider, item, verdict)
    assert Item.objects.get(pk=item.pk).status == S.DELIVERED
    assert not AcceptanceDecision.objects.exists()


def test_the_agency_po_of_another_project_cannot_close_a_sprint_here(active_sprint, other_project):
    stranger = _globex_po(other_project)
    with pytest.raises(PermissionDenied, match="another project"):
        sprint_close(actor=stranger.user, membership=stranger, sprint=active_sprint)
    assert Sprint.objects.get(pk=active_sprint.pk).state == "active"


def test_the_agency_po_of_another_project_cannot_plan_items_here(make_item, sprint, other_project):
    stranger = _globex_po(other_project)
    item = make_item(S.READY)
    with pytest.raises(PermissionDenied, match="another project"):
        sprint_plan_item(actor=stranger.user, membership=stranger, sprint=sprint, item=item)
    assert Item.objects.get(pk=item.pk).sprint is None
