"""Rendering inbox rows in place, for the views that answer a request from the inbox (htmx).

The protocol: when the request left the inbox, answer ``inbox_changed()`` (an empty 200 with the
``HX-Trigger: inbox-changed`` header, so the page drops the row and refreshes its list and counts);
when the answer was refused, answer ``render_inbox_row(...)`` with the error, status 200 so htmx swaps it.
"""

from django.http import HttpResponse
from django.template.loader import render_to_string

from sightline.inbox.selectors import entries
from sightline.projects.models import Membership


def answered_from_inbox(request) -> bool:
    """A form of an inbox row, posted with htmx."""
    return bool(request.htmx and request.POST.get("from_inbox"))


def inbox_changed() -> HttpResponse:
    response = HttpResponse(b"")
    response["HX-Trigger"] = "inbox-changed"
    return response


def render_inbox_row(request, row, *, error: dict | None = None, context: dict | None = None) -> HttpResponse:
    """The row's ``<li>`` again, with ``error`` ({field, message}) shown and ``context`` for its partial."""
    memberships = {
        m.project.key: m
        for m in Membership.objects.filter(user=request.user, project__key=row.project).select_related(
            "project"
        )
    }
    entry = entries([row], user=request.user, memberships=memberships)[0]
    entry.error = error
    data = {"entry": entry, "row": row, "inbox_next": request.POST.get("next", ""), **(context or {})}
    return HttpResponse(render_to_string("inbox/_row.html", data, request=request))
