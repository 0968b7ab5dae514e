"""The digest preview (for the members who receive it) and sharing a sprint's draft goal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from sightline.digests.content import build_digest
from sightline.digests.models import Audience
from sightline.digests.services import render_digest, sprint_goal_share
from sightline.lib.errors import DomainError
from sightline.projects.models import Role
from sightline.projects.policy import get_project_for
from sightline.projects.rendering import render_project
from sightline.sprints.selectors import get_sprint

# Which digests each role may read: the agency PO both, the client the client's, the team the team's.
AUDIENCES = {
    Role.AGENCY_PO: (Audience.CLIENT, Audience.TEAM),
    Role.DEVELOPER: (Audience.TEAM,),
    Role.TESTER: (Audience.TEAM,),
    Role.CLIENT_PO: (Audience.CLIENT,),
    Role.CLIENT_STAKEHOLDER: (Audience.CLIENT,),
}
# The email is shown as sent, in a sandboxed frame of the preview page: its inline styles are allowed
# on this response only, and nothing else (no scripts, no forms, no other origin).
EMAIL_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'; sandbox allow-popups allow-top-navigation"
)


def _digest_for(request, key):
    project, membership = get_project_for(request.user, key, "project.view")
    allowed = AUDIENCES[membership.role]
    audience = request.GET.get("audience") or allowed[-1]
    if audience not in Audience.values:
        audience = allowed[-1]
    if audience not in allowed:
        raise PermissionDenied(f"The {audience} digest is not sent to your role ({membership.role}).")
    # The agency PO previewing the client digest sees everything waiting on the client side;
    # each client member receives only what waits for them.
    reader = None if membership.role == Role.AGENCY_PO and audience == Audience.CLIENT else request.user
    return project, membership, allowed, build_digest(project, audience, reader=reader)


@login_required
@require_GET
def preview(request, key):
    project, membership, allowed, digest = _digest_for(request, key)
    subject, text, _html = render_digest(digest)
    return render_project(
        request,
        "digests/preview.html",
        project=project,
        membership=membership,
        context={"digest": digest, "subject": subject, "text": text, "audiences": allowed},
    )


@login_required
@require_GET
@xframe_options_sameorigin
def email(request, key):
    _project, _membership, _allowed, digest = _digest_for(request, key)
    _subject, _text, html = render_digest(digest)
    response = HttpResponse(html)
    response["Content-Security-Policy"] = EMAIL_POLICY
    return response


@login_required
@require_POST
def share_goal(request, key, number):
    project, membership = get_project_for(request.user, key, "sprint.manage")
    sprint = get_sprint(project, number)
    try:
        sprint_goal_share(actor=request.user, membership=membership, sprint=sprint)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"The draft goal of {sprint.name} was shared with the client.")
    return redirect("sprints:detail", project.key, sprint.number)
