from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sightline.notifications.models import Notification
from sightline.notifications.services import notifications_mark_read


@login_required
def notification_list(request):
    items = Notification.objects.filter(user=request.user).select_related("project")[:100]
    return render(request, "notifications/list.html", {"notifications": items})


@login_required
@require_POST
def mark_read(request):
    notifications_mark_read(user=request.user)
    return redirect("notifications:list")
