"""Criteria reviews in the client's inbox: the row says what, who, when and what waiting costs; it is held by
one holder; reviewed answers update it in place; and a review can be handed over."""

from datetime import date

from django.urls import reverse

from sightline.backlog.models import Status
from sightline.reviews import inbox
from sightline.reviews.models import CriteriaReview
from sightline.reviews.services import criteria_review_mark_reviewed, criteria_review_request
from tests.conftest import login
from tests.criteria_review_helpers import TUESDAY, entry_of, mark_url

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
