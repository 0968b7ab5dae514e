"""One item's pages: create, edit, the detail page with its workflow, subtasks, comments and history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from sightline.backlog import selectors
from sightline.backlog.forms import (
    CommentForm,
    CriteriaAction,
    ItemForm,
    SubtaskForm,
    TransitionForm,
    add_service_error,
)
from sightline.backlog.models import ItemType, Priority, Status
from sightline.backlog.services import (
    FINAL_WHEN_ACCEPTED,
    comment_add,
    item_create,
    item_update,
)
from sightline.backlog.subtasks import subtask_add, subtask_toggle
from sightline.backlog.transitions import item_transition, may_give_verdict
from sightline.backlog.workflow import allowed_targets, definition_of_ready_gaps, required_permission
from sightline.lib.errors import DomainError, StaleVersion
from sightline.projects.policy import get_project_for, may
from sightline.projects.rendering import render_project

# What each workflow step is called on the item page, by (from, to).
STEP_LABELS = {
    (Status.DRAFT, Status.READY): "Mark ready",
    (Status.PLANNED, Status.IN_PROGRESS): "Start work",
    (Status.IN_PROGRESS, Status.DELIVERED): "Deliver to staging",
    (Status.REJECTED, Status.IN_PROGRESS): "Resume work",
    (Status.PLANNED, Status.READY): "Take out of the sprint",
}


# --- Create and edit ------------------------------------------------------------------------------


def _render_form(request, project, membership, form, *, item=None, criteria=None, status=200, **extra):
    if criteria is None:
        criteria = form["criteria"].value() or []
    if not criteria or criteria[-1].strip():  # always room for one more
        criteria = [*criteria, ""]
    return render_project(
        request,
        "backlog/item_form.html",
        project=project,
        membership=membership,
        section="backlog",
        status=status,
        context={"form": form, "item": item, "criteria_values": criteria, **extra},
    )


def _rearranged(request, project, membership, *, item=None, **extra):
    """A criteria button (add, up, down, remove) was pressed without JavaScript: show the form again."""
    criteria = CriteriaAction.apply(request.POST["criteria_action"], request.POST.getlist("criteria"))
    initial = {
        name: value for name, value in request.POST.items() if name not in ("criteria", "csrfmiddlewaretoken")
    }
    form = ItemForm(initial=initial, project=project)
    return _render_form(request, project, membership, form, item=item, criteria=criteria or [""], **extra)


@login_required
@require_http_methods(["GET", "POST"])
def item_create_view(request, key):
    project, membership = get_project_for(request.user, key, "item.create")
    if request.method == "GET":
        item_type = request.GET.get("type") if request.GET.get("type") in ItemType.values else ItemType.STORY
        text = selectors.template_text(project, item_type)
        form = ItemForm(
            project=project,
            initial={
                "type": item_type,
                "user_story": text["user_story"],
                "description": text["description"],
                "priority": Priority.MEDIUM,
                "template_applied": True,
            },
        )
        return _render_form(request, project, membership, form, criteria=text["criteria"], template=text)
    if "criteria_action" in request.POST:
        return _rearranged(request, project, membership)
    form = ItemForm(request.POST, project=project)
    if form.is_valid():
        try:
            item = item_create(
                actor=request.user,
                membership=membership,
                criteria=form.cleaned_data["criteria"],
                use_template=not form.cleaned_data["template_applied"],
                **form.changes(),
            )
        except DomainError as exc:
            add_service_error(form, exc)
            return _render_form(request, project, membership, form, status=exc.status)
        messages.success(request, f"{item.key} created.")
        return redirect("backlog:item", project.key, item.key)
    return _render_form(request, project, membership, form, status=422)


def _edit_form(project, item, data=None) -> ItemForm:
    """The edit form; on an accepted item, what the client accepted is shown but cannot be changed."""
    form = ItemForm(data, project=project, initial=ItemForm.initial_for(item))
    if item.status == Status.ACCEPTED:
        for name in FINAL_WHEN_ACCEPTED:
            if name in form.fields:
                form.fields[name].disabled = True
    return form


def _saved_criteria(item) -> list[str]:
    return list(item.criteria.values_list("text", flat=True))


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, key, item_key):
    project, membership = get_project_for(request.user, key, "item.edit")
    item = selectors.item_for(project, item_key)
    if request.method == "GET":
        form = _edit_form(project, item)
        return _render_form(request, project, membership, form, item=item, criteria=_saved_criteria(item))
    accepted = item.status == Status.ACCEPTED
    if "criteria_action" in request.POST and not accepted:
        return _rearranged(request, project, membership, item=item)
    form = _edit_form(project, item, request.POST)
    if form.is_valid():
        try:
            item_update(
                actor=request.user,
                membership=membership,
                item=item,
                version=form.cleaned_data["version"],
                changes=form.changes(),
                criteria=None if accepted else form.cleaned_data["criteria"],
            )
        except StaleVersion as exc:
            return _conflict(request, project, membership, item, exc)
        except DomainError as exc:
            add_service_error(form, exc)
            return _render_edit(request, project, membership, form, item, status=exc.status)
        messages.success(request, f"{item.key} saved.")
        return redirect("backlog:item", project.key, item.key)
    return _render_edit(request, project, membership, form, item, status=422)


def _render_edit(request, project, membership, form, item, **extra):
    """The edit form again, with the posted criteria (the saved ones on an accepted item)."""
    criteria = _saved_criteria(item) if item.status == Status.ACCEPTED else None
    return _render_form(request, project, membership, form, item=item, criteria=criteria, **extra)


def _conflict(request, project, membership, item, exc: StaleVersion):
    """Somebody saved the item meanwhile: keep the reader's input, let them compare and save again."""
    data = request.POST.copy()
    data["version"] = str(exc.current_version)
    form = _edit_form(project, item, data)
    form.is_valid()
    return _render_edit(request, project, membership, form, item, status=409, conflict=exc.message)


