"""Who holds a client request now.

A request handed to a client member stays theirs while they are an active client member of its project.
Once they leave the project or their account is deactivated, nobody holds it any more: it is the client
product owner's again (for deliveries, also a designated acceptor's), in their inbox and in the agency's
"Waiting on the client". Every provider reads its rows through ``waiting_for``, one subquery more in the
same query, whatever the number of rows.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from sightline.projects.models import CLIENT_ROLES, Membership, Role


def _answering_members(project_id, user_id) -> QuerySet:
    """The membership through which a holder still answers: an active client member of the project."""
    return Membership.objects.filter(
        project_id=project_id, user_id=user_id, role__in=CLIENT_ROLES, user__is_active=True
    )


def _holder_answers(field: str) -> Exists:
    """Whether the request's holder is still an active client member of its project."""
    return Exists(_answering_members(OuterRef("project_id"), OuterRef(f"{field}_id")))


def client_po_projects(user) -> QuerySet:
    """The projects where ``user`` is a client product owner, as a subquery of project ids."""
    return Membership.objects.filter(user=user, role=Role.CLIENT_PO).values("project_id")


def waiting_for(qs: QuerySet, holder=None, *, field: str = "holder", answers_unheld=None) -> QuerySet:
    """``qs`` (open requests with a ``project`` and a holder ``field``) annotated with ``holder_answers``;
    with ``holder``, only those that person must answer: held by them, or held by nobody who still
    answers in a project of ``answers_unheld`` (project ids; default: where they are the client PO)."""
    qs = qs.annotate(holder_answers=_holder_answers(field))
    if holder is None:
        return qs
    if answers_unheld is None:
        answers_unheld = client_po_projects(holder)
    return qs.filter(
        Q(**{field: holder}, holder_answers=True)
        | Q(holder_answers=False, project_id__in=answers_unheld)  # unheld, or its holder left
    )


def holder_answers(request, field: str = "holder") -> bool:
    """Whether ``request`` is held by someone who still answers for it; False when nobody holds it. Read
    from the annotation when ``request`` came through ``waiting_for``, else with one query."""
    holder_id = getattr(request, f"{field}_id")
    if holder_id is None:
        return False
    if hasattr(request, "holder_answers"):
        return bool(request.holder_answers)
    return _answering_members(request.project_id, holder_id).exists()


def current_holder(request, field: str = "holder"):
    """The person who holds ``request`` now, or None: nobody, or someone who left (the client PO's again)."""
    return getattr(request, field) if holder_answers(request, field) else None
