"""The roadmap API: reading the roadmap, proposing and deciding changes, and direct edits."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sightline.backlog.models import Epic, Status
from sightline.projects.models import Membership, Role
from sightline.roadmap.models import ChangeState, Release, RoadmapChange
from tests.api_support import api_for
from tests.test_roadmap_changes import IMPACT, WHY, make_plan, propose


@pytest.fixture
def plan(po, project):
    return make_plan(po, project)


def test_the_roadmap_lists_releases_in_date_order_with_their_epics_and_progress(
    plan, po, stakeholder, make_item
):
    Release.objects.create(project=plan["r1"].project, name="Later", rank=0)
    make_item(Status.DRAFT, epic=plan["Gift cards"], points=5)
    propose(po, kind="remove_epic", epic=plan["Accounts"])
    response = api_for(stakeholder).get("/projects/ACME/roadmap")
    assert response.status_code == 200
    body = response.json()
    assert body["direct_edits"] is False
    assert [r["name"] for r in body["releases"]] == ["Release 1", "Release 2", "Later"]
    first = body["releases"][0]
    assert first["epics"] == [
        {
            "id": plan["Gift cards"].pk,
            "title": "Gift cards",
            "colour": "#4f6bed",
            "items": 1,
            "points": 5.0,
            "points_done": 0.0,
            "change_proposed": False,
        }
    ]
    assert first["items"] == 1 and first["points"] == 5.0
    assert body["releases"][1]["epics"][0]["change_proposed"] is True
    assert [e["title"] for e in body["unscheduled"]] == ["Stock sync"]
    assert [c["summary"] for c in body["open_changes"]] == ["Take “Accounts” out of “Release 2”"]
    assert body["history"] == []


def test_a_change_is_proposed_read_and_approved_through_the_api(plan, dev, client_po):
    proposal = {
        "kind": "move_epic",
        "epic_id": plan["Gift cards"].pk,
        "release_id": plan["r2"].pk,
        "rationale": WHY,
        "impact": IMPACT,
        "due": (timezone.localdate() + timedelta(days=3)).isoformat(),
    }
    created = api_for(dev).post("/projects/ACME/roadmap/changes", proposal)
    assert created.status_code == 201, created.content
    change = created.json()
    assert change["state"] == "proposed" and change["from_release"] == {
        "id": plan["r1"].pk,
        "name": "Release 1",
    }
    assert change["proposed_by"] == dev.user.email and change["overdue"] is False
    assert Epic.objects.get(pk=plan["Gift cards"].pk).release == plan["r1"]
    assert api_for(client_po).get(f"/roadmap/changes/{change['id']}").json()["summary"] == change["summary"]
    approved = api_for(client_po).post(f"/roadmap/changes/{change['id']}/approve", {"comment": "Yes"})
    assert approved.status_code == 200
    assert approved.json()["state"] == "approved" and approved.json()["decided_by"] == client_po.user.email
    assert Epic.objects.get(pk=plan["Gift cards"].pk).release == plan["r2"]
    again = api_for(client_po).post(f"/roadmap/changes/{change['id']}/approve", {})
    assert again.status_code == 409 and "already approved" in again.json()["detail"]


def test_approving_a_withdrawn_change_is_409(plan, dev, client_po):
    change = propose(dev, kind="remove_epic", epic=plan["Accounts"])
    withdrawn = api_for(dev).post(f"/roadmap/changes/{change.pk}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"
    response = api_for(client_po).post(f"/roadmap/changes/{change.pk}/approve", {})
    assert response.status_code == 409 and "withdrawn" in response.json()["detail"]
    assert Epic.objects.get(pk=plan["Accounts"].pk).release == plan["r2"]


def test_a_declined_change_keeps_its_comment_in_the_history(plan, dev, client_po):
    change = propose(dev, kind="remove_epic", epic=plan["Accounts"])
    response = api_for(client_po).post(f"/roadmap/changes/{change.pk}/decline", {"comment": "Accounts stay"})
    assert response.status_code == 200 and response.json()["decision_comment"] == "Accounts stay"
    history = api_for(dev).get("/projects/ACME/roadmap").json()["history"]
    assert [(c["id"], c["state"]) for c in history] == [(change.pk, "declined")]


@pytest.mark.parametrize("role", [Role.DEVELOPER, Role.AGENCY_PO, Role.CLIENT_STAKEHOLDER])
def test_only_the_client_po_decides_through_the_api(plan, dev, members, role):
    change = propose(dev, kind="remove_epic", epic=plan["Accounts"])
    for verdict in ("approve", "decline"):
        response = api_for(members[role]).post(f"/roadmap/changes/{change.pk}/{verdict}", {})
        assert response.status_code == 403, verdict
    assert RoadmapChange.objects.get(pk=change.pk).state == ChangeState.PROPOSED


def test_clients_cannot_propose_and_bad_proposals_name_the_field(plan, client_po, po):
    body = {"kind": "remove_epic", "epic_id": plan["Accounts"].pk, "rationale": WHY, "impact": IMPACT}
    assert api_for(client_po).post("/projects/ACME/roadmap/changes", body).status_code == 403
    unknown = api_for(po).post("/projects/ACME/roadmap/changes", {**body, "epic_id": 999999})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "epic_id"
    no_reason = api_for(po).post("/projects/ACME/roadmap/changes", {**body, "rationale": ""})
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "rationale"
    bad_kind = api_for(po).post("/projects/ACME/roadmap/changes", {**body, "kind": "shuffle"})
    assert bad_kind.status_code == 422
    assert not RoadmapChange.objects.exists()


def test_outsiders_and_unknown_ids_get_404(plan, dev, outsider):
    change = propose(dev, kind="remove_epic", epic=plan["Accounts"])
    api = api_for(outsider)
    assert api.get("/projects/ACME/roadmap").status_code == 404
    assert api.get(f"/roadmap/changes/{change.pk}").status_code == 404
    assert api.post(f"/roadmap/changes/{change.pk}/approve", {}).status_code == 404
    assert api_for(dev).get("/roadmap/changes/987654").status_code == 404


def test_direct_edits_are_refused_with_400_when_the_project_has_a_client_po(plan, po):
    api = api_for(po)
    created = api.post("/projects/ACME/roadmap/releases", {"name": "Release 3"})
    assert created.status_code == 400 and "Propose a change instead" in created.json()["detail"]
    placed = api.post(f"/roadmap/epics/{plan['Stock sync'].pk}/release", {"release_id": plan["r1"].pk})
    assert placed.status_code == 400
    edited = api.patch(f"/roadmap/releases/{plan['r1'].pk}", {"target_date": None})
    assert edited.status_code == 400
    assert Release.objects.get(pk=plan["r1"].pk).target_date is not None
    assert Epic.objects.get(pk=plan["Stock sync"].pk).release is None


@pytest.mark.parametrize("role", ["developer", "tester"])
def test_a_developer_or_tester_editing_the_roadmap_is_pointed_to_the_change_request(plan, members, role):
    api = api_for(members[role])
    created = api.post("/projects/ACME/roadmap/releases", {"name": "Release 3"})
    assert created.status_code == 403 and "Propose a change instead" in created.json()["detail"]
    edited = api.patch(f"/roadmap/releases/{plan['r1'].pk}", {"target_date": None})
    assert edited.status_code == 403 and "change request" in edited.json()["detail"]
    placed = api.post(f"/roadmap/epics/{plan['Stock sync'].pk}/release", {"release_id": plan["r1"].pk})
    assert placed.status_code == 403 and "change request" in placed.json()["detail"]
    assert Release.objects.get(pk=plan["r1"].pk).target_date is not None
    assert not Release.objects.filter(name="Release 3").exists()


def test_direct_edits_apply_when_the_project_has_no_client_po(plan, po, client_po, dev):
    Membership.objects.filter(pk=client_po.pk).delete()
    api = api_for(po)
    assert api.get("/projects/ACME/roadmap").json()["direct_edits"] is True
    target = (timezone.localdate() + timedelta(weeks=15)).isoformat()
    created = api.post("/projects/ACME/roadmap/releases", {"name": "Release 3", "target_date": target})
    assert created.status_code == 201 and created.json()["target_date"] == target
    release_id = created.json()["id"]
    placed = api.post(f"/roadmap/epics/{plan['Stock sync'].pk}/release", {"release_id": release_id})
    assert placed.status_code == 200 and placed.json()["release"] == {"id": release_id, "name": "Release 3"}
    edited = api.patch(f"/roadmap/releases/{release_id}", {"name": "Release 3 — Loyalty"})
    assert edited.status_code == 200 and edited.json()["target_date"] == target
    assert edited.json()["epics"][0]["title"] == "Stock sync"
    unplaced = api.post(f"/roadmap/epics/{plan['Stock sync'].pk}/release", {"release_id": None})
    assert unplaced.json()["release"] is None
    assert api_for(dev).post("/projects/ACME/roadmap/releases", {"name": "Release 4"}).status_code == 403
    proposal = {"kind": "remove_epic", "epic_id": plan["Accounts"].pk, "rationale": WHY, "impact": IMPACT}
    refused = api_for(dev).post("/projects/ACME/roadmap/changes", proposal)
    assert refused.status_code == 400 and "no client PO" in refused.json()["detail"]
