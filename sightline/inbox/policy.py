"""Who may do what with the client's requests, beyond the project's permission table.

- Handing a request over: the client member who holds it, or a client product owner of the project.
- Seeing what waits on the client (with ages and holders): the agency's roles.
- Stating availability and out-of-office periods: each client member, for themselves.
"""

from django.core.exceptions import PermissionDenied

from sightline.projects.models import Membership, Role


def may_hand_over(membership: Membership | None, holder_id: int | None) -> bool:
    if membership is None or not membership.is_client:
        return False
    return membership.role == Role.CLIENT_PO or (holder_id is not None and holder_id == membership.user_id)


def require_agency(membership: Membership) -> None:
    if not membership.is_agency:
        raise PermissionDenied(
            "This view is for the agency's roles (agency_po, developer, tester); "
            "what waits for you is in your inbox."
        )


def require_client(membership: Membership, what: str) -> None:
    if not membership.is_client:
        raise PermissionDenied(f"{what} is for the client's people (client_po, client_stakeholder).")
