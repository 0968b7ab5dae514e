"""Sprint pages: the list, planning and running a sprint, its close report, and the board."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from sightline.backlog.models import Item, Status
from sightline.backlog.transitions import item_transition
from sightline.lib.errors import DomainError, InvalidInput
from sightline.lib.numbers import plain_number
from sightline.projects.policy import get_project_for, may
from sightline.projects.rendering import render_project
from sightline.sprints import selectors
from sightline.sprints.forms import BoardMoveForm, PlanForm, SprintCreateForm, SprintUpdateForm, UnplanForm
from sightline.sprints.models import SprintState
from sightline.sprints.services import (
    sprint_close,
    sprint_create,
    sprint_plan_item,
    sprint_start,
    sprint_unplan_item,
    sprint_update,
)


def _form_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _first_error(form, *, labelled: bool = True) -> InvalidInput | None:
    """The form's first error as the services would word it, or None when the form is valid."""
    if form.is_valid():
        return None
    field, errors = next(iter(form.errors.items()))
    label = form.fields[field].label if labelled and field in form.fields else None
    return InvalidInput(f"{label}: {errors[0]}" if label else errors[0], field=field)


def _status(request, status: int) -> int:
    """htmx swaps only successful responses: fragments carrying an error are sent with 200."""
    return 200 if request.htmx else status


def _detail_url(project, sprint, q: str = "") -> str:
    url = reverse("sprints:detail", args=[project.key, sprint.number])
    return f"{url}?{urlencode({'q': q})}" if q else url


# --- The list -------------------------------------------------------------------------------------


def _render_list(request, project, membership, form, status=200):
    rows = selectors.sprint_rows(project)
    return render_project(
        request,
        "sprints/list.html",
        project=project,
        membership=membership,
        section="sprints",
        status=status,
        context={
            "rows": rows,
            "form": form,
            "velocity": selectors.velocity_summary(rows),
            "next_number": (rows[0].sprint.number if rows else 0) + 1,
        },
    )


@login_required
@require_GET
def sprint_list(request, key):
    project, membership = get_project_for(request.user, key, "sprint.view")
    form = (
        SprintCreateForm(initial=selectors.next_sprint_initial(project))
        if may(membership, "sprint.manage")
        else None
    )
    return _render_list(request, project, membership, form)


