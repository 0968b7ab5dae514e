"""Commenting on a criteria review without marking the item reviewed: the client asks a question or a change
("the second criterion should say 'per store'"); the item keeps waiting, the review stays open and in the
client's inbox, the agency member who asked is told, and the comment shows on the review page, in the
grooming view, in the inbox row and in the API. Services, pages (htmx and without JavaScript), the API."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from sightline.audit.models import AuditEvent
from sightline.backlog.models import Status
from sightline.lib.errors import InvalidInput
from sightline.notifications.models import Delivery, Notification, NotificationPreference
from sightline.projects.models import Role
from sightline.reviews import inbox
from sightline.reviews.models import CriteriaReview, CriteriaReviewComment, CriteriaReviewItem, ReviewState
from sightline.reviews.services import (
    AlreadyReviewed,
    ReviewClosed,
    criteria_review_comment,
    criteria_review_mark_reviewed,
    criteria_review_request,
)
from tests.api_support import api_for
from tests.conftest import login

DUE = timezone.localdate() + timedelta(days=3)
PER_STORE = "The second criterion should say 'per store'"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def items(make_item):
    return [
        make_item(
            Status.READY, title="Reserve a bike in a store", criteria=["Pick a store", "Stock is shown"]
        ),
        make_item(Status.DRAFT, title="Compare two bikes", criteria=["Up to three bikes side by side"]),
    ]


@pytest.fixture
def review(dev, items):
    """Asked for by the developer, so that "who asked" is not simply the agency PO."""
    return criteria_review_request(actor=dev.user, membership=dev, items=items, due_date=DUE)


def entry_of(review, item):
    return CriteriaReviewItem.objects.get(review=review, item=item)


def comment_url(review, item):
    return reverse("reviews:comment", args=["ACME", review.pk, item.key])


def comment(member, review, item, text=PER_STORE):
    return criteria_review_comment(
        actor=member.user, membership=member, entry=entry_of(review, item), comment=text
    )


# --- The service ------------------------------------------------------------------------------------


def test_the_client_po_comments_and_the_item_keeps_waiting_in_an_open_review(client_po, review, items):
    made = comment(client_po, review, items[0], f"  {PER_STORE}\n")
    assert (made.author, made.text) == (client_po.user, PER_STORE)
    entry = entry_of(review, items[0])
    assert not entry.is_reviewed and entry.reviewed_by is None and entry.comment == ""
    review.refresh_from_db()
    assert review.state == ReviewState.OPEN


def test_a_comment_is_audited_with_the_item_and_the_text(client_po, review, items):
    comment(client_po, review, items[0])
    event = AuditEvent.objects.get(action="criteria_review.item_commented")
    assert event.actor == client_po.user and event.target_id == review.pk
    assert event.changes == {"commented": [None, items[0].key]} and event.note == PER_STORE


def test_the_agency_member_who_asked_is_told_in_the_app_and_by_email(
    dev, po, client_po, review, items, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment(client_po, review, items[0])
    [told] = Notification.objects.filter(kind="criteria_review.commented")
    assert told.user == dev.user  # who asked, not every agency member
    assert told.url == review.get_absolute_url() + f"#entry-{items[0].key}"
    assert told.message == (
        f"{client_po.user.display_name} commented on the criteria of {items[0].key}, not reviewed yet: {PER_STORE}"
    )
    [email] = mail.outbox
    assert email.to == [dev.user.email]
    assert email.subject.startswith(f"[ACME] {client_po.user.display_name} commented on the criteria of")
    assert (
        PER_STORE in email.body and items[0].title in email.body and review.get_absolute_url() in email.body
    )


def test_the_agency_po_is_told_when_who_asked_has_left_the_project(dev, po, client_po, review, items):
    dev.delete()
    comment(client_po, review, items[0])
    assert [n.user for n in Notification.objects.filter(kind="criteria_review.commented")] == [po.user]


def test_a_requester_who_turned_the_notification_off_is_not_told(dev, client_po, review, items):
    NotificationPreference.objects.create(
        user=dev.user, kind="criteria_review.commented", delivery=Delivery.OFF
    )
    comment(client_po, review, items[0])
    assert not Notification.objects.filter(kind="criteria_review.commented").exists()


def test_comments_add_up_and_the_comment_given_when_marking_reviewed_is_kept_apart(client_po, review, items):
    comment(client_po, review, items[0])
    comment(client_po, review, items[0], "And stock should be per size")
    criteria_review_mark_reviewed(
        actor=client_po.user, membership=client_po, entry=entry_of(review, items[0]), comment="Fine now"
    )
    entry = entry_of(review, items[0])
    assert [c.text for c in entry.comments.all()] == [PER_STORE, "And stock should be per size"]
    assert entry.comment == "Fine now" and entry.is_reviewed


def test_the_client_member_a_review_was_handed_to_may_comment(stakeholder, review, items):
    review.holder = stakeholder.user
    review.save(update_fields=["holder"])
    assert comment(stakeholder, review, items[1]).author == stakeholder.user


@pytest.mark.parametrize("role", [Role.AGENCY_PO, Role.DEVELOPER, Role.TESTER, Role.CLIENT_STAKEHOLDER])
def test_only_the_client_po_or_the_holder_comments(members, review, items, role):
    with pytest.raises(PermissionDenied, match="client_po, or the client member it was handed to"):
        comment(members[role], review, items[0])
    assert (
        not CriteriaReviewComment.objects.exists()
        and not Notification.objects.filter(kind="criteria_review.commented").exists()
    )


@pytest.mark.parametrize("text", ["", "   \n ", "x" * 5001])
def test_an_empty_or_overlong_comment_is_refused_naming_the_field(client_po, review, items, text):
    with pytest.raises(InvalidInput) as refused:
        comment(client_po, review, items[0], text)
    assert refused.value.field == "comment"
    assert not CriteriaReviewComment.objects.exists()


def test_a_closed_review_refuses_comments_with_a_conflict(client_po, review, items):
    for item in items:
        criteria_review_mark_reviewed(
            actor=client_po.user, membership=client_po, entry=entry_of(review, item)
        )
    with pytest.raises(ReviewClosed) as refused:
        comment(client_po, review, items[0])
    assert refused.value.status == 409 and "was closed on" in refused.value.message
    assert not CriteriaReviewComment.objects.exists()


def test_an_item_already_reviewed_refuses_comments_with_a_conflict(client_po, review, items):
    criteria_review_mark_reviewed(
        actor=client_po.user, membership=client_po, entry=entry_of(review, items[0])
    )
    with pytest.raises(AlreadyReviewed) as refused:
        comment(client_po, review, items[0])
    assert refused.value.status == 409
    assert f"Comment on {items[0].key} itself instead" in refused.value.message


def test_a_commented_review_stays_in_the_clients_inbox(client_po, review, items, project):
    for item in items:
        comment(client_po, review, item)
    [row] = inbox.rows(projects=[project], holder=client_po.user)
    assert row.id == review.pk and row.obj.commented_count == 2 and row.obj.reviewed_count == 0


def test_when_the_review_closes_the_requester_hears_how_many_comments_were_left(
    dev, client_po, review, items
):
    comment(client_po, review, items[0])
    for item in items:
        criteria_review_mark_reviewed(
            actor=client_po.user, membership=client_po, entry=entry_of(review, item)
        )
    told = Notification.objects.get(kind="criteria_review.reviewed")
    assert told.user == dev.user and told.message.endswith("(1 comment)")


# --- The review page --------------------------------------------------------------------------------


def test_the_review_page_offers_the_client_a_comment_form_with_a_real_action(client_po, review, items):
    html = login(client_po.user).get(review.get_absolute_url()).content.decode()
    for item in items:
        url = comment_url(review, item)
        assert f'action="{url}"' in html and f'hx-post="{url}"' in html
    assert html.count("Comment without reviewing…</summary>") == 2


def test_the_agency_sees_the_comment_on_the_review_page_without_forms(dev, client_po, review, items):
    comment(client_po, review, items[0])
    html = login(dev.user).get(review.get_absolute_url()).content.decode()
    assert "Commented, not reviewed" in html and "should say &#x27;per store&#x27;" in html
    assert client_po.user.display_name in html and "1 commented, not reviewed" in html
    assert "Comment without reviewing" not in html


def test_commenting_without_javascript_goes_back_to_the_review_with_a_message(client_po, review, items):
    client = login(client_po.user)
    response = client.post(comment_url(review, items[0]), {"comment": PER_STORE})
    assert response.status_code == 302 and response["Location"] == review.get_absolute_url()
    assert [c.text for c in entry_of(review, items[0]).comments.all()] == [PER_STORE]
    page = client.get(response["Location"]).content.decode()
    assert f"Your comment on {items[0].key} was sent to the team" in page


def test_commenting_with_htmx_returns_the_item_with_its_comment_and_the_forms_still_there(
    client_po, review, items
):
    response = login(client_po.user).post(comment_url(review, items[0]), {"comment": PER_STORE}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith(f'<article class="card review-entry" id="entry-{items[0].key}"')
    assert "Commented, not reviewed" in html and "per store" in html
    assert "Mark reviewed</button>" in html  # it still waits for the review
    assert "0 of 2 items reviewed · 1 commented, not reviewed" in html  # the progress, out of band


def test_an_empty_comment_on_the_page_is_refused_next_to_its_field(client_po, review, items):
    response = login(client_po.user).post(comment_url(review, items[0]), {"comment": "  "})
    html = response.content.decode()
    assert response.status_code == 422
    assert "Comment: Write the question or the change you would like in the criteria." in html
    assert '<details class="comment-without-review" open>' in html
    assert not CriteriaReviewComment.objects.exists()


def test_commenting_on_a_closed_review_page_answers_409(client_po, review, items):
    for item in items:
        criteria_review_mark_reviewed(
            actor=client_po.user, membership=client_po, entry=entry_of(review, item)
        )
    response = login(client_po.user).post(comment_url(review, items[0]), {"comment": PER_STORE})
    assert response.status_code == 409 and "was closed on" in response.content.decode()


def test_a_developer_commenting_on_the_page_gets_403_and_an_outsider_404(dev, outsider, review, items):
    assert login(dev.user).post(comment_url(review, items[0]), {"comment": PER_STORE}).status_code == 403
    assert login(outsider.user).post(comment_url(review, items[0]), {"comment": PER_STORE}).status_code == 404
    assert not CriteriaReviewComment.objects.exists()


def test_html_in_a_comment_is_escaped_everywhere_it_shows(po, client_po, review, items):
    comment(client_po, review, items[0], "<img src=x onerror=y>")
    client = login(po.user)
    for url in (review.get_absolute_url(), reverse("reviews:grooming", args=["ACME"])):
        html = client.get(url).content.decode()
        assert "<img src=x" not in html and "&lt;img src=x onerror=y&gt;" in html


# --- The inbox row ----------------------------------------------------------------------------------


def test_the_inbox_row_offers_comment_without_reviewing_next_to_reviewed(client_po, review, items):
    html = login(client_po.user).get(reverse("inbox:mine")).content.decode()
    assert html.count('class="ok">Reviewed</button>') == 2
    assert html.count("<summary>Comment without reviewing</summary>") == 2
    url = comment_url(review, items[0])
    assert f'action="{url}"' in html and f'hx-post="{url}"' in html


def test_commenting_in_the_inbox_row_with_htmx_keeps_the_row_with_the_comment(client_po, review, items):
    response = login(client_po.user).post(
        comment_url(review, items[0]),
        {"comment": PER_STORE, "from_inbox": "1", "next": "/inbox/"},
        headers=HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200 and "HX-Trigger" not in response
    assert html.lstrip().startswith(f'<li id="inbox-criteria_review-{review.pk}"')
    assert "Commented, not reviewed</span>: “The second criterion should say &#x27;per store&#x27;”" in html
    assert html.count('class="ok">Reviewed</button>') == 2  # both items still wait for their review
    assert "0 of 2 reviewed · 1 commented" in html


def test_an_empty_comment_in_the_inbox_row_is_refused_in_place(client_po, review, items):
    response = login(client_po.user).post(comment_url(review, items[1]), {"from_inbox": "1"}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200  # htmx swaps it in
    assert "Comment: Write the question or the change you would like in the criteria." in html
    assert '<details class="review-answer-comment" open>' in html
    assert not CriteriaReviewComment.objects.exists()


def test_commenting_in_the_inbox_without_javascript_goes_back_to_the_inbox_where_the_review_waits(
    client_po, review, items
):
    client = login(client_po.user)
    response = client.post(
        comment_url(review, items[0]), {"comment": PER_STORE, "from_inbox": "1", "next": "/inbox/"}
    )
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    html = client.get("/inbox/").content.decode()
    assert f'id="inbox-criteria_review-{review.pk}"' in html and "Commented, not reviewed" in html


# --- The grooming view ------------------------------------------------------------------------------


def test_grooming_shows_commented_not_reviewed_with_the_comment(po, client_po, review, items):
    comment(client_po, review, items[0])
    html = login(po.user).get(reverse("reviews:grooming", args=["ACME"])).content.decode()
    rows = {item.key: html[html.index(f">{item.key}</a>") :].split("</tr>")[0] for item in items}
    assert "Commented, not reviewed</a>" in rows[items[0].key]
    assert "“The second criterion should say &#x27;per store&#x27;”" in rows[items[0].key]
    assert client_po.user.display_name in rows[items[0].key]
    assert "Pending</a>" in rows[items[1].key] and "Commented" not in rows[items[1].key]
    assert "0 of 2 reviewed · 1 commented, not reviewed" in html


def test_grooming_keeps_a_constant_number_of_queries_with_comments(
    po, client_po, make_item, django_assert_max_num_queries
):
    client = login(po.user)

    def load():
        with django_assert_max_num_queries(15) as queries:
            assert client.get(reverse("reviews:grooming", args=["ACME"])).status_code == 200
        return len(queries)

    def ask_and_comment(count):
        review = criteria_review_request(
            actor=po.user, membership=po, items=[make_item(Status.READY) for _ in range(count)], due_date=DUE
        )
        for entry in review.entries.all():
            criteria_review_comment(actor=client_po.user, membership=client_po, entry=entry, comment="Why?")

    ask_and_comment(2)
    few = load()
    ask_and_comment(10)
    assert load() == few


# --- The API ----------------------------------------------------------------------------------------


def api_path(review, key):
    return f"/criteria-reviews/{review.pk}/items/{key}/comment"


def test_the_client_po_comments_through_the_api(client_po, review, items):
    response = api_for(client_po).post(api_path(review, items[0].key), {"comment": PER_STORE})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "open"
    first = body["items"][0]
    assert first["key"] == items[0].key and first["reviewed_at"] is None and first["comment"] == ""
    [made] = first["comments"]
    assert (made["author"], made["text"]) == (client_po.user.email, PER_STORE) and made["created_at"]
    assert body["items"][1]["comments"] == []


@pytest.mark.parametrize("payload", [{}, {"comment": ""}, {"comment": "  "}, {"comment": "x" * 5001}])
def test_an_empty_or_overlong_comment_through_the_api_is_422_on_comment(client_po, review, items, payload):
    response = api_for(client_po).post(api_path(review, items[0].key), payload)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["comment"]
    assert not CriteriaReviewComment.objects.exists()


@pytest.mark.parametrize("role", [Role.AGENCY_PO, Role.DEVELOPER, Role.TESTER, Role.CLIENT_STAKEHOLDER])
def test_roles_that_may_not_comment_get_403_through_the_api(members, review, items, role):
    response = api_for(members[role]).post(api_path(review, items[0].key), {"comment": PER_STORE})
    assert response.status_code == 403 and "client_po" in response.json()["detail"]


def test_outsiders_and_items_outside_the_review_get_404_through_the_api(
    client_po, outsider, review, items, make_item
):
    assert api_for(outsider).post(api_path(review, items[0].key), {"comment": PER_STORE}).status_code == 404
    other = make_item(Status.READY, title="Not in it")
    assert api_for(client_po).post(api_path(review, other.key), {"comment": PER_STORE}).status_code == 404
    assert api_for(client_po).post(api_path(review, "<b>"), {"comment": PER_STORE}).status_code == 404
    missing = f"/criteria-reviews/{review.pk + 1000}/items/{items[0].key}/comment"
    assert api_for(client_po).post(missing, {"comment": PER_STORE}).status_code == 404


def test_a_closed_review_answers_409_through_the_api(client_po, review, items):
    api = api_for(client_po)
    for item in items:
        assert api.post(f"/criteria-reviews/{review.pk}/items/{item.key}/review", {}).status_code == 200
    response = api.post(api_path(review, items[0].key), {"comment": PER_STORE})
    assert response.status_code == 409 and "was closed on" in response.json()["detail"]
    assert CriteriaReview.objects.get().state == ReviewState.CLOSED


def test_the_holder_comments_through_the_api(stakeholder, review, items):
    review.holder = stakeholder.user
    review.save(update_fields=["holder"])
    response = api_for(stakeholder).post(api_path(review, items[1].key), {"comment": "Three is too many"})
    assert response.status_code == 200
    assert response.json()["items"][1]["comments"][0]["author"] == stakeholder.user.email
