"""The client's side of delivery: what awaits a verdict, and accepting or rejecting it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from sightline.acceptance.forms import VerdictForm
from sightline.acceptance.inbox import rows as inbox_rows
from sightline.acceptance.selectors import awaiting_items, get_item
from sightline.backlog.models import Status
from sightline.backlog.transitions import item_accept, item_reject, may_give_verdict
from sightline.inbox.rendering import answered_from_inbox, inbox_changed, render_inbox_row
from sightline.lib.errors import DomainError
from sightline.projects.policy import denial_message, get_project_for, may
from sightline.projects.rendering import render_project


@login_required
@require_GET
def awaiting(request, key):
    project, membership = get_project_for(request.user, key, "item.view")
    can_accept = may(membership, "item.accept")
    if can_accept:
        title = "Awaiting your acceptance"
    elif membership.is_client:
        title = "Awaiting the client's acceptance"
    else:
        title = "Waiting on the client"
    return render_project(
        request,
        "acceptance/awaiting.html",
        project=project,
        membership=membership,
        section="awaiting",
        context={
            "items": awaiting_items(project, with_criteria=can_accept),
            "can_accept": can_accept,
            "title": title,
        },
    )


def _render_review(request, project, membership, item, *, error=None, form=None, status=200):
    ticked = set(form.cleaned_data.get("criteria", [])) if form is not None and form.is_valid() else set()
    context = {
        "item": item,
        "criteria": list(item.criteria.all()),
        "can_accept": may_give_verdict(membership, item),
        "acceptance_error": error,
        "acceptance_ticked": ticked,
        "acceptance_reason": request.POST.get("reason", ""),
        "acceptance_next": request.POST.get("next", ""),
    }
    return render_project(
        request,
        "acceptance/review.html",
        project=project,
        membership=membership,
        section="awaiting",
        context=context,
        status=status,
    )


@login_required
@require_GET
def review(request, key, item_key):
    project, membership = get_project_for(request.user, key, "item.view")
    return _render_review(request, project, membership, get_item(project, item_key))


def _next_url(request, form, item) -> str:
    target = form.cleaned_data.get("next") if form.is_valid() else ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return item.get_absolute_url()


def _refused(request, project, membership, item, *, error, form, status):
    """Show the verdict form again with ``error``: in its inbox row (htmx), or on the review page."""
    if answered_from_inbox(request):
        row = next(iter(inbox_rows(projects=[project], pk=item.pk)), None)
        if row is None:  # no longer awaiting a verdict: the inbox drops it
            return inbox_changed()
        ticked = set(form.cleaned_data.get("criteria", [])) if form.is_valid() else set()
        context = {
            "acceptance_error": error,
            "acceptance_ticked": ticked,
            "acceptance_reason": request.POST.get("reason", ""),
        }
        return render_inbox_row(request, row, context=context)
    return _render_review(request, project, membership, item, error=error, form=form, status=status)


def _verdict(request, key, item_key, outcome: str):
    project, membership = get_project_for(request.user, key, "item.view")
    item = get_item(project, item_key)
    if not may_give_verdict(membership, item):
        raise PermissionDenied(denial_message("item.accept"))
    form = VerdictForm(request.POST, criteria=item.criteria.all())
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        error = {"field": field, "message": errors[0]}
        return _refused(request, project, membership, item, error=error, form=form, status=422)
    ticked = form.cleaned_data["criteria"]
    try:
        if outcome == Status.ACCEPTED:
            item = item_accept(actor=request.user, membership=membership, item=item, criteria_met=ticked)
            messages.success(request, f"{item.key} accepted: it is Done. Thank you!")
        else:
            item = item_reject(
                actor=request.user,
                membership=membership,
                item=item,
                reason=form.cleaned_data["reason"],
                criteria_met=ticked,
            )
            messages.success(request, f"{item.key} went back to the team with your reason.")
    except DomainError as exc:
        error = {"field": exc.field, "message": exc.message}
        return _refused(request, project, membership, item, error=error, form=form, status=exc.status)
    if answered_from_inbox(request):
        return inbox_changed()
    return redirect(_next_url(request, form, item))


@login_required
@require_POST
def accept(request, key, item_key):
    return _verdict(request, key, item_key, Status.ACCEPTED)


@login_required
@require_POST
def reject(request, key, item_key):
    return _verdict(request, key, item_key, Status.REJECTED)
