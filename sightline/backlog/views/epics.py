"""Epics and the project's item templates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from sightline.backlog import selectors
from sightline.backlog.epics import epic_create, epic_move, epic_position, epic_update
from sightline.backlog.forms import EpicForm, EpicMoveForm, TemplateForm, add_service_error
from sightline.backlog.item_templates import template_save
from sightline.backlog.models import ItemType, Status
from sightline.lib.errors import DomainError, InvalidInput
from sightline.projects.policy import get_project_for, may
from sightline.projects.rendering import render_project
from sightline.roadmap.services import has_client_po

TEMPLATE_TYPES = (ItemType.STORY, ItemType.BUG)


def _render_epics(request, project, membership, form, status=200, fragment="", **extra):
    template = f"backlog/epics.html#{fragment}" if fragment else "backlog/epics.html"
    return render_project(
        request,
        template,
        project=project,
        membership=membership,
        section="backlog",
        status=status,
        context={
            "summaries": selectors.epic_summaries(project),
            "statuses": Status.choices,
            "form": form if may(membership, "epic.manage") else None,
            "can_manage": may(membership, "epic.manage"),
            "can_rank": may(membership, "epic.rank"),
            **extra,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def epic_list(request, key):
    project, membership = get_project_for(request.user, key, "item.view")
    if request.method == "GET":
        return _render_epics(request, project, membership, EpicForm())
    get_project_for(request.user, key, "epic.manage")
    form = EpicForm(request.POST)
    if form.is_valid():
        try:
            epic = epic_create(actor=request.user, membership=membership, **form.cleaned_data)
        except DomainError as exc:
            add_service_error(form, exc)
            return _render_epics(request, project, membership, form, status=exc.status)
        messages.success(request, f"Epic “{epic.title}” created.")
        return redirect("backlog:epics", project.key)
    return _render_epics(request, project, membership, form, status=422)


def _render_epic_form(request, project, membership, epic, form, status=200):
    return render_project(
        request,
        "backlog/epic_form.html",
        project=project,
        membership=membership,
        section="backlog",
        status=status,
        context={"epic": epic, "form": form, "has_client_po": has_client_po(project)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def epic_edit(request, key, epic_id):
    project, membership = get_project_for(request.user, key, "epic.manage")
    epic = selectors.epic_for(project, epic_id)
    if request.method == "GET":
        initial = {name: getattr(epic, name) for name in EpicForm.base_fields}
        return _render_epic_form(request, project, membership, epic, EpicForm(initial=initial))
    form = EpicForm(request.POST)
    if form.is_valid():
        try:
            epic = epic_update(
                actor=request.user, membership=membership, epic=epic, changes=form.cleaned_data
            )
        except DomainError as exc:
            add_service_error(form, exc)
            return _render_epic_form(request, project, membership, epic, form, status=exc.status)
        messages.success(request, f"Epic “{epic.title}” saved.")
        return redirect("backlog:epics", project.key)
    return _render_epic_form(request, project, membership, epic, form, status=422)


@login_required
@require_POST
@vary_on_headers("HX-Request")
def epic_move_view(request, key, epic_id):
    project, membership = get_project_for(request.user, key, "epic.rank")
    epic = selectors.epic_for(project, epic_id)
    form = EpicMoveForm(request.POST)
    try:
        if not form.is_valid():
            field, errors = next(iter(form.errors.items()))
            raise InvalidInput(f"{form.fields[field].label or field}: {errors[0]}", field=field)
        epic = epic_move(
            actor=request.user,
            membership=membership,
            epic=epic,
            direction=form.cleaned_data["direction"] or None,
            position=form.cleaned_data["position"],
        )
    except DomainError as exc:
        # htmx swaps only successful answers: the table comes back with the message saying what went wrong.
        status = 200 if request.htmx else exc.status
        fragment = "table" if request.htmx else ""
        return _render_epics(
            request,
            project,
            membership,
            EpicForm(),
            status,
            fragment,
            move_message=exc.message,
            move_failed=True,
        )
    message = f"“{epic.title}” is now epic {epic_position(epic)}."
    if request.htmx:
        return _render_epics(
            request, project, membership, None, fragment="table", moved=epic.pk, move_message=message
        )
    messages.success(request, message)
    return redirect("backlog:epics", project.key)


def _template_forms(project, posted=None) -> list[tuple[str, str, TemplateForm, bool]]:
    forms = []
    for item_type in TEMPLATE_TYPES:
        if posted is not None and posted.prefix == item_type:
            forms.append((item_type, item_type.label, posted, True))
            continue
        text = selectors.template_text(project, item_type)
        initial = {**text, "criteria": "\n".join(text["criteria"])}
        forms.append(
            (item_type, item_type.label, TemplateForm(initial=initial, prefix=item_type), text["saved"])
        )
    return forms


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request, key):
    project, membership = get_project_for(request.user, key, "item.view")
    status, posted = 200, None
    if request.method == "POST":
        get_project_for(request.user, key, "template.manage")
        item_type = request.POST.get("type")
        if item_type not in TEMPLATE_TYPES:
            messages.error(request, "Choose the story or the bug template.")
            return redirect("backlog:templates", project.key)
        posted = TemplateForm(request.POST, prefix=item_type)
        if posted.is_valid():
            try:
                template_save(
                    actor=request.user,
                    membership=membership,
                    type=item_type,
                    user_story=posted.cleaned_data["user_story"],
                    description=posted.cleaned_data["description"],
                    criteria=posted.criteria_list(),
                )
            except DomainError as exc:
                add_service_error(posted, exc)
                status = exc.status
            else:
                messages.success(request, f"The {ItemType(item_type).label.lower()} template is saved.")
                return redirect("backlog:templates", project.key)
        else:
            status = 422
    forms = _template_forms(project, posted)
    can_manage = may(membership, "template.manage")
    if not can_manage:
        for _, _, form, _ in forms:
            for field in form.fields.values():
                field.disabled = True
    return render_project(
        request,
        "backlog/templates.html",
        project=project,
        membership=membership,
        section="backlog",
        status=status,
        context={"forms": forms, "can_manage": can_manage, "can_create": may(membership, "item.create")},
    )
