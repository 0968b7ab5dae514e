"""The client's inbox (all projects, or one), what waits on the client (for the agency), handing a
request over, stating availability, and the "Your role this week" guide."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from sightline.accounts.models import User
from sightline.inbox.forms import AvailabilityForm, HandoverForm
from sightline.inbox.policy import require_agency, require_client
from sightline.inbox.rendering import answered_from_inbox, inbox_changed, render_inbox_row
from sightline.inbox.selectors import (
    KIND_LABELS,
    client_members,
    entries,
    find_open_request,
    inbox_rows,
    kind_label,
)
from sightline.inbox.services import availability_update, request_handover
from sightline.lib.errors import DomainError
from sightline.projects.models import Membership, Role, project_today
from sightline.projects.policy import get_project_for
from sightline.projects.rendering import render_project
from sightline.projects.views import members_page
from sightline.sprints.models import Sprint, SprintState


def _inbox_context(request, memberships, *, errors=None):
    """Rows for the user across ``memberships`` (by project key), dressed, with counts and kinds."""
    projects = [m.project for m in memberships.values()]
    all_rows = inbox_rows(projects=projects, holder=request.user)
    kind = request.GET.get("kind", "")
    shown = [row for row in all_rows if row.kind == kind] if kind in {r.kind for r in all_rows} else all_rows
    dressed = entries(shown, user=request.user, memberships=memberships)
    errors = dict(errors or {})
    for entry in dressed:
        entry.error = errors.pop((entry.row.kind, entry.row.id), None)
    kinds = sorted(
        {row.kind for row in all_rows}, key=lambda k: list(KIND_LABELS).index(k) if k in KIND_LABELS else 99
    )
    return {
        "entries": dressed,
        "stray_errors": list(errors.values()),  # about requests no longer in this inbox
        "here_count": len(all_rows),
        "kind": kind if shown is not all_rows else "",
        "kinds": [(k, kind_label(k), sum(1 for r in all_rows if r.kind == k)) for k in kinds],
        "several_projects": len(memberships) > 1,
        "inbox_next": request.get_full_path(),
        "overdue_count": sum(1 for row in all_rows if row.overdue),
    }


@login_required
@require_GET
@vary_on_headers("HX-Request")
def mine(request):
    memberships = {
        m.project.key: m for m in Membership.objects.filter(user=request.user).select_related("project")
    }
    context = _inbox_context(request, memberships)
    context["inbox_total"] = context["here_count"]
    context["memberships"] = list(memberships.values())
    template = "inbox/inbox.html#list" if request.htmx else "inbox/inbox.html"
    return render(request, template, context)


def _render_project_inbox(request, project, membership, *, errors=None, status=200):
    context = _inbox_context(request, {project.key: membership}, errors=errors)
    context["inbox_count"] = context["here_count"]
    template = "inbox/inbox.html#list" if request.htmx else "inbox/inbox.html"
    return render_project(
        request,
        template,
        project=project,
        membership=membership,
        section="inbox",
        context=context,
        status=status,
    )


@login_required
@require_GET
@vary_on_headers("HX-Request")
def project_inbox(request, key):
    project, membership = get_project_for(request.user, key)
    return _render_project_inbox(request, project, membership)


def _next_url(request, form, key) -> str:
    target = form.cleaned_data.get("next", "") if form.is_bound and hasattr(form, "cleaned_data") else ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("inbox:project", args=[key])


@login_required
@require_POST
def handover(request, key):
    project, membership = get_project_for(request.user, key)
    require_client(membership, "Handing a request over")
    form = HandoverForm(request.POST)
    if not form.is_valid() and ("kind" in form.errors or "id" in form.errors):
        raise Http404("No such open request.")
    row = find_open_request(
        projects=[project], kind=form.cleaned_data["kind"], request_id=form.cleaned_data["id"]
    )
    if row is None:
        raise Http404("No such open request: it may have been answered already.")
    error = None
    if form.is_valid():
        to_user = User.objects.filter(pk=form.cleaned_data["to_user"]).first()
        try:
            request_handover(
                actor=request.user,
                membership=membership,
                obj=row.obj,
                to_user=to_user,
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            error = {"field": exc.field or "to_user", "message": exc.message}
        else:
            if answered_from_inbox(request):
                return inbox_changed()
            messages.success(request, f"Handed over to {to_user.display_name}: {row.title}.")
            return redirect(_next_url(request, form, key))
    else:
        field, problems = next(iter(form.errors.items()))
        error = {"field": field, "message": problems[0]}
    if answered_from_inbox(request):
        return render_inbox_row(request, row, error=error)
    return _render_project_inbox(request, project, membership, errors={(row.kind, row.id): error}, status=422)


@login_required
@require_GET
def waiting(request, key):
    project, membership = get_project_for(request.user, key)
    require_agency(membership)
    dressed = entries(
        inbox_rows(projects=[project]), user=request.user, memberships={project.key: membership}
    )
    return render_project(
        request,
        "inbox/waiting.html",
        project=project,
        membership=membership,
        section="waiting",
        context={
            "entries": dressed,
            "people": client_members([project.key])[project.key],
            "today": project_today(project),
        },
    )


@login_required
@require_POST
def availability(request, key):
    project, membership = get_project_for(request.user, key)
    require_client(membership, "Stating availability")
    form = AvailabilityForm(request.POST)
    if form.is_valid():
        try:
            availability_update(actor=request.user, membership=membership, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Your availability is saved; the agency sees it.")
            return redirect("projects:members", key=project.key)
    return members_page(request, project, membership, availability_form=form, status=422)


def _current_sprint(project):
    sprints = Sprint.objects.filter(project=project, state__in=[SprintState.ACTIVE, SprintState.PLANNED])
    return sorted(sprints, key=lambda s: (s.state != SprintState.ACTIVE, s.number))[0] if sprints else None


@login_required
@require_GET
def your_role(request, key):
    project, membership = get_project_for(request.user, key)
    require_client(membership, "This guide")
    rows = inbox_rows(projects=[project], holder=request.user)
    today = project_today(project)
    soon = today + timedelta(days=7)
    kinds = {}
    for row in rows:
        kinds.setdefault(row.kind, []).append(row)
    sprint = _current_sprint(project)
    client_pos = [m for m in client_members([project.key])[project.key] if m.role == Role.CLIENT_PO]
    return render_project(
        request,
        "inbox/your_role.html",
        project=project,
        membership=membership,
        section="your_role",
        context={
            "rows": rows,
            "by_kind": [(k, kind_label(k), len(v)) for k, v in kinds.items()],
            "upcoming": [r for r in rows if r.due is not None and r.due <= soon],
            "overdue": [r for r in rows if r.overdue],
            "sprint": sprint,
            "sprint_days_left": (sprint.end_date - today).days if sprint else None,
            "client_pos": client_pos,
            "may_accept": membership.role == Role.CLIENT_PO or membership.is_acceptor,
            "today": today,
        },
    )
