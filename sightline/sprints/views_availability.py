"""The team's availability for a sprint: who can give how many hours, which sets the sprint's capacity."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from sightline.lib.errors import DomainError
from sightline.lib.numbers import plain_number
from sightline.projects.policy import get_project_for, may
from sightline.projects.rendering import render_project
from sightline.sprints import selectors
from sightline.sprints.forms import AvailabilityForm
from sightline.sprints.models import HOURS_PER_DAY, SprintState
from sightline.sprints.services import sprint_set_availability


def _forms(lines, data=None) -> list[tuple]:
    """(line, form) per agency member; the form starts from what was entered."""
    pairs = []
    for line in lines:
        entry = line.entry
        initial = (
            {"hours": selectors.tidy_hours(entry.hours), "days_off": entry.days_off, "note": entry.note}
            if entry
            else {}
        )
        form = AvailabilityForm(data, prefix=str(line.membership.pk), initial=initial)
        pairs.append((line, form))
    return pairs


def _render(request, project, membership, sprint, pairs, *, error=None, saved=False, status=200):
    context = {
        "sprint": sprint,
        "pairs": pairs,
        "source": selectors.capacity_source(sprint),
        "hours_per_day": HOURS_PER_DAY,
        "can_edit": may(membership, "sprint.manage") and sprint.state != SprintState.CLOSED,
        "error": error,
        "saved": saved,
    }
    template = "sprints/availability.html#sheet" if request.htmx else "sprints/availability.html"
    return render_project(
        request,
        template,
        project=project,
        membership=membership,
        section="sprints",
        context=context,
        status=status,
    )


def _attach(pairs, exc: DomainError) -> bool:
    """Show a service error on the line it names; False when it names no line."""
    for line, form in pairs:
        if exc.field and exc.field.startswith(f"{form.prefix}-"):
            message = exc.message.removeprefix(f"{line.membership.user.display_name}: ")
            form.add_error(exc.field.removeprefix(f"{form.prefix}-"), message[:1].upper() + message[1:])
            return True
    return False


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def sprint_availability_view(request, key, number):
    project, membership = get_project_for(request.user, key, "sprint.availability")
    sprint = selectors.get_sprint(project, number)
    sprint.project = project
    lines = selectors.availability_lines(sprint)
    if request.method == "GET":
        return _render(request, project, membership, sprint, _forms(lines))
    get_project_for(request.user, key, "sprint.manage")
    pairs = _forms(lines, request.POST)
    error, status = None, 422
    if all([form.is_valid() for _, form in pairs]):
        try:
            rows = [form.row(line.membership) for line, form in pairs]
            sprint = sprint_set_availability(
                actor=request.user, membership=membership, sprint=sprint, rows=rows
            )
        except DomainError as exc:
            status, error = exc.status, (None if _attach(pairs, exc) else exc)
        else:
            if request.htmx:
                fresh = _forms(selectors.availability_lines(sprint))
                return _render(request, project, membership, sprint, fresh, saved=True)
            capacity = plain_number(sprint.capacity_hours)
            messages.success(request, f"Availability saved: {sprint} has {capacity} h capacity.")
            return redirect("sprints:availability", project.key, sprint.number)
    return _render(
        request, project, membership, sprint, pairs, error=error, status=200 if request.htmx else status
    )
