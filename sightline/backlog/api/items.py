"""API: read, create, edit and rank backlog items."""

import re

from django.db.models import Q
from django.http import Http404
from ninja import Query, Router, Status

from sightline.api.access import project_for
from sightline.api.errors import ERRORS
from sightline.backlog.api.schemas import ItemFilters, ItemIn, ItemOut, ItemPage, ItemPatch, MoveIn
from sightline.backlog.models import AcceptanceCriterion, Epic, Item
from sightline.backlog.services import item_create, item_move, item_update
from sightline.lib.errors import InvalidInput
from sightline.projects.models import Membership, Project
from sightline.projects.policy import get_project_for

router = Router()

ITEM_KEY = re.compile(r"[A-Z]{2,10}-[0-9]{1,9}")


ITEM_COLUMNS = (
    "id",
    "key",
    "type",
    "title",
    "user_story",
    "description",
    "priority",
    "status",
    "rank",
    "points",
    "estimate_hours",
    "epic_id",
    "epic__title",
    "sprint__number",
    "assignee__email",
    "labels",
    "version",
    "staging_url",
    "delivery_note",
    "delivered_at",
    "accepted_at",
    "accepted_by__email",
    "rejection_reason",
    "created_at",
    "updated_at",
)


def item_rows(items) -> list[dict]:
    """The items of the (ordered, sliced) queryset as the API shows them, in two queries whatever their
    number: one for the items with their epic, sprint and people, one for all their criteria."""
    rows = list(items.values(*ITEM_COLUMNS))
    criteria: dict[int, list[dict]] = {row["id"]: [] for row in rows}
    if rows:
        found = AcceptanceCriterion.objects.filter(item_id__in=list(criteria)).order_by(
            "item_id", "position", "id"
        )
        for item_id, *values in found.values_list("item_id", "id", "position", "text", "met"):
            criteria[item_id].append(dict(zip(("id", "position", "text", "met"), values, strict=True)))
    for row in rows:
        epic_id, epic_title = row.pop("epic_id"), row.pop("epic__title")
        row["project"] = row["key"].rsplit("-", 1)[0]
        row["epic"] = {"id": epic_id, "title": epic_title} if epic_id is not None else None
        row["sprint"] = row.pop("sprint__number")
        row["assignee"] = row.pop("assignee__email")
        row["accepted_by"] = row.pop("accepted_by__email")
        row["criteria"] = criteria[row["id"]]
    return rows


def item_for(request, item_key: str) -> tuple[Item, Membership]:
    """The item with the caller's membership; the same 404 for outsiders and for keys that do not exist."""
    if not ITEM_KEY.fullmatch(item_key):
        raise Http404("No such item.")
    try:
        project, membership = get_project_for(request.auth, item_key.rsplit("-", 1)[0], "item.view")
    except Http404:
        raise Http404("No such item.") from None
    item = Item.objects.filter(project=project, key=item_key).select_related("project").first()
    if item is None:
        raise Http404("No such item.")
    return item, membership


def fresh(item: Item) -> dict:
    return item_rows(Item.objects.filter(pk=item.pk))[0]


def _epic(project: Project, epic_id: int | None, field: str = "epic_id") -> Epic | None:
    if epic_id is None:
        return None
    epic = Epic.objects.filter(project=project, pk=epic_id).first()
    if epic is None:
        raise InvalidInput(f"{project.key} has no epic {epic_id}.", field=field)
    return epic


def _member_user(project: Project, email: str | None, field: str = "assignee"):
    if email is None:
        return None
    membership = (
        Membership.objects.select_related("user")
        .filter(project=project, user__email=email.strip().lower(), user__is_active=True)
        .first()
    )
    if membership is None:
        raise InvalidInput(f"{email} is not a member of {project.key}.", field=field)
    return membership.user


