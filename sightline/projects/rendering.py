"""Rendering project pages with the context every project page shares (navigation counts, role)."""

from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from sightline.backlog.models import Item, Status


def render_project(
    request, template: str, *, project, membership, section: str = "", context=None, status: int = 200
):
    """Render a page of ``project`` for a member; fragments (``template#name``) skip the nav counts."""
    data = {"project": project, "membership": membership, "section": section}
    if "#" not in template:
        data["awaiting_count"] = Item.objects.filter(project=project, status=Status.DELIVERED).count()
        if membership.is_client:
            data.update(_inbox_counts(request.user, project))
    data.update(context or {})
    return render(request, template, data, status=status)


def _inbox_counts(user, project) -> dict:
    """What waits for a client member here; counted only when shown (the top bar counts all their projects:
    ``sightline.inbox.context_processors``)."""
    from sightline.inbox.selectors import inbox_count

    return {"inbox_count": SimpleLazyObject(lambda: inbox_count(projects=[project], holder=user))}
