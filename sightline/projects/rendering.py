"""Rendering project pages with the context every project page shares (navigation counts, role)."""

from django.shortcuts import render

from sightline.backlog.models import Item, Status


def render_project(
    request, template: str, *, project, membership, section: str = "", context=None, status: int = 200
):
    """Render a page of ``project`` for a member; fragments (``template#name``) skip the nav counts."""
    data = {"project": project, "membership": membership, "section": section}
    if "#" not in template:
        data["awaiting_count"] = Item.objects.filter(project=project, status=Status.DELIVERED).count()
    data.update(context or {})
    return render(request, template, data, status=status)