def _neighbour(project: Project, key: str | None, field: str) -> Item | None:
    if key is None:
        return None
    item = Item.objects.filter(project=project, key=key).first()
    if item is None:
        raise InvalidInput(f"{project.key} has no item {key}.", field=field)
    return item


@router.get(
    "/projects/{key}/items",
    response={200: ItemPage, **ERRORS},
    operation_id="item_list",
    summary="List a project's items",
)
def item_list(request, key: str, filters: Query[ItemFilters]):
    """Items of a project in backlog order, filtered and paginated (`page` from 1, `page_size` up to 500)."""
    project, _ = project_for(request, key, "item.view")
    items = Item.objects.filter(project=project)
    if filters.status:
        items = items.filter(status=filters.status)
    if filters.sprint == "none":
        items = items.filter(sprint__isnull=True)
    elif filters.sprint:
        items = items.filter(sprint__number=int(filters.sprint))
    if filters.type:
        items = items.filter(type=filters.type)
    if filters.priority:
        items = items.filter(priority=filters.priority)
    if filters.epic:
        items = items.filter(epic_id=filters.epic)
    if filters.q and filters.q.strip():
        q = filters.q.strip()
        items = items.filter(Q(key__iexact=q) | Q(title__icontains=q) | Q(user_story__icontains=q))
    count = items.count()
    start = (filters.page - 1) * filters.page_size
    page = items.order_by("rank", "id")[start : start + filters.page_size]
    return {
        "items": item_rows(page) if start < count else [],
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "next": filters.page + 1 if start + filters.page_size < count else None,
    }


@router.post(
    "/projects/{key}/items",
    response={201: ItemOut, **ERRORS},
    operation_id="item_create",
    summary="Create an item",
)
def item_create_endpoint(request, key: str, payload: ItemIn):
    """Create an item at the bottom of the backlog, in draft (agency roles)."""
    project, membership = project_for(request, key, "item.create")
    item = item_create(
        actor=request.auth,
        membership=membership,
        title=payload.title,
        type=payload.type,
        priority=payload.priority,
        user_story=payload.user_story,
        description=payload.description,
        points=payload.points,
        estimate_hours=payload.estimate_hours,
        epic=_epic(project, payload.epic_id),
        assignee=_member_user(project, payload.assignee),
        labels=payload.labels,
        criteria=payload.criteria,
    )
    return Status(201, fresh(item))


@router.get(
    "/items/{item_key}", response={200: ItemOut, **ERRORS}, operation_id="item_detail", summary="Read an item"
)
def item_detail(request, item_key: str):
    item, _ = item_for(request, item_key)
    return fresh(item)


@router.patch(
    "/items/{item_key}", response={200: ItemOut, **ERRORS}, operation_id="item_update", summary="Edit an item"
)
def item_edit(request, item_key: str, payload: ItemPatch):
    """Edit an item's fields; `version` must be the one you read, or the edit is refused with 409."""
    item, membership = item_for(request, item_key)
    sent = payload.model_dump(exclude_unset=True)
    version, criteria = sent.pop("version"), sent.pop("criteria", None)
    if "epic_id" in sent:
        sent["epic"] = _epic(item.project, sent.pop("epic_id"))
    if "assignee" in sent:
        sent["assignee"] = _member_user(item.project, sent["assignee"])
    item = item_update(
        actor=request.auth, membership=membership, item=item, version=version, changes=sent, criteria=criteria
    )
    return fresh(item)


@router.post(
    "/items/{item_key}/move",
    response={200: ItemOut, **ERRORS},
    operation_id="item_move",
    summary="Rank an item",
)
def item_move_endpoint(request, item_key: str, payload: MoveIn):
    """Re-rank the item (client PO and agency PO)."""
    item, membership = item_for(request, item_key)
    item = item_move(
        actor=request.auth,
        membership=membership,
        item=item,
        to_top=payload.to_top,
        position=payload.position,
        before=_neighbour(item.project, payload.before, "before"),
        after=_neighbour(item.project, payload.after, "after"),
    )
    return fresh(item)
