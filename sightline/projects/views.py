from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from sightline.accounts.services import invitation_send
from sightline.backlog.models import Item, Status
from sightline.inbox.forms import AvailabilityForm
from sightline.lib.errors import DomainError
from sightline.projects.forms import InviteForm, PlanningSettingsForm
from sightline.projects.models import Membership, Role
from sightline.projects.policy import get_project_for, may
from sightline.projects.rendering import render_project
from sightline.projects.services import PLANNING_FIELDS, project_planning_update
from sightline.sprints.models import Sprint, SprintState

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@login_required
def home(request):
    memberships = list(Membership.objects.filter(user=request.user).select_related("project"))
    if any(m.role == Role.CLIENT_PO for m in memberships):
        return redirect("inbox:mine")  # the client's home is what waits for them
    if len(memberships) == 1:
        return redirect("projects:overview", key=memberships[0].project.key)
    return render(request, "projects/home.html", {"memberships": memberships})


@login_required
def overview(request, key):
    project, membership = get_project_for(request.user, key)
    active = Sprint.objects.filter(project=project, state=SprintState.ACTIVE).first()
    in_sprint = Counter(Item.objects.filter(sprint=active).values_list("status", flat=True)) if active else {}
    counts = [(value, label, in_sprint.get(value, 0)) for value, label in Status.choices]
    closed = list(Sprint.objects.filter(project=project, state=SprintState.CLOSED).order_by("-number")[:6])
    return render_project(
        request,
        "projects/overview.html",
        project=project,
        membership=membership,
        section="overview",
        context={"active": active, "counts": counts, "closed": closed[::-1]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def members(request, key):
    project, membership = get_project_for(request.user, key)
    form = InviteForm(request.POST or None)
    invite_link = None
    status = 200
    if request.method == "POST":
        get_project_for(request.user, key, "members.invite")
        status = 422
        if form.is_valid():
            try:
                _, invite_link = invitation_send(
                    actor=request.user,
                    membership=membership,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
                form, status = InviteForm(), 200
    return members_page(request, project, membership, form=form, invite_link=invite_link, status=status)


def members_page(
    request, project, membership, *, form=None, invite_link=None, availability_form=None, status=200
):
    """The People page; also shown again by the availability form when it is refused."""
    people = Membership.objects.filter(project=project).select_related("user").order_by("role", "user__email")
    invitations = (
        project.invitations.filter(accepted_at__isnull=True) if may(membership, "members.invite") else []
    )
    if availability_form is None and membership.is_client:
        availability_form = AvailabilityForm(
            initial={
                "availability": membership.availability,
                "out_of_office_from": membership.out_of_office_from,
                "out_of_office_until": membership.out_of_office_until,
            }
        )
    return render_project(
        request,
        "projects/members.html",
        project=project,
        membership=membership,
        section="members",
        status=status,
        context={
            "people": people,
            "form": form or InviteForm(),
            "invitations": invitations,
            "invite_link": invite_link,
            "can_invite": may(membership, "members.invite"),
            "availability_form": availability_form,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def planning_settings(request, key):
    """The project's planning settings: estimate unit, focus factor, calendar, fallback velocity range."""
    project, membership = get_project_for(request.user, key, "project.manage")
    initial = {name: getattr(project, name) for name in PLANNING_FIELDS}
    form = PlanningSettingsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                project_planning_update(actor=request.user, membership=membership, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "Planning settings saved.")
                return redirect("projects:settings", project.key)
        status = 422
    return render_project(
        request,
        "projects/settings.html",
        project=project,
        membership=membership,
        section="settings",
        status=status,
        context={"form": form, "working_days": ", ".join(DAY_NAMES[d] for d in sorted(project.working_days))},
    )
