"""Epics: the agency PO edits an epic's title, description, business value and priority, and the agency PO
or the client PO reorders the epics — on the epics page (with or without JavaScript) and through the API.
Every change is audited; an epic's release is not edited here but on the roadmap."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sightline.audit.models import AuditEvent
from sightline.backlog import ranking
from sightline.backlog.epics import epic_create, epic_move, epic_position, epic_update
from sightline.backlog.models import Epic
from sightline.lib.errors import InvalidInput
from sightline.roadmap.models import Release
from tests.api_support import api_for, fields
from tests.conftest import login


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def epics(po):
    """Four epics of ACME, in this order."""
    titles = ["Checkout", "Gift cards", "Wish list", "Reviews"]
    return [epic_create(actor=po.user, membership=po, title=title) for title in titles]


def order(project) -> list[str]:
    return list(Epic.objects.filter(project=project).order_by("rank", "id").values_list("title", flat=True))


def move(membership, epic, **where):
    return epic_move(actor=membership.user, membership=membership, epic=epic, **where)


def url(name, *args):
    return reverse(f"backlog:{name}", args=["ACME", *args])


# --- Editing --------------------------------------------------------------------------------------


def test_the_agency_po_edits_an_epic_and_the_change_is_audited(po, epics):
    epic = epic_update(
        actor=po.user,
        membership=po,
        epic=epics[1],
        changes={
            "title": "  Gift cards and vouchers ",
            "business_value": "Sales in December",
            "priority": "high",
        },
    )
    stored = Epic.objects.get(pk=epic.pk)
    assert (stored.title, stored.business_value, stored.priority) == (
        "Gift cards and vouchers",
        "Sales in December",
        "high",
    )
    event = AuditEvent.objects.get(action="epic.updated")
    assert event.actor == po.user and event.target_id == epic.pk
    assert event.changes == {
        "title": ["Gift cards", "Gift cards and vouchers"],
        "business_value": ["", "Sales in December"],
        "priority": ["medium", "high"],
    }


def test_saving_an_epic_unchanged_records_nothing(po, epics):
    epic_update(actor=po.user, membership=po, epic=epics[0], changes={"title": "Checkout"})
    assert not AuditEvent.objects.filter(action="epic.updated").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"title": "  "}, "title"), ({"priority": "urgent"}, "priority"), ({"rank": 1}, "rank")],
    ids=["blank-title", "unknown-priority", "rank"],
)
def test_an_epic_edit_with_bad_values_is_refused_on_the_field(changes, field, po, epics):
    with pytest.raises(InvalidInput) as refused:
        epic_update(actor=po.user, membership=po, epic=epics[0], changes=changes)
    assert refused.value.field == field
    assert Epic.objects.get(pk=epics[0].pk).title == "Checkout"


def test_an_epics_release_is_not_changed_here_but_on_the_roadmap(po, epics):
    release = Release.objects.create(project=po.project, name="Release 1")
    with pytest.raises(InvalidInput, match="release changes on the roadmap") as refused:
        epic_update(actor=po.user, membership=po, epic=epics[0], changes={"release": release})
    assert refused.value.field == "release"
    assert Epic.objects.get(pk=epics[0].pk).release is None


@pytest.mark.parametrize("role", ["developer", "tester", "client_po", "client_stakeholder"])
def test_only_the_agency_po_edits_epics(role, members, epics):
    member = members[role]
    with pytest.raises(PermissionDenied, match="epic.manage"):
        epic_update(actor=member.user, membership=member, epic=epics[0], changes={"title": "Mine"})


def test_an_epic_of_another_project_cannot_be_edited(po, outsider, epics):
    with pytest.raises(PermissionDenied):
        epic_update(actor=outsider.user, membership=outsider, epic=epics[0], changes={"title": "Mine"})


# --- Reordering -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "where", "expected"),
    [
        (2, {"direction": "up"}, ["Checkout", "Wish list", "Gift cards", "Reviews"]),
        (0, {"direction": "down"}, ["Gift cards", "Checkout", "Wish list", "Reviews"]),
        (3, {"direction": "top"}, ["Reviews", "Checkout", "Gift cards", "Wish list"]),
        (0, {"direction": "bottom"}, ["Gift cards", "Wish list", "Reviews", "Checkout"]),
        (0, {"position": 3}, ["Gift cards", "Wish list", "Checkout", "Reviews"]),
        (3, {"position": 2}, ["Checkout", "Reviews", "Gift cards", "Wish list"]),
        (1, {"position": 99}, ["Checkout", "Wish list", "Reviews", "Gift cards"]),
    ],
    ids=["up", "down", "top", "bottom", "to-3", "to-2", "past-the-end"],
)
def test_epics_move_up_down_to_the_ends_or_to_a_position(index, where, expected, po, epics):
    moved = move(po, epics[index], **where)
    assert order(po.project) == expected
    assert epic_position(moved) == expected.index(epics[index].title) + 1


def test_a_move_writes_one_row_and_is_audited_with_where_it_went(po, epics):
    before = {e.pk: e.rank for e in Epic.objects.all()}
    move(po, epics[3], position=2)
    after = {e.pk: e.rank for e in Epic.objects.all()}
    assert [pk for pk in after if after[pk] != before[pk]] == [epics[3].pk]
    event = AuditEvent.objects.get(action="epic.ranked")
    assert event.actor == po.user and event.note == "Moved from position 4 to 2"
    assert event.changes["rank"] == [before[epics[3].pk], after[epics[3].pk]]


def test_epics_without_room_between_them_are_spaced_out_again(po, epics):
    for rank, epic in enumerate(epics, start=1):  # packed: no gap anywhere
        Epic.objects.filter(pk=epic.pk).update(rank=rank)
    move(po, epics[3], position=2)
    assert order(po.project) == ["Checkout", "Reviews", "Gift cards", "Wish list"]
    ranks = list(Epic.objects.order_by("rank").values_list("rank", flat=True))
    assert ranks == [ranking.GAP, 2 * ranking.GAP, 3 * ranking.GAP, 4 * ranking.GAP]


def test_moving_an_epic_where_it_already_is_changes_nothing(po, epics):
    move(po, epics[0], direction="up")
    move(po, epics[3], position=4)
    assert order(po.project) == ["Checkout", "Gift cards", "Wish list", "Reviews"]
    assert not AuditEvent.objects.filter(action="epic.ranked").exists()


def test_the_client_po_reorders_epics_too(client_po, epics):
    move(client_po, epics[2], direction="top")
    assert order(client_po.project)[0] == "Wish list"


@pytest.mark.parametrize("role", ["developer", "tester", "client_stakeholder"])
def test_other_roles_may_not_reorder_epics(role, members, epics):
    with pytest.raises(PermissionDenied, match="epic.rank"):
        move(members[role], epics[2], direction="top")


@pytest.mark.parametrize("where", [{}, {"direction": "up", "position": 2}, {"direction": "sideways"}])
def test_a_move_must_say_where_the_epic_goes(where, po, epics):
    with pytest.raises(InvalidInput):
        move(po, epics[1], **where)


# --- The pages ------------------------------------------------------------------------------------


def test_the_epics_page_numbers_the_epics_and_offers_the_po_edit_and_move(po, epics):
    html = login(po.user).get(url("epics")).content.decode()
    assert url("epic_edit", epics[0].pk) in html and url("epic_move", epics[0].pk) in html
    assert 'value="up" disabled aria-label="Move Checkout up"' in html
    assert 'value="down" disabled aria-label="Move Reviews down"' in html
    assert '">To<span class="sr-only"> position, Checkout</span></label>' in html


def test_the_client_po_may_move_epics_but_not_edit_them(client_po, epics):
    html = login(client_po.user).get(url("epics")).content.decode()
    assert url("epic_move", epics[0].pk) in html and url("epic_edit", epics[0].pk) not in html


def test_developers_see_the_epics_without_edit_or_move(dev, epics):
    html = login(dev.user).get(url("epics")).content.decode()
    assert url("epic_move", epics[0].pk) not in html and url("epic_edit", epics[0].pk) not in html


def test_the_po_edits_an_epic_on_its_page(po, epics):
    c = login(po.user)
    page = c.get(url("epic_edit", epics[1].pk)).content.decode()
    assert 'value="Gift cards"' in page and "on the roadmap" in page
    response = c.post(
        url("epic_edit", epics[1].pk),
        {"title": "Gift cards and vouchers", "priority": "high", "business_value": "", "description": "Ok"},
    )
    assert response.status_code == 302 and response["Location"] == url("epics")
    assert Epic.objects.get(pk=epics[1].pk).title == "Gift cards and vouchers"


def test_an_epic_without_a_title_is_refused_on_the_page_keeping_the_input(po, epics):
    response = login(po.user).post(
        url("epic_edit", epics[1].pk), {"title": "", "priority": "high", "description": "Keep me"}
    )
    assert response.status_code == 422
    assert "Keep me" in response.content.decode()
    assert Epic.objects.get(pk=epics[1].pk).title == "Gift cards"


def test_an_epic_of_another_project_is_404_on_the_page(po, outsider, epics):
    globex_epic = Epic.objects.create(project=outsider.project, title="Not ours")
    assert login(po.user).get(url("epic_edit", globex_epic.pk)).status_code == 404
    assert login(po.user).post(url("epic_move", globex_epic.pk), {"direction": "up"}).status_code == 404


def test_moving_without_javascript_comes_back_to_the_page_with_a_message(po, epics):
    response = login(po.user).post(url("epic_move", epics[3].pk), {"direction": "up"}, follow=True)
    assert "“Reviews” is now epic 3." in response.content.decode()
    assert order(po.project) == ["Checkout", "Gift cards", "Reviews", "Wish list"]


def test_moving_with_htmx_returns_the_table_in_the_new_order(po, epics):
    response = login(po.user).post(url("epic_move", epics[3].pk), {"position": "1"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and '<div id="epics-table">' in html and "<html" not in html
    assert html.index("Reviews") < html.index("Checkout") and "“Reviews” is now epic 1." in html


def test_a_bad_position_is_explained_in_the_table(po, epics):
    response = login(po.user).post(url("epic_move", epics[3].pk), {"position": "0"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in html and "Position:" in html
    plain = login(po.user).post(url("epic_move", epics[3].pk), {})
    assert plain.status_code == 422 and "Say where to move the epic" in plain.content.decode()


def test_the_epics_page_uses_a_constant_number_of_queries(po, epics, django_assert_max_num_queries):
    c = login(po.user)
    c.get(url("epics"))
    with CaptureQueriesContext(connection) as queries:
        c.get(url("epics"))
    for n in range(10):
        epic_create(actor=po.user, membership=po, title=f"More {n}")
    with django_assert_max_num_queries(len(queries)):
        c.get(url("epics"))


# --- The API --------------------------------------------------------------------------------------


def test_the_po_edits_an_epic_through_the_api(po, epics):
    response = api_for(po).patch(f"/epics/{epics[1].pk}", {"title": "Vouchers", "priority": "low"})
    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["priority"], body["position"], body["project"]) == (
        "Vouchers",
        "low",
        2,
        "ACME",
    )
    assert body["description"] == "" and body["release_id"] is None


def test_the_api_answers_404_to_outsiders_and_for_unknown_epics(outsider, po, epics):
    assert api_for(outsider).patch(f"/epics/{epics[0].pk}", {"title": "Mine"}).status_code == 404
    assert api_for(po).patch("/epics/987654", {"title": "Mine"}).json()["detail"] == "No such epic."


def test_the_api_answers_403_to_roles_that_may_not(dev, stakeholder, epics):
    assert api_for(dev).patch(f"/epics/{epics[0].pk}", {"title": "Mine"}).status_code == 403
    assert api_for(stakeholder).post(f"/epics/{epics[0].pk}/move", {"direction": "top"}).status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [({"title": ""}, "title"), ({"priority": "urgent"}, "priority"), ({"title": None}, "title")],
)
def test_bad_epic_fields_get_422_naming_the_field(body, field, po, epics):
    response = api_for(po).patch(f"/epics/{epics[0].pk}", body)
    assert response.status_code == 422 and fields(response) == [field]


def test_the_api_refuses_to_change_an_epics_release(po, epics):
    release = Release.objects.create(project=po.project, name="Release 1")
    response = api_for(po).patch(f"/epics/{epics[0].pk}", {"title": "X", "release_id": release.pk})
    assert response.status_code == 422 and "release changes on the roadmap" in response.json()["detail"]
    assert Epic.objects.get(pk=epics[0].pk).title == "Checkout"


def test_the_client_po_moves_an_epic_through_the_api(client_po, epics):
    response = api_for(client_po).post(f"/epics/{epics[3].pk}/move", {"position": 1})
    assert response.status_code == 200 and response.json()["position"] == 1
    assert order(client_po.project)[0] == "Reviews"


@pytest.mark.parametrize("body", [{}, {"direction": "up", "position": 1}, {"direction": "sideways"}])
def test_a_move_through_the_api_must_say_where(body, po, epics):
    assert api_for(po).post(f"/epics/{epics[1].pk}/move", body).status_code == 422
