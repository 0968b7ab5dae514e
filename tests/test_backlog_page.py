"""The backlog page: the ranked list, filters, "Load more", inline priority, moving items, and who may."""

import pytest
from django.urls import reverse

from sightline.backlog.epics import epic_create
from sightline.backlog.models import Epic, Item, ItemType, Priority, Status
from sightline.backlog.services import item_create
from sightline.projects.models import Project
from sightline.sprints.services import sprint_close, sprint_start
from tests.conftest import login, make_sprint


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The role fixtures create six users; hashing their passwords at full strength is most of the time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def backlog_url(key="ACME"):
    return reverse("backlog:list", args=[key])


def bulk_items(project, count, *, epic=None, sprint=None, start=1):
    """Many rows at once: this module reads them, it does not test how items are written."""
    Item.objects.bulk_create(
        [
            Item(
                project=project,
                number=n,
                key=f"{project.key}-{n}",
                title=f"Story number {n}",
                rank=n * 1000,
                epic=epic,
                sprint=sprint,
                points=2,
            )
            for n in range(start, start + count)
        ]
    )
    Project.objects.filter(pk=project.pk).update(item_sequence=start + count - 1)


def keys_in(html: str, project_key="ACME") -> list[str]:
    import re

    return re.findall(rf'data-key="({project_key}-\d+)"', html)


@pytest.fixture
def epic(po):
    return epic_create(actor=po.user, membership=po, title="Checkout")


# --- The list -------------------------------------------------------------------------------------


