"""The backlog's total order, kept with gapped integer ranks.

Moving an item writes one row: its new rank is the midpoint between its new neighbours. When two
neighbours have no room left between them, the fewest following items that reach free room are spread
out again (``REBALANCE_WINDOW`` rows at most per attempt), which is rare with a gap of 2**16.
"""

from django.db import transaction

from sightline.backlog.models import Epic, Item
from sightline.lib.errors import DomainError

GAP = 1 << 16
REBALANCE_WINDOW = 64


def _ordered(project_id: int):
    return Item.objects.filter(project_id=project_id).order_by("rank", "id")


def rank_for_new_item(project_id: int) -> int:
    """New items go to the bottom of the backlog."""
    last = _ordered(project_id).values_list("rank", flat=True).last()
    return (last or 0) + GAP


def rank_at_top(project_id: int, exclude_id: int | None = None) -> int:
    qs = _ordered(project_id)
    if exclude_id:
        qs = qs.exclude(id=exclude_id)
    first = qs.values_list("rank", flat=True).first()
    return (first if first is not None else 0) - GAP


def _rank_between(project_id: int, before: Item | None, after: Item | None) -> int:
    """A rank strictly between ``before`` and ``after`` (either may be None for the ends)."""
    if before is None and after is None:
        return 0
    if before is None:
        return after.rank - GAP
    if after is None:
        return before.rank + GAP
    if after.rank - before.rank > 1:
        return (before.rank + after.rank) // 2
    _spread_after(project_id, before)
    after.refresh_from_db(fields=["rank"])
    return (before.rank + after.rank) // 2


def _spread_after(project_id: int, anchor: Item) -> None:
    """Open a gap just after ``anchor`` by re-spacing the fewest following items that reach free room.

    At most ``REBALANCE_WINDOW`` rows are rewritten; the window grows only when it is itself packed
    (more than a window of consecutive ranks, which normal use does not produce).
    """
    window = REBALANCE_WINDOW
    while True:
        following = list(
            _ordered(project_id)
            .filter(rank__gte=anchor.rank)
            .exclude(id=anchor.id)
            .exclude(rank=anchor.rank, id__lt=anchor.id)[: window + 1]
        )
        if not following:
            return
        for count in range(1, min(len(following), window) + 1):
            # Spread ``count`` items below the anchor, up to the next one (or, at the end, without bound).
            step = (following[count].rank - anchor.rank) // (count + 1) if count < len(following) else GAP
            if step >= 2:
                moved = following[:count]
                for position, item in enumerate(moved, start=1):
                    item.rank = anchor.rank + position * step
                Item.objects.bulk_update(moved, ["rank"])
                return
        window *= 4


@transaction.atomic
def move_item(
    *,
    item: Item,
    to_top: bool = False,
    before: Item | None = None,
    after: Item | None = None,
    position: int | None = None,
) -> int:
    """Give ``item`` a new rank. Exactly one of ``to_top``, ``before``/``after`` or ``position`` is used.

    ``after`` is the item that ends up directly above, ``before`` the one directly below.
    ``position`` is 1-based within the project's backlog order.
    """
    project_id = item.project_id
    for neighbour in (before, after):
        if neighbour is not None and (neighbour.project_id != project_id or neighbour.pk == item.pk):
            raise DomainError("The neighbour must be another item of the same project.", field="neighbour")
    if to_top:
        return rank_at_top(project_id, exclude_id=item.pk)
    if position is not None:
        if position < 1:
            raise DomainError("Position must be 1 or more.", field="position")
        # Positions count what the backlog page shows: the items of closed sprints are history.
        others = _ordered(project_id).in_backlog_view().exclude(id=item.pk)
        neighbours = list(others[max(position - 2, 0) : position])
        if position == 1:
            above, below = None, (neighbours[0] if neighbours else None)
        else:
            above = neighbours[0] if neighbours else None
            below = neighbours[1] if len(neighbours) > 1 else None
            if above is None:  # past the end: the bottom
                above = others.last()
        return _rank_between(project_id, above, below)
    if after is not None:
        below = (
            _ordered(project_id)
            .exclude(id=item.pk)
            .filter(rank__gte=after.rank)
            .exclude(id=after.id)
            .exclude(rank=after.rank, id__lt=after.id)
            .first()
        )
        return _rank_between(project_id, after, below)
    if before is not None:
        above = (
            _ordered(project_id)
            .exclude(id=item.pk)
            .filter(rank__lte=before.rank)
            .exclude(id=before.id)
            .exclude(rank=before.rank, id__gt=before.id)
            .last()
        )
        return _rank_between(project_id, above, before)
    raise DomainError("Say where to move the item: top, before, after or position.", field="position")


def rank_epic_at(epic: Epic, position: int, others: list[Epic]) -> tuple[int, list[Epic]]:
    """The rank that puts ``epic`` at ``position`` (1-based, clamped to the list) among ``others`` — the
    project's other epics in rank order — and the epics whose rank had to change to make room.

    Like items, the new rank is the midpoint between the new neighbours, so a move writes one row. When the
    neighbours have no room between them, the other epics are spaced out again by ``GAP``: a project has
    tens of epics, not the thousands of items that need a bounded window.
    """
    position = min(max(position, 1), len(others) + 1)
    above = others[position - 2] if position > 1 else None
    below = others[position - 1] if position <= len(others) else None
    if above is None and below is None:
        return epic.rank, []
    if above is None:
        return below.rank - GAP, []
    if below is None:
        return above.rank + GAP, []
    if below.rank - above.rank > 1:
        return (above.rank + below.rank) // 2, []
    for index, other in enumerate(others, start=1):
        other.rank = (index + (index >= position)) * GAP
    return position * GAP, others
