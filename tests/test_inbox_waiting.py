"""Waiting on the client: the agency's view of every open client request with its age, who holds it,
its due date and whether it is overdue."""

import pytest
from django.urls import reverse

from sightline.backlog.models import Item
from tests.conftest import login
from tests.inbox_helpers import delivered_items

URL = reverse("inbox:waiting", args=["ACME"])


def row_of(html, item):
    return html[html.index(f'id="inbox-acceptance-{item.pk}"') :].split("</tr>")[0]


@pytest.mark.parametrize("role", ["agency_po", "developer", "tester"])
def test_the_agency_sees_every_open_request_with_its_age(members, project, role):
    old = delivered_items(project, 1, days_ago=6, start=1)[0]
    new = delivered_items(project, 1, days_ago=0, start=2)[0]
    response = login(members[role].user).get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(f"inbox-acceptance-{old.pk}") < html.index(f"inbox-acceptance-{new.pk}")
    assert "waiting 6 days" in row_of(html, old) and "since today" in row_of(html, new)
    assert '<strong class="overdue">Overdue</strong>' in row_of(html, old)
    assert "Overdue" not in row_of(html, new)


def test_an_unheld_request_names_the_client_po(members, project, client_po, po):
    item = delivered_items(project, 1)[0]
    html = login(po.user).get(URL).content.decode()
    assert f'{client_po.user.display_name} <span class="muted">(client product owner)</span>' in row_of(
        html, item
    )


def test_it_says_how_delivery_due_dates_are_set(po):
    assert "due three working days after they reach staging" in login(po.user).get(URL).content.decode()


def test_it_shows_only_this_projects_requests(po, project, other_project):
    globex = delivered_items(other_project, 1, title="Globex only")[0]
    mine = delivered_items(project, 1)[0]
    html = login(po.user).get(URL).content.decode()
    assert f"inbox-acceptance-{mine.pk}" in html and "Globex only" not in html
    assert Item.objects.filter(pk=globex.pk).exists()


@pytest.mark.parametrize("role", ["client_po", "client_stakeholder"])
def test_client_roles_use_their_inbox_instead(members, role):
    assert login(members[role].user).get(URL).status_code == 403


def test_the_view_costs_the_same_queries_for_5_and_100_requests(po, project, django_assert_max_num_queries):
    c = login(po.user)
    delivered_items(project, 5, start=1)
    c.get(URL)
    with django_assert_max_num_queries(60) as few:
        c.get(URL)
    delivered_items(project, 95, start=100)
    with django_assert_max_num_queries(60) as many:
        html = c.get(URL).content.decode()
    assert html.count('<tr id="inbox-acceptance-') == 100
    assert len(many.captured_queries) == len(few.captured_queries)
