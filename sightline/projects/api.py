"""API: the projects the caller is a member of."""

from ninja import Router, Schema

from sightline.api.errors import ERRORS
from sightline.api.schemas import RoleName
from sightline.projects.models import Membership

router = Router(tags=["projects"])


class ProjectOut(Schema):
    id: int
    key: str
    name: str
    client_name: str
    role: RoleName


@router.get(
    "/projects",
    response={200: list[ProjectOut], **ERRORS},
    operation_id="project_list",
    summary="Your projects",
)
def project_list(request):
    """The caller's projects with their role in each, by key."""
    memberships = (
        Membership.objects.filter(user=request.auth).select_related("project").order_by("project__key")
    )
    return [
        {
            "id": m.project.id,
            "key": m.project.key,
            "name": m.project.name,
            "client_name": m.project.client_name,
            "role": m.role,
        }
        for m in memberships
    ]
