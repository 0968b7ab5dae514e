"""The backlog page: the ranked list with filters and "Load more", reordering, inline priority."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from sightline.backlog import selectors
from sightline.backlog.forms import BacklogFilterForm, MoveForm, PriorityForm
from sightline.backlog.models import Priority
from sightline.backlog.services import item_move, item_update
from sightline.lib.errors import DomainError, InvalidInput
from sightline.projects.policy import get_project_for, may
from sightline.projects.rendering import render_project


def _list_context(request, project, membership, form, *, offset=0, shown=0, fragment=""):
    filters = form.filters()
    filtered = any(filters.values())
    if fragment == "more":
        page = selectors.backlog_page(project, filters, offset=offset)
    else:  # the list from the top, down to what the reader had already loaded
        page = selectors.backlog_page(
            project, filters, offset=max(offset, shown - selectors.PAGE_SIZE, 0), start=0
        )
    query = request.GET.copy()
    query.pop("offset", None)
    return {
        "form": form,
        "page": page,
        "rows": page.rows,
        "filtered": filtered,
        "query": query.urlencode(),
        "can_rank": may(membership, "item.rank") and not filtered,
        "may_rank": may(membership, "item.rank"),
        "can_prioritise": may(membership, "item.prioritise"),
        "can_create": may(membership, "item.create"),
        "list_url": reverse("backlog:list", args=[project.key]),
        "back_url": request.get_full_path() if request.method == "GET" else "",
        "priorities": Priority.choices,
        "matching": selectors.backlog_queryset(project, filters).count() if filtered else None,
    }


def _render_list(request, project, membership, form, *, fragment="", status=200, **extra):
    context = _list_context(
        request,
        project,
        membership,
        form,
        fragment=fragment,
        offset=extra.pop("offset", 0),
        shown=extra.pop("shown", 0),
    )
    context.update(extra)
    if not fragment:
        context["summary"] = selectors.backlog_summary(project)
    template = f"backlog/list.html#{fragment}" if fragment else "backlog/list.html"
    return render_project(
        request,
        template,
        project=project,
        membership=membership,
        section="backlog",
        context=context,
        status=status,
    )


def _is_fragment_request(request) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request and not request.htmx.boosted


@login_required
@require_GET
@vary_on_headers("HX-Request")
def backlog_list(request, key):
    project, membership = get_project_for(request.user, key, "item.view")
    form = BacklogFilterForm(request.GET, project=project)
    offset = form.offset_value()
    fragment = ""
    if _is_fragment_request(request):
        fragment = "more" if offset else "list"
    # A query that does not validate (only a hand-made one can) shows the whole backlog and says why.
    return _render_list(
        request,
        project,
        membership,
        form,
        fragment=fragment,
        offset=offset,
        status=200 if form.is_valid() else 400,
        filter_errors=form.error_lines(),
    )


def _back_to(request, project) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("backlog:list", args=[project.key])


@login_required
@require_POST
@vary_on_headers("HX-Request")
def item_move_view(request, key, item_key):
    project, membership = get_project_for(request.user, key, "item.rank")
    item = selectors.item_for(project, item_key)
    form = MoveForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(form.error_text(), field="position")
        data = form.cleaned_data
        neighbours = {side: _neighbour(project, data[side]) for side in ("after", "before") if data[side]}
        item = item_move(
            actor=request.user,
            membership=membership,
            item=item,
            to_top=data["to_top"],
            position=data["position"],
            **neighbours,
        )
    except DomainError as exc:
        return _after_move(request, project, membership, form, item, error=exc.message, status=exc.status)
    return _after_move(request, project, membership, form, item)


def _after_move(request, project, membership, form, item, *, error=None, status=200):
    """The re-rendered list for htmx; otherwise back to the page the reader came from."""
    unfiltered = BacklogFilterForm({}, project=project)
    if _is_fragment_request(request):
        message = None if error else f"{item.key} moved to position {selectors.item_position(item)}."
        shown = form.cleaned_data.get("shown") or 0
        return _render_list(
            request,
            project,
            membership,
            unfiltered,
            fragment="list",
            status=status,
            shown=shown,
            move_error=error,
            move_message=message,
            moved_key=item.key,
        )
    if error:
        return _render_list(
            request, project, membership, unfiltered, status=status, move_error=error, moved_key=item.key
        )
    messages.success(request, f"{item.key} moved to position {selectors.item_position(item)}.")
    return redirect(_back_to(request, project))


def _neighbour(project, item_key: str):
    neighbour = selectors.neighbour_for(project, item_key)
    if neighbour is None:
        raise InvalidInput(
            f"There is no item {item_key} in {project.key} to move next to; nothing was changed.",
            field="neighbour",
        )
    return neighbour


@login_required
@require_POST
@vary_on_headers("HX-Request")
def item_priority(request, key, item_key):
    project, membership = get_project_for(request.user, key, "item.prioritise")
    item = selectors.item_for(project, item_key)
    form = PriorityForm(request.POST)
    error, status = None, 200
    if form.is_valid():
        try:
            item = item_update(
                actor=request.user,
                membership=membership,
                item=item,
                version=None,
                changes={"priority": form.cleaned_data["priority"]},
            )
        except DomainError as exc:
            error, status = exc.message, exc.status
    else:
        error, status = "Choose one of the priorities: critical, high, medium or low.", 422
    if _is_fragment_request(request):
        row = selectors.backlog_queryset(project).get(pk=item.pk)
        row.position = selectors.item_position(row)
        context = {
            "row": row,
            "row_error": error,
            "can_prioritise": True,
            "priorities": Priority.choices,
            "may_rank": may(membership, "item.rank"),
            "back_url": _back_to(request, project),
        }
        return render_project(
            request,
            "backlog/list.html#row",
            project=project,
            membership=membership,
            status=status,
            context=context,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"{item.key} is now {item.get_priority_display().lower()} priority.")
    return redirect(_back_to(request, project))
