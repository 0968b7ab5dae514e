"""Criteria-review pages: ask for a review, read and answer one (mark an item reviewed, or comment on it
without reviewing), and the grooming list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from sightline.backlog.forms import add_service_error
from sightline.backlog.models import Item
from sightline.inbox.rendering import answered_from_inbox, inbox_changed, render_inbox_row
from sightline.lib.errors import DomainError, InvalidInput
from sightline.projects.policy import get_project_for, may
from sightline.projects.rendering import render_project
from sightline.reviews import selectors
from sightline.reviews.forms import CriteriaCommentForm, MarkReviewedForm, PickFilterForm, ReviewRequestForm
from sightline.reviews.inbox import inbox_row
from sightline.reviews.models import CriteriaReviewItem
from sightline.reviews.services import (
    criteria_review_comment,
    criteria_review_mark_reviewed,
    criteria_review_request,
    may_review,
)


@login_required
@require_http_methods(["GET", "POST"])
def review_create(request, key):
    project, membership = get_project_for(request.user, key, "criteria_review.request")
    keys = [item.key for item in selectors.pickable_items(project)]
    if request.method == "GET":
        form = ReviewRequestForm(item_keys=keys, initial={"items": request.GET.getlist("item")})
        return _render_create(request, project, membership, form)
    form = ReviewRequestForm(request.POST, item_keys=keys)
    if not form.is_valid():
        return _render_create(request, project, membership, form, status=422)
    data = form.cleaned_data
    items = list(Item.objects.filter(project=project, key__in=data["items"]))
    try:
        review = criteria_review_request(
            actor=request.user,
            membership=membership,
            items=items,
            due_date=data["due_date"],
            title=data["title"],
            note=data["note"],
        )
    except DomainError as exc:
        add_service_error(form, exc)
        return _render_create(request, project, membership, form, status=exc.status)
    messages.success(
        request, f"The client has been asked to review {len(items)} item{'s' * (len(items) != 1)}."
    )
    return redirect("reviews:detail", project.key, review.pk)


def _render_create(request, project, membership, form, *, status=200):
    source = request.POST if request.method == "POST" else request.GET
    chosen = set(source.getlist("items") or source.getlist("item"))
    filters = PickFilterForm(request.GET)
    wanted = filters.cleaned_data if filters.is_valid() else {}
    items = selectors.pickable_items(project, q=wanted.get("q", ""), status=wanted.get("status", ""))
    shown = {item.key for item in items}
    return render_project(
        request,
        "reviews/create.html",
        project=project,
        membership=membership,
        section="backlog",
        status=status,
        context={
            "form": form,
            "filters": filters,
            "items": items,
            "chosen": chosen,
            "chosen_hidden": sorted(chosen - shown),  # chosen, but filtered out of view: keep them
        },
    )


@login_required
@require_GET
def review_detail(request, key, review_id):
    project, membership = get_project_for(request.user, key, "project.view")
    review = selectors.review_for(project, review_id)
    return _render_detail(request, project, membership, review)


def _render_detail(request, project, membership, review, *, status=200, fragment="", **extra):
    context = {"review": review, "can_review": may_review(membership, review) and review.is_open, **extra}
    template = f"reviews/detail.html#{fragment}" if fragment else "reviews/detail.html"
    return render_project(
        request,
        template,
        project=project,
        membership=membership,
        section="backlog",
        context=context,
        status=status,
    )


def _next(request, form, review) -> str:
    target = form.cleaned_data.get("next", "") if form.is_valid() else ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return review.get_absolute_url()


@login_required
@require_POST
@vary_on_headers("HX-Request")
def review_mark(request, key, review_id, item_key):
    return _answer_item(
        request,
        key,
        review_id,
        item_key,
        MarkReviewedForm,
        criteria_review_mark_reviewed,
        action="review",
        done="{key} marked reviewed. Thank you!",
    )


@login_required
@require_POST
@vary_on_headers("HX-Request")
def review_comment(request, key, review_id, item_key):
    """Comment on an item's criteria without marking it reviewed: it keeps waiting for the review."""
    return _answer_item(
        request,
        key,
        review_id,
        item_key,
        CriteriaCommentForm,
        criteria_review_comment,
        action="comment",
        done="Your comment on {key} was sent to the team; it still waits for your review.",
    )


def _answer_item(request, key, review_id, item_key, form_class, service, *, action: str, done: str):
    """One item of a review answered with ``form_class`` through ``service`` (reviewed, or commented)."""
    project, membership = get_project_for(request.user, key, "project.view")
    entry = get_object_or_404(
        CriteriaReviewItem.objects.select_related("item"),
        review__project=project,
        review_id=review_id,
        item__key=item_key,
    )
    form = form_class(request.POST)
    error = _form_error(form)
    if error is None:
        try:
            service(
                actor=request.user, membership=membership, entry=entry, comment=form.cleaned_data["comment"]
            )
        except DomainError as exc:
            add_service_error(form, exc)
            error = exc
    done = done.format(key=entry.item.key)
    return _answered(request, project, membership, entry, form, error, action=action, done=done)


def _form_error(form) -> InvalidInput | None:
    if form.is_valid():
        return None
    field, errors = next(iter(form.errors.items()))
    return InvalidInput(errors[0], field=field)


def _answered(request, project, membership, entry, form, error, *, action: str, done: str):
    """The answer to an item's form: in the inbox, its row; with htmx, the item again; without JavaScript,
    the page with the error or back to where the form was, with ``done`` said."""
    review = selectors.review_for(project, entry.review_id)
    context = {
        "entry_form": form,
        "error": error,
        "failed": entry.pk if error else None,
        "failed_action": action if error else "",
    }
    if answered_from_inbox(request):
        return _inbox_answer(request, membership, review, error, context)
    if request.htmx:
        entry = next(e for e in review.entries.all() if e.pk == entry.pk)
        return _render_detail(request, project, membership, review, fragment="entry", entry=entry, **context)
    if error is not None:
        return _render_detail(request, project, membership, review, status=error.status, **context)
    messages.success(request, done)
    return redirect(_next(request, form, review))


def _inbox_answer(request, membership, review, error, context):
    """In the inbox: the row again (with the refusal next to the item), or nothing once the review is
    complete, so that the inbox drops the row and refreshes its counts."""
    if error is None and not review.is_open:
        return inbox_changed()
    review.answerable = may_review(membership, review)
    return render_inbox_row(request, inbox_row(review), context=context)


@login_required
@require_GET
def grooming(request, key):
    project, membership = get_project_for(request.user, key, "project.view")
    try:
        offset = min(max(0, int(request.GET.get("offset", 0))), 1_000_000)
    except ValueError:
        offset = 0
    return render_project(
        request,
        "reviews/grooming.html",
        project=project,
        membership=membership,
        section="backlog",
        context={
            "page": selectors.grooming_page(project, offset=offset),
            "reviews": selectors.open_reviews(project),
            "can_request": may(membership, "criteria_review.request"),
            "create_url": reverse("reviews:create", args=[project.key]),
        },
    )
