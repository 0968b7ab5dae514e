"""The client's verdict in the browser: what awaits acceptance, the acceptance panel, accepting and
rejecting with criteria ticks, and who may do it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sightline.backlog.models import AcceptanceDecision, Item, Status
from sightline.projects.models import Role
from sightline.sprints.services import sprint_start
from tests.conftest import _member, login, make_sprint


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def delivered(make_item, sprint):
    return make_item(Status.DELIVERED, sprint=sprint, title="Checkout with saved card")


def url(name, item):
    return reverse(f"acceptance:{name}", args=["ACME", item.key])


def criteria_ids(item):
    return list(item.criteria.values_list("id", flat=True))


# --- Accepting ------------------------------------------------------------------------------------


def test_client_accepts_with_every_criterion_ticked(client_po, delivered):
    response = login(client_po.user).post(url("accept", delivered), {"criteria": criteria_ids(delivered)})
    assert response.status_code == 302 and response["Location"] == delivered.get_absolute_url()
    delivered.refresh_from_db()
    assert delivered.status == Status.ACCEPTED and delivered.accepted_by == client_po.user
    decision = AcceptanceDecision.objects.get(item=delivered)
    assert decision.outcome == "accepted" and decision.decided_by == client_po.user
    assert [t["met"] for t in decision.criteria_ticks] == [True, True]


def test_accepting_with_a_criterion_unticked_is_refused_with_the_message_and_the_ticks_kept(
    client_po, delivered
):
    first, second = criteria_ids(delivered)
    response = login(client_po.user).post(url("accept", delivered), {"criteria": [first]})
    html = response.content.decode()
    assert response.status_code == 400
    assert "1 acceptance criterion is not ticked (Pay in one click)" in html
    assert f'value="{first}" id="criterion-{delivered.pk}-{first}" checked' in html
    assert f'value="{second}" id="criterion-{delivered.pk}-{second}">' in html
    assert Item.objects.get(pk=delivered.pk).status == Status.DELIVERED
    assert not AcceptanceDecision.objects.exists()


def test_accepting_with_nothing_ticked_never_counts_as_all_ticked(client_po, delivered):
    response = login(client_po.user).post(url("accept", delivered), {})
    assert response.status_code == 400
    assert Item.objects.get(pk=delivered.pk).status == Status.DELIVERED


def test_a_criterion_of_another_item_is_refused(client_po, delivered, make_item, sprint):
    other = make_item(Status.DELIVERED, sprint=sprint)
    response = login(client_po.user).post(url("accept", delivered), {"criteria": criteria_ids(other)})
    assert response.status_code == 422
    assert Item.objects.get(pk=delivered.pk).status == Status.DELIVERED


def test_an_item_already_accepted_cannot_be_accepted_again(client_po, delivered):
    c = login(client_po.user)
    c.post(url("accept", delivered), {"criteria": criteria_ids(delivered)})
    response = c.post(url("accept", delivered), {"criteria": criteria_ids(delivered)})
    assert response.status_code == 400
    assert "cannot go from accepted to accepted" in response.content.decode()
    assert AcceptanceDecision.objects.count() == 1


def test_a_designated_client_acceptor_may_accept(project, delivered):
    acceptor = _member(project, "buyer@acme.test", Role.CLIENT_STAKEHOLDER, is_acceptor=True)
    response = login(acceptor.user).post(url("accept", delivered), {"criteria": criteria_ids(delivered)})
    assert response.status_code == 302
    assert Item.objects.get(pk=delivered.pk).status == Status.ACCEPTED


# --- Rejecting ------------------------------------------------------------------------------------


def test_rejecting_without_a_reason_is_refused_next_to_the_reason_field(client_po, delivered):
    response = login(client_po.user).post(url("reject", delivered), {"reason": "meh"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "A rejection needs a reason of at least 10 characters" in html
    assert f'id="reason-error-{delivered.pk}"' in html and ">meh</textarea>" in html
    assert Item.objects.get(pk=delivered.pk).status == Status.DELIVERED


def test_a_rejection_reason_reaches_the_developer_on_the_board(po, dev, client_po, make_item):
    sprint = make_sprint(po)
    item = make_item(Status.DELIVERED, sprint=sprint)
    sprint_start(actor=po.user, membership=po, sprint=sprint)
    first, _ = criteria_ids(item)
    reason = "The saved card is not offered on the second purchase"
    response = login(client_po.user).post(url("reject", item), {"reason": reason, "criteria": [first]})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.REJECTED and item.rejection_reason == reason
    decision = AcceptanceDecision.objects.get(item=item)
    assert decision.outcome == "rejected" and [t["met"] for t in decision.criteria_ticks] == [True, False]
    board = login(dev.user).get(reverse("sprints:board", args=["ACME"])).content.decode()
    column = board[board.index('id="col-rejected"') : board.index('id="col-accepted"')]
    assert item.key in column and reason in column and "Back to in progress" in column


# --- Who may ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["developer", "tester", "agency_po", "client_stakeholder"])
def test_roles_that_may_not_accept_get_403(members, delivered, role):
    c = login(members[role].user)
    assert c.post(url("accept", delivered), {"criteria": criteria_ids(delivered)}).status_code == 403
    assert c.post(url("reject", delivered), {"reason": "Not what we asked for"}).status_code == 403
    assert Item.objects.get(pk=delivered.pk).status == Status.DELIVERED


def test_outsiders_get_404(outsider, delivered):
    c = login(outsider.user)
    assert c.post(url("accept", delivered), {"criteria": criteria_ids(delivered)}).status_code == 404
    assert c.post(url("reject", delivered), {"reason": "Not what we asked for"}).status_code == 404
    assert c.get(reverse("acceptance:awaiting", args=["ACME"])).status_code == 404
    assert Item.objects.get(pk=delivered.pk).status == Status.DELIVERED


def test_verdicts_are_post_only(client_po, delivered):
    assert login(client_po.user).get(url("accept", delivered)).status_code == 405


# --- The awaiting page ----------------------------------------------------------------------------


def test_awaiting_page_lists_deliveries_oldest_first_with_link_note_and_criteria_count(
    client_po, make_item, sprint
):
    newer = make_item(Status.DELIVERED, sprint=sprint, title="Newer delivery", criteria=["Just one"])
    older = make_item(Status.DELIVERED, sprint=sprint, title="Older delivery")
    make_item(Status.IN_PROGRESS, sprint=sprint, title="Still being built")
    Item.objects.filter(pk=older.pk).update(
        delivery_note="Use card 4242", delivered_at=timezone.now() - timedelta(days=4, minutes=1)
    )
    html = login(client_po.user).get(reverse("acceptance:awaiting", args=["ACME"])).content.decode()
    assert "<h1>Awaiting your acceptance</h1>" in html
    assert html.index("Older delivery") < html.index("Newer delivery")
    assert "Still being built" not in html
    assert "2 acceptance criteria" in html and "1 acceptance criterion" in html
    assert "https://staging.acme.test/checkout" in html and "Use card 4242" in html
    assert "Review and accept" in html and f'href="{newer.get_absolute_url()}"' in html
    assert (
        'Delivered <strong class="warn">4\xa0days ago</strong> <span class="warn">(waiting a while)</span>'
        in html
    )


def test_the_team_sees_the_same_list_as_waiting_on_the_client(dev, delivered):
    html = login(dev.user).get(reverse("acceptance:awaiting", args=["ACME"])).content.decode()
    assert "<h1>Waiting on the client</h1>" in html and delivered.key in html
    assert "Review and accept" not in html and 'name="criteria"' not in html


def test_a_verdict_given_on_the_awaiting_page_returns_there(client_po, delivered):
    awaiting = reverse("acceptance:awaiting", args=["ACME"])
    c = login(client_po.user)
    assert f'name="next" value="{awaiting}"' in c.get(awaiting).content.decode()
    response = c.post(url("accept", delivered), {"criteria": criteria_ids(delivered), "next": awaiting})
    assert response["Location"] == awaiting
    assert "accepted: it is Done" in c.get(awaiting).content.decode()


def test_a_next_address_elsewhere_is_ignored(client_po, delivered):
    response = login(client_po.user).post(
        url("accept", delivered), {"criteria": criteria_ids(delivered), "next": "https://evil.test/"}
    )
    assert response["Location"] == delivered.get_absolute_url()


def _awaiting_queries(c):
    with CaptureQueriesContext(connection) as queries:
        assert c.get(reverse("acceptance:awaiting", args=["ACME"])).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["client_po", "developer"])
def test_awaiting_page_uses_a_constant_number_of_queries(
    members, make_item, sprint, role, django_assert_max_num_queries
):
    for _ in range(3):
        make_item(Status.DELIVERED, sprint=sprint)
    c = login(members[role].user)
    c.get(reverse("acceptance:awaiting", args=["ACME"]))
    few = _awaiting_queries(c)
    for _ in range(27):
        make_item(Status.DELIVERED, sprint=sprint)
    with django_assert_max_num_queries(few):
        html = c.get(reverse("acceptance:awaiting", args=["ACME"])).content.decode()
    assert html.count('class="card awaiting-item') == 30


# --- The panel ------------------------------------------------------------------------------------


def test_the_panel_labels_each_criterion_and_the_reason_and_names_the_buttons(client_po, delivered, rf):
    criteria = list(delivered.criteria.all())
    request = rf.get("/")
    request.user = client_po.user
    html = render_to_string(
        "acceptance/_panel.html",
        {"item": delivered, "criteria": criteria, "project": client_po.project, "membership": client_po},
        request=request,
    )
    for c in criteria:
        assert (
            f'<input type="checkbox" name="criteria" value="{c.id}" id="criterion-{delivered.pk}-{c.id}">'
            in html
        )
        assert f'<label for="criterion-{delivered.pk}-{c.id}">{c.text}</label>' in html
    assert "Tick each criterion you checked on staging" in html
    assert f'<label for="reason-{delivered.pk}">Reason for rejecting</label>' in html
    assert (
        f'action="{url("accept", delivered)}"' in html and f'formaction="{url("reject", delivered)}"' in html
    )
    assert ">Accept</button>" in html and ">Reject</button>" in html
    assert 'href="https://staging.acme.test/checkout"' in html


def test_the_review_page_shows_the_panel_only_to_people_who_may_accept(client_po, stakeholder, delivered):
    review = reverse("acceptance:review", args=["ACME", delivered.key])
    assert "Reason for rejecting" in login(client_po.user).get(review).content.decode()
    html = login(stakeholder.user).get(review).content.decode()
    assert "Reason for rejecting" not in html and "waits for the client product owner" in html
