"""Reading decision requests: a project's list, one decision, and which items they block."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from sightline.api.schemas import MAX_ID, MAX_NUMBER
from sightline.decisions.models import DecisionOption, DecisionRequest, DecisionState

BLOCKERS_ATTR = "open_blocking_decisions"


def _with_details(qs: QuerySet[DecisionRequest]) -> QuerySet[DecisionRequest]:
    return qs.select_related(
        "project", "created_by", "holder", "answered_by", "withdrawn_by", "answer_option"
    ).prefetch_related(
        Prefetch("options", queryset=DecisionOption.objects.order_by("position", "id")),
        Prefetch("blocking_items", queryset=_items_in_rank_order()),
    )


def _items_in_rank_order():
    from sightline.backlog.models import Item

    return Item.objects.only("id", "key", "title", "status", "project_id").order_by("rank", "id")


def project_decisions(project, *, state: str = "") -> list[DecisionRequest]:
    """The project's decisions: open ones first (soonest due first), then the rest, latest first."""
    qs = DecisionRequest.objects.filter(project=project)
    if state:
        qs = qs.filter(state=state)
    qs = qs.order_by("due_date", "number")
    decisions = list(_with_details(qs))
    closed = [d for d in decisions if not d.is_open]
    closed.sort(key=lambda d: d.answered_at or d.withdrawn_at or d.created_at, reverse=True)
    return [d for d in decisions if d.is_open] + closed


def open_count(project) -> int:
    return DecisionRequest.objects.filter(project=project, state=DecisionState.OPEN).count()


def decision_for(project, number: int) -> DecisionRequest:
    """Decision ``number`` of ``project`` with its options and items (404 when there is none)."""
    if number > MAX_NUMBER:
        raise Http404("No such decision.")
    return get_object_or_404(_with_details(DecisionRequest.objects.filter(project=project)), number=number)


def decision_by_id(decision_id: int) -> DecisionRequest:
    if decision_id > MAX_ID:
        raise Http404("No such decision.")
    decision = _with_details(DecisionRequest.objects.filter(pk=decision_id)).first()
    if decision is None:
        raise Http404("No such decision.")
    return decision


# --- Blocked items ---------------------------------------------------------------------------------


def with_blocking_decisions(items: QuerySet) -> QuerySet:
    """``items`` with the open decisions blocking each one prefetched (one more query for the whole list),
    read with ``blocking_decisions_of(item)``."""
    return items.prefetch_related(
        Prefetch(
            "blocking_decisions",
            queryset=DecisionRequest.objects.filter(state=DecisionState.OPEN).order_by("due_date", "number"),
            to_attr=BLOCKERS_ATTR,
        )
    )


def blocking_decisions_of(item) -> list[DecisionRequest]:
    """The open decisions blocking ``item``: prefetched by ``with_blocking_decisions``, or one query."""
    prefetched = getattr(item, BLOCKERS_ATTR, None)
    if prefetched is not None:
        return prefetched
    return list(item.blocking_decisions.filter(state=DecisionState.OPEN).order_by("due_date", "number"))