# --- The item page --------------------------------------------------------------------------------


def _workflow_steps(item, membership, active_sprint) -> list[dict]:
    """The next states this member may move the item to from this page."""
    steps = []
    for to in allowed_targets(item.status):
        if to in (Status.ACCEPTED, Status.REJECTED) or not may(
            membership, required_permission(item.status, to)
        ):
            continue
        if to == Status.PLANNED:  # planning is done from the sprint; only critical bugs jump in here
            if not (active_sprint and item.type == ItemType.BUG and item.priority == Priority.CRITICAL):
                continue
            steps.append({"to": to, "label": f"Add to the running {active_sprint}", "kind": "plan"})
            continue
        label = STEP_LABELS.get((item.status, to), "Back to draft" if to == Status.DRAFT else to)
        kind = "deliver" if to == Status.DELIVERED else ("reset" if to == Status.DRAFT else "simple")
        steps.append({"to": to, "label": label, "kind": kind})
    return steps


def _render_detail(request, project, membership, item, *, status=200, fragment="", **forms):
    active_sprint = selectors.active_sprint(project) if item.status == Status.READY else None
    criteria = list(item.criteria.all())
    subtasks = list(item.subtasks.select_related("assignee"))
    context = {
        "item": item,
        "criteria": criteria,
        "subtasks": subtasks,
        "subtasks_done": sum(1 for s in subtasks if s.done),
        "subtasks_hours": sum((s.estimate_hours or 0) for s in subtasks),
        "comments": selectors.comments_for(item, membership),
        "history": selectors.item_history(item, membership),
        "steps": _workflow_steps(item, membership, active_sprint),
        "active_sprint": active_sprint,
        "ready_gaps": (
            definition_of_ready_gaps(item, len(criteria), project.estimate_unit)
            if item.status == Status.DRAFT
            else []
        ),
        "can_edit": may(membership, "item.edit"),
        "can_work": may(membership, "item.work"),
        "comment_form": forms.get("comment_form")
        or CommentForm(allow_internal=may(membership, "item.comment_internal")),
        "subtask_form": forms.get("subtask_form") or SubtaskForm(),
        "transition_form": forms.get("transition_form")
        or TransitionForm(initial={"staging_url": item.staging_url or project.staging_url}),
        "transition_error": forms.get("transition_error"),
        "show_acceptance_panel": item.status == Status.DELIVERED and may_give_verdict(membership, item),
    }
    template = f"backlog/item_detail.html#{fragment}" if fragment else "backlog/item_detail.html"
    return render_project(
        request,
        template,
        project=project,
        membership=membership,
        section="backlog",
        context=context,
        status=status,
    )


