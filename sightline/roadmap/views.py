"""The roadmap page (releases on a timeline), change requests and, without a client PO, direct edits."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sightline.inbox.rendering import answered_from_inbox, inbox_changed, render_inbox_row
from sightline.lib.errors import DomainError
from sightline.projects.policy import get_project_for, may
from sightline.projects.rendering import render_project
from sightline.roadmap import changes, inbox, selectors, services
from sightline.roadmap.forms import (
    KIND_SHORT,
    ChangeForm,
    DecisionForm,
    PlaceEpicForm,
    ReleaseForm,
    add_service_error,
)


def _page_error(form, exc: DomainError) -> str:
    """Show the error next to its field when the form has it; otherwise return it for the page."""
    if exc.field in form.fields:
        form.add_error(exc.field, exc.message)
        return ""
    return exc.message


def _with_rights(roadmap_changes, membership):
    for change in roadmap_changes:
        change.can_decide = changes.may_decide(membership, change)
        change.can_withdraw = changes.may_withdraw(membership, change)
    return roadmap_changes


def _render_page(request, project, membership, *, release_form=None, edit_forms=None, error="", status=200):
    roadmap = selectors.roadmap_for(project)
    _with_rights(roadmap.open_changes, membership)
    has_client_po = services.has_client_po(project)
    direct = may(membership, "roadmap.edit") and not has_client_po
    edit_forms = edit_forms or {}
    if direct:
        for col in roadmap.releases:
            release = col.release
            col.edit_open = release.pk in edit_forms
            col.edit_form = edit_forms.get(release.pk) or ReleaseForm(
                prefix=f"release-{release.pk}",
                initial={
                    "name": release.name,
                    "target_date": release.target_date,
                    "description": release.description,
                },
            )
    return render_project(
        request,
        "roadmap/roadmap.html",
        project=project,
        membership=membership,
        section="roadmap",
        status=status,
        context={
            "roadmap": roadmap,
            "has_client_po": has_client_po,
            "client_pos": list(changes.client_pos(project)) if has_client_po else [],
            "can_propose": may(membership, "roadmap.propose") and has_client_po,
            "direct": direct,
            "release_form": (release_form or ReleaseForm()) if direct else None,
            "kinds": KIND_SHORT.items(),
            "error": error,
        },
    )


@login_required
@require_GET
def roadmap_page(request, key):
    project, membership = get_project_for(request.user, key, "roadmap.view")
    return _render_page(request, project, membership)


# --- change requests ----------------------------------------------------------------------------
def _render_propose(request, project, membership, form, status=200):
    return render_project(
        request,
        "roadmap/propose.html",
        project=project,
        membership=membership,
        section="roadmap",
        status=status,
        context={"form": form, "kinds": KIND_SHORT.items(), "has_client_po": services.has_client_po(project)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_propose(request, key):
    project, membership = get_project_for(request.user, key, "roadmap.propose")
    if request.method == "GET":
        initial = {name: request.GET.get(name) for name in ("epic", "release") if request.GET.get(name)}
        form = ChangeForm(project=project, kind=request.GET.get("kind", ""), initial=initial)
        return _render_propose(request, project, membership, form)
    form = ChangeForm(request.POST, project=project, kind=request.POST.get("kind", ""))
    if not form.is_valid():
        return _render_propose(request, project, membership, form, status=422)
    try:
        change = changes.roadmap_change_propose(
            actor=request.user, membership=membership, **form.service_arguments()
        )
    except DomainError as exc:
        add_service_error(form, exc)
        return _render_propose(request, project, membership, form, status=exc.status)
    messages.success(
        request, "Change proposed. Nothing moves on the roadmap until the client PO approves it."
    )
    return redirect("roadmap:change", project.key, change.pk)


def _render_change(request, project, membership, change, *, form=None, error="", status=200):
    _with_rights([change], membership)
    return render_project(
        request,
        "roadmap/change.html",
        project=project,
        membership=membership,
        section="roadmap",
        status=status,
        context={"change": change, "form": form or DecisionForm(), "error": error},
    )


@login_required
@require_GET
def change_detail(request, key, change_id):
    project, membership = get_project_for(request.user, key, "roadmap.view")
    return _render_change(request, project, membership, selectors.get_change(project, change_id))


def _next(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _answer(request, key, change_id, action):
    project, membership = get_project_for(request.user, key, "roadmap.view")
    change = selectors.get_change(project, change_id)
    form = DecisionForm(request.POST)
    from_inbox = answered_from_inbox(request)
    try:
        if not form.is_valid():
            raise DomainError(form.errors["comment"][0], field="comment")
        if action == "withdraw":
            change = changes.roadmap_change_withdraw(actor=request.user, membership=membership, change=change)
        else:
            service = (
                changes.roadmap_change_approve if action == "approve" else changes.roadmap_change_decline
            )
            comment = form.cleaned_data["comment"]
            change = service(actor=request.user, membership=membership, change=change, comment=comment)
    except DomainError as exc:
        error = {"field": exc.field, "message": exc.message}
        if from_inbox:
            change = selectors.get_change(project, change_id)
            row = inbox.row_for(change)
            context = {"roadmap_error": error, "roadmap_comment": request.POST.get("comment", "")}
            return render_inbox_row(request, row, error=None, context=context)
        return _render_change(
            request, project, membership, selectors.get_change(project, change_id),
            form=form, error=exc.message, status=exc.status,
        )  # fmt: skip
    if from_inbox:
        return inbox_changed()
    messages.success(request, f"{change.get_state_display()}: {change.summary}.")
    return redirect(_next(request, change.get_absolute_url()))


@login_required
@require_POST
def change_approve(request, key, change_id):
    return _answer(request, key, change_id, "approve")


@login_required
@require_POST
def change_decline(request, key, change_id):
    return _answer(request, key, change_id, "decline")


@login_required
@require_POST
def change_withdraw(request, key, change_id):
    return _answer(request, key, change_id, "withdraw")


# --- direct edits: only on a project without a client PO -------------------------------------------
def _direct_edit_refused(request, project, membership):
    """The roadmap page saying why, when ``membership`` may not edit this roadmap directly (on a project
    with a client PO: propose a change instead); None when they may."""
    try:
        services.require_direct_edit(membership)
    except DomainError as exc:
        return _render_page(request, project, membership, error=exc.message, status=exc.status)
    return None


@login_required
@require_POST
def release_create_view(request, key):
    project, membership = get_project_for(request.user, key, "roadmap.view")
    if refused := _direct_edit_refused(request, project, membership):
        return refused
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        return _render_page(request, project, membership, release_form=form, status=422)
    try:
        release = services.release_create(actor=request.user, membership=membership, **form.cleaned_data)
    except DomainError as exc:
        error = _page_error(form, exc)
        return _render_page(request, project, membership, release_form=form, error=error, status=exc.status)
    messages.success(request, f"Release “{release.name}” added to the roadmap.")
    return redirect("roadmap:page", project.key)


@login_required
@require_POST
def release_edit_view(request, key, release_id):
    project, membership = get_project_for(request.user, key, "roadmap.view")
    if refused := _direct_edit_refused(request, project, membership):
        return refused
    release = selectors.get_release(project, release_id)
    form = ReleaseForm(request.POST, prefix=f"release-{release.pk}")
    if not form.is_valid():
        return _render_page(request, project, membership, edit_forms={release.pk: form}, status=422)
    try:
        release = services.release_update(
            actor=request.user, membership=membership, release=release, **form.cleaned_data
        )
    except DomainError as exc:
        error = _page_error(form, exc)
        return _render_page(
            request, project, membership, edit_forms={release.pk: form}, error=error, status=exc.status
        )
    messages.success(request, f"Release “{release.name}” saved.")
    return redirect("roadmap:page", project.key)


@login_required
@require_POST
def epic_place_view(request, key, epic_id):
    project, membership = get_project_for(request.user, key, "roadmap.view")
    if refused := _direct_edit_refused(request, project, membership):
        return refused
    epic = selectors.get_epic(project, epic_id)
    form = PlaceEpicForm(request.POST, project=project)
    if not form.is_valid():
        return _render_page(request, project, membership, error="Choose one of the releases.", status=422)
    try:
        epic = services.epic_place(
            actor=request.user, membership=membership, epic=epic, release=form.cleaned_data["release"]
        )
    except DomainError as exc:
        return _render_page(request, project, membership, error=exc.message, status=exc.status)
    where = f"in “{epic.release.name}”" if epic.release_id else "unscheduled"
    messages.success(request, f"“{epic.title}” is {where} now.")
    return redirect("roadmap:page", project.key)
