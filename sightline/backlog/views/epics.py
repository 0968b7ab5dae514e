"""Epics and the project's item templates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from sightline.backlog import selectors
from sightline.backlog.epics import epic_create
from sightline.backlog.forms import EpicForm, TemplateForm, add_service_error
from sightline.backlog.models import ItemType, Status
from sightline.backlog.services import template_save
from sightline.lib.errors import DomainError
from sightline.projects.policy import get_project_for, may
from sightline.projects.rendering import render_project

TEMPLATE_TYPES = (ItemType.STORY, ItemType.BUG)


def _render_epics(request, project, membership, form, status=200):
    return render_project(
        request,
        "backlog/epics.html",
        project=project,
        membership=membership,
        section="backlog",
        status=status,
        context={
            "summaries": selectors.epic_summaries(project),
            "statuses": Status.choices,
            "form": form if may(membership, "epic.manage") else None,
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