@login_required
@require_GET
def item_detail(request, key, item_key):
    project, membership = get_project_for(request.user, key, "item.view")
    item = selectors.item_for(project, item_key)
    return _render_detail(request, project, membership, item)


@login_required
@require_GET
def item_history(request, key, item_key):
    project, membership = get_project_for(request.user, key, "audit.view")
    item = selectors.item_for(project, item_key)
    return render_project(
        request,
        "backlog/history.html",
        project=project,
        membership=membership,
        section="backlog",
        context={"item": item, "history": selectors.item_history(item, membership)},
    )


@login_required
@require_POST
def item_transition_view(request, key, item_key):
    project, membership = get_project_for(request.user, key, "item.view")
    item = selectors.item_for(project, item_key)
    form = TransitionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        sprint = selectors.active_sprint(project) if data["to"] == Status.PLANNED else None
        try:
            item = item_transition(
                actor=request.user,
                membership=membership,
                item=item,
                to=data["to"],
                version=data["version"],
                note=data["note"],
                staging_url=data["staging_url"],
                sprint=sprint,
                scope_reason=data["scope_reason"],
            )
        except DomainError as exc:
            add_service_error(form, exc)
            return _render_detail(
                request,
                project,
                membership,
                item,
                status=exc.status,
                transition_form=form,
                transition_error=exc.message,
            )
        messages.success(request, f"{item.key} is now {item.get_status_display().lower()}.")
        return redirect("backlog:item", project.key, item.key)
    return _render_detail(
        request,
        project,
        membership,
        item,
        status=422,
        transition_form=form,
        transition_error="Check the highlighted fields.",
    )


# --- Subtasks and comments ------------------------------------------------------------------------


def _section_or_page(request, project, membership, item, fragment: str, *, status=200, **forms):
    """htmx gets the section back; a plain form post goes back to the item page."""
    if request.htmx:
        return _render_detail(request, project, membership, item, fragment=fragment, status=status, **forms)
    if status >= 400:
        return _render_detail(request, project, membership, item, status=status, **forms)
    return redirect(f"{item.get_absolute_url()}#{fragment}")


@login_required
@require_POST
@vary_on_headers("HX-Request")
def subtask_add_view(request, key, item_key):
    project, membership = get_project_for(request.user, key, "item.edit")
    item = selectors.item_for(project, item_key)
    form = SubtaskForm(request.POST)
    if form.is_valid():
        try:
            subtask_add(actor=request.user, membership=membership, item=item, **form.cleaned_data)
        except DomainError as exc:
            add_service_error(form, exc)
            return _section_or_page(
                request, project, membership, item, "subtasks", status=exc.status, subtask_form=form
            )
        return _section_or_page(request, project, membership, item, "subtasks")
    return _section_or_page(request, project, membership, item, "subtasks", status=422, subtask_form=form)


@login_required
@require_POST
@vary_on_headers("HX-Request")
def subtask_toggle_view(request, key, item_key, subtask_id):
    project, membership = get_project_for(request.user, key, "item.work")
    item = selectors.item_for(project, item_key)
    subtask = get_object_or_404(item.subtasks, pk=subtask_id)
    subtask_toggle(actor=request.user, membership=membership, subtask=subtask)
    return _section_or_page(request, project, membership, item, "subtasks")


@login_required
@require_POST
@vary_on_headers("HX-Request")
def comment_add_view(request, key, item_key):
    project, membership = get_project_for(request.user, key, "item.comment")
    item = selectors.item_for(project, item_key)
    form = CommentForm(request.POST, allow_internal=may(membership, "item.comment_internal"))
    if form.is_valid():
        try:
            comment_add(
                actor=request.user,
                membership=membership,
                item=item,
                body=form.cleaned_data["body"],
                internal=form.cleaned_data.get("internal", False),
            )
        except DomainError as exc:
            add_service_error(form, exc)
            return _section_or_page(
                request, project, membership, item, "comments", status=exc.status, comment_form=form
            )
        return _section_or_page(request, project, membership, item, "comments")
    return _section_or_page(request, project, membership, item, "comments", status=422, comment_form=form)
