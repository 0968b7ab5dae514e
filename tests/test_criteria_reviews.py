"""Acceptance-criteria reviews: the agency asks the client to review the criteria of chosen items by a date;
the client marks each one reviewed (with a comment); the review closes itself; the grooming list shows
which items are reviewed. Services, pages, the inbox row and who may do what."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from sightline.backlog.models import Status
from sightline.lib.errors import InvalidInput
from sightline.notifications.models import Notification
from sightline.projects.models import Role
from sightline.reviews import inbox
from sightline.reviews.models import CriteriaReview, CriteriaReviewItem, ReviewState
from sightline.reviews.services import AlreadyReviewed, criteria_review_mark_reviewed, criteria_review_request
from tests.conftest import _member, login

TUESDAY = timezone.localdate() + timedelta(days=(1 - timezone.localdate().weekday()) % 7 or 7)


@pytest.fixture
def items(make_item):
    return [
        make_item(Status.READY, title="Filter bikes by frame size"),
        make_item(Status.DRAFT, title="Compare two bikes", criteria=["Up to three bikes side by side"]),
        make_item(Status.READY, title="Book a fitting"),
    ]


@pytest.fixture
def review(po, items):
    return criteria_review_request(
        actor=po.user, membership=po, items=items, due_date=TUESDAY, note="We estimate these on Tuesday."
    )


def entry_of(review, item):
    return CriteriaReviewItem.objects.get(review=review, item=item)


def mark_url(review, item):
    return reverse("reviews:mark", args=["ACME", review.pk, item.key])


# --- Asking for a review ------------------------------------------------------------------------


def test_agency_asks_for_a_review_and_the_client_po_is_notified(po, client_po, stakeholder, items):
    review = criteria_review_request(actor=po.user, membership=po, items=items, due_date=TUESDAY)
    assert review.state == ReviewState.OPEN and review.requested_by == po.user and review.holder is None
    assert [e.item for e in review.entries.order_by("item__rank")] == items
    assert review.title.startswith("Review the criteria of 3 items by ")
    notes = Notification.objects.filter(kind="criteria_review.requested")
    assert [n.user for n in notes] == [client_po.user]
    assert notes[0].url == reverse("reviews:detail", args=["ACME", review.pk])


def test_a_developer_may_ask_for_a_review_but_the_client_may_not(dev, client_po, items):
    assert criteria_review_request(actor=dev.user, membership=dev, items=items[:1], due_date=TUESDAY)
    with pytest.raises(PermissionDenied):
        criteria_review_request(actor=client_po.user, membership=client_po, items=items[1:], due_date=TUESDAY)


def test_a_due_date_in_the_past_is_refused_and_nothing_is_written(po, items):
    with pytest.raises(InvalidInput) as refused:
        criteria_review_request(
            actor=po.user, membership=po, items=items, due_date=timezone.localdate() - timedelta(days=1)
        )
    assert refused.value.field == "due_date" and "in the past" in refused.value.message
    assert not CriteriaReview.objects.exists() and not CriteriaReviewItem.objects.exists()


def test_due_today_is_accepted(po, items):
    review = criteria_review_request(actor=po.user, membership=po, items=items, due_date=timezone.localdate())
    assert review.due_date == timezone.localdate() and not review.is_overdue()


def test_accepted_items_cannot_be_reviewed(po, client_po, make_item, sprint):
    from sightline.backlog.transitions import item_accept

    done = make_item(Status.DELIVERED, sprint=sprint)
    done = item_accept(actor=client_po.user, membership=client_po, item=done)
    with pytest.raises(InvalidInput, match=f"{done.key} is already accepted"):
        criteria_review_request(actor=po.user, membership=po, items=[done], due_date=TUESDAY)


def test_items_of_another_project_are_refused(po, items, other_project):
    from sightline.backlog.services import item_create

    globex_po = _member(other_project, "po@globex.test", Role.AGENCY_PO)
    foreign = item_create(
        actor=globex_po.user, membership=globex_po, title="Portal login", criteria=["Works"]
    )
    with pytest.raises(InvalidInput, match="belongs to another project"):
        criteria_review_request(actor=po.user, membership=po, items=[items[0], foreign], due_date=TUESDAY)
    assert not CriteriaReview.objects.exists()


def test_items_without_criteria_and_an_empty_choice_are_refused(po, make_item):
    bare = make_item(Status.DRAFT, title="Gift cards", criteria=[])
    with pytest.raises(InvalidInput, match=f"{bare.key} has no acceptance criteria yet"):
        criteria_review_request(actor=po.user, membership=po, items=[bare], due_date=TUESDAY)
    with pytest.raises(InvalidInput, match="at least one item"):
        criteria_review_request(actor=po.user, membership=po, items=[], due_date=TUESDAY)


def test_an_item_already_waiting_in_an_open_review_cannot_be_asked_again(po, client_po, review, items):
    with pytest.raises(InvalidInput, match=f"Already waiting for a review: {items[0].key}"):
        criteria_review_request(actor=po.user, membership=po, items=[items[0]], due_date=TUESDAY)
    criteria_review_mark_reviewed(
        actor=client_po.user, membership=client_po, entry=entry_of(review, items[0])
    )
    again = criteria_review_request(actor=po.user, membership=po, items=[items[0]], due_date=TUESDAY)
    assert again.entries.get().item == items[0]


# --- Marking items reviewed -----------------------------------------------------------------------


def test_client_po_marks_items_reviewed_and_the_review_closes_after_the_last(po, client_po, review, items):
    first = criteria_review_mark_reviewed(
        actor=client_po.user,
        membership=client_po,
        entry=entry_of(review, items[0]),
        comment="Add the XL size",
    )
    assert first.reviewed_by == client_po.user and first.comment == "Add the XL size" and first.reviewed_at
    review.refresh_from_db()
    assert review.state == ReviewState.OPEN
    for item in items[1:]:
        criteria_review_mark_reviewed(
            actor=client_po.user, membership=client_po, entry=entry_of(review, item)
        )
    review.refresh_from_db()
    assert review.state == ReviewState.CLOSED and review.closed_at is not None
    told = Notification.objects.get(kind="criteria_review.reviewed")
    assert told.user == po.user and "(1 comment)" in told.message


def test_marking_an_item_twice_is_refused_with_a_conflict(client_po, review, items):
    entry = entry_of(review, items[0])
    criteria_review_mark_reviewed(actor=client_po.user, membership=client_po, entry=entry, comment="Fine")
    with pytest.raises(AlreadyReviewed) as refused:
        criteria_review_mark_reviewed(
            actor=client_po.user, membership=client_po, entry=entry, comment="Again"
        )
    assert refused.value.status == 409 and "already marked reviewed by Client_Po" in refused.value.message
    assert entry_of(review, items[0]).comment == "Fine"


@pytest.mark.parametrize("role", [Role.AGENCY_PO, Role.DEVELOPER, Role.TESTER, Role.CLIENT_STAKEHOLDER])
def test_only_the_client_po_marks_items_reviewed(members, review, items, role):
    member = members[role]
    with pytest.raises(PermissionDenied, match="client_po"):
        criteria_review_mark_reviewed(actor=member.user, membership=member, entry=entry_of(review, items[0]))
    assert not entry_of(review, items[0]).is_reviewed


def test_the_client_member_a_review_was_handed_to_may_mark_it(stakeholder, review, items):
    review.holder = stakeholder.user
    review.save(update_fields=["holder"])
    entry = criteria_review_mark_reviewed(
        actor=stakeholder.user, membership=stakeholder, entry=entry_of(review, items[0])
    )
    assert entry.reviewed_by == stakeholder.user


def test_an_overlong_comment_is_refused(client_po, review, items):
    with pytest.raises(InvalidInput) as refused:
        criteria_review_mark_reviewed(
            actor=client_po.user, membership=client_po, entry=entry_of(review, items[0]), comment="x" * 5001
        )
    assert refused.value.field == "comment"
    assert not entry_of(review, items[0]).is_reviewed


# --- Pages ----------------------------------------------------------------------------------------


def test_the_create_page_lists_draft_and_ready_items_in_backlog_order_with_checkboxes(po, items, make_item):
    make_item(Status.IN_PROGRESS, title="Already being built")
    html = login(po.user).get(reverse("reviews:create", args=["ACME"])).content.decode()
    positions = [html.index(f'value="{item.key}"') for item in items]
    assert positions == sorted(positions)
    assert "Already being built" not in html
    assert 'type="checkbox" name="items"' in html


def test_the_create_page_filters_the_items(po, items):
    html = login(po.user).get(reverse("reviews:create", args=["ACME"]), {"q": "fitting"}).content.decode()
    assert "Book a fitting" in html and "Compare two bikes" not in html


def test_asking_from_the_page_creates_the_review_and_shows_it(po, client_po, items):
    response = login(po.user).post(
        reverse("reviews:create", args=["ACME"]),
        {
            "items": [items[0].key, items[2].key],
            "due_date": TUESDAY.isoformat(),
            "title": "Tuesday's grooming",
        },
    )
    review = CriteriaReview.objects.get()
    assert response.status_code == 302 and response["Location"] == review.get_absolute_url()
    assert review.title == "Tuesday's grooming"
    assert {e.item for e in review.entries.all()} == {items[0], items[2]}


def test_a_past_date_on_the_page_is_shown_next_to_the_field_and_the_choice_kept(po, items):
    response = login(po.user).post(
        reverse("reviews:create", args=["ACME"]),
        {"items": [items[0].key], "due_date": (timezone.localdate() - timedelta(days=3)).isoformat()},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Review needed by: The due date" in html and "is in the past" in html
    assert f'value="{items[0].key}" id="pick-{items[0].key}" checked' in html
    assert not CriteriaReview.objects.exists()


def test_choosing_nothing_on_the_page_says_so(po, items):
    response = login(po.user).post(
        reverse("reviews:create", args=["ACME"]), {"due_date": TUESDAY.isoformat()}
    )
    assert response.status_code == 422
    assert "Items: Choose at least one item" in response.content.decode()


def test_the_client_cannot_open_the_create_page(client_po, items):
    assert login(client_po.user).get(reverse("reviews:create", args=["ACME"])).status_code == 403


def test_the_detail_page_lists_each_items_criteria_in_full_with_a_form_for_the_client(
    client_po, review, items
):
    html = login(client_po.user).get(review.get_absolute_url()).content.decode()
    for item in items:
        for criterion in item.criteria.all():
            assert criterion.text in html
    assert html.count("Mark reviewed</button>") == 3
    assert "We estimate these on Tuesday." in html


def test_the_agency_sees_the_detail_without_review_forms(po, review):
    html = login(po.user).get(review.get_absolute_url()).content.decode()
    assert "Mark reviewed</button>" not in html and html.count("Not reviewed yet.") == 3


def test_marking_reviewed_without_javascript_redirects_back_to_the_review(client_po, review, items):
    response = login(client_po.user).post(mark_url(review, items[1]), {"comment": "Three is enough"})
    assert response.status_code == 302 and response["Location"] == review.get_absolute_url()
    entry = entry_of(review, items[1])
    assert entry.reviewed_by == client_po.user and entry.comment == "Three is enough"


def test_marking_reviewed_with_htmx_returns_the_item_and_the_progress(client_po, review, items):
    response = login(client_po.user).post(mark_url(review, items[0]), {}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="entry-{items[0].key}"' in html and "Reviewed by Client_Po" in html
    assert 'id="review-progress"' in html and 'hx-swap-oob="true"' in html and "1 of 3 items reviewed" in html
    assert "<html" not in html


def test_marking_twice_on_the_page_answers_409_with_the_message(client_po, review, items):
    client = login(client_po.user)
    client.post(mark_url(review, items[0]))
    response = client.post(mark_url(review, items[0]))
    assert response.status_code == 409
    assert f"{items[0].key} was already marked reviewed" in response.content.decode()


def test_a_developer_marking_on_the_page_gets_403(dev, review, items):
    assert login(dev.user).post(mark_url(review, items[0])).status_code == 403
    assert not entry_of(review, items[0]).is_reviewed


def test_outsiders_get_404_for_every_review_page(outsider, review, items):
    client = login(outsider.user)
    assert client.get(review.get_absolute_url()).status_code == 404
    assert client.post(mark_url(review, items[0])).status_code == 404
    assert client.get(reverse("reviews:grooming", args=["ACME"])).status_code == 404
    assert client.get(reverse("reviews:create", args=["ACME"])).status_code == 404


def test_html_in_the_title_note_and_comment_is_escaped(po, client_po, items):
    review = criteria_review_request(
        actor=po.user,
        membership=po,
        items=items[:1],
        due_date=TUESDAY,
        title="<b>Bold</b>",
        note="<script>x()</script>",
    )
    criteria_review_mark_reviewed(
        actor=client_po.user,
        membership=client_po,
        entry=review.entries.get(),
        comment="<img src=x onerror=y>",
    )
    html = login(po.user).get(review.get_absolute_url()).content.decode()
    assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt;" in html
    assert "<script>x()" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=y&gt;" in html


# --- The grooming view ----------------------------------------------------------------------------


def test_grooming_shows_each_items_review_status(po, client_po, review, items, make_item):
    never = make_item(Status.READY, title="Gift cards")
    criteria_review_mark_reviewed(
        actor=client_po.user, membership=client_po, entry=entry_of(review, items[0]), comment="Add XL"
    )
    html = login(po.user).get(reverse("reviews:grooming", args=["ACME"])).content.decode()
    rows = {item.key: html[html.index(f">{item.key}</a>") :].split("</tr>")[0] for item in [*items, never]}
    assert "Reviewed</span>" in rows[items[0].key] and "by Client_Po" in rows[items[0].key]
    assert "Pending</a>" in rows[items[1].key] and "due " in rows[items[1].key]
    assert "Not requested" in rows[never.key]
    positions = [html.index(f">{key}</a>") for key in rows]
    assert positions == sorted(positions)
    assert review.title in html  # the open review is listed with its progress
    assert "1 of 3 reviewed" in html


def test_grooming_costs_the_same_queries_for_few_and_many_items(
    po, client_po, make_item, django_assert_max_num_queries
):
    client = login(po.user)

    def load():
        with django_assert_max_num_queries(14) as queries:
            assert client.get(reverse("reviews:grooming", args=["ACME"])).status_code == 200
        return len(queries)

    first = [make_item(Status.READY, title=f"Item {n}") for n in range(3)]
    criteria_review_request(actor=po.user, membership=po, items=first, due_date=TUESDAY)
    few = load()
    more = [make_item(Status.READY, title=f"More {n}") for n in range(12)]
    criteria_review_request(actor=po.user, membership=po, items=more, due_date=TUESDAY)
    assert load() == few


# --- The inbox row --------------------------------------------------------------------------------


def test_the_inbox_row_says_what_who_and_when(po, client_po, review, project):
    [row] = inbox.rows(projects=[project], holder=client_po.user)
    assert (row.kind, row.id, row.project, row.asked_by, row.due) == (
        "criteria_review",
        review.pk,
        "ACME",
        po.user.display_name,
        TUESDAY,
    )
    assert row.url == review.get_absolute_url() and row.template == "reviews/_inbox_row.html"
    assert row.overdue is False and row.holder_id is None and row.obj.answerable


def test_the_inbox_row_says_what_waiting_costs(client_po, review, project):
    [row] = inbox.rows(projects=[project], holder=client_po.user)
    day = f"{TUESDAY:%A} {TUESDAY.day} {TUESDAY:%B}"
    assert row.cost_of_delay == (
        f"The team estimates these on {day}; unreviewed criteria are estimated as written."
    )
    html = login(client_po.user).get(reverse("inbox:mine")).content.decode()
    assert f"<dt>Cost of waiting</dt><dd>The team estimates these on {day};" in html


def test_the_inbox_holds_a_review_for_its_holder_only(client_po, stakeholder, review, project):
    assert inbox.rows(projects=[project], holder=stakeholder.user) == []
    review.holder = stakeholder.user
    review.save(update_fields=["holder"])
    assert [r.id for r in inbox.rows(projects=[project], holder=stakeholder.user)] == [review.pk]
    assert inbox.rows(projects=[project], holder=client_po.user) == []
    [row] = inbox.rows(projects=[project])  # the agency's view of what waits on the client
    assert row.holder_name == stakeholder.user.display_name and not row.obj.answerable


def test_closed_and_other_projects_reviews_are_not_in_the_inbox(
    po, client_po, review, items, project, outsider
):
    assert inbox.rows(projects=[outsider.project], holder=outsider.user) == []
    for item in items:
        criteria_review_mark_reviewed(
            actor=client_po.user, membership=client_po, entry=entry_of(review, item)
        )
    assert inbox.rows(projects=[project], holder=client_po.user) == []


def test_an_overdue_review_is_marked_overdue(po, review, project):
    CriteriaReview.objects.filter(pk=review.pk).update(due_date=date(2020, 1, 7))
    [row] = inbox.rows(projects=[project])
    assert row.overdue is True


def test_the_inbox_rows_cost_the_same_queries_for_few_and_many_reviews(
    po, client_po, project, make_item, django_assert_max_num_queries
):
    def count():
        with django_assert_max_num_queries(6) as queries:
            rows = inbox.rows(projects=[project], holder=client_po.user)
            for row in rows:  # what the partial reads
                for entry in row.obj.entries.all():
                    assert entry.item.criteria.all() and (entry.reviewed_by is None)
        return len(rows), len(queries)

    for _ in range(2):
        criteria_review_request(
            actor=po.user, membership=po, items=[make_item(Status.READY)], due_date=TUESDAY
        )
    few_rows, few = count()
    for _ in range(10):
        criteria_review_request(
            actor=po.user,
            membership=po,
            items=[make_item(Status.READY), make_item(Status.DRAFT)],
            due_date=TUESDAY,
        )
    many_rows, many = count()
    assert (few_rows, many_rows) == (2, 12) and few == many


def test_reviewed_in_the_inbox_row_returns_the_row_until_the_last_item(client_po, review, items):
    client = login(client_po.user)
    headers = {"HX-Request": "true"}
    answer = {"from_inbox": "1", "next": "/inbox/"}
    response = client.post(mark_url(review, items[0]), {**answer, "comment": "ok"}, headers=headers)
    html = response.content.decode()
    assert response.status_code == 200 and "HX-Trigger" not in response
    assert html.lstrip().startswith(f'<li id="inbox-criteria_review-{review.pk}"')
    assert 'class="review-answer"' in html and "1 of 3 reviewed" in html
    assert html.count('class="ok">Reviewed</button>') == 2
    assert 'name="next" value="/inbox/"' in html
    client.post(mark_url(review, items[1]), answer, headers=headers)
    last = client.post(mark_url(review, items[2]), answer, headers=headers)
    assert last.status_code == 200 and last.content == b""
    assert last["HX-Trigger"] == "inbox-changed"


def test_a_refused_answer_in_the_inbox_row_shows_the_message_in_place(client_po, review, items):
    client = login(client_po.user)
    headers = {"HX-Request": "true"}
    client.post(mark_url(review, items[0]), {"from_inbox": "1"}, headers=headers)
    response = client.post(mark_url(review, items[0]), {"from_inbox": "1"}, headers=headers)
    assert response.status_code == 200  # htmx swaps it in
    assert "was already marked reviewed" in response.content.decode()
    too_long = client.post(
        mark_url(review, items[1]), {"from_inbox": "1", "comment": "x" * 5001}, headers=headers
    )
    html = too_long.content.decode()
    assert too_long.status_code == 200 and "Comment: Ensure this value has at most 5000 characters" in html
    assert not entry_of(review, items[1]).is_reviewed


def test_reviewed_in_the_inbox_without_javascript_goes_back_to_the_inbox(client_po, review, items):
    response = login(client_po.user).post(mark_url(review, items[0]), {"from_inbox": "1", "next": "/inbox/"})
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    evil = login(client_po.user).post(mark_url(review, items[1]), {"next": "https://evil.test/"})
    assert evil["Location"] == review.get_absolute_url()


def test_the_inbox_partial_renders_the_due_date_and_folded_criteria(client_po, review, project, rf):
    from django.template.loader import render_to_string

    [row] = inbox.rows(projects=[project], holder=client_po.user)
    request = rf.get("/inbox/")
    request.user = client_po.user
    html = render_to_string(row.template, {"row": row}, request=request)
    assert TUESDAY.strftime("%d").lstrip("0") in html and "<details>" in html
    assert html.count('name="from_inbox" value="1"') == 6  # "Reviewed" and "Comment without reviewing"
    assert "Card is remembered" in html


def test_the_client_po_hands_a_review_over_and_the_new_holder_answers_it(
    client_po, stakeholder, review, items, project
):
    response = login(client_po.user).post(
        reverse("inbox:handover", args=["ACME"]),
        {
            "kind": "criteria_review",
            "id": review.pk,
            "to_user": stakeholder.user.pk,
            "note": "You wrote these",
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.holder == stakeholder.user
    assert [r.id for r in inbox.rows(projects=[project], holder=stakeholder.user)] == [review.pk]
    assert "(handed over)" in login(client_po.user).get(review.get_absolute_url()).content.decode()
    marked = login(stakeholder.user).post(mark_url(review, items[0]), {"comment": "Fine"})
    assert marked.status_code == 302 and entry_of(review, items[0]).reviewed_by == stakeholder.user
