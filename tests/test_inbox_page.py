"""The client's inbox: what waits for this person across their projects, oldest due first, answered in
place with htmx (and without JavaScript), counted in the navigation."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sightline.acceptance.inbox import add_working_days
from sightline.acceptance.inbox import rows as acceptance_rows
from sightline.backlog.models import Item, Status
from sightline.inbox.rows import InboxRow
from sightline.inbox.selectors import inbox_rows, sort_key
from sightline.projects.models import Membership, Role, project_today
from tests.conftest import _member, login
from tests.inbox_helpers import delivered_items, open_criteria_reviews, open_decisions, open_roadmap_changes

HTMX = {"HX-Request": "true"}
MINE = reverse("inbox:mine")


def project_inbox(key="ACME"):
    return reverse("inbox:project", args=[key])


def row_ids(html: str, kind="acceptance") -> list[int]:
    import re

    return [int(n) for n in re.findall(rf'<li id="inbox-{kind}-(\d+)"', html)]


@pytest.fixture
def delivered(make_item, sprint):
    return make_item(Status.DELIVERED, sprint=sprint, title="Checkout with saved card")


# --- What appears, for whom -------------------------------------------------------------------------


def test_a_client_po_lands_on_their_inbox(client_po):
    response = login(client_po.user).get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == MINE


def test_other_roles_keep_their_home(dev, stakeholder):
    assert login(dev.user).get(reverse("home"))["Location"] == reverse("projects:overview", args=["ACME"])
    assert login(stakeholder.user).get(reverse("home"))["Location"] == reverse(
        "projects:overview", args=["ACME"]
    )


def test_the_inbox_lists_a_delivery_with_who_asked_its_due_date_and_the_cost_of_waiting(
    client_po, po, delivered
):
    html = login(client_po.user).get(MINE).content.decode()
    assert row_ids(html) == [delivered.pk]
    assert f"{delivered.key} Checkout with saved card" in html
    assert f"<dt>Asked by</dt><dd>{po.user.display_name}</dd>" in html  # the agency PO delivered it
    due = add_working_days(timezone.localdate(delivered.delivered_at), 3, [0, 1, 2, 3, 4])
    assert due.strftime("%a %-d %b") in html
    assert "only once it is accepted" in html
    assert 'name="criteria"' in html and "Accept</button>" in html and "Reject</button>" in html


def test_a_stakeholder_and_the_agency_have_nothing_to_answer_until_handed_something(
    stakeholder, dev, delivered
):
    for member in (stakeholder, dev):
        html = login(member.user).get(project_inbox()).content.decode()
        assert row_ids(html) == []
        assert "You are all caught up in ACME" in html


def test_a_designated_acceptor_sees_deliveries_in_their_inbox(stakeholder, delivered):
    Membership.objects.filter(pk=stakeholder.pk).update(is_acceptor=True)
    html = login(stakeholder.user).get(MINE).content.decode()
    assert row_ids(html) == [delivered.pk]


def test_a_client_of_acme_never_sees_globex_requests(client_po, outsider, other_project, delivered):
    globex = delivered_items(other_project, 2, title="Globex secret portal")
    acme_html = login(client_po.user).get(MINE).content.decode()
    assert row_ids(acme_html) == [delivered.pk]
    assert "Globex secret portal" not in acme_html and "GLOBEX" not in acme_html
    globex_html = login(outsider.user).get(MINE).content.decode()
    assert sorted(row_ids(globex_html)) == sorted(i.pk for i in globex)
    assert "Checkout with saved card" not in globex_html
    assert login(client_po.user).get(project_inbox("GLOBEX")).status_code == 404


def test_a_client_in_two_projects_sees_both_in_one_inbox(client_po, other_project, delivered):
    Membership.objects.create(project=other_project, user=client_po.user, role=Role.CLIENT_PO)
    globex = delivered_items(other_project, 1, days_ago=20, title="Globex thing")
    html = login(client_po.user).get(MINE).content.decode()
    assert row_ids(html) == [globex[0].pk, delivered.pk]  # GLOBEX's is older, so due first
    assert "in all your projects" in html
    project_html = login(client_po.user).get(project_inbox()).content.decode()
    assert row_ids(project_html) == [delivered.pk]


def test_rows_come_oldest_due_first_and_overdue_ones_are_marked_in_words(client_po, project):
    recent = delivered_items(project, 1, days_ago=0, start=10, title="Just delivered")[0]
    old = delivered_items(project, 1, days_ago=12, start=20, title="Delivered long ago")[0]
    middle = delivered_items(project, 1, days_ago=1, start=30, title="Delivered yesterday")[0]
    html = login(client_po.user).get(MINE).content.decode()
    assert row_ids(html) == [old.pk, middle.pk, recent.pk]
    overdue_row = html[
        html.index(f'id="inbox-acceptance-{old.pk}"') : html.index(f"inbox-acceptance-{middle.pk}")
    ]
    assert "is-overdue" in overdue_row and '<strong class="overdue">Overdue</strong>' in overdue_row
    recent_row = html[html.index(f'id="inbox-acceptance-{recent.pk}"') :]
    assert "Overdue" not in recent_row.split("</li>")[0]
    assert "1 overdue" in html


def _a_time_zone_whose_today_is_not_the_servers() -> str:
    """UTC+14 or UTC-12: at any moment one of them is on another date than the server."""
    for zone in ("Pacific/Kiritimati", "Etc/GMT+12"):
        if timezone.localdate(timezone=ZoneInfo(zone)) != timezone.localdate():
            return zone
    raise AssertionError("Both ends of the day are on the server's date")


@pytest.mark.parametrize("kind", ["roadmap_change", "criteria_review"])
def test_a_request_is_overdue_from_the_day_after_its_due_date_where_the_project_works(
    client_po, project, kind
):
    project.time_zone = _a_time_zone_whose_today_is_not_the_servers()
    project.save(update_fields=["time_zone"])
    today = project_today(project)
    make = {"roadmap_change": open_roadmap_changes, "criteria_review": open_criteria_reviews}[kind]
    [was_due_yesterday] = make(project, 1, due=today - timedelta(days=1))
    [due_today] = make(project, 1, due=today)
    overdue = {row.id: row.overdue for row in inbox_rows(projects=[project], holder=client_po.user)}
    assert overdue == {was_due_yesterday.pk: True, due_today.pk: False}


def test_rows_without_a_due_date_come_last_then_the_oldest_request_first():
    def row(kind, due, created):
        return InboxRow(
            kind=kind,
            id=1,
            title=kind,
            project="ACME",
            asked_by="Po",
            due=due,
            overdue=False,
            cost_of_delay="",
            url="/",
            holder_id=None,
            holder_name="",
            created_at=created,
            template="acceptance/_inbox_row.html",
        )

    monday = datetime(2026, 11, 2, 9, tzinfo=UTC)
    rows = [
        row("undated-new", None, monday + timedelta(days=1)),
        row("late", date(2026, 11, 20), monday),
        row("undated-old", None, monday),
        row("soon", date(2026, 11, 5), monday + timedelta(days=3)),
    ]
    assert [r.kind for r in sorted(rows, key=sort_key)] == ["soon", "late", "undated-old", "undated-new"]


def test_a_delivery_is_due_three_working_days_after_it_reached_staging():
    friday = date(2026, 11, 6)
    assert add_working_days(friday, 3, [0, 1, 2, 3, 4]) == date(2026, 11, 11)  # Wednesday
    assert add_working_days(friday, 3, [0, 1, 2, 3, 4, 5]) == date(2026, 11, 10)  # Saturdays count


def test_a_filter_by_kind_keeps_the_counts_of_every_kind(client_po, delivered):
    html = login(client_po.user).get(MINE + "?kind=acceptance").content.decode()
    assert row_ids(html) == [delivered.pk]
    html = login(client_po.user).get(MINE + "?kind=unknown").content.decode()
    assert row_ids(html) == [delivered.pk]  # an unknown kind shows everything


def test_text_from_the_team_is_escaped(client_po, project):
    delivered_items(project, 1, title="<script>alert(1)</script>")
    Item.objects.filter(project=project).update(delivery_note="<img src=x onerror=alert(1)>")
    html = login(client_po.user).get(MINE).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html


# --- Counts in the navigation ----------------------------------------------------------------------


def total_in_top_bar(n: int) -> str:
    return f'<span id="nav-inbox-total" class="count">{n}<span class="sr-only"> waiting for you</span>'


def test_client_pages_count_what_waits_for_them_here_and_in_all_their_projects(
    client_po, project, other_project
):
    Membership.objects.create(project=other_project, user=client_po.user, role=Role.CLIENT_PO)
    delivered_items(project, 3)
    delivered_items(other_project, 2)
    html = login(client_po.user).get(reverse("backlog:list", args=["ACME"])).content.decode()
    assert '<span id="nav-inbox-count" class="count">3<span class="sr-only"> waiting for you</span>' in html
    assert total_in_top_bar(5) in html and f'href="{MINE}" class="inbox-link"' in html
    assert total_in_top_bar(5) in login(client_po.user).get(MINE).content.decode()


@pytest.mark.parametrize("url_name", ["notifications:list", "notifications:preferences"])
def test_pages_outside_projects_count_what_waits_in_the_top_bar(client_po, stakeholder, project, url_name):
    delivered_items(project, 3)
    decision = open_decisions(project, 1, holder=stakeholder.user)[0]
    assert total_in_top_bar(3) in login(client_po.user).get(reverse(url_name)).content.decode()
    html = login(stakeholder.user).get(reverse(url_name)).content.decode()
    assert total_in_top_bar(1) in html and decision.question not in html


def test_the_top_bar_count_costs_the_same_queries_for_5_and_100_waiting_rows(
    client_po, project, other_project
):
    Membership.objects.create(project=other_project, user=client_po.user, role=Role.CLIENT_PO)
    c = login(client_po.user)
    url = reverse("notifications:list")
    delivered_items(project, 5, start=1)
    c.get(url)
    with CaptureQueriesContext(connection) as few:
        assert total_in_top_bar(5) in c.get(url).content.decode()
    delivered_items(other_project, 95, start=100)
    with CaptureQueriesContext(connection) as many:
        assert total_in_top_bar(100) in c.get(url).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)


def test_agency_pages_show_waiting_on_the_client_instead_of_an_inbox(po, project):
    delivered_items(project, 3)
    html = login(po.user).get(reverse("backlog:list", args=["ACME"])).content.decode()
    assert "nav-inbox-count" not in html and "nav-inbox-total" not in html
    assert "nav-inbox-total" not in login(po.user).get(reverse("notifications:list")).content.decode()
    assert reverse("inbox:waiting", args=["ACME"]) in html


def test_the_list_refreshes_itself_and_the_counts_when_the_inbox_changes(client_po, project):
    delivered_items(project, 2)
    c = login(client_po.user)
    page = c.get(project_inbox()).content.decode()
    assert 'hx-trigger="inbox-changed from:body"' in page
    fragment = c.get(project_inbox(), headers=HTMX).content.decode()
    assert fragment.lstrip().startswith('<div id="inbox-list"')
    assert '<span id="nav-inbox-count" hx-swap-oob="true" class="count">2' in fragment
    assert '<span id="nav-inbox-total" hx-swap-oob="true" class="count">2' in fragment
    assert "<html" not in fragment


# --- Answering in place ----------------------------------------------------------------------------


def _criteria(item):
    return list(item.criteria.values_list("id", flat=True))


def test_accepting_from_the_inbox_with_htmx_drops_the_row_and_tells_the_page(client_po, delivered):
    response = login(client_po.user).post(
        reverse("acceptance:accept", args=["ACME", delivered.key]),
        {"criteria": _criteria(delivered), "from_inbox": "1", "next": MINE},
        headers=HTMX,
    )
    assert response.status_code == 200 and response.content == b""
    assert response["HX-Trigger"] == "inbox-changed"
    assert Item.objects.get(pk=delivered.pk).status == Status.ACCEPTED
    assert row_ids(login(client_po.user).get(MINE).content.decode()) == []


def test_a_refused_verdict_comes_back_as_the_row_with_the_message_and_the_ticks_kept(client_po, delivered):
    first, _ = _criteria(delivered)
    response = login(client_po.user).post(
        reverse("acceptance:accept", args=["ACME", delivered.key]),
        {"criteria": [first], "from_inbox": "1", "next": MINE},
        headers=HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<li id="inbox-acceptance-{delivered.pk}"')
    assert "1 acceptance criterion is not ticked (Pay in one click)" in html
    assert f'value="{first}" id="inbox-criterion-{delivered.pk}-{first}" checked' in html
    assert Item.objects.get(pk=delivered.pk).status == Status.DELIVERED


def test_rejecting_from_the_inbox_needs_a_reason_and_keeps_what_was_typed(client_po, delivered):
    url = reverse("acceptance:reject", args=["ACME", delivered.key])
    c = login(client_po.user)
    short = c.post(url, {"reason": "Too <b>", "from_inbox": "1"}, headers=HTMX).content.decode()
    assert "at least 10 characters" in short and "Too &lt;b&gt;</textarea>" in short
    assert '<details class="reject-details" open>' in short
    done = c.post(url, {"reason": "The total ignores the discount", "from_inbox": "1"}, headers=HTMX)
    assert done.status_code == 200 and done["HX-Trigger"] == "inbox-changed"
    assert Item.objects.get(pk=delivered.pk).status == Status.REJECTED


def test_without_javascript_the_inline_verdict_posts_and_comes_back_to_the_inbox(client_po, delivered):
    c = login(client_po.user)
    response = c.post(
        reverse("acceptance:accept", args=["ACME", delivered.key]),
        {"criteria": _criteria(delivered), "from_inbox": "1", "next": MINE},
    )
    assert response.status_code == 302 and response["Location"] == MINE
    page = c.get(MINE).content.decode()
    assert "accepted: it is Done" in page


def test_an_answer_to_a_delivery_answered_meanwhile_just_drops_the_row(client_po, delivered, make_item):
    c = login(client_po.user)
    url = reverse("acceptance:accept", args=["ACME", delivered.key])
    c.post(url, {"criteria": _criteria(delivered)})
    again = c.post(url, {"criteria": _criteria(delivered), "from_inbox": "1"}, headers=HTMX)
    assert again.status_code == 200 and again["HX-Trigger"] == "inbox-changed"


# --- Cost ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["mine", "project", "project-fragment", "api"])
def test_the_inbox_costs_the_same_queries_for_5_and_100_waiting_rows(
    client_po, project, page, django_assert_max_num_queries
):
    url = {
        "mine": MINE,
        "project": project_inbox(),
        "project-fragment": project_inbox(),
        "api": "/api/v1/inbox",
    }[page]
    c = login(client_po.user)
    get = (lambda u: c.get(u, headers=HTMX)) if page == "project-fragment" else c.get
    delivered_items(project, 5, start=1)
    get(url)  # warm the session
    with django_assert_max_num_queries(60) as few:
        response = get(url)
    assert response.status_code == 200
    delivered_items(project, 95, start=100)
    with django_assert_max_num_queries(60) as many:
        response = get(url)
    body = response.content.decode()
    assert body.count('"kind": "acceptance"') + body.count('class="card inbox-row') == 100
    assert len(many.captured_queries) == len(few.captured_queries)


def _requests_of_every_kind(project, *, acceptances, others, holder=None, start=1):
    """Deliveries, and ``others`` of each other kind: decisions, roadmap changes, criteria reviews."""
    delivered_items(project, acceptances, start=start, holder=holder)
    open_decisions(project, others, holder=holder)
    open_roadmap_changes(project, others, holder=holder, due=timezone.localdate() + timedelta(days=10))
    open_criteria_reviews(project, others, holder=holder)


@pytest.mark.parametrize("where", ["mine", "project", "project-fragment", "api"])
def test_the_inbox_costs_the_same_queries_for_5_and_100_waiting_requests_of_every_kind(
    client_po, project, where
):
    url = {
        "mine": MINE,
        "project": project_inbox(),
        "project-fragment": project_inbox(),
        "api": "/api/v1/inbox",
    }[where]
    c = login(client_po.user)
    get = (lambda u: c.get(u, headers=HTMX)) if where == "project-fragment" else c.get
    _requests_of_every_kind(project, acceptances=2, others=1)
    get(url)  # warm the session
    with CaptureQueriesContext(connection) as few:
        response = get(url)
    assert response.status_code == 200
    gone = _member(project, "gone@acme.test", Role.CLIENT_STAKEHOLDER)  # held by someone who left since
    _requests_of_every_kind(project, acceptances=11, others=11, holder=gone.user, start=100)
    gone.delete()
    _requests_of_every_kind(project, acceptances=12, others=13, start=200)
    with CaptureQueriesContext(connection) as many:
        response = get(url)
    body = response.content.decode()
    for kind in ("acceptance", "decision", "roadmap_change", "criteria_review"):
        assert body.count(f'"kind": "{kind}"') + body.count(f'class="card inbox-row kind-{kind}') == 25
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_acceptance_provider_reads_its_rows_in_two_queries(client_po, project, django_assert_num_queries):
    delivered_items(project, 30)
    with django_assert_num_queries(2):
        rows = acceptance_rows(projects=[project], holder=client_po.user)
        assert len(rows) == 30 and all(len(r.obj.criteria.all()) == 2 for r in rows)


def test_a_new_client_member_without_requests_sees_an_empty_inbox(project):
    newcomer = _member(project, "new@acme.test", Role.CLIENT_STAKEHOLDER)
    html = login(newcomer.user).get(MINE).content.decode()
    assert "Nothing waits for you right now." in html
