from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from sightline.lib.errors import DomainError
from sightline.notifications.kinds import KINDS
from sightline.notifications.models import Delivery, Notification
from sightline.notifications.services import notifications_mark_read, preferences_for, preferences_save
from sightline.projects.models import Project


@login_required
def notification_list(request):
    items = Notification.objects.filter(user=request.user).select_related("project")[:100]
    return render(request, "notifications/list.html", {"notifications": items})


@login_required
@require_POST
def mark_read(request):
    notifications_mark_read(user=request.user)
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """A table of every kind of notification, each at once by email, in a daily email, or off."""
    error, status = None, 200
    if request.method == "POST":
        choices = {kind: request.POST[kind] for kind in KINDS if kind in request.POST}
        try:
            changed = preferences_save(user=request.user, choices=choices)
        except DomainError as exc:
            error, status = exc, 422
        else:
            messages.success(request, f"Preferences saved ({changed} changed).")
            return redirect("notifications:preferences")
    rows = preferences_for(request.user)
    if error is not None:  # show what was submitted, with the message next to the row
        rows = [(kind, label, request.POST.get(kind, delivery)) for kind, label, delivery in rows]
    return render(
        request,
        "notifications/preferences.html",
        {
            "rows": rows,
            "choices": Delivery.choices,
            "error": error,
            "projects": Project.objects.for_member(request.user).order_by("key"),
        },
        status=status,
    )
