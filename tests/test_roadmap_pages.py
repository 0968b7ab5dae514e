"""The roadmap pages: the timeline, proposing, deciding (also in place from the inbox), direct edits."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sightline.backlog.epics import epic_create
from sightline.backlog.models import Epic, Status
from sightline.projects.models import Membership, Role
from sightline.roadmap.changes import roadmap_change_withdraw
from sightline.roadmap.models import ChangeState, Release, RoadmapChange
from tests.conftest import login
from tests.test_roadmap_changes import IMPACT, WHY, make_plan, propose


@pytest.fixture
def plan(po, project):
    return make_plan(po, project)


def page(member, project):
    return login(member.user).get(f"/p/{project.key}/roadmap/")


def text_order(html: str, *needles: str) -> list[int]:
    return [html.index(n) for n in needles]


def test_releases_are_in_date_order_with_undated_ones_last_and_epics_in_rank_order(
    plan, po, stakeholder, project, make_item
):
    Release.objects.create(project=project, name="Someday", rank=0)
    Release.objects.create(
        project=project, name="Soon", target_date=timezone.localdate() + timedelta(days=3), rank=9
    )
    second = epic_create(actor=po.user, membership=po, title="Wish lists")
    Epic.objects.filter(pk=second.pk).update(release=plan["r1"])
    make_item(Status.READY, epic=plan["Gift cards"], points=5)
    make_item(Status.DRAFT, epic=plan["Gift cards"], points=3)
    html = page(stakeholder, project).content.decode()
    assert text_order(html, "Soon", "Release 1", "Release 2", "Someday", "Unscheduled epics") == sorted(
        text_order(html, "Soon", "Release 1", "Release 2", "Someday", "Unscheduled epics")
    )
    assert html.index("Gift cards") < html.index("Wish lists") < html.index("Accounts")
    assert "2 items" in html and "of 8 pts done" in html
    assert 'max="8" value="0"' in html  # the epic's progress meter
    assert "in 5 weeks" in html and "No target date yet" in html
    assert html.index("Stock sync") > html.index("Unscheduled epics")


def test_the_page_takes_the_same_number_of_queries_for_many_releases_and_epics(plan, po, project, client_po):
    def count() -> int:
        client = login(client_po.user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/p/{project.key}/roadmap/").status_code == 200
        return len(queries)

    propose(po, kind="remove_epic", epic=plan["Accounts"])
    few = count()
    for n in range(8):
        release = Release.objects.create(project=project, name=f"Extra {n}", rank=10 + n)
        epic = epic_create(actor=po.user, membership=po, title=f"Epic {n}")
        Epic.objects.filter(pk=epic.pk).update(release=release)
        propose(po, kind="add_epic", epic=plan["Stock sync"], release=release)
    assert count() == few


def test_the_client_po_decides_on_the_page_and_the_team_sees_who_approves(plan, dev, client_po, project):
    change = propose(dev, kind="move_epic", epic=plan["Gift cards"], release=plan["r2"])
    client_html = page(client_po, project).content.decode()
    assert "Waiting for approval" in client_html and "Approve and apply" in client_html
    assert WHY in client_html and IMPACT in client_html
    team_html = page(dev, project).content.decode()
    assert "Approve and apply" not in team_html
    assert "Withdraw this proposal" in team_html  # the proposer may take it back
    assert client_po.user.display_name in team_html and "Propose a change" in team_html
    response = login(client_po.user).post(
        f"/p/{project.key}/roadmap/changes/{change.pk}/approve/", {"comment": "Agreed"}
    )
    assert response.status_code == 302
    assert Epic.objects.get(pk=plan["Gift cards"].pk).release == plan["r2"]
    html = page(dev, project).content.decode()
    assert "Approved" in html and "“Agreed”" in html


def test_a_declined_change_is_shown_in_the_history_and_nothing_moves(plan, dev, client_po, project):
    change = propose(dev, kind="remove_epic", epic=plan["Accounts"])
    login(client_po.user).post(f"/p/{project.key}/roadmap/changes/{change.pk}/decline/", {"comment": ""})
    html = page(client_po, project).content.decode()
    history = html[html.index('id="history-heading"') :]
    assert "Take “Accounts” out of “Release 2”" in history and "Declined" in history
    assert "Waiting for approval" not in html
    assert Epic.objects.get(pk=plan["Accounts"].pk).release == plan["r2"]


def test_approving_a_withdrawn_change_on_the_page_answers_409_with_the_reason(plan, dev, client_po, project):
    change = propose(dev, kind="remove_epic", epic=plan["Accounts"])
    roadmap_change_withdraw(actor=dev.user, membership=dev, change=change)
    response = login(client_po.user).post(f"/p/{project.key}/roadmap/changes/{change.pk}/approve/")
    assert response.status_code == 409
    assert "was withdrawn by" in response.content.decode()
    assert Epic.objects.get(pk=plan["Accounts"].pk).release == plan["r2"]


def test_answering_from_the_inbox_drops_the_row(plan, dev, client_po, project):
    change = propose(dev, kind="remove_epic", epic=plan["Accounts"])
    response = login(client_po.user).post(
        f"/p/{project.key}/roadmap/changes/{change.pk}/approve/",
        {"from_inbox": "1", "comment": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and response.content == b""
    assert response["HX-Trigger"] == "inbox-changed"
    assert RoadmapChange.objects.get(pk=change.pk).state == ChangeState.APPROVED


def test_a_refused_answer_from_the_inbox_shows_the_row_again_with_the_reason(plan, dev, client_po, project):
    change = propose(dev, kind="remove_epic", epic=plan["Accounts"])
    roadmap_change_withdraw(actor=dev.user, membership=dev, change=change)
    response = login(client_po.user).post(
        f"/p/{project.key}/roadmap/changes/{change.pk}/decline/",
        {"from_inbox": "1", "comment": "Keep it"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="inbox-roadmap_change-{change.pk}"' in html
    assert "was withdrawn by" in html and "Keep it" in html


def test_the_inbox_row_offers_approve_and_decline_in_place(plan, dev, client_po, project):
    change = propose(dev, kind="move_epic", epic=plan["Gift cards"], release=plan["r2"])
    html = login(client_po.user).get(f"/p/{project.key}/inbox/").content.decode()
    assert "Move “Gift cards” from “Release 1” to “Release 2”" in html
    assert f'hx-post="/p/{project.key}/roadmap/changes/{change.pk}/approve/"' in html
    assert f'formaction="/p/{project.key}/roadmap/changes/{change.pk}/decline/"' in html
    assert IMPACT in html


def test_proposing_from_the_page_sends_it_for_approval(plan, po, project):
    client = login(po.user)
    form = client.get(f"/p/{project.key}/roadmap/propose/?kind=move_epic&epic={plan['Gift cards'].pk}")
    assert form.status_code == 200 and "Epic to move" in form.content.decode()
    due = (timezone.localdate() + timedelta(days=4)).isoformat()
    response = client.post(
        f"/p/{project.key}/roadmap/propose/",
        {
            "kind": "move_epic",
            "epic": plan["Gift cards"].pk,
            "release": plan["r2"].pk,
            "rationale": WHY,
            "impact": IMPACT,
            "due": due,
        },
    )
    change = RoadmapChange.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/roadmap/changes/{change.pk}/")
    assert change.state == ChangeState.PROPOSED and change.due.isoformat() == due
    assert Epic.objects.get(pk=plan["Gift cards"].pk).release == plan["r1"]


def test_a_proposal_without_a_reason_is_refused_next_to_the_field(plan, po, project):
    response = login(po.user).post(
        f"/p/{project.key}/roadmap/propose/",
        {"kind": "change_date", "release": plan["r1"].pk, "new_target_date": "2000-01-03", "impact": "x"},
    )
    assert response.status_code == 422
    assert "is in the past" in response.content.decode()
    assert not RoadmapChange.objects.exists()


def test_a_direct_edit_with_a_client_po_is_refused_and_points_to_the_change_request(plan, po, project):
    client = login(po.user)
    response = client.post(f"/p/{project.key}/roadmap/releases/", {"name": "Release 3"})
    assert response.status_code == 400
    assert "Propose a change instead" in response.content.decode()
    response = client.post(
        f"/p/{project.key}/roadmap/epics/{plan['Stock sync'].pk}/release/", {"release": plan["r1"].pk}
    )
    assert response.status_code == 400
    assert not Release.objects.filter(name="Release 3").exists()
    assert Epic.objects.get(pk=plan["Stock sync"].pk).release is None
    assert "new-release-heading" not in page(po, project).content.decode()


@pytest.mark.parametrize("role", [Role.DEVELOPER, Role.TESTER])
def test_a_developer_or_tester_editing_the_roadmap_is_pointed_to_the_change_request(
    plan, members, project, role
):
    client = login(members[role].user)
    response = client.post(f"/p/{project.key}/roadmap/releases/", {"name": "Release 3"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Propose a change instead" in html and "approved change request" in html
    assert f'<a href="/p/{project.key}/roadmap/propose/">Propose a change</a>' in html
    response = client.post(
        f"/p/{project.key}/roadmap/epics/{plan['Stock sync'].pk}/release/", {"release": plan["r1"].pk}
    )
    assert response.status_code == 403 and "Propose a change instead" in response.content.decode()
    assert not Release.objects.filter(name="Release 3").exists()
    assert Epic.objects.get(pk=plan["Stock sync"].pk).release is None


@pytest.mark.parametrize("role", [Role.DEVELOPER, Role.TESTER, Role.CLIENT_STAKEHOLDER])
def test_without_a_client_po_only_the_agency_po_edits_the_roadmap(plan, members, client_po, project, role):
    Membership.objects.filter(pk=client_po.pk).delete()
    response = login(members[role].user).post(f"/p/{project.key}/roadmap/releases/", {"name": "Release 3"})
    assert response.status_code == 403 and "Propose a change" not in response.content.decode()
    assert not Release.objects.filter(name="Release 3").exists()


def test_without_a_client_po_the_agency_po_edits_the_roadmap_directly(plan, po, client_po, project):
    Membership.objects.filter(pk=client_po.pk).delete()
    client = login(po.user)
    html = page(po, project).content.decode()
    assert "Add a release" in html and "no client product owner" in html
    target = (timezone.localdate() + timedelta(weeks=20)).isoformat()
    response = client.post(
        f"/p/{project.key}/roadmap/releases/", {"name": "Release 3", "target_date": target}
    )
    assert response.status_code == 302
    release = Release.objects.get(name="Release 3")
    assert release.target_date.isoformat() == target
    response = client.post(
        f"/p/{project.key}/roadmap/epics/{plan['Stock sync'].pk}/release/", {"release": release.pk}
    )
    assert response.status_code == 302
    assert Epic.objects.get(pk=plan["Stock sync"].pk).release == release
    prefix = f"release-{plan['r1'].pk}"
    response = client.post(
        f"/p/{project.key}/roadmap/releases/{plan['r1'].pk}/",
        {
            f"{prefix}-name": "Release 1 — Fitting",
            f"{prefix}-target_date": "",
            f"{prefix}-description": "First",
        },
    )
    assert response.status_code == 302
    edited = Release.objects.get(pk=plan["r1"].pk)
    assert (edited.name, edited.target_date, edited.description) == ("Release 1 — Fitting", None, "First")


def test_a_duplicate_release_name_is_refused_next_to_the_field(plan, po, client_po, project):
    Membership.objects.filter(pk=client_po.pk).delete()
    response = login(po.user).post(f"/p/{project.key}/roadmap/releases/", {"name": "release 2"})
    assert response.status_code == 422
    assert "already has a release called" in response.content.decode()


def test_a_target_date_before_the_engagement_starts_is_refused_next_to_the_field(
    plan, po, client_po, project
):
    Membership.objects.filter(pk=client_po.pk).delete()
    today = timezone.localdate()
    project.start_date = today + timedelta(weeks=8)
    project.save()
    client = login(po.user)
    early = (today + timedelta(weeks=4)).isoformat()
    response = client.post(f"/p/{project.key}/roadmap/releases/", {"name": "Release 3", "target_date": early})
    assert response.status_code == 422
    assert "is before the engagement starts" in response.content.decode()
    assert not Release.objects.filter(name="Release 3").exists()
    prefix = f"release-{plan['r2'].pk}"
    response = client.post(
        f"/p/{project.key}/roadmap/releases/{plan['r2'].pk}/",
        {f"{prefix}-name": "Release 2", f"{prefix}-target_date": early, f"{prefix}-description": ""},
    )
    assert response.status_code == 422
    assert "is before the engagement starts" in response.content.decode()
    assert Release.objects.get(pk=plan["r2"].pk).target_date == today + timedelta(weeks=11)


@pytest.mark.parametrize("role", [Role.DEVELOPER, Role.TESTER, Role.CLIENT_PO])
def test_only_the_agency_po_may_edit_directly(plan, members, role, project):
    response = login(members[role].user).post(f"/p/{project.key}/roadmap/releases/", {"name": "Release 3"})
    assert response.status_code == 403


def test_outsiders_see_nothing_of_the_roadmap(plan, dev, outsider, project):
    change = propose(dev, kind="remove_epic", epic=plan["Accounts"])
    client = login(outsider.user)
    assert client.get(f"/p/{project.key}/roadmap/").status_code == 404
    assert client.get(f"/p/{project.key}/roadmap/changes/{change.pk}/").status_code == 404
    assert client.post(f"/p/{project.key}/roadmap/changes/{change.pk}/approve/").status_code == 404


def test_a_change_of_another_project_is_not_found_through_this_one(plan, dev, other_project, outsider):
    change = propose(dev, kind="remove_epic", epic=plan["Accounts"])
    response = login(outsider.user).get(f"/p/{other_project.key}/roadmap/changes/{change.pk}/")
    assert response.status_code == 404


def test_html_in_names_and_reasons_is_escaped_everywhere(plan, po, client_po, project):
    Epic.objects.filter(pk=plan["Gift cards"].pk).update(title="<script>alert(1)</script>")
    Release.objects.filter(pk=plan["r2"].pk).update(name="<b>Release 2</b>", description="<i>soon</i>")
    change = propose(
        po,
        kind="move_epic",
        epic=Epic.objects.get(pk=plan["Gift cards"].pk),
        release=Release.objects.get(pk=plan["r2"].pk),
        rationale="<img src=x onerror=alert(1)>",
        impact="<a href='javascript:alert(1)'>impact</a>",
    )
    client = login(client_po.user)
    for url in (
        f"/p/{project.key}/roadmap/",
        f"/p/{project.key}/roadmap/changes/{change.pk}/",
        f"/p/{project.key}/inbox/",
    ):
        html = client.get(url).content.decode()
        assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
        assert "<img src=x" not in html and "<b>Release 2</b>" not in html, url
        assert "<a href='javascript" not in html, url
