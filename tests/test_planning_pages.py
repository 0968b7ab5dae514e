"""The forecast pages: velocity, releases, one release with its what-if; who may see them; a fixed
number of queries whatever the number of epics and items."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sightline.backlog.models import Item
from sightline.planning.services import release_forecasts
from tests.conftest import login
from tests.planning_helpers import build_roadmap, closed_sprints, epic, item, release

pytestmark = pytest.mark.django_db


@pytest.fixture
def roadmap(project, po):
    return build_roadmap(project, po)


def _text(response) -> str:
    return response.content.decode()


def test_velocity_page_shows_the_mean_of_the_last_3_with_its_range_and_the_flow(project, po, roadmap):
    response = login(po.user).get("/p/ACME/velocity/")
    page = _text(response)
    assert response.status_code == 200
    assert "Mean of the last 3" in page
    assert "11.3 points" in page and "range 9–14 per sprint" in page  # 14, 9, 11
    assert "Accepted the first time" in page
    assert page.count('<figure class="chart">') == 2
    assert "Cumulative flow" in page


def test_velocity_page_without_closed_sprints_says_so(project, po):
    page = _text(login(po.user).get("/p/ACME/velocity/"))
    assert "No sprint is closed yet" in page


def test_releases_page_lists_each_release_with_its_dates_and_chance(project, po, roadmap):
    page = _text(login(po.user).get("/p/ACME/releases/"))
    plans = release_forecasts(project)
    for plan in plans.releases:
        assert plan.release.name in page
        assert f"{plan.forecast.p85:%Y-%m-%d}" in page
        assert plan.chance_on_target in page
    assert "1 unestimated" in page
    assert "Sampled from 6 closed sprints" in page
    assert "Low confidence" not in page


def test_release_page_shows_the_forecast_the_epics_and_the_unestimated_items(project, po, roadmap):
    page = _text(login(po.user).get(f"/p/ACME/releases/{roadmap['r1'].pk}/"))
    plan = release_forecasts(project).plan_for(roadmap["r1"].pk)
    assert f'<dd class="p85-date"><time datetime="{plan.forecast.p85:%Y-%m-%d}">' in page
    assert page.index("Checkout") < page.index("Wishlist")
    assert "Share a wishlist" in page and "the median estimate of this project" in page
    assert "Burn-up" in page and "When the simulated futures finish" in page
    assert "What if" in page
    assert "Accounts (R2)" in page  # may be added from the next release
    assert "Gift cards (unscheduled)" in page


def test_a_release_without_epics_says_so(project, po, roadmap):
    empty = release(project, "R3")
    response = login(po.user).get(f"/p/ACME/releases/{empty.pk}/")
    assert response.status_code == 200
    assert "No epics in this release yet" in _text(response)
    assert "No epics in this release yet" in _text(login(po.user).get("/p/ACME/releases/"))


def test_without_history_or_range_the_agency_po_is_told_to_enter_a_range(project, po, client_po):
    closed_sprints(project, [10])
    r1 = release(project, "R1")
    item(po, epic=epic(project, "Checkout", release=r1), points=5)
    for membership, words in [
        (po, "Enter the velocity range in the project settings"),
        (client_po, "the agency product owner enters"),
    ]:
        for url in ("/p/ACME/releases/", f"/p/ACME/releases/{r1.pk}/"):
            response = login(membership.user).get(url)
            assert response.status_code == 200
            page = _text(response)
            assert "No forecast yet" in page and "1 closed sprint" in page
            assert words in page


def test_with_an_entered_range_the_forecast_is_marked_low_confidence(project, po):
    project.forecast_velocity_low, project.forecast_velocity_high = Decimal("6"), Decimal("12")
    project.save()
    r1 = release(project, "R1", date(2027, 3, 1))
    item(po, epic=epic(project, "Checkout", release=r1), points=30)
    page = _text(login(po.user).get("/p/ACME/releases/"))
    assert "Low confidence" in page
    assert "Between 6 and 12 points per sprint (entered range" in page


def test_the_what_if_answers_htmx_with_the_new_p85_only(project, po, roadmap):
    url = f"/p/ACME/releases/{roadmap['r1'].pk}/?drop={roadmap['e2'].pk}&velocity=50"
    response = login(po.user).get(url, headers={"HX-Request": "true"})
    page = _text(response)
    assert response.status_code == 200
    assert "<html" not in page and 'id="what-if-result"' in page
    assert "P85 with this change" in page and "Without “Wishlist”; velocity +50 %" in page
    assert "earlier" in page or "no change" in page
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_the_what_if_works_without_javascript_too(project, po, roadmap):
    page = _text(login(po.user).get(f"/p/ACME/releases/{roadmap['r1'].pk}/?add={roadmap['e4'].pk}"))
    assert "<html" in page and "with “Gift cards”" in page and "P85 with this change" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("velocity=900", "Velocity change: Ensure this value is less than or equal to 300."),
        ("velocity=-95", "Velocity change: Ensure this value is greater than or equal to -90."),
        ("velocity=fast", "Velocity change: Enter a whole number."),
        ("drop=999999", "Drop epics: Select a valid choice."),
        ("add=abc", "Add epics: Select a valid choice."),
    ],
)
def test_a_bad_what_if_names_the_field(project, po, roadmap, query, message):
    response = login(po.user).get(
        f"/p/ACME/releases/{roadmap['r1'].pk}/?{query}", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert message in _text(response)


def test_the_agency_may_propose_the_change_and_the_client_sees_no_such_link(project, po, client_po, roadmap):
    url = f"/p/ACME/releases/{roadmap['r1'].pk}/?drop={roadmap['e2'].pk}"
    assert "/p/ACME/roadmap/propose/?kind=remove_epic" in _text(login(po.user).get(url))
    assert "/roadmap/propose/" not in _text(login(client_po.user).get(url))


@pytest.mark.parametrize("path", ["velocity/", "releases/", "releases/{r1}/"])
def test_every_member_may_look_outsiders_get_404_anonymous_log_in(
    project, members, outsider, roadmap, client, path
):
    url = "/p/ACME/" + path.format(r1=roadmap["r1"].pk)
    for membership in members.values():
        assert login(membership.user).get(url).status_code == 200
    assert login(outsider.user).get(url).status_code == 404
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_release_of_another_project_is_not_found(project, po, other_project, roadmap):
    elsewhere = release(other_project, "Theirs")
    assert login(po.user).get(f"/p/ACME/releases/{elsewhere.pk}/").status_code == 404


def _build(project, po, *, epics: int, items: int) -> None:
    Item.objects.filter(project=project).delete()
    project.epics.all().delete()
    project.releases.all().delete()
    first, second = release(project, "A", date(2027, 1, 4)), release(project, "B")
    made = [epic(project, f"Epic {n}", release=first if n % 2 else second, rank=n) for n in range(epics)]
    Item.objects.bulk_create(
        Item(
            project=project,
            number=n,
            key=f"ACME-{n}",
            title=f"Item {n}",
            epic=made[n % epics],
            points=n % 5 or None,
        )
        for n in range(1, items + 1)
    )


@pytest.mark.parametrize("page", ["releases/", "releases/{first}/", "velocity/"])
def test_pages_cost_the_same_queries_for_2_or_20_epics_and_10_or_300_items(project, po, page):
    closed_sprints(project, [10, 12, 11, 9])
    browser = login(po.user)
    counts = []
    for epics, items in [(2, 10), (20, 300)]:
        _build(project, po, epics=epics, items=items)
        url = "/p/ACME/" + page.format(first=project.releases.get(name="A").pk)
        browser.get(url)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
