"""Decision pages: a project's decisions, asking one, editing it while open, answering, withdrawing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from sightline.decisions import selectors
from sightline.decisions.forms import AnswerForm, DecisionForm, WithdrawForm, add_service_error
from sightline.decisions.inbox import rows as inbox_rows
from sightline.decisions.policy import may_answer
from sightline.decisions.services import decision_answer, decision_create, decision_update, decision_withdraw
from sightline.inbox.rendering import answered_from_inbox, inbox_changed, render_inbox_row
from sightline.lib.errors import DomainError, StaleVersion
from sightline.projects.models import project_today
from sightline.projects.policy import get_project_for, may
from sightline.projects.rendering import render_project


@login_required
@require_GET
def decision_list(request, key):
    project, membership = get_project_for(request.user, key, "decision.view")
    decisions = selectors.project_decisions(project)
    today = project_today(project)
    return render_project(
        request,
        "decisions/list.html",
        project=project,
        membership=membership,
        section="decisions",
        context={
            "open": [d for d in decisions if d.is_open],
            "closed": [d for d in decisions if not d.is_open],
            "today": today,
            "can_ask": may(membership, "decision.request"),
        },
    )


def _render_form(request, project, membership, form, *, decision=None, status=200, conflict=""):
    return render_project(
        request,
        "decisions/form.html",
        project=project,
        membership=membership,
        section="decisions",
        context={"form": form, "decision": decision, "conflict": conflict},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_create_view(request, key):
    project, membership = get_project_for(request.user, key, "decision.request")
    if request.method == "GET":
        initial = {"blocking_items": request.GET.get("blocks", "")}
        return _render_form(request, project, membership, DecisionForm(project=project, initial=initial))
    form = DecisionForm(request.POST, project=project)
    if not form.is_valid():
        return _render_form(request, project, membership, form, status=422)
    try:
        decision = decision_create(
            actor=request.user, membership=membership, holder=form.chosen_holder(), **form.service_arguments()
        )
    except DomainError as exc:
        add_service_error(form, exc)
        return _render_form(request, project, membership, form, status=exc.status)
    messages.success(request, f"{decision.reference} asked: the client is notified.")
    return redirect(decision.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request, key, number):
    project, membership = get_project_for(request.user, key, "decision.request")
    decision = selectors.decision_for(project, number)
    if request.method == "GET" and not decision.is_open:
        messages.info(
            request,
            f"{decision.reference} is {decision.get_state_display().lower()}: it can no longer be edited.",
        )
        return redirect(decision.get_absolute_url())
    if request.method == "GET":
        form = DecisionForm(project=project, editing=True, initial=DecisionForm.initial_for(decision))
        return _render_form(request, project, membership, form, decision=decision)
    form = DecisionForm(request.POST, project=project, editing=True)
    if not form.is_valid():
        return _render_form(request, project, membership, form, decision=decision, status=422)
    try:
        decision_update(
            actor=request.user,
            membership=membership,
            decision=decision,
            version=form.cleaned_data["version"],
            **form.service_arguments(),
        )
    except StaleVersion as exc:
        data = request.POST.copy()
        data["version"] = str(exc.current_version)  # saving again applies the reader's version
        form = DecisionForm(data, project=project, editing=True)
        form.is_valid()
        return _render_form(
            request, project, membership, form, decision=decision, status=409, conflict=exc.message
        )
    except DomainError as exc:
        add_service_error(form, exc)
        return _render_form(request, project, membership, form, decision=decision, status=exc.status)
    messages.success(request, f"{decision.reference} saved.")
    return redirect(decision.get_absolute_url())


def _render_detail(request, project, membership, decision, *, status=200, answer_error=None, **extra):
    return render_project(
        request,
        "decisions/detail.html",
        project=project,
        membership=membership,
        section="decisions",
        context={
            "decision": decision,
            "options": list(decision.options.all()),
            "blocking": list(decision.blocking_items.all()),
            "can_answer": decision.is_open and may_answer(membership, decision),
            "can_manage": decision.is_open and may(membership, "decision.request"),
            "answer_error": answer_error,
            "answer_comment": request.POST.get("comment", "") if request.method == "POST" else "",
            **extra,
        },
        status=status,
    )


@login_required
@require_GET
def decision_detail(request, key, number):
    project, membership = get_project_for(request.user, key, "decision.view")
    return _render_detail(request, project, membership, selectors.decision_for(project, number))


def _first_error(form) -> dict:
    field, errors = next(iter(form.errors.items()))
    return {"field": field, "message": errors[0]}


def _next_url(request, form, fallback: str) -> str:
    target = form.cleaned_data.get("next") if form.is_valid() else ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


@login_required
@require_POST
@vary_on_headers("HX-Request")
def decision_answer_view(request, key, number):
    project, membership = get_project_for(request.user, key, "decision.view")
    decision = selectors.decision_for(project, number)
    form = AnswerForm(request.POST)
    error, status = None, 422
    if form.is_valid():
        data = form.cleaned_data
        try:
            decision = decision_answer(
                actor=request.user,
                membership=membership,
                decision=decision,
                option_id=data["option"],
                comment=data["comment"],
                version=data["version"],
            )
        except DomainError as exc:
            error, status = {"field": exc.field, "message": exc.message}, exc.status
    else:
        error = _first_error(form)
    if answered_from_inbox(request):
        row = next(iter(inbox_rows(projects=[project], pk=decision.pk)), None)
        if error is None or row is None:  # answered (here or meanwhile): the inbox drops the row
            return inbox_changed()
        context = {"decision_error": error, "decision_comment": request.POST.get("comment", "")}
        return render_inbox_row(request, row, context=context)
    if error is not None:
        decision = selectors.decision_for(project, number)
        return _render_detail(request, project, membership, decision, status=status, answer_error=error)
    messages.success(
        request, f"Thank you: your answer to {decision.reference} is recorded and the team told."
    )
    return redirect(_next_url(request, form, decision.get_absolute_url()))


@login_required
@require_POST
def decision_withdraw_view(request, key, number):
    project, membership = get_project_for(request.user, key, "decision.request")
    decision = selectors.decision_for(project, number)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _render_detail(
            request, project, membership, decision, status=422, withdraw_error=_first_error(form)
        )
    try:
        decision_withdraw(
            actor=request.user,
            membership=membership,
            decision=decision,
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        )
    except DomainError as exc:
        error = {"field": exc.field, "message": exc.message}
        decision = selectors.decision_for(project, number)
        return _render_detail(request, project, membership, decision, status=exc.status, withdraw_error=error)
    messages.success(request, f"{decision.reference} withdrawn: the client no longer sees it as waiting.")
    return redirect(decision.get_absolute_url())
