"""Ranking: moves land where asked, write one row, and the rare rebalance stays within its window."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sightline.backlog import ranking
from sightline.backlog.models import Item, Status
from sightline.backlog.services import item_move
from sightline.backlog.transitions import item_accept
from sightline.lib.errors import DomainError
from sightline.projects.models import Project
from sightline.sprints.services import sprint_close, sprint_start
from tests.conftest import make_sprint


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def bulk_items(project, ranks: list[int]) -> list[Item]:
    """Items with exactly these ranks, numbered from 1 in that order."""
    Item.objects.bulk_create(
        [
            Item(project=project, number=n, key=f"{project.key}-{n}", title=f"Item {n}", rank=rank)
            for n, rank in enumerate(ranks, start=1)
        ]
    )
    Project.objects.filter(pk=project.pk).update(item_sequence=len(ranks))
    return list(Item.objects.filter(project=project).order_by("number"))


def order(project) -> list[int]:
    return list(Item.objects.filter(project=project).ranked().values_list("number", flat=True))


def move(po, item, **where):
    return item_move(actor=po.user, membership=po, item=item, **where)


def updates(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]


def test_moving_to_the_top_puts_the_item_first(po, project):
    items = bulk_items(project, [ranking.GAP * n for n in range(1, 6)])
    move(po, items[3], to_top=True)
    assert order(project) == [4, 1, 2, 3, 5]


def test_moving_to_a_position_counts_from_one(po, project):
    items = bulk_items(project, [ranking.GAP * n for n in range(1, 6)])
    move(po, items[4], position=2)
    assert order(project) == [1, 5, 2, 3, 4]
    move(po, items[0], position=5)
    assert order(project) == [5, 2, 3, 4, 1]
    move(po, items[2], position=1)
    assert order(project) == [3, 5, 2, 4, 1]


def test_a_position_past_the_end_means_the_bottom(po, project):
    items = bulk_items(project, [ranking.GAP * n for n in range(1, 4)])
    move(po, items[0], position=40)
    assert order(project) == [2, 3, 1]


def test_moving_after_and_before_a_neighbour(po, project):
    items = bulk_items(project, [ranking.GAP * n for n in range(1, 6)])
    move(po, items[0], after=items[2])
    assert order(project) == [2, 3, 1, 4, 5]
    move(po, items[4], before=items[1])
    assert order(project) == [5, 2, 3, 1, 4]
    move(po, items[3], after=items[4])
    assert order(project) == [5, 4, 2, 3, 1]


def test_positions_count_only_what_the_backlog_shows(po, client_po, project, make_item):
    """Accepted items of closed sprints keep their ranks but are not on the backlog page."""
    sprint = make_sprint(po)
    history = make_item(Status.DELIVERED, sprint=sprint, title="Shipped")
    item_accept(actor=client_po.user, membership=client_po, item=history)
    sprint_start(actor=po.user, membership=po, sprint=sprint)
    sprint_close(actor=po.user, membership=po, sprint=sprint)
    a, b, c = make_item(title="A"), make_item(title="B"), make_item(title="C")
    move(po, history, to_top=True)  # history first in rank, hidden from the backlog page
    move(po, c, position=2)
    visible = list(
        Item.objects.filter(project=project).in_backlog_view().ranked().values_list("key", flat=True)
    )
    assert visible == [a.key, c.key, b.key]


def test_a_move_to_the_top_of_a_thousand_items_writes_one_row(po, project):
    items = bulk_items(project, [ranking.GAP * n for n in range(1, 1001)])
    last = items[-1]
    with CaptureQueriesContext(connection) as queries:
        move(po, last, to_top=True)
    assert len(updates(queries)) == 1
    assert len(queries.captured_queries) <= 8
    assert order(project)[:2] == [1000, 1]


def test_a_move_into_the_middle_of_a_thousand_items_writes_one_row(po, project):
    items = bulk_items(project, [ranking.GAP * n for n in range(1, 1001)])
    with CaptureQueriesContext(connection) as queries:
        move(po, items[-1], after=items[499])
    assert len(updates(queries)) == 1
    assert order(project)[499:502] == [500, 1000, 501]


def test_a_move_between_adjacent_ranks_respaces_only_a_bounded_window(po, project):
    # A packed run of ranks 1, 2, 3 … 30, then the usual gaps for 170 more items.
    ranks = list(range(1, 31)) + [30 + ranking.GAP * n for n in range(1, 171)]
    items = bulk_items(project, ranks)
    before = dict(Item.objects.filter(project=project).values_list("pk", "rank"))
    mover = items[-1]
    with CaptureQueriesContext(connection) as queries:
        move(po, mover, after=items[0])  # between ranks 1 and 2: no room
    after = dict(Item.objects.filter(project=project).values_list("pk", "rank"))
    rewritten = [pk for pk in before if before[pk] != after[pk] and pk != mover.pk]
    assert 0 < len(rewritten) <= ranking.REBALANCE_WINDOW
    assert len(updates(queries)) <= 2  # the window in one statement, then the item
    expected = [1, 200] + list(range(2, 200))
    assert order(project) == expected
    assert len(set(after.values())) == len(after)


def test_repeated_moves_into_the_same_gap_keep_the_order(po, project):
    items = bulk_items(project, [1, 2, 3, 4, 5, 6])
    for n in range(5, 1, -1):  # each lands right after item 1: 1, 2, 3, 4, 5, then 6
        move(po, items[n], after=items[0])
    assert order(project) == [1, 3, 4, 5, 6, 2]
    ranks = list(Item.objects.filter(project=project).ranked().values_list("rank", flat=True))
    assert ranks == sorted(set(ranks))


def test_a_packed_backlog_end_to_end_stays_in_order(po, project):
    items = bulk_items(project, list(range(1, 11)))
    move(po, items[9], after=items[0])
    move(po, items[8], before=items[1])
    move(po, items[0], position=3)
    assert order(project) == [10, 9, 1, 2, 3, 4, 5, 6, 7, 8]


def test_a_neighbour_of_another_project_is_refused(po, project, other_project):
    (item,) = bulk_items(project, [ranking.GAP])
    stranger = Item.objects.create(project=other_project, number=1, key="GLOBEX-1", title="Theirs", rank=5)
    with pytest.raises(DomainError):
        move(po, item, after=stranger)


def test_a_move_records_where_the_item_went(po, project):
    from sightline.audit.models import AuditEvent

    items = bulk_items(project, [ranking.GAP * n for n in range(1, 4)])
    move(po, items[2], position=1)
    event = AuditEvent.objects.get(item=items[2], action="item.ranked")
    assert event.note == "Moved to position 1" and event.actor == po.user
