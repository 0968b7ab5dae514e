"""Feedback pages: give feedback, the list per project, one piece of feedback, its screenshot (members
only) and converting it into a backlog item."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sightline.backlog.forms import add_service_error
from sightline.backlog.models import Item
from sightline.feedback import selectors
from sightline.feedback.forms import ConvertForm, FeedbackFilterForm, GiveFeedbackForm
from sightline.feedback.services import default_title, feedback_convert, feedback_give
from sightline.lib.errors import DomainError
from sightline.projects.policy import get_project_for, may
from sightline.projects.rendering import render_project
from sightline.sprints.models import Sprint

PAGE_SIZE = 50


def _sprints(project):
    return list(Sprint.objects.filter(project=project).order_by("-number"))


@login_required
@require_http_methods(["GET", "POST"])
def feedback_give_view(request, key):
    project, membership = get_project_for(request.user, key, "feedback.give")
    sprints = _sprints(project)
    if request.method == "GET":
        initial = {"item": request.GET.get("item", "")[:24], "sprint": request.GET.get("sprint", "")}
        form = GiveFeedbackForm(initial=initial, sprints=sprints)
        return _render_give(request, project, membership, form)
    form = GiveFeedbackForm(request.POST, request.FILES, sprints=sprints)
    if not form.is_valid():
        return _render_give(request, project, membership, form, status=422)
    data = form.cleaned_data
    item = Item.objects.filter(project=project, key=data["item"]).first() if data["item"] else None
    if data["item"] and item is None:
        form.add_error("item", f"{project.key} has no item {data['item']}.")
        return _render_give(request, project, membership, form, status=422)
    sprint = next((s for s in sprints if s.number == data["sprint"]), None)
    try:
        feedback = feedback_give(
            actor=request.user,
            membership=membership,
            text=data["text"],
            item=item,
            sprint=sprint,
            screenshot=data["screenshot"] or None,
        )
    except DomainError as exc:
        add_service_error(form, exc)
        return _render_give(request, project, membership, form, status=exc.status)
    messages.success(request, "Thank you: your feedback is recorded and the team will see it.")
    return redirect(feedback.get_absolute_url())


def _render_give(request, project, membership, form, *, status=200):
    key = form["item"].value() or ""
    about = Item.objects.filter(project=project, key=str(key).strip().upper()).only("key", "title").first()
    return render_project(
        request,
        "feedback/give.html",
        project=project,
        membership=membership,
        section="feedback",
        status=status,
        context={"form": form, "about": about},
    )


@login_required
@require_GET
def feedback_list_view(request, key):
    project, membership = get_project_for(request.user, key, "project.view")
    filters = FeedbackFilterForm(request.GET)
    state = filters.cleaned_data["state"] if filters.is_valid() else ""
    page = Paginator(selectors.feedback_list(project, state), PAGE_SIZE).get_page(request.GET.get("page"))
    return render_project(
        request,
        "feedback/list.html",
        project=project,
        membership=membership,
        section="feedback",
        context={
            "page": page,
            "state": state,
            "counts": selectors.feedback_counts(project),
            "can_convert": may(membership, "feedback.convert"),
        },
    )


def _render_detail(request, project, membership, feedback, *, form=None, error=None, status=200):
    can_convert = may(membership, "feedback.convert") and not feedback.is_converted
    if can_convert and form is None:
        form = ConvertForm(initial={"title": default_title(feedback.text)})
    return render_project(
        request,
        "feedback/detail.html",
        project=project,
        membership=membership,
        section="feedback",
        status=status,
        context={"feedback": feedback, "can_convert": can_convert, "form": form, "error": error},
    )


@login_required
@require_GET
def feedback_detail(request, key, feedback_id):
    project, membership = get_project_for(request.user, key, "project.view")
    return _render_detail(request, project, membership, selectors.feedback_for(project, feedback_id))


@login_required
@require_POST
def feedback_convert_view(request, key, feedback_id):
    project, membership = get_project_for(request.user, key, "feedback.convert")
    feedback = selectors.feedback_for(project, feedback_id)
    form = ConvertForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, project, membership, feedback, form=form, status=422)
    try:
        item = feedback_convert(
            actor=request.user, membership=membership, feedback=feedback, **form.changes()
        )
    except DomainError as exc:
        add_service_error(form, exc)
        feedback = selectors.feedback_for(project, feedback_id)
        return _render_detail(request, project, membership, feedback, form=form, error=exc, status=exc.status)
    author = feedback.author.display_name if feedback.author else "someone"
    messages.success(request, f"{item.key} created from {author}'s feedback.")
    return redirect(item.get_absolute_url())


@login_required
@require_GET
def feedback_screenshot(request, key, feedback_id):
    """The screenshot, for members of the project only (uploads are never served from a public URL)."""
    project, _ = get_project_for(request.user, key, "project.view")
    feedback = selectors.feedback_for(project, feedback_id)
    if not feedback.screenshot:
        raise Http404("This feedback has no screenshot.")
    try:
        handle = feedback.screenshot.open("rb")
    except FileNotFoundError:
        raise Http404("The screenshot file is missing.") from None
    response = FileResponse(handle, content_type=feedback.screenshot_type or "application/octet-stream")
    response["Content-Disposition"] = (
        f'inline; filename="screenshot-{feedback.pk}.{feedback.screenshot.name.rsplit(".", 1)[-1]}"'
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