def test_backlog_lists_items_in_rank_order_with_their_details(po, make_item, epic):
    first = make_item(title="Pay with saved card", epic=epic, priority=Priority.HIGH)
    second = make_item(title="Crash on empty basket", type=ItemType.BUG)
    response = login(po.user).get(backlog_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert keys_in(html) == [first.key, second.key]
    assert "Pay with saved card" in html and "Checkout" in html and "type-bug" in html
    assert 'class="status status-draft"' in html
    assert "New story" in html and "New bug" in html


def test_items_of_closed_sprints_are_not_in_the_backlog(po, client_po, make_item):
    sprint = make_sprint(po)
    done = make_item(Status.DELIVERED, sprint=sprint, title="Shipped already")
    from sightline.backlog.transitions import item_accept

    item_accept(actor=client_po.user, membership=client_po, item=done)
    sprint_start(actor=po.user, membership=po, sprint=sprint)
    sprint_close(actor=po.user, membership=po, sprint=sprint)
    waiting = make_item(title="Still to do")
    html = login(po.user).get(backlog_url()).content.decode()
    assert keys_in(html) == [waiting.key]


def test_the_backlog_page_costs_the_same_queries_for_10_and_500_items(
    po, project, epic, django_assert_max_num_queries
):
    sprint = make_sprint(po)
    bulk_items(project, 5, epic=epic)
    bulk_items(project, 5, sprint=sprint, start=6)
    client = login(po.user)
    client.get(backlog_url())  # warm the session and caches
    with django_assert_max_num_queries(12) as small:
        assert client.get(backlog_url()).status_code == 200
    bulk_items(project, 490, epic=epic, start=11)
    with django_assert_max_num_queries(12) as large:
        response = client.get(backlog_url())
    assert len(keys_in(response.content.decode())) == 100
    assert len(large.captured_queries) == len(small.captured_queries)


def test_filters_narrow_the_list_by_type_priority_epic_status_and_text(po, make_item, epic):
    story = make_item(title="Wishlist", epic=epic)
    bug = make_item(title="Basket total is wrong", type=ItemType.BUG, priority=Priority.CRITICAL)
    ready = make_item(Status.READY, title="Order history")
    client = login(po.user)

    def keys(**query):
        return keys_in(client.get(backlog_url(), query).content.decode())

    assert keys(type="bug") == [bug.key]
    assert keys(priority="critical") == [bug.key]
    assert keys(epic=epic.pk) == [story.key]
    assert keys(status="ready") == [ready.key]
    assert keys(q="basket") == [bug.key]
    assert keys(q=ready.key) == [ready.key]
    assert keys(type="story", q="order") == [ready.key]


def test_filtering_through_htmx_returns_only_the_list(po, make_item):
    make_item(title="Wishlist")
    response = login(po.user).get(backlog_url(), {"q": "wish"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="backlog-list"')
    assert "<html" not in html and "Wishlist" in html


def test_filters_turn_reordering_off_and_say_why(client_po, make_item):
    make_item(title="Wishlist")
    html = login(client_po.user).get(backlog_url(), {"q": "wish"}).content.decode()
    assert "data-rankable" not in html
    assert "Reordering is off while filters are on" in html
    html = login(client_po.user).get(backlog_url()).content.decode()
    assert 'data-rankable="true"' in html


def test_load_more_appends_the_next_hundred_with_the_filters_kept(po, project):
    bulk_items(project, 230)
    client = login(po.user)
    first = client.get(backlog_url()).content.decode()
    assert keys_in(first)[0] == "ACME-1" and len(keys_in(first)) == 100
    assert "offset=100" in first
    more = client.get(backlog_url(), {"offset": 100}, headers={"HX-Request": "true"}).content.decode()
    assert keys_in(more) == [f"ACME-{n}" for n in range(101, 201)]
    assert "<html" not in more and "offset=200" in more
    last = client.get(backlog_url(), {"offset": 200}, headers={"HX-Request": "true"}).content.decode()
    assert len(keys_in(last)) == 30 and "Load more" not in last
    filtered = client.get(backlog_url(), {"q": "Story", "offset": 100}, headers={"HX-Request": "true"})
    assert "q=Story&amp;offset=200" in filtered.content.decode()


def test_load_more_without_javascript_shows_the_list_down_to_the_next_page(po, project):
    bulk_items(project, 150)
    html = login(po.user).get(backlog_url(), {"offset": 100}).content.decode()
    assert len(keys_in(html)) == 150 and "Load more" not in html


def test_positions_are_those_of_the_whole_backlog_even_when_filtered(po, make_item):
    make_item(title="Wishlist")
    bug = make_item(title="Basket total is wrong", type=ItemType.BUG)
    html = login(po.user).get(backlog_url(), {"type": "bug"}).content.decode()
    row = html[html.index(f'id="row-{bug.key}"') :]
    assert '<span class="pos" title="Position in the backlog">2</span>' in row[:600]


# --- Priority -------------------------------------------------------------------------------------


def test_client_po_changes_priority_inline_and_gets_the_row_back(client_po, make_item):
    item = make_item(title="Wishlist")
    url = reverse("backlog:priority", args=["ACME", item.key])
    response = login(client_po.user).post(url, {"priority": "high"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<li class="backlog-row backlog-row--full" id="row-{item.key}"')
    assert '<option value="high" selected>' in html
    item.refresh_from_db()
    assert item.priority == Priority.HIGH


def test_priority_change_without_javascript_redirects_back(po, make_item):
    item = make_item()
    url = reverse("backlog:priority", args=["ACME", item.key])
    response = login(po.user).post(url, {"priority": "low", "next": backlog_url() + "?type=story"})
    assert response.status_code == 302 and response.url == backlog_url() + "?type=story"
    item.refresh_from_db()
    assert item.priority == Priority.LOW


def test_an_unknown_priority_is_refused_and_named(po, make_item):
    item = make_item()
    url = reverse("backlog:priority", args=["ACME", item.key])
    response = login(po.user).post(url, {"priority": "urgent"}, headers={"HX-Request": "true"})
    assert response.status_code == 422 and "Choose one of the priorities" in response.content.decode()
    item.refresh_from_db()
    assert item.priority == Priority.MEDIUM


def test_the_stakeholder_sees_a_plain_priority_and_cannot_post_one(stakeholder, make_item):
    item = make_item()
    client = login(stakeholder.user)
    html = client.get(backlog_url()).content.decode()
    assert "priority-form" not in html and 'class="prio prio-medium"' in html
    response = client.post(reverse("backlog:priority", args=["ACME", item.key]), {"priority": "high"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.priority == Priority.MEDIUM


def test_the_team_changes_priority_inline_too(dev, tester, make_item):
    item = make_item()
    for member, priority in ((dev, "high"), (tester, "low")):
        client = login(member.user)
        assert f'id="priority-{item.key}"' in client.get(backlog_url()).content.decode()
        client.post(reverse("backlog:priority", args=["ACME", item.key]), {"priority": priority})
        item.refresh_from_db()
        assert item.priority == priority


# --- Moving ---------------------------------------------------------------------------------------


def order(project) -> list[str]:
    return list(Item.objects.filter(project=project).ranked().values_list("key", flat=True))


def test_moving_to_the_top_without_javascript_redirects_back_with_a_message(po, project, make_item):
    a, b, c = make_item(title="A"), make_item(title="B"), make_item(title="C")
    client = login(po.user)
    response = client.post(reverse("backlog:move", args=["ACME", c.key]), {"to_top": "1"}, follow=True)
    assert order(project) == [c.key, a.key, b.key]
    assert f"{c.key} moved to position 1." in response.content.decode()


def test_moving_to_a_position_with_htmx_re_renders_the_list(client_po, project, make_item):
    a, b, c = make_item(title="A"), make_item(title="B"), make_item(title="C")
    response = login(client_po.user).post(
        reverse("backlog:move", args=["ACME", a.key]), {"position": "2"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert keys_in(html) == [b.key, a.key, c.key] == order(project)
    assert f'data-moved-key="{a.key}"' in html and "moved to position 2" in html


def test_a_drag_moves_the_item_after_its_new_upper_neighbour(po, project, make_item):
    a, b, c = make_item(title="A"), make_item(title="B"), make_item(title="C")
    client = login(po.user)
    client.post(
        reverse("backlog:move", args=["ACME", a.key]),
        {"after": c.key, "shown": "3"},
        headers={"HX-Request": "true"},
    )
    assert order(project) == [b.key, c.key, a.key]
    client.post(
        reverse("backlog:move", args=["ACME", a.key]), {"before": b.key}, headers={"HX-Request": "true"}
    )
    assert order(project) == [a.key, b.key, c.key]


def test_a_move_next_to_an_unknown_item_is_refused_naming_it_and_changes_nothing(po, project, make_item):
    a = make_item(title="A")
    make_item(title="B")
    before = order(project)
    client = login(po.user)
    response = client.post(reverse("backlog:move", args=["ACME", a.key]), {"after": "ACME-999"})
    assert response.status_code == 422 and "ACME-999" in response.content.decode()
    response = client.post(
        reverse("backlog:move", args=["ACME", a.key]), {"before": "ACME-998"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422 and "ACME-998" in response.content.decode()
    assert order(project) == before
    a.refresh_from_db()
    assert a.version == 1


def test_a_move_without_a_destination_is_a_bad_request(po, make_item):
    item = make_item()
    response = login(po.user).post(reverse("backlog:move", args=["ACME", item.key]), {"position": "0"})
    assert response.status_code == 400 and "Position" in response.content.decode()


def test_developer_cannot_rank_and_sees_no_reordering_controls(dev, make_item):
    make_item(title="A")
    b = make_item(title="B")
    client = login(dev.user)
    html = client.get(backlog_url()).content.decode()
    assert "data-rankable" not in html and "row-move" not in html
    response = client.post(reverse("backlog:move", args=["ACME", b.key]), {"to_top": "1"})
    assert response.status_code == 403


def test_ranking_roles_get_drag_handles_and_move_controls(po, client_po, make_item):
    make_item()
    for member in (po, client_po):
        html = login(member.user).get(backlog_url()).content.decode()
        assert 'data-rankable="true"' in html and 'name="position"' in html and 'name="to_top"' in html
        assert "Sortable.min.js" in html and "backlog.js" in html


# --- Who sees what --------------------------------------------------------------------------------


def test_clients_see_the_backlog_without_create_buttons(stakeholder, make_item):
    make_item(title="Wishlist")
    html = login(stakeholder.user).get(backlog_url()).content.decode()
    assert "Wishlist" in html and "New story" not in html


def test_an_empty_backlog_invites_the_team_to_write_the_first_story(po):
    html = login(po.user).get(backlog_url()).content.decode()
    assert "The backlog is empty" in html and "Write the first story" in html


def test_outsiders_get_404_for_the_backlog_and_its_actions(outsider, make_item):
    item = make_item()
    client = login(outsider.user)
    assert client.get(backlog_url()).status_code == 404
    for name in ("move", "priority"):
        assert (
            client.post(reverse(f"backlog:{name}", args=["ACME", item.key]), {"to_top": "1"}).status_code
            == 404
        )


def test_the_list_does_not_show_items_of_another_project(po, outsider, other_project):
    from sightline.projects.models import Membership, Role

    globex_po = Membership.objects.create(project=other_project, user=po.user, role=Role.AGENCY_PO)
    item_create(actor=po.user, membership=globex_po, title="Globex secret")
    html = login(po.user).get(backlog_url()).content.decode()
    assert "Globex secret" not in html


def test_epic_filter_offers_only_this_projects_epics(po, epic, other_project):
    Epic.objects.create(project=other_project, title="Globex epic")
    html = login(po.user).get(backlog_url()).content.decode()
    assert "Checkout" in html and "Globex epic" not in html
