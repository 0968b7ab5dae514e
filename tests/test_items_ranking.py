"""Ranking backlog items through item_move: to the top, to a position, before or after a neighbour, respacing
when there is no room, the audit of a move, and who may rank."""

import pytest
from django.core.exceptions import PermissionDenied

from sightline.audit.models import AuditEvent
from sightline.backlog.models import Item
from sightline.backlog.services import item_move
from sightline.lib.errors import DomainError
from tests.test_items_services import backlog_keys, create, fresh

# --- Ranking through item_move ----------------------------------------------------------------------------


@pytest.fixture
def four(po):
    """ACME-1..4 in backlog order."""
    return [create(po, title=f"Item {n}") for n in range(1, 5)]


def move(membership, item, **where):
    return item_move(actor=membership.user, membership=membership, item=item, **where)


def test_an_item_moved_to_the_top_comes_first(po, four, project):
    move(po, four[3], to_top=True)
    assert backlog_keys(project) == ["ACME-4", "ACME-1", "ACME-2", "ACME-3"]


def test_moving_the_top_item_to_the_top_keeps_the_order(po, four, project):
    move(po, four[0], to_top=True)
    assert backlog_keys(project) == ["ACME-1", "ACME-2", "ACME-3", "ACME-4"]


@pytest.mark.parametrize(
    ("moved", "position", "expected"),
    [(3, 1, "4123"), (3, 2, "1423"), (0, 3, "2314"), (0, 4, "2341"), (0, 99, "2341"), (2, 2, "1324")],
)
def test_an_item_moved_to_a_position_lands_there(moved, position, expected, po, four, project):
    move(po, four[moved], position=position)
    assert backlog_keys(project) == [f"ACME-{n}" for n in expected]


@pytest.mark.parametrize(("moved", "anchor", "expected"), [(3, 0, "1423"), (0, 3, "2341"), (0, 1, "2134")])
def test_an_item_moved_after_another_lands_just_below_it(moved, anchor, expected, po, four, project):
    move(po, four[moved], after=fresh(four[anchor]))
    assert backlog_keys(project) == [f"ACME-{n}" for n in expected]


@pytest.mark.parametrize(("moved", "anchor", "expected"), [(3, 0, "4123"), (0, 3, "2314"), (3, 2, "1243")])
def test_an_item_moved_before_another_lands_just_above_it(moved, anchor, expected, po, four, project):
    move(po, four[moved], before=fresh(four[anchor]))
    assert backlog_keys(project) == [f"ACME-{n}" for n in expected]


def test_moving_between_neighbours_with_no_room_left_respaces_the_ones_below(po, four, project):
    for n, item in enumerate(four):
        Item.objects.filter(pk=item.pk).update(rank=1000 + n)
    move(po, four[3], after=fresh(four[0]))
    assert backlog_keys(project) == ["ACME-1", "ACME-4", "ACME-2", "ACME-3"]
    ranks = list(Item.objects.filter(project=project).ranked().values_list("rank", flat=True))
    assert ranks == sorted(set(ranks))


def test_a_move_is_recorded_with_where_it_went(po, four):
    move(po, four[3], to_top=True)
    event = AuditEvent.objects.get(item=four[3], action="item.ranked")
    assert event.note == "Moved to top"
    assert event.changes["rank"][0] == four[3].rank
    assert fresh(four[3]).version == four[3].version + 1


def test_the_client_po_may_rank_the_backlog(client_po, four, project):
    move(client_po, four[2], to_top=True)
    assert backlog_keys(project)[0] == "ACME-3"


@pytest.mark.parametrize("role", ["developer", "tester", "client_stakeholder"])
def test_a_role_without_the_ranking_permission_may_not_rank(role, members, four, project):
    with pytest.raises(PermissionDenied, match="agency_po, client_po"):
        move(members[role], four[3], to_top=True)
    assert backlog_keys(project) == ["ACME-1", "ACME-2", "ACME-3", "ACME-4"]
    assert fresh(four[3]).version == four[3].version


@pytest.mark.parametrize("side", ["before", "after"])
def test_a_neighbour_from_another_project_is_refused(side, po, globex_po, four, project):
    foreign = create(globex_po)
    with pytest.raises(DomainError) as refused:
        move(po, four[0], **{side: foreign})
    assert refused.value.field == "neighbour"
    assert backlog_keys(project) == ["ACME-1", "ACME-2", "ACME-3", "ACME-4"]


def test_an_item_cannot_be_its_own_neighbour(po, four):
    with pytest.raises(DomainError, match="another item"):
        move(po, four[1], after=four[1])


@pytest.mark.parametrize(("where", "field"), [({}, "position"), ({"position": 0}, "position")])
def test_a_move_must_say_where_to(where, field, po, four):
    with pytest.raises(DomainError) as refused:
        move(po, four[1], **where)
    assert refused.value.field == field
