"""The grooming view shows each item's criteria review status, at the same query cost for few and many items."""

from django.urls import reverse

from sightline.backlog.models import Status
from sightline.reviews.services import criteria_review_mark_reviewed, criteria_review_request
from tests.conftest import login
from tests.criteria_review_helpers import TUESDAY, entry_of

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
