"""The planning pages: velocity, the releases' forecasts, one release with its what-if. Everyone in the
project may see them; they read and compute, and never write."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from sightline.lib.errors import InvalidInput
from sightline.planning import figures
from sightline.planning.forms import WhatIfForm
from sightline.planning.selectors import burnup_series
from sightline.planning.services import PlanForecast, release_forecasts, velocity_overview, what_if
from sightline.projects.policy import get_project_for, may
from sightline.projects.rendering import render_project
from sightline.roadmap.selectors import get_release
from sightline.roadmap.services import has_client_po


@login_required
@require_GET
def velocity_page(request, key):
    project, membership = get_project_for(request.user, key, "sprint.view")
    overview = velocity_overview(project)
    context = {
        "overview": overview,
        "velocity_chart": figures.velocity_figure(overview.history, overview)
        if overview.history.sprints
        else None,
        "flow_chart": None if overview.flow.is_empty else figures.flow_figure(overview.flow),
    }
    return render_project(
        request,
        "planning/velocity.html",
        project=project,
        membership=membership,
        section="forecast",
        context=context,
    )


@login_required
@require_GET
def releases_page(request, key):
    project, membership = get_project_for(request.user, key, "roadmap.view")
    plans = release_forecasts(project)
    return render_project(
        request,
        "planning/releases.html",
        project=project,
        membership=membership,
        section="forecast",
        context={"plans": plans},
    )


def _is_fragment_request(request) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request and not request.htmx.boosted


@login_required
@require_GET
@vary_on_headers("HX-Request")
def release_page(request, key, release_id):
    project, membership = get_project_for(request.user, key, "roadmap.view")
    release = get_release(project, release_id)
    plans = release_forecasts(project)
    plan = plans.plan_for(release.pk)
    form = WhatIfForm(
        request.GET if WhatIfForm.is_submitted(request.GET) else None, scopes=plans.scopes, scope=plan.scope
    )
    context = {
        "plans": plans,
        "plan": plan,
        "form": form,
        "result": _what_if(project, release, form, plans),
        "can_propose": may(membership, "roadmap.propose") and has_client_po(project),
    }
    if _is_fragment_request(request):
        template = "planning/release.html#what-if-result"
    else:
        template = "planning/release.html"
        burnup = burnup_series(plan.scope, history=plans.history, today=plans.today)
        context["burnup_chart"] = figures.burnup_figure(burnup, plan, plans) if plan.has_epics else None
        context["histogram_chart"] = figures.histogram_figure(plan, plans)
    return render_project(
        request, template, project=project, membership=membership, section="forecast", context=context
    )


def _what_if(project, release, form: WhatIfForm, plans: PlanForecast):
    """The what-if's result, or None (nothing asked, the form has errors, or nothing can be forecast)."""
    if not form.is_bound or not form.is_valid() or plans.forecast is None:
        return None
    try:
        return what_if(project, release, form.change(), current=plans)
    except InvalidInput as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None