@login_required
@require_POST
def sprint_create_view(request, key):
    project, membership = get_project_for(request.user, key, "sprint.manage")
    form = SprintCreateForm(request.POST)
    if form.is_valid():
        try:
            sprint = sprint_create(actor=request.user, membership=membership, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
            return _render_list(request, project, membership, form, status=exc.status)
        messages.success(request, f"{sprint} created. Pull ready items into it below.")
        return redirect("sprints:detail", project.key, sprint.number)
    return _render_list(request, project, membership, form, status=422)


# --- One sprint -----------------------------------------------------------------------------------


def _render_detail(
    request, project, membership, sprint, *, q="", plan_error=None, update_form=None, fragment="", status=200
):
    context = {
        "sprint": sprint,
        "q": q,
        "plan_error": plan_error,
        "can_manage": may(membership, "sprint.manage") and sprint.state != SprintState.CLOSED,
        "can_see_availability": may(membership, "sprint.availability"),
    }
    if sprint.state == SprintState.CLOSED:
        context.update(report=selectors.close_report(sprint), scope_changes=selectors.scope_changes(sprint))
    else:
        items = list(selectors.sprint_items(sprint))
        context.update(
            items=items,
            capacity=selectors.capacity_for(sprint),
            capacity_source=selectors.capacity_source(sprint),
            groups=selectors.group_by_state(items) if sprint.state == SprintState.ACTIVE else [],
            points=sum(i.points or 0 for i in items),
        )
        if context["can_manage"]:
            context["carried_over"] = selectors.carried_over_items(project)
            context["ready"], context["ready_total"] = selectors.ready_items(project, q)
            context["update_form"] = update_form or SprintUpdateForm(
                initial={"goal": sprint.goal, "capacity_hours": selectors.tidy_hours(sprint.capacity_hours)}
            )
        if sprint.state == SprintState.ACTIVE:
            context["scope_changes"] = selectors.scope_changes(sprint)
    template = f"sprints/detail.html#{fragment}" if fragment else "sprints/detail.html"
    return render_project(
        request,
        template,
        project=project,
        membership=membership,
        section="sprints",
        context=context,
        status=status,
    )


@login_required
@require_GET
@vary_on_headers("HX-Request")
def sprint_detail(request, key, number):
    project, membership = get_project_for(request.user, key, "sprint.view")
    sprint = selectors.get_sprint(project, number)
    fragment = "ready" if request.htmx and request.htmx.target == "ready-list" else ""
    return _render_detail(request, project, membership, sprint, q=request.GET.get("q", ""), fragment=fragment)


@login_required
@require_POST
def sprint_update_view(request, key, number):
    project, membership = get_project_for(request.user, key, "sprint.manage")
    sprint = selectors.get_sprint(project, number)
    form = SprintUpdateForm(request.POST)
    if form.is_valid():
        try:
            sprint_update(actor=request.user, membership=membership, sprint=sprint, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
            return _render_detail(request, project, membership, sprint, update_form=form, status=exc.status)
        messages.success(request, f"{sprint} updated.")
        return redirect("sprints:detail", project.key, sprint.number)
    return _render_detail(request, project, membership, sprint, update_form=form, status=422)


@login_required
@require_POST
@vary_on_headers("HX-Request")
def sprint_plan_view(request, key, number):
    project, membership = get_project_for(request.user, key, "sprint.manage")
    sprint = selectors.get_sprint(project, number)
    form = PlanForm(request.POST)
    item = get_object_or_404(Item, project=project, key=request.POST.get("item", ""))
    q = request.POST.get("q", "")
    error = _first_error(form, labelled=False)
    if error is None:
        try:
            sprint_plan_item(
                actor=request.user,
                membership=membership,
                sprint=sprint,
                item=item,
                scope_reason=form.cleaned_data["scope_reason"],
            )
        except DomainError as exc:
            error = exc
    if error is not None:
        plan_error = {
            "item": item.key,
            "field": error.field,
            "message": error.message,
            "reason": request.POST.get("scope_reason", ""),
        }
        return _render_detail(
            request,
            project,
            membership,
            sprint,
            q=q,
            plan_error=plan_error,
            fragment="planning",
            status=_status(request, error.status),
        )
    if request.htmx:
        return _render_detail(request, project, membership, sprint, q=q, fragment="planning")
    messages.success(request, f"{item.key} added to {sprint}.")
    return redirect(_detail_url(project, sprint, q))


@login_required
@require_POST
@vary_on_headers("HX-Request")
def sprint_unplan_view(request, key, number):
    project, membership = get_project_for(request.user, key, "sprint.manage")
    sprint = selectors.get_sprint(project, number)
    form = UnplanForm(request.POST)
    form.is_valid()
    item = get_object_or_404(Item, project=project, sprint=sprint, key=form.cleaned_data.get("item", ""))
    q = form.cleaned_data.get("q", "")
    try:
        item = sprint_unplan_item(actor=request.user, membership=membership, item=item)
    except DomainError as exc:
        error = {"item": item.key, "field": exc.field, "message": exc.message}
        return _render_detail(
            request,
            project,
            membership,
            sprint,
            q=q,
            plan_error=error,
            fragment="planning",
            status=_status(request, exc.status),
        )
    if request.htmx:
        return _render_detail(request, project, membership, sprint, q=q, fragment="planning")
    where = "ready list" if item.status == Status.READY else "carried-over work"
    messages.success(request, f"{item.key} taken out of {sprint}; it is back in the {where}.")
    return redirect(_detail_url(project, sprint, q))


@login_required
@require_POST
def sprint_start_view(request, key, number):
    project, membership = get_project_for(request.user, key, "sprint.manage")
    sprint = selectors.get_sprint(project, number)
    try:
        sprint_start(actor=request.user, membership=membership, sprint=sprint)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{sprint} started. The team can pick up work on the board.")
    return redirect("sprints:detail", project.key, sprint.number)


@login_required
@require_http_methods(["GET", "POST"])
def sprint_close_view(request, key, number):
    """GET asks for confirmation and shows what will roll over; POST closes the sprint."""
    project, membership = get_project_for(request.user, key, "sprint.manage")
    sprint = selectors.get_sprint(project, number)
    if sprint.state != SprintState.ACTIVE:
        messages.error(
            request,
            f"{sprint} is {sprint.get_state_display().lower()}; only the active sprint can be closed.",
        )
        return redirect("sprints:detail", project.key, sprint.number)
    if request.method == "GET":
        return render_project(
            request,
            "sprints/close_confirm.html",
            project=project,
            membership=membership,
            section="sprints",
            context={"sprint": sprint, **selectors.close_preview(sprint)},
        )
    try:
        sprint = sprint_close(actor=request.user, membership=membership, sprint=sprint)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        where = str(sprint.rolled_to) if sprint.rolled_to else "the backlog"
        rolled = len(sprint.rolled_over)
        messages.success(
            request,
            f"{sprint} closed: velocity {plain_number(sprint.velocity_points)} points; "
            f"{rolled} item{'s' if rolled != 1 else ''} rolled over to {where}.",
        )
    return redirect("sprints:detail", project.key, sprint.number)


# --- The board ------------------------------------------------------------------------------------


def _render_board(request, project, membership, *, card_error=None, status=200, fragment=""):
    sprint = selectors.active_sprint(project)
    context = {
        "sprint": sprint,
        "columns": selectors.board_columns(sprint) if sprint else [],
        "card_error": card_error or {},
        "can_work": may(membership, "item.work"),
        "can_accept": may(membership, "item.accept"),
        "can_view_internal": may(membership, "item.view_internal"),
    }
    template = f"sprints/board.html#{fragment}" if fragment else "sprints/board.html"
    return render_project(
        request,
        template,
        project=project,
        membership=membership,
        section="board",
        context=context,
        status=status,
    )


@login_required
@require_GET
def board(request, key):
    project, membership = get_project_for(request.user, key, "sprint.view")
    return _render_board(request, project, membership)


@login_required
@require_POST
@vary_on_headers("HX-Request")
def board_move(request, key):
    project, membership = get_project_for(request.user, key, "item.work")
    form = BoardMoveForm(request.POST)
    item = get_object_or_404(Item, project=project, key=request.POST.get("item", ""))
    error = _first_error(form)
    if error is None:
        data = form.cleaned_data
        try:
            item = item_transition(
                actor=request.user,
                membership=membership,
                item=item,
                to=data["to"],
                note=data["note"],
                staging_url=data["staging_url"],
                version=data["version"],
            )
        except DomainError as exc:
            error = exc
    if error is not None:
        card_error = {
            "key": item.key,
            "message": error.message,
            "note": request.POST.get("note", ""),
            "staging_url": request.POST.get("staging_url", ""),
        }
        return _render_board(
            request,
            project,
            membership,
            card_error=card_error,
            fragment="board" if request.htmx else "",
            status=_status(request, error.status),
        )
    if request.htmx:
        return _render_board(request, project, membership, fragment="board")
    messages.success(request, f"{item.key} is now {item.get_status_display().lower()}.")
    return redirect("sprints:board", project.key)
